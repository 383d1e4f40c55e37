"""Where a school lives: a database file of its own, opened from a workbook, a database, or the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.io.planning_workbook import read_planning_workbook
from rotation.io.problems import BadInput, Problem
from rotation.storage.database import APP, open_database
from rotation.storage.repository import load_plan, load_school, plan_history, save_school

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "grade3-math.xlsx"
DATABASE_SUFFIXES = (".db", ".sqlite", ".rotation")


@dataclass
class Opened:
    """A school open in the app: its database, the school, and its newest plan if any."""

    path: Path  # the database file
    engine: Engine
    school: School
    plan: Plan | None
    plan_id: int | None


def schools_folder() -> Path:
    folder = Path(user_data_dir(APP, APP)) / "schools"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def open_school(path: Path) -> Opened:
    """Open a school database, or import a planning workbook as a school (into a database of its own named
    after the workbook); BadInput names the workbook's problems, and then nothing is saved."""
    if is_workbook(path):
        return import_workbook(path, schools_folder() / f"{path.stem}.db")
    if not path.is_file():  # SQLite would make an empty file of a mistyped name
        raise BadInput([Problem(str(path), "there is no school database here")])
    return _opened(path, open_database(f"sqlite:///{path}"))


def new_school(path: Path) -> Opened:
    """An empty school database at `path` (refused if something is already there: a school is never replaced)."""
    if path.exists():
        raise BadInput([Problem(str(path), "there is a file here already; choose another name")])
    return _opened(path, open_database(f"sqlite:///{path}"))


def import_workbook(workbook: Path, target: Path) -> Opened:
    school = read_planning_workbook(workbook)  # every problem found before anything is written
    engine = open_database(f"sqlite:///{target}")
    save_school(engine, school)
    return _opened(target, engine)


def _opened(path: Path, engine: Engine) -> Opened:
    school = load_school(engine)
    history = plan_history(engine)
    newest = history[0].id if history else None
    return Opened(path, engine, school, load_plan(engine, newest) if newest else None, newest)


def demo_school() -> Opened:
    """The bundled demo, imported the first time and kept (with its plans and edits) after that."""
    path = schools_folder() / "demo-school.db"
    return open_school(path) if path.exists() else import_workbook(DEMO, path)
