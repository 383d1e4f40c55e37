"""Planning a week, as the CLI and the desktop app both do it: the run policy and the whole pipeline, from a
school to a checked plan in its words. Qt-free, and it writes no file: the callers read and write workbooks.

The app runs `plan_week` in a worker thread with a `solver.watch.Watch` (progress, and a cancel its GUI
thread may call); the CLI runs it with none.
"""

from __future__ import annotations

from dataclasses import dataclass

import solver.solve
from rotation.domain.plan import Check, Leaver, Plan
from rotation.domain.school import School
from rotation.planning.changes import kept_names, with_week_changes
from rotation.planning.edits import Week, verdict
from rotation.planning.instance import build_instance
from rotation.planning.result import to_plan
from solver.check import Report, check
from solver.instance import Options
from solver.plan import Conflict, Result, Status
from solver.watch import Watch


def options_for(time_limit: float = 10.0, seed: int | None = None) -> Options:
    """The run policy: a seed gives the same plan on every run (one worker, the limit in deterministic time)."""
    # Without a seed both cores race (sooner on schools sharing staff); with one, a single worker is reproducible.
    seeded = seed is not None
    return Options(time_limit=time_limit, seed=seed or 0, workers=1 if seeded else 2, reproducible=seeded)


@dataclass(frozen=True)
class Planned:
    """A week planned: the plan in the school's words once the independent checker accepts it.

    - a plan: `plan` (with `changes` when planned from a previous plan), `report.ok`;
    - the hard rules cannot all hold: status INFEASIBLE, `conflicts` say why (none if cancelled first);
    - no plan within the time limit, or cancelled before one: `plan` and `report` are None;
    - the checker rejects the solver's plan (a planner bug): `plan` is None, `report` lists the violations.
    """

    result: Result  # the solver's own word: status, proof (rotation.planning.result.proof), conflicts
    plan: Plan | None = None
    report: Report | None = None  # the independent checker's verdict on the solver's plan, if there was one
    changes: tuple[Check, ...] = ()  # since the previous plan: who moved, left or is new (also in plan.checks)

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.result.conflicts

    @property
    def seconds(self) -> float:
        """The search's time."""
        return self.result.seconds

    @property
    def cancelled(self) -> bool:
        return self.result.cancelled

    @property
    def checked_ok(self) -> bool:
        """There is a plan, and the independent checker found it breaks no hard rule."""
        return self.plan is not None and self.report is not None and self.report.ok


def plan_week(school: School, *, previous: Plan | None = None, left: tuple[Leaver, ...] = (), regroup: bool = False,
              time_limit: float = 10.0, seed: int | None = None, watch: Watch | None = None) -> Planned:
    """Plan the school's week. `previous`: an earlier plan (perhaps edited) kept where the hard rules allow, with
    `left` its students no longer in their class; `regroup`: next week, groups from the latest mastery. The
    plan is checked by the independent checker before it is turned into the school's words."""
    planning = build_instance(school, previous, regroup=regroup)
    # Looked up at each call: tests stand in for a solver bug with a function in its place (tests/test_cli.py).
    result = solver.solve.solve(planning.instance, options_for(time_limit, seed), watch)
    if result.plan is None:
        return Planned(result)
    report = check(planning.instance, result.plan)
    if not report.ok:  # never a plan the independent checker rejects: it is the planner's bug, not the user's
        return Planned(result, report=report)
    plan = to_plan(planning, result, kept_names(previous) if previous else None)
    changes: list[Check] = []
    if previous is not None:
        plan, changes = with_week_changes(planning.names, previous, left, plan)
    return Planned(result, plan, report, tuple(changes))


def check_plan(school: School, plan: Plan) -> Report:
    """Whether a plan (perhaps edited by hand) meets every hard rule of the school, and its cost rule by rule."""
    return verdict(Week(school, plan))
