"""Plan a week: groups for each class first, then one rotation for every class together
(classes share adults and device pools)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from solver import grouping, rotation
from solver.explain import core, data_checks
from solver.instance import Class, Instance, Options
from solver.model import Guards, costs, new_solver, spent
from solver.plan import ClassPlan, Conflict, Cost, Plan, Result

Groups = dict[str, dict[str, int]]


class Stop(Exception):
    """Planning ends early with this result (hard rules clash, or time ran out)."""

    def __init__(self, result: Result):
        self.result = result


def solve(instance: Instance, options: Options | None = None) -> Result:
    options = options or Options()
    clock = _Clock(options)
    conflicts = data_checks(instance)
    if conflicts:
        return Result("infeasible", conflicts=tuple(conflicts), seconds=clock.seconds())
    try:
        groups, grouping_costs, grouped_optimally = _groups(instance, clock)
        visits, staffing, rotation_costs, rotated_optimally = _rotation(instance, groups, clock)
    except Stop as stop:
        return stop.result
    plan = Plan({c: ClassPlan(groups[c], visits[c], staffing[c]) for c in groups})
    status = "optimal" if grouped_optimally and rotated_optimally else "feasible"
    return Result(status, plan, tuple(grouping_costs + rotation_costs), seconds=clock.seconds())


class _Clock:
    """The time limit shared by every solve of one plan."""

    def __init__(self, options: Options):
        self.options = options
        self.started = time.perf_counter()
        self.used = 0.0

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> Options:
        return replace(self.options, time_limit=max(0.1, self.options.time_limit - self.used))

    def spend(self, solver: cp_model.CpSolver) -> None:
        self.used += spent(solver, self.options)


def _run(model: cp_model.CpModel, clock: _Clock, explain: Callable[[], tuple[cp_model.CpModel, Guards]],
         after_grouping: bool = False, plan_first: bool = False) -> tuple[cp_model.CpSolver, bool]:
    """Solve; on a clash or a time-out stop with the matching result. Returns (solver, proven optimal).

    A plan with no regard to cost comes first as the hint when `plan_first` (classes sharing staff
    and devices: the search for the best plan can be slow to find any); otherwise it is the fallback,
    with a tenth of the time kept for it, so that a short time limit still ends with a plan.
    """
    status = cp_model.UNKNOWN
    if plan_first:
        anyhow, status = _any_plan(model, clock)
        if status != cp_model.INFEASIBLE:
            _hint(model, anyhow)
    if status != cp_model.INFEASIBLE:
        solver = new_solver(replace(clock.left(), time_limit=clock.left().time_limit * 0.9))
        status = solver.solve(model)
        clock.spend(solver)
    if status == cp_model.UNKNOWN:
        solver, found_any = _any_plan(model, clock)
        status = cp_model.FEASIBLE if found_any in (cp_model.OPTIMAL, cp_model.FEASIBLE) else found_any
    if status == cp_model.INFEASIBLE:
        found = core(explain, clock.left())
        if after_grouping:
            found = [Conflict(c.rules, "core_after_grouping", c.students, c.adults, c.stations, c.times, c.class_id)
                     for c in found]
        raise Stop(Result("infeasible", conflicts=tuple(found), seconds=clock.seconds()))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise Stop(Result("unknown", seconds=clock.seconds()))
    return solver, status == cp_model.OPTIMAL


def _any_plan(model: cp_model.CpModel, clock: _Clock) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """A plan with no regard to cost: the same variables, no objective."""
    search = model.clone()
    search.clear_objective()
    solver = new_solver(clock.left())
    status = solver.solve(search)
    clock.spend(solver)
    return solver, status


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.clear_hints()
    for i in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(i)
        model.add_hint(var, solver.value(var))


def _groups(instance: Instance, clock: _Clock) -> tuple[Groups, list[Cost], bool]:
    groups: Groups = {}
    breakdown: list[Cost] = []
    proven = True
    previous = instance.previous.groups if instance.previous else {}
    for cls in instance.classes:
        gm = grouping.build(cls, {s: g for (c, s), g in previous.items() if c == cls.id})

        def explain(c: Class = cls) -> tuple[cp_model.CpModel, Guards]:
            return _guarded(grouping.build(c, explaining=True))

        solver, optimal = _run(gm.model, clock, explain)
        proven &= optimal
        groups[cls.id] = gm.extract(solver)
        breakdown += costs(solver, gm.terms)
    return groups, breakdown, proven


def _rotation(instance: Instance, groups: Groups, clock: _Clock):
    rm = rotation.build(instance, groups)
    solver, proven = _run(rm.model, clock, lambda: _guarded(rotation.build(instance, groups, explaining=True)),
                          after_grouping=True, plan_first=len(instance.classes) > 1)
    found = rm.extract(solver)
    visits = {c: found[c][0] for c in groups}
    staffing = {c: found[c][1] for c in groups}
    return visits, staffing, costs(solver, rm.terms), proven


def _guarded(m) -> tuple[cp_model.CpModel, Guards]:
    return m.model, m.guards
