"""Solver results back into the school's words: a plan with neutral group names and its checks."""

from __future__ import annotations

import random
from collections.abc import Mapping

import solver.instance as si
from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.planning.details import Seen, detail
from rotation.planning.instance import Planning
from solver.plan import ClassPlan, Cost, Result, Status
from solver.plan import Plan as SolverPlan
from solver.week import away_in

# Neutral names students see; each class gets its own order, unrelated to need.
GROUP_NAMES = ("Otters", "Foxes", "Owls", "Dolphins", "Pandas", "Koalas", "Robins", "Bees",
               "Turtles", "Hawks", "Zebras", "Penguins", "Lynxes", "Herons", "Badgers", "Seals")


def group_names(class_id: str, groups: int) -> list[str]:
    names = list(GROUP_NAMES)
    random.Random(f"names:{class_id}").shuffle(names)
    return [names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}") for i in range(groups)]


def to_plan(planning: Planning, result: Result, kept_names: Mapping[tuple[str, int], str] | None = None) -> Plan:
    """The solver's plan in the school's words; `kept_names` (class, group) -> name from last week's plan."""
    assert result.plan is not None
    instance = planning.instance
    groups: list[PlannedGroup] = []
    visits: list[Visit] = []
    for cls in instance.classes:
        cp = result.plan.classes[cls.id]
        names = group_names(cls.id, cls.groups)
        need = planning.need[cls.id].need
        for g in range(1, cls.groups + 1):
            members = tuple(s.id for s in cls.students if cp.groups[s.id] == g)
            name = (kept_names or {}).get((cls.id, g), names[g - 1])
            groups.append(PlannedGroup(cls.id, g, name, members, tuple(need[m] for m in members)))
        for (g, day, k), station in sorted(cp.visits.items(), key=lambda kv: _order(cls, kv[0])):
            visits.append(Visit(cls.id, day, k, g, station, cp.staffing.get((day, k, station), ())))
    return Plan(tuple(groups), tuple(visits), tuple(checks(planning, result)), result.status == Status.OPTIMAL)


def _order(cls: si.Class, key: tuple[int, str, int]) -> tuple[int, int, int]:
    g, day, k = key
    return (cls.days.index(day), k, g)


def checks(planning: Planning, result: Result, unproven: str = "not proven optimal (time limit reached)"
           ) -> list[Check]:
    """The Checks sheet: soft rules not fully met, away overlaps, missing data, optimality (`unproven`: why
    the plan is not proven)."""
    assert result.plan is not None
    seen = Seen(planning, result.plan)
    out = [cost_check(c, seen) for c in result.costs]
    out += away_checks(planning.instance, result.plan)
    for class_id, cn in planning.need.items():
        out += [Check("no mastery data", "", sid, "", 0, f"{class_id}: no result on a focus skill; "
                      "given the class median need") for sid in cn.no_data]
    proven = proof(result, unproven)
    out.append(Check("optimality", "", "", "", sum(c.cost for c in result.costs), proven))
    return out


def proof(result: Result, unproven: str) -> str:
    """What the search proved of the plan's cost, in words; `unproven` when it proved nothing."""
    if result.status == Status.OPTIMAL:
        return "proven optimal"
    if result.status == Status.NEAR_OPTIMAL:
        return f"proven within {result.gap} of the best possible cost"
    return unproven


def cost_check(c: Cost, seen: Seen) -> Check:
    """A soft rule's line: its name, whom and when it touches, what it cost, and what that means in words."""
    return Check("soft rule", c.rule, who(c), when(c), c.cost, detail(c, seen))


def who(c: Cost) -> str:
    """The Checks line's `who`: the students, the flag, the class's group or station, or the class."""
    if c.students:
        return ", ".join(c.students)
    if c.flag:
        return c.flag
    if c.groups:
        return f"{c.class_id} group {c.groups[0]}"
    return f"{c.class_id} {c.station}" if c.station else c.class_id


def when(c: Cost) -> str:
    """The Checks line's `when`: the slot (with the class when `who` names only students), or what the rule is
    about besides: the day and station, the visits asked for, the group ahead of, the class a student moved in."""
    if c.rule == "keep_group":
        return c.class_id
    if c.rule == "repeat_in_day":
        return f"{c.day} {c.station}"
    if c.rule == "visits_by_need":
        return f"{c.asked} a week"
    if c.rule == "visits_in_need_order":
        return f"more than group {c.groups[1]}"
    if c.slot:
        return (f"{c.class_id} " if c.students else "") + f"{c.day} slot {c.slot}"
    return ""


def away_checks(instance: si.Instance, plan: SolverPlan) -> list[Check]:
    out = []
    for cls in instance.classes:
        cp: ClassPlan = plan.classes[cls.id]
        for s in cls.slots:
            for sid in sorted(away_in(cls, s)):
                g = cp.groups.get(sid)
                where = cp.visits.get((g, s.day, s.index), "?") if g is not None else "?"
                why = next(a.label for a in cls.away if a.student == sid and a.day == s.day
                           and a.start < s.end and s.start < a.end)
                out.append(Check("away", "away", sid, f"{cls.id} {s.day} slot {s.index}", 0,
                                 f"{why}; group {g} is at {where}"))
    return out


def to_solver_plan(planning: Planning, plan: Plan) -> SolverPlan:
    """A plan read from a workbook (perhaps hand-edited), in the checker's terms."""
    classes: dict[str, ClassPlan] = {}
    for cls in planning.instance.classes:
        groups = {s: g.number for g in plan.groups if g.class_id == cls.id for s in g.members}
        visits = {(v.group, v.day, v.slot): v.station for v in plan.visits if v.class_id == cls.id}
        staffing = {(v.day, v.slot, v.station): v.staff for v in plan.visits if v.class_id == cls.id and v.staff}
        classes[cls.id] = ClassPlan(groups, visits, staffing)
    return SolverPlan(classes)
