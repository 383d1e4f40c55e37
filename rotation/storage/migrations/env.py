"""Alembic's entry point: runs the migrations on the connection that `rotation.storage.database` passes in."""

from alembic import context

from rotation.storage.tables import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters a table by rebuilding it
)
with context.begin_transaction():
    context.run_migrations()
