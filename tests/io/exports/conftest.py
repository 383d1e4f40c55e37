"""Demo schools planned once (seed 1) and checked by the independent checker, ready to export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.io.planning_workbook import read_planning_workbook
from rotation.planning.service import check_plan, plan_week

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


@dataclasses.dataclass(frozen=True)
class Planned:
    school: School
    plan: Plan


def planned_demo(name: str) -> Planned:
    school = read_planning_workbook(DEMO / f"{name}.xlsx")
    planned = plan_week(school, seed=1)
    assert planned.plan is not None
    assert check_plan(school, planned.plan).ok  # exports of a plan that breaks no hard rule
    return Planned(school, planned.plan)


@pytest.fixture(scope="session")
def grade3() -> Planned:
    """One class in Room 12, one teacher, rules with notes."""
    return planned_demo("grade3-math")


@pytest.fixture(scope="session")
def cotaught() -> Planned:
    """Two adults, IEP service minutes, students away for ESL (a rule note names a person), no room."""
    return planned_demo("grade5-cotaught-ela")


@pytest.fixture(scope="session")
def team() -> Planned:
    """Four classes sharing an interventionist who works in every class."""
    return planned_demo("grade3-team-shared-staff")
