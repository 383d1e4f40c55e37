"""A planning workbook loads into the database and comes back out with nothing lost; a plan made from
it is saved in the history and comes back whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rotation.io.planning_workbook import read_planning_workbook, write_planning_workbook
from rotation.planning.instance import build_instance
from rotation.planning.result import to_plan
from rotation.storage.database import open_database
from rotation.storage.repository import load_plan, load_school, plan_history, save_plan, save_school
from solver.check import check
from solver.instance import Options
from solver.solve import solve

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
WORKBOOKS = sorted(DEMO.glob("*.xlsx"))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path}/x.db")
    yield engine
    engine.dispose()


def test_every_demo_workbook_is_found() -> None:
    assert {p.name for p in WORKBOOKS} >= {"grade3-math.xlsx", "kindergarten-centres.xlsx",
                                           "grade5-cotaught-ela.xlsx", "hs-algebra-mirrors.xlsx",
                                           "middle-school-period.xlsx", "impossible-apart.xlsx"}


@pytest.mark.parametrize("workbook", WORKBOOKS, ids=lambda p: p.name)
def test_a_planning_workbook_goes_through_the_database_and_back_with_nothing_lost(
        workbook: Path, database: Engine, tmp_path: Path) -> None:
    school = read_planning_workbook(workbook)
    assert school.students and school.classes and school.stations

    save_school(database, school)
    stored = load_school(database)
    assert stored == school

    out = tmp_path / "out.xlsx"
    write_planning_workbook(stored, out)
    assert read_planning_workbook(out) == school


def test_a_plan_of_the_grade3_demo_is_kept_in_the_history(database: Engine) -> None:
    school = read_planning_workbook(DEMO / "grade3-math.xlsx")
    save_school(database, school)
    planning = build_instance(load_school(database))
    result = solve(planning.instance, Options(time_limit=10, seed=1))
    assert result.status in ("optimal", "feasible")
    assert result.plan is not None
    report = check(planning.instance, result.plan)
    assert report.ok, report.violations

    plan = to_plan(planning, result)
    assert {g.number for g in plan.groups} == {1, 2, 3, 4}
    assert sorted(s for g in plan.groups for s in g.members) == sorted(s.student_id for s in school.students)

    first = save_plan(database, plan, seed=1, label="Week 1")
    second = save_plan(database, plan, parent_id=first, label="Week 1, again")
    history = plan_history(database)
    assert [h.id for h in history] == [second, first]
    assert [h.parent_id for h in history] == [first, None]
    assert [h.label for h in history] == ["Week 1, again", "Week 1"]
    assert all(h.optimal == plan.optimal for h in history)
    assert all(h.created_at.utcoffset() == dt.timedelta(0) for h in history)
    assert load_plan(database, first) == plan
    assert load_plan(database, second) == plan
