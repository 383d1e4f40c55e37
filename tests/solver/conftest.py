"""Every solver result in these tests goes through the independent checker."""

from __future__ import annotations

from collections import Counter

import pytest

from solver.check import check
from solver.instance import Instance, Options
from solver.plan import Result
from solver.solve import solve


def solve_checked(instance: Instance, **options) -> Result:
    result = solve(instance, Options(**options))
    if result.plan is not None:
        report = check(instance, result.plan)
        assert report.ok, report.violations
        # The solver's account of its cost agrees with the checker's, line by line: rule, cost and every field
        # of what each cost is about (the plan's Checks sheet makes its lines from them).
        assert Counter(result.costs) == Counter(report.costs)
        assert all(type(c.cost) is int for c in report.costs)  # whole numbers, as the Checks sheet shows them
    return result


@pytest.fixture
def planned():
    return solve_checked
