"""Where the database lives, opening it at the newest schema, and one transaction at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session

APP = "Rotation"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url() -> str:
    """`ROTATION_DATABASE_URL` if set, else `rotation.db` in the user's data folder."""
    if url := os.environ.get("ROTATION_DATABASE_URL"):
        return url
    folder = Path(user_data_dir(APP, APP))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'rotation.db'}"


def open_database(url: str | None = None) -> Engine:
    """An engine on the database at `url` (default: `database_url()`), upgraded to the newest schema."""
    engine = create_engine(url or database_url())
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None  # the driver would skip BEGIN before reads and DDL: we emit it
    dbapi_connection.execute("PRAGMA foreign_keys = ON")  # SQLite enforces them only when asked
    dbapi_connection.execute("PRAGMA journal_mode = WAL")  # a crash keeps the last commit; readers never block


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed if the block succeeds, rolled back on any error."""
    with Session(engine) as session, session.begin():
        yield session


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the migrations inside the package, run on `connection`.

    A developer adds a revision after changing tables.py with, on an up-to-date database:
    `command.revision(alembic_config(connection), message="...", autogenerate=True)`.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision, all or nothing."""
    with engine.connect() as connection:
        _sqlite_foreign_keys(connection, "OFF")  # a batch-mode table rebuild must not cascade deletes
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
        finally:
            _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection: Connection, state: str) -> None:
    # Straight to the driver: SQLite ignores this pragma inside a transaction, and SQLAlchemy would begin one.
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute(f"PRAGMA foreign_keys = {state}")  # type: ignore[union-attr]
