"""Every solver result in these tests goes through the independent checker."""

from __future__ import annotations

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
        # The solver's account of its cost agrees with the checker's, rule by rule.
        mine: dict[str, int] = {}
        for c in result.costs:
            mine[c.rule] = mine.get(c.rule, 0) + c.cost
        assert mine == report.cost_by_rule()
    return result


@pytest.fixture
def planned():
    return solve_checked
