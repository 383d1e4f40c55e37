"""Plan a week: groups for each class first, then one rotation for every class together
(classes share adults and device pools).

Grouping first is fast and almost always right. When the rotation has no plan for the groups formed,
that proves nothing about other groupings, so one joint model then chooses groups and rotation
together: its grouping is the best that has a rotation, or its infeasibility is the proof behind
"the hard rules cannot all hold".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from solver import grouping, rotation
from solver.explain import core, data_checks
from solver.grouping import GroupingModel
from solver.instance import REGROUP_TOLERANCE, Class, Instance, Options
from solver.model import Guards, costs, new_solver, objective, spent
from solver.plan import ClassPlan, Cost, Plan, Result, Status
from solver.watch import Phase, Watch, search
from solver.week import keep_group_weight

Groups = dict[str, dict[str, int]]
Visits = dict[tuple[str, int, str, int], str]  # (class, group, day, slot) -> station


class Stop(Exception):
    """Planning ends early with this result (hard rules clash, or time ran out)."""

    def __init__(self, result: Result):
        self.result = result


class NoRotation(Exception):
    """The rotation has no plan for the groups formed (not a proof: other groups may have one)."""


def solve(instance: Instance, options: Options | None = None, watch: Watch | None = None) -> Result:
    """The week's plan. `watch` hears of its progress and may cancel it from another thread: a plan then
    comes back (marked cancelled, its status saying what was proven) if the rotation already has one;
    otherwise the result is unknown, or infeasible with the conflicts found so far."""
    options = options or Options()
    clock = _Clock(options, watch)
    if clock.cancelled:
        return Result(Status.UNKNOWN, seconds=clock.seconds(), cancelled=True)
    conflicts = data_checks(instance)
    if conflicts:
        return Result(Status.INFEASIBLE, conflicts=tuple(conflicts), seconds=clock.seconds())
    try:
        budgets, best_proven = _regroup_budgets(instance, clock)
        groups, grouping_costs, grouped_optimally, within = _groups(instance, clock, budgets)
        try:
            visits, staffing, rotation_costs, rotated_optimally = _rotation(instance, groups, clock)
        except NoRotation:
            groups, grouping_costs, grouped_optimally, hint = _joint_fallback(instance, clock, budgets)
            within = 0
            visits, staffing, rotation_costs, rotated_optimally = _rotation(instance, groups, clock, hint)
    except Stop as stop:
        return stop.result
    plan = Plan({c: ClassPlan(groups[c], visits[c], staffing[c]) for c in groups})
    proven = grouped_optimally and rotated_optimally and best_proven
    status = Status.NEAR_OPTIMAL if proven and within else Status.OPTIMAL if proven else Status.FEASIBLE
    return Result(status, plan, tuple(grouping_costs + rotation_costs), seconds=clock.seconds(),
                  gap=within if proven else 0, cancelled=clock.cancelled)


def solve_joint(instance: Instance, options: Options | None = None) -> Result:
    """One model for groups and rotation together, every hard rule and the grouping costs: the ground
    truth the two stages answer to (a plan's rotation costs are left out)."""
    clock = _Clock(options or Options())
    try:
        groups, grouping_costs, optimal, hint = _joint_groups(instance, clock)
    except Stop as stop:
        return stop.result
    visits: dict[str, dict[tuple[int, str, int], str]] = {c: {} for c in groups}
    for (c, g, day, k), station in hint.items():
        visits[c][g, day, k] = station
    plan = Plan({c: ClassPlan(groups[c], visits[c]) for c in groups})
    return Result(Status.OPTIMAL if optimal else Status.FEASIBLE, plan, tuple(grouping_costs), seconds=clock.seconds())


class _Clock:
    """The time limit shared by every solve of one plan, and the watch over them: every solve runs through
    `solve`, every phase starts with `phase`."""

    def __init__(self, options: Options, watch: Watch | None = None):
        self.options = options
        self.watch = watch
        self.started = time.perf_counter()
        self.used = 0.0
        if watch is not None:
            watch.begin()

    @property
    def cancelled(self) -> bool:
        return self.watch is not None and self.watch.cancelled

    def phase(self, phase: Phase) -> None:
        """A phase starts, unless planning was cancelled: then it stops with no plan."""
        if self.cancelled:
            raise Stop(Result(Status.UNKNOWN, seconds=self.seconds(), cancelled=True))
        if self.watch is not None:
            self.watch.start(phase)

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
        status = search(solver, model, self.watch)
        self.spend(solver)
        return status

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def left(self, share: float = 1.0) -> Options:
        """The options for a solve given `share` of the time still left."""
        return replace(self.options, time_limit=max(0.1, self.options.time_limit - self.used) * share)

    def for_explaining(self) -> Options:
        """What is left of the limit, but at least a fifth of it: a proof found late still gets a short reason."""
        return replace(self.options, time_limit=max(self.left().time_limit, self.options.time_limit / 5))

    def spend(self, solver: cp_model.CpSolver) -> None:
        self.used += spent(solver, self.options)


def _run(model: cp_model.CpModel, clock: _Clock, explain: Callable[[], tuple[cp_model.CpModel, Guards]] | None,
         plan_first: bool = False, lb_search: bool = True, gap: int = 0, portfolio: bool = False,
         tight: bool = False) -> tuple[cp_model.CpSolver, bool]:
    """Solve; on a clash or a time-out stop with the matching result. Returns (solver, proven optimal, or
    proven within `gap` of it: see `_proven_gap`).

    A clash is explained with a core of named rules, or, with no `explain`, raised as NoRotation.
    A first plan (`_any_plan`) comes first as the hint when `plan_first` (classes sharing staff and
    devices: the search for the best plan can be slow to find any); otherwise it is the fallback, with a
    tenth of the time kept for it, so that a short time limit still ends with a plan. `tight`: classes share
    adults or devices, and the search is TIGHT_LP's.
    """
    status = first = cp_model.UNKNOWN
    if plan_first:
        anyhow, first = _any_plan(model, clock)
        status = first
        if status != cp_model.INFEASIBLE:
            _hint(model, anyhow)
    if status != cp_model.INFEASIBLE:
        solver = new_solver(clock.left(0.9), lb_search=lb_search, gap=gap, portfolio=portfolio, tight=tight)
        status = clock.solve(solver, model)
    if status == cp_model.UNKNOWN and clock.cancelled:  # stopped before it found a plan: the first plan, if any
        if first in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver, status = anyhow, first
    elif status == cp_model.UNKNOWN:
        solver, found_any = _any_plan(model, clock)
        status = cp_model.FEASIBLE if found_any in (cp_model.OPTIMAL, cp_model.FEASIBLE) else found_any
    if status == cp_model.INFEASIBLE:
        if explain is None:
            raise NoRotation
        found = []  # cancelled: the clash is proven, its explanation not begun
        if not clock.cancelled:
            clock.phase(Phase.EXPLAINING)
            found = core(explain, clock.for_explaining(), clock.watch)
        raise Stop(Result(Status.INFEASIBLE, conflicts=tuple(found), seconds=clock.seconds(),
                          cancelled=clock.cancelled))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise Stop(Result(Status.UNKNOWN, seconds=clock.seconds(), cancelled=clock.cancelled))
    return solver, status == cp_model.OPTIMAL


def _any_plan(model: cp_model.CpModel, clock: _Clock) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """A first plan: the first the search finds steered by the cost, in half the time left (with no regard to
    cost, every station a group may skip stays empty: a teacher idle all week); failing that, any plan at all,
    mended by the steered search in half the time then left."""
    # Without the lower-bound search: that search finds a plan only once it proves that plan the best.
    steered = new_solver(clock.left(0.5), lb_search=False)
    steered.parameters.stop_after_first_solution = True
    status = clock.solve(steered, model)
    if status != cp_model.UNKNOWN or clock.cancelled:
        return steered, status
    anyhow = model.clone()
    anyhow.clear_objective()
    solver = new_solver(clock.left())
    status = clock.solve(solver, anyhow)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or clock.cancelled:
        return solver, cp_model.FEASIBLE if status == cp_model.OPTIMAL else status
    # Tight shared staff can keep the steered search from any plan at all, yet from one it improves steadily.
    mended = model.clone()
    _hint(mended, solver)
    mending = new_solver(clock.left(0.5), lb_search=False)
    found = clock.solve(mending, mended)
    if found in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return mending, found
    return solver, cp_model.FEASIBLE


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.clear_hints()
    for i in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(i)
        model.add_hint(var, solver.value(var))


def _previous(instance: Instance, cls: Class) -> dict[str, int]:
    previous = instance.previous.groups if instance.previous else {}
    return {s: g for (c, s), g in previous.items() if c == cls.id}


def _proven_gap(solver: cp_model.CpSolver) -> int:
    """How much more the solution found may cost than the best possible (0: optimal), once the search proved it."""
    return round(solver.objective_value - solver.best_objective_bound)


def _explain_grouping(cls: Class) -> Callable[[], tuple[cp_model.CpModel, Guards]]:
    def explain() -> tuple[cp_model.CpModel, Guards]:
        explaining = grouping.build(cls, explaining=True)
        return explaining.model, explaining.guards
    return explain


def _solve_grouping(gm: GroupingModel, clock: _Clock, lb_search: bool = True) -> tuple[cp_model.CpSolver, bool]:
    # Balancing need (mixed) is number partitioning: the portfolio finds it sooner, and it may stop near the best.
    gap = grouping.tolerance(gm.cls)
    return _run(gm.model, clock, _explain_grouping(gm.cls), lb_search=lb_search, gap=gap, portfolio=gap > 0)


def _regroup_budgets(instance: Instance, clock: _Clock) -> tuple[dict[str, int], bool]:
    """Regrouping: per class, what its grouping may cost (the best fresh grouping's cost plus the tolerance),
    and whether every such best was proven."""
    budgets: dict[str, int] = {}
    proven = True
    if instance.previous is None or not instance.previous.regroup:
        return budgets, proven
    for cls in instance.classes:
        if _previous(instance, cls):
            clock.phase(Phase.GROUPING)
            solver, optimal = _solve_grouping(grouping.build(cls), clock)
            best = round(solver.objective_value)
            budgets[cls.id] = best + int(best * REGROUP_TOLERANCE)
            proven &= optimal
    return budgets, proven


def _groups(instance: Instance, clock: _Clock, budgets: Mapping[str, int]) -> tuple[Groups, list[Cost], bool, int]:
    """Each class on its own: a clash here is a proof, since grouping's rules are part of every plan's.
    Returns the groups, their costs, whether each class's grouping is proven, and the sum of the proven gaps."""
    groups: Groups = {}
    breakdown: list[Cost] = []
    proven = True
    within = 0
    for cls in instance.classes:
        clock.phase(Phase.GROUPING)
        budget = budgets.get(cls.id)
        gm = grouping.build(cls, _previous(instance, cls), budget=budget)
        solver, optimal = _solve_grouping(gm, clock, lb_search=budget is None)
        proven &= optimal
        within += _proven_gap(solver) if optimal else 0
        group_of, found = _numbered(gm, solver)
        groups[cls.id] = group_of
        breakdown += costs(solver, gm.terms, found)
    return groups, breakdown, proven, within


def _numbered(gm: GroupingModel, solver: cp_model.CpSolver) -> tuple[dict[str, int], dict[int, int]]:
    """The groups found, numbered as the plan shows them, and the numbering used."""
    found = gm.extract(solver)
    numbering = gm.numbering(found)
    return {s: numbering[g] for s, g in found.items()}, numbering


def _rotation(instance: Instance, groups: Groups, clock: _Clock, hint: Visits | None = None):
    clock.phase(Phase.ROTATION)
    rm = rotation.build(instance, groups)
    for (c, g, day, k), station in (hint or {}).items():
        rm.model.add_hint(rm.at[c, g, day, k, station], True)
    # After the joint model these groups are known to have a rotation: a clash then is explained, never retried.
    explain = (lambda: _guarded_rotation(instance, groups)) if hint is not None else None
    solver, proven = _run(rm.model, clock, explain, plan_first=len(instance.classes) > 1,
                          tight=rm.shared().across_classes())
    found = rm.extract(solver)
    visits = {c: found[c][0] for c in groups}
    staffing = {c: found[c][1] for c in groups}
    return visits, staffing, costs(solver, rm.terms), proven


def _guarded_rotation(instance: Instance, groups: Groups) -> tuple[cp_model.CpModel, Guards]:
    rm = rotation.build(instance, groups, explaining=True)
    return rm.model, rm.guards


def _joint(instance: Instance, explaining: bool = False, budgets: Mapping[str, int] | None = None
           ) -> tuple[Mapping[str, GroupingModel], rotation.RotationModel]:
    """Every class's grouping and the rotation in one model; the objective is the grouping costs."""
    model = cp_model.CpModel()
    guards = Guards(model, explaining)
    chosen = {cls.id: grouping.add(cls, model, guards, _previous(instance, cls), soft=not explaining,
                                   budget=(budgets or {}).get(cls.id)) for cls in instance.classes}
    rm = rotation.add(instance, model, guards, None, chosen, soft=False)
    if not explaining:
        model.minimize(objective([t for gm in chosen.values() for t in gm.terms]))
    return chosen, rm


def _joint_fallback(instance: Instance, clock: _Clock, budgets: Mapping[str, int]
                   ) -> tuple[Groups, list[Cost], bool, Visits]:
    """The joint model; when regrouping and no grouping near the best has a rotation, the best that has one."""
    try:
        return _joint_groups(instance, clock, budgets)
    except NoRotation:
        groups, breakdown, optimal, hint = _joint_groups(replace(instance, previous=None), clock)
        return groups, breakdown + _moves(instance, groups), optimal, hint


def _moves(instance: Instance, groups: Groups) -> list[Cost]:
    """What moving each student from last week's group costs (as the keep_group rule charges it)."""
    out = []
    for cls in instance.classes:
        scale = keep_group_weight(cls)
        out += [Cost("keep_group", scale, class_id=cls.id, students=(s,)) for s, g in _previous(instance, cls).items()
                if 1 <= g <= cls.groups and s in groups[cls.id] and groups[cls.id][s] != g]
    return out


def _joint_groups(instance: Instance, clock: _Clock, budgets: Mapping[str, int] | None = None
                  ) -> tuple[Groups, list[Cost], bool, Visits]:
    """The best grouping that has a rotation, with that rotation as a hint; or Stop with the proof.

    Within regrouping budgets a clash proves nothing about the rules (raised as NoRotation)."""
    clock.phase(Phase.JOINT)
    chosen, rm = _joint(instance, budgets=budgets)

    def explain() -> tuple[cp_model.CpModel, Guards]:
        _, guarded = _joint(instance, explaining=True)
        return guarded.model, guarded.guards

    solver, optimal = _run(rm.model, clock, None if budgets else explain, plan_first=True)
    groups: Groups = {}
    breakdown: list[Cost] = []
    numberings: dict[str, dict[int, int]] = {}
    for cid, gm in chosen.items():
        groups[cid], numberings[cid] = _numbered(gm, solver)
        breakdown += costs(solver, gm.terms, numberings[cid])
    found = rm.extract(solver)
    hint = {(c, numberings[c][g], day, k): station for c, (visits, _) in found.items()
            for (g, day, k), station in visits.items()}
    return groups, breakdown, optimal, hint
