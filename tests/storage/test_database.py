from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from rotation.storage import database
from rotation.storage.database import alembic_config, database_url, open_database, session_scope, upgrade
from rotation.storage.tables import Base


def test_the_migrations_have_one_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_an_upgraded_empty_database_matches_the_tables(engine):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_the_first_revision_goes_down_and_up_again(engine):
    with engine.connect() as connection, connection.begin():
        command.downgrade(alembic_config(connection), "base")
        assert inspect(connection).get_table_names() == ["alembic_version"]
    upgrade(engine)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) == {*Base.metadata.tables, "alembic_version"}


def test_sqlite_runs_with_foreign_keys_and_a_write_ahead_log(engine):
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"


def test_opening_twice_keeps_the_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'school.db'}"
    first = open_database(url)
    with session_scope(first) as session:
        session.execute(text("INSERT INTO device_pools (position, pool, count) VALUES (0, 'cart', 9)"))
    first.dispose()
    again = open_database(url)
    with session_scope(again) as session:
        assert session.scalar(text("SELECT count FROM device_pools")) == 9
    again.dispose()


def test_a_session_scope_rolls_back_on_error(engine):
    with pytest.raises(ZeroDivisionError), session_scope(engine) as session:
        session.execute(text("INSERT INTO device_pools (position, pool, count) VALUES (0, 'cart', 9)"))
        1 / 0  # noqa: B018
    with session_scope(engine) as session:
        assert session.scalar(text("SELECT count(*) FROM device_pools")) == 0


def test_the_environment_names_the_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("ROTATION_DATABASE_URL", url)
    assert database_url() == url
    open_database().dispose()
    assert (tmp_path / "elsewhere.db").exists()


def test_by_default_the_database_lives_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ROTATION_DATABASE_URL", raising=False)
    monkeypatch.setattr(database, "user_data_dir", lambda app, author: str(tmp_path / app / "data"))
    assert database_url() == f"sqlite:///{tmp_path / 'Rotation' / 'data' / 'rotation.db'}"
    assert Path(tmp_path / "Rotation" / "data").is_dir()


def test_a_school_saved_before_details_keeps_its_results_on_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = open_database(url)
    with engine.connect() as connection, connection.begin():
        command.downgrade(alembic_config(connection), "0001")
        connection.execute(text("INSERT INTO mastery_results (position, student_id, skill, score, source) "
                                "VALUES (0, 'S1', 'Fractions', 72, 'quiz')"))
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.execute(text("SELECT student_id, score, detail FROM mastery_results")).one() == ("S1", 72, "")
    engine.dispose()
