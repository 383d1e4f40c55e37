"""Watching the solver: listening changes no plan, and a cancel stops every kind of search it may land in."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.instance import Options
from solver.plan import Status
from solver.solve import solve
from solver.watch import Phase, Progress, Watch, search
from tests.bench.generator import school
from tests.solver.factory import sped_class


def test_a_listening_watch_leaves_a_seeded_plan_as_it_was(planned):
    # Two classes sharing staff have several best plans: a search steered any differently (another seed for the
    # searches a listener hears, say) ends at another.
    alone = planned(school(2), seed=7, time_limit=2)
    heard: list[Progress] = []
    watched = solve(school(2), Options(seed=7, time_limit=2), Watch(heard.append))
    assert watched.plan == alone.plan and watched.costs == alone.costs
    assert any(p.phase == Phase.ROTATION and p.cost is not None for p in heard)


def test_a_cancel_landing_as_a_solve_sets_up_still_stops_it():
    # The cancel comes after the watch knows of the solver but before CP-SAT has a search to stop.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    model.minimize(x)
    watch = Watch()

    class Late(cp_model.CpSolver):
        def solve(self, model, solution_callback=None):
            watch.cancel()
            return super().solve(model, solution_callback)

    assert search(Late(), model, watch) == cp_model.UNKNOWN  # unstopped, this is solved at once
    assert search(cp_model.CpSolver(), model, None) == cp_model.OPTIMAL


def test_a_cancel_while_the_clash_is_explained_says_impossible_without_reasons():
    # No grouping of this class has a rotation: the proof comes before the explanation, which is cut short.
    watch: Watch

    def cancel_on(phase: Phase):
        def heard(p: Progress) -> None:
            if p.phase == phase:
                watch.cancel()
        return heard

    watch = Watch(cancel_on(Phase.EXPLAINING))
    result = solve(sped_class(min_size=6), Options(time_limit=10), watch)
    assert (result.status, result.conflicts, result.cancelled) == (Status.INFEASIBLE, (), True)
    # Cancelled before the joint model proves it, nothing is proven.
    watch = Watch(cancel_on(Phase.JOINT))
    result = solve(sped_class(min_size=6), Options(time_limit=10), watch)
    assert (result.status, result.plan, result.cancelled) == (Status.UNKNOWN, None, True)
    # Uncancelled, a watch hears every phase start, and the reasons come.
    heard: list[Progress] = []
    result = solve(sped_class(min_size=6), Options(time_limit=10), Watch(heard.append))
    assert result.status == Status.INFEASIBLE and result.conflicts and not result.cancelled
    assert [p.phase for p in heard if p.cost is None] == [Phase.GROUPING, Phase.ROTATION, Phase.JOINT,
                                                          Phase.EXPLAINING]
