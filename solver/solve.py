"""Plan a week: groups for each class first, then one rotation for every class together."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from solver import grouping, rotation
from solver.explain import core, data_checks
from solver.instance import Instance, Options
from solver.model import costs, new_solver
from solver.plan import ClassPlan, Conflict, Cost, Plan, Result


def solve(instance: Instance, options: Options | None = None) -> Result:
    options = options or Options()
    started = time.perf_counter()
    conflicts = data_checks(instance)
    if conflicts:
        return Result("infeasible", conflicts=tuple(conflicts), seconds=time.perf_counter() - started)
    breakdown: list[Cost] = []
    groups: dict[str, dict[str, int]] = {}
    proven = True
    for cls in instance.classes:
        previous = {s: g for (c, s), g in (instance.previous.groups if instance.previous else {}).items()
                    if c == cls.id}
        gm = grouping.build(cls, previous)
        solver = new_solver(_remaining(options, started))
        status = solver.solve(gm.model)
        if status == cp_model.INFEASIBLE:
            return _infeasible(lambda c=cls: _guarded(grouping.build(c, explaining=True)), options, started)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Result("unknown", seconds=time.perf_counter() - started)
        proven &= status == cp_model.OPTIMAL
        groups[cls.id] = gm.extract(solver)
        breakdown += costs(solver, gm.terms)
    rm = rotation.build(instance, groups)
    solver = new_solver(_remaining(options, started))
    status = solver.solve(rm.model)
    if status == cp_model.INFEASIBLE:
        return _infeasible(lambda: _guarded(rotation.build(instance, groups, explaining=True)), options, started,
                           after_grouping=True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result("unknown", seconds=time.perf_counter() - started)
    proven &= status == cp_model.OPTIMAL
    breakdown += costs(solver, rm.terms)
    found = rm.extract(solver)
    plan = Plan({c: ClassPlan(groups[c], found[c][0], found[c][1]) for c in groups})
    return Result("optimal" if proven else "feasible", plan, tuple(breakdown),
                  seconds=time.perf_counter() - started)


def _guarded(m):
    return m.model, m.guards


def _remaining(options: Options, started: float) -> Options:
    left = max(0.1, options.time_limit - (time.perf_counter() - started))
    return Options(time_limit=left, seed=options.seed, workers=options.workers)


def _infeasible(build, options: Options, started: float, after_grouping: bool = False) -> Result:
    found = core(build, _remaining(options, started))
    if after_grouping:
        found = [Conflict(c.rules, "core_after_grouping", c.students, c.adults, c.stations, c.times, c.class_id)
                 for c in found]
    return Result("infeasible", conflicts=tuple(found), seconds=time.perf_counter() - started)
