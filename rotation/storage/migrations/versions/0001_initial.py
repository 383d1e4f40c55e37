"""The first schema: one school's world, and every plan made for it.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def column(name: str, type_: sa.types.TypeEngine, *, null: bool = False) -> sa.Column:
    return sa.Column(name, type_, nullable=null)


def text(name: str, *, null: bool = False) -> sa.Column:
    return column(name, sa.String(), null=null)


def integer(name: str, *, null: bool = False) -> sa.Column:
    return column(name, sa.Integer(), null=null)


def create(
    name: str, *columns: sa.schema.SchemaItem, owner: tuple[str, str] | None = None, unique: tuple[str, ...] = ()
) -> None:
    """A table keyed by `id`, kept in order by `position`; an owned row is deleted with its owner."""
    parts: list[sa.schema.SchemaItem] = [integer("id"), integer("position")]
    if owner:
        key, parent = owner
        foreign_key = op.f(f"fk_{name}_{key}_{parent}")
        parts += [
            integer(key),
            sa.ForeignKeyConstraint([key], [f"{parent}.id"], name=foreign_key, ondelete="CASCADE"),
            sa.Index(op.f(f"ix_{name}_{key}"), key),
        ]
    parts += [*columns, sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}"))]
    if unique:
        parts.append(sa.UniqueConstraint(*unique, name=op.f(f"uq_{name}_{'_'.join(unique)}")))
    op.create_table(name, *parts)


def upgrade() -> None:
    # The school
    create("students", text("student_id"), text("first_name"), text("last_name"), text("grade", null=True),
           unique=("student_id",))
    create("student_classes", text("class_id"), owner=("student", "students"))
    create("student_flags", text("flag"), owner=("student", "students"))
    create("skills", text("skill"), column("min", sa.Double()), column("max", sa.Double()),
           column("mastered_at", sa.Double(), null=True), unique=("skill",))
    create("mastery_results", text("student_id"), text("skill"), column("score", sa.Double()),
           column("date", sa.Date(), null=True), text("source"),
           sa.Index(op.f("ix_mastery_results_student_id"), "student_id"))
    create("classes", text("class_id"), column("start", sa.Time()), integer("rotation_minutes"), text("teacher"),
           text("room"), integer("rotations", null=True), integer("transition_minutes"),
           integer("groups", null=True), integer("min_group_size", null=True),
           integer("max_group_size", null=True), text("grouping"), unique=("class_id",))
    create("class_days", text("day"), owner=("school_class", "classes"))
    create("class_focus", text("skill"), owner=("school_class", "classes"))
    create("stations", text("name"), text("class_id", null=True), text("kind"), integer("capacity", null=True),
           text("staff"), text("devices"), column("must_do", sa.Boolean(), null=True),
           integer("visits", null=True), column("visits_by_need", sa.Boolean()), text("mirror_of"),
           unique=("class_id", "name"))
    create("staff", text("staff_id"), text("name"), text("role"), unique=("staff_id",))
    create("availability_clauses", owner=("staff", "staff"))
    create("availability_days", text("day"), owner=("clause", "availability_clauses"))
    create("availability_windows", column("start", sa.Time()), column("end", sa.Time()),
           owner=("clause", "availability_clauses"))
    create("device_pools", text("pool"), integer("count"), unique=("pool",))
    create("device_pool_classes", text("class_id"), owner=("device_pool", "device_pools"))
    create("rules", text("rule"), integer("group", null=True), text("station"), integer("count", null=True),
           column("start", sa.Time(), null=True), column("end", sa.Time(), null=True), text("note"),
           integer("row", null=True))
    create("rule_students", text("student"), owner=("rule", "rules"))
    create("rule_days", text("day"), owner=("rule", "rules"))
    create("student_locks", text("class_id"), text("student_id"), integer("group"))
    create("visit_locks", text("class_id"), text("day"), integer("slot"), integer("group"), text("station"))

    # Plans
    op.create_table(
        "plans",
        integer("id"),
        column("created_at", sa.DateTime()),
        integer("seed", null=True),
        column("optimal", sa.Boolean()),
        text("label"),
        integer("parent_id", null=True),
        sa.ForeignKeyConstraint(["parent_id"], ["plans.id"], name=op.f("fk_plans_parent_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    create("plan_groups", text("class_id"), integer("number"), text("name"), owner=("plan", "plans"))
    create("plan_group_members", text("student_id"), column("need", sa.Double(), null=True),
           owner=("planned_group", "plan_groups"))
    create("plan_visits", text("class_id"), text("day"), integer("slot"), integer("group"), text("station"),
           owner=("plan", "plans"))
    create("plan_visit_staff", text("staff_id"), owner=("visit", "plan_visits"))
    create("plan_checks", text("kind"), text("rule"), text("who"), text("when"), integer("cost"), text("detail"),
           owner=("plan", "plans"))


def downgrade() -> None:
    # Every table is this revision's: drop them all, child rows' tables first.
    tables = sa.inspect(op.get_bind()).get_sorted_table_and_fkc_names()
    for name, _ in reversed(tables):
        if name and name != "alembic_version":
            op.drop_table(name)
