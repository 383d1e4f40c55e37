"""A mastery result keeps a detail beside its score (a percentile, a placement, a benchmark category).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mastery_results") as table:
        table.add_column(sa.Column("detail", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("mastery_results") as table:
        table.drop_column("detail")
