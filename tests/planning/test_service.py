"""The planning service the CLI and the app share: a checked plan, progress as it goes, and a cancel that ends
with the best plan so far. Every plan here is checked by the independent checker, not taken on the solver's word."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.io.planning_workbook import read_planning_workbook
from rotation.planning.instance import build_instance
from rotation.planning.result import to_solver_plan
from rotation.planning.service import Planned, check_plan, options_for, plan_week
from solver.check import check
from solver.plan import Status
from solver.watch import Phase, Progress, Watch

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


@pytest.fixture(scope="module")
def grade3() -> School:
    return read_planning_workbook(DEMO / "grade3-math.xlsx")


@pytest.fixture(scope="module")
def four_classes() -> School:
    """Four grade 3 classes sharing a cart and an interventionist: seconds to prove, so there is time to cancel."""
    return read_planning_workbook(DEMO / "grade3-team-shared-staff.xlsx")


def checked(school: School, plan: Plan | None) -> bool:
    """The plan as the teacher gets it (school's words) meets every hard rule, by the independent checker."""
    assert plan is not None
    planning = build_instance(school)
    return check(planning.instance, to_solver_plan(planning, plan)).ok


def first_rotation_plan(p: Progress) -> bool:
    return p.phase == Phase.ROTATION and p.cost is not None


@pytest.mark.parametrize("demo", ["grade3", "four_classes"])
def test_a_week_is_planned_checked_and_proven_with_its_progress_heard(demo: str, request: pytest.FixtureRequest):
    school = request.getfixturevalue(demo)
    heard: list[Progress] = []
    planned = plan_week(school, seed=1, watch=Watch(heard.append))
    assert planned.status == Status.OPTIMAL and not planned.cancelled
    assert checked(school, planned.plan) and planned.checked_ok and check_plan(school, planned.plan).ok
    assert planned.plan.optimal and planned.changes == () and planned.conflicts == ()
    # Each phase is heard as it starts, before it has any plan to show: each class's groups, then the rotation.
    starts = [p.phase for p in heard if p.cost is None]
    assert starts == [Phase.GROUPING] * len(school.classes) + [Phase.ROTATION]
    # Within the rotation, each report is a better plan than the one before: a progress bar never goes back.
    costs = [p.cost for p in heard if p.phase == Phase.ROTATION and p.cost is not None]
    assert costs and all(later < earlier for earlier, later in itertools.pairwise(costs))
    assert all(p.bound is None or p.bound <= p.cost for p in heard if p.cost is not None)


def test_a_cancel_at_the_first_rotation_plan_returns_that_plan_checked(four_classes: School):
    watch: Watch

    def heard(p: Progress) -> None:
        if first_rotation_plan(p):
            watch.cancel()

    watch = Watch(heard)
    planned = plan_week(four_classes, seed=1, watch=watch)
    assert planned.cancelled and planned.status == Status.FEASIBLE  # a plan, not proven the best
    assert checked(four_classes, planned.plan) and planned.checked_ok
    assert not planned.plan.optimal  # and its Checks sheet says so


def test_a_cancel_from_another_thread_ends_a_long_search_with_a_checked_plan(four_classes: School):
    # Seeded, the first rotation plan ends the first-plan search and the second comes from the search for the
    # best, which goes on for a second or so to prove it: the cancel lands in that running search.
    plans: list[int | None] = []
    found = threading.Event()

    def heard(p: Progress) -> None:
        if first_rotation_plan(p):
            plans.append(p.cost)
            if len(plans) == 2:
                found.set()

    watch = Watch(heard)
    out: list[Planned] = []
    worker = threading.Thread(target=lambda: out.append(plan_week(four_classes, time_limit=600, seed=1, watch=watch)))
    worker.start()
    assert found.wait(120), "no rotation plan heard"  # hang guards only: the search takes seconds
    watch.cancel()
    worker.join(120)
    assert not worker.is_alive(), "the cancelled search did not stop"
    (planned,) = out
    assert planned.cancelled and planned.status != Status.OPTIMAL
    assert checked(four_classes, planned.plan) and planned.checked_ok


def test_a_cancel_before_planning_starts_gives_no_plan_and_no_error(grade3: School):
    watch = Watch()
    watch.cancel()
    planned = plan_week(grade3, watch=watch)
    assert (planned.status, planned.plan, planned.report, planned.cancelled) == (Status.UNKNOWN, None, None, True)
    assert not planned.checked_ok


def test_a_seed_means_one_reproducible_worker_and_no_seed_both_cores():
    seeded = options_for(5.0, seed=3)
    assert (seeded.time_limit, seeded.seed, seeded.workers, seeded.reproducible) == (5.0, 3, 1, True)
    racing = options_for()
    assert (racing.time_limit, racing.workers, racing.reproducible) == (10.0, 2, False)
