"""The grade 3 demo planned once for the session: the week a teacher starts editing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.io.planning_workbook import read_planning_workbook
from rotation.planning.edits import Week
from rotation.planning.service import plan_week

GRADE3 = Path(__file__).resolve().parents[2] / "resources" / "demo" / "grade3-math.xlsx"


@pytest.fixture(scope="session")
def grade3() -> Week:
    """Class 3A: 28 students in 4 groups of 7 (balanced sizes), Teacher table (by need), Online and Practice game;
    S04 and S09 kept apart."""
    school = read_planning_workbook(GRADE3)
    planned = plan_week(school, seed=1)
    assert planned.checked_ok and planned.plan is not None  # the independent checker's word, not the solver's
    return Week(school, planned.plan)
