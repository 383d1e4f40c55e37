"""Where a school lives: a database file of its own, opened from a workbook, a database, or the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.io.planning_workbook import read_planning_workbook
from rotation.io.problems import BadInput, Problem, Problems
from rotation.io.xlsx import open_workbook
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
        return import_workbook(path, free_name(schools_folder(), path.stem))
    if not path.is_file():  # SQLite would make an empty file of a mistyped name
        raise BadInput([Problem(str(path), "there is no school database here")])
    try:
        return _opened(path, open_database(f"sqlite:///{path}"))
    except DatabaseError as error:
        raise BadInput([Problem(str(path), "is not a school database (Rotation makes them: File → New school, "
                                "or open a planning workbook)")]) from error


def free_name(folder: Path, stem: str) -> Path:
    """`stem.db` in `folder`, or `stem (2).db` and on: a workbook opened again never replaces the school it made
    before, nor the edits and plans kept in it."""
    path, n = folder / f"{stem}.db", 2
    while path.exists():
        path, n = folder / f"{stem} ({n}).db", n + 1
    return path


def new_school(path: Path) -> Opened:
    """An empty school database at `path` (refused if something is already there: a school is never replaced)."""
    if path.exists():
        raise BadInput([Problem(str(path), "there is a file here already; choose another name")])
    return _opened(path, open_database(f"sqlite:///{path}"))


def import_workbook(workbook: Path, target: Path) -> Opened:
    try:
        school = read_planning_workbook(workbook)  # every problem found before anything is written
    except BadInput:
        if is_plan_workbook(workbook):  # one clear line, not a sheet-by-sheet list of what a plan lacks
            raise BadInput([Problem(str(workbook), "is a plan workbook (Groups, Rotation chart, Schedule): open "
                                    "the planning workbook it was made from, or the school")]) from None
        raise
    engine = open_database(f"sqlite:///{target}")
    save_school(engine, school)
    return _opened(target, engine)


def is_plan_workbook(path: Path) -> bool:
    """Whether `path` holds the sheets of a plan workbook, as `rotation plan` and Export write it."""
    wb = open_workbook(path, Problems.of(path))  # the same size and zip checks as the reader's
    sheets = set(wb.sheetnames) if wb is not None else set()
    return {"Groups", "Rotation"} <= sheets and "Students" not in sheets


def _opened(path: Path, engine: Engine) -> Opened:
    school = load_school(engine)
    history = plan_history(engine)
    newest = history[0].id if history else None
    return Opened(path, engine, school, load_plan(engine, newest) if newest else None, newest)


def demo_school() -> Opened:
    """The bundled demo, imported the first time and kept (with its plans and edits) after that."""
    path = schools_folder() / "demo-school.db"
    return open_school(path) if path.exists() else import_workbook(DEMO, path)
