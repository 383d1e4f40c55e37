"""The independent plan checker: no solver, just the rules read straight off the plan.

Validates any plan, solver-made or edited by hand, against every hard rule, and recomputes its
cost rule by rule so the solver's own account can be compared with it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from solver.instance import Class, Instance, Slot
from solver.plan import ClassPlan, Cost, Plan
from solver.rules import by_need_targets, keep_group_weight, keep_visit_weight, weight
from solver.week import away_in, candidates, fillers, members, must_fit, present, ranked_by_need


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str
    class_id: str = ""


@dataclass(frozen=True)
class Report:
    violations: tuple[Violation, ...]
    costs: tuple[Cost, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    def cost_by_rule(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        for c in self.costs:
            total[c.rule] += c.cost
        return dict(total)


def check(instance: Instance, plan: Plan) -> Report:
    bad: list[Violation] = []
    costs: list[Cost] = []
    for cls in instance.classes:
        cp = plan.classes.get(cls.id)
        if cp is None:
            bad.append(Violation("one_group", "the plan has no groups for this class", cls.id))
            continue
        before = len(bad)
        bad += _grouping_violations(cls, cp)
        if len(bad) == before:  # the rotation is only meaningful over a sound grouping
            bad += _rotation_violations(instance, cls, cp)
            costs += _rotation_costs(instance, cls, cp)
        costs += _grouping_costs(instance, cls, cp)
    bad += _shared_violations(instance, plan)
    return Report(tuple(bad), tuple(costs))


# --- grouping -----------------------------------------------------------------------------------

def _grouping_violations(cls: Class, cp: ClassPlan) -> list[Violation]:
    v: list[Violation] = []
    ids = {s.id for s in cls.students}
    for s in sorted(ids - set(cp.groups)):
        v.append(Violation("one_group", f"student {s} is in no group", cls.id))
    for s, g in sorted(cp.groups.items()):
        if s not in ids:
            v.append(Violation("one_group", f"student {s} is not in this class", cls.id))
        elif not 1 <= g <= cls.groups:
            v.append(Violation("one_group", f"student {s} is in group {g}; the class has {cls.groups}", cls.id))
    sizes = Counter(cp.groups[s] for s in ids if s in cp.groups)
    for g in range(1, cls.groups + 1):
        if not cls.min_size <= sizes[g] <= cls.max_size:
            v.append(Violation("group_size", f"group {g} has {sizes[g]} students; "
                               f"sizes must be {cls.min_size}-{cls.max_size}", cls.id))
    for rule in cls.rules:
        placed = [s for s in rule.students if s in cp.groups]
        if rule.kind == "apart":
            for a, b in combinations(placed, 2):
                if cp.groups[a] == cp.groups[b]:
                    v.append(Violation("apart", f"{rule.label}: {a} and {b} are both in group {cp.groups[a]}",
                                       cls.id))
        elif rule.kind == "together" and len({cp.groups[s] for s in placed}) > 1:
            v.append(Violation("together", f"{rule.label}: {', '.join(placed)} are split", cls.id))
        elif rule.kind == "group":
            for s in placed:
                if cp.groups[s] != rule.group:
                    v.append(Violation("group", f"{rule.label}: {s} is in group {cp.groups[s]}", cls.id))
    for s, g in cls.student_locks.items():
        if s in cp.groups and cp.groups[s] != g:
            v.append(Violation("student_lock", f"{s} is locked in group {g} but is in {cp.groups[s]}", cls.id))
    for station, most in must_fit(cls).items():
        for g in range(1, cls.groups + 1):
            if sizes[g] > most:
                v.append(Violation("group_fits_station", f"group {g} ({sizes[g]}) does not fit "
                                   f"{station} ({most} seats)", cls.id))
    return v


def _grouping_costs(instance: Instance, cls: Class, cp: ClassPlan) -> list[Cost]:
    out: list[Cost] = []
    need = {s.id: s.need for s in cls.students}
    groups = range(1, cls.groups + 1)
    by_group = {g: [s for s in need if cp.groups.get(s) == g] for g in groups}
    if cls.grouping == "similar":
        for g, ids in by_group.items():
            if ids:
                out.append(Cost("need_spread", max(need[s] for s in ids) - min(need[s] for s in ids),
                                f"{cls.id} group {g}"))
    elif cls.grouping == "mixed":
        n, total = len(need), sum(need.values())
        for g, ids in by_group.items():
            out.append(Cost("mean_balance", abs(n * sum(need[s] for s in ids) - total * len(ids)),
                            f"{cls.id} group {g}"))
        for flag in sorted({f for s in cls.students for f in s.flags}):
            counts = [sum(1 for s in cls.students if flag in s.flags and cp.groups.get(s.id) == g) for g in groups]
            out.append(Cost("flag_balance", (max(counts) - min(counts)) * weight("flag_balance"), flag))
    else:
        for s in cls.students:
            best = max((s.skill_need.get(k, s.need) for k in cls.focus), default=s.need)
            sg = cp.groups.get(s.id)
            got = s.skill_need.get(cls.focus[(sg - 1) % len(cls.focus)], s.need) if cls.focus and sg else s.need
            out.append(Cost("skill_match", best - got, s.id))
    for rule in cls.rules:
        if rule.kind in ("prefer_apart", "prefer_together"):
            for a, b in combinations([s for s in rule.students if s in cp.groups], 2):
                same = cp.groups[a] == cp.groups[b]
                if same == (rule.kind == "prefer_apart"):
                    out.append(Cost(rule.kind, weight(rule.kind), f"{a}, {b}"))
    previous = instance.previous.groups if instance.previous else {}
    moved = [s for s in need if (cls.id, s) in previous and 1 <= previous[cls.id, s] <= cls.groups
             and cp.groups.get(s) != previous[cls.id, s]]
    out += [Cost("keep_group", keep_group_weight(cls), s) for s in moved]
    return [c for c in out if c.cost]


def _station_at(cp: ClassPlan, g: int, s: Slot) -> str | None:
    return cp.visits.get((g, s.day, s.index))


def _count(cls: Class, cp: ClassPlan, g: int, slots, original: str) -> int:
    names = {st.name for st in cls.stations if st.original == original}
    return sum(1 for s in slots if _station_at(cp, g, s) in names)


def _rotation_violations(instance: Instance, cls: Class, cp: ClassPlan) -> list[Violation]:
    v: list[Violation] = []
    names = {st.name for st in cls.stations}
    groups = range(1, cls.groups + 1)
    for g in groups:
        for s in cls.slots:
            at = _station_at(cp, g, s)
            if at is None:
                v.append(Violation("one_station", f"group {g} has no station {s.day} slot {s.index}", cls.id))
            elif at not in names:
                v.append(Violation("one_station", f"group {g} is at unknown station {at}", cls.id))
    for s in cls.slots:
        gone = away_in(cls, s)
        for st in cls.stations:
            here = [g for g in groups if _station_at(cp, g, s) == st.name]
            when = f"{s.day} slot {s.index}"
            if st.staffed and len(here) > 1:
                v.append(Violation("one_group_at_staffed", f"{st.name} has groups {here} at once {when}", cls.id))
            load = sum(1 for sid, g in cp.groups.items() if g in here and sid not in gone)
            if st.capacity is not None and load > st.capacity:
                v.append(Violation("seats", f"{st.name} holds {load} students {when}; it seats {st.capacity}",
                                   cls.id))
            if st.staffed and here:
                v += _staffing_violations(instance, cls, cp, s, st.name)
    for g in groups:
        for st in cls.stations:
            if st.mirror_of:
                continue
            if st.must_do:
                for day in cls.days:
                    if not _count(cls, cp, g, [s for s in cls.slots if s.day == day], st.name):
                        v.append(Violation("must_do", f"group {g} misses must-do {st.name} on {day}", cls.id))
            if st.visits is not None and (n := _count(cls, cp, g, cls.slots, st.name)) != st.visits:
                v.append(Violation("visits", f"group {g} visits {st.name} {n} times; it must {st.visits}", cls.id))
    for rule in cls.rules:
        if rule.kind == "needs" and rule.station:
            for sid in rule.students:
                if sid in cp.groups:
                    slots = [s for s in cls.slots if sid not in away_in(cls, s)]
                    n = _count(cls, cp, cp.groups[sid], slots, rule.station)
                    if n < (rule.count or 0):
                        v.append(Violation("needs", f"{rule.label}: {sid} is at {rule.station} {n} times, "
                                           f"needs {rule.count}", cls.id))
    for lock in cls.visit_locks:
        if cp.visits.get((lock.group, lock.day, lock.slot)) != lock.station:
            v.append(Violation("visit_lock", f"group {lock.group} is locked at {lock.station} "
                               f"{lock.day} slot {lock.slot}", cls.id))
    return v


def _staffing_violations(instance: Instance, cls: Class, cp: ClassPlan, s: Slot, station: str) -> list[Violation]:
    adults = cp.staffing.get((s.day, s.index, station), ())
    when = f"{s.day} slot {s.index}"
    if len(adults) != 1:
        return [Violation("adult_available", f"{station} needs one adult {when}; the plan has {len(adults)}", cls.id)]
    if adults[0] not in candidates(instance, cls, station, s):
        return [Violation("adult_available", f"{adults[0]} cannot work {station} {when}", cls.id)]
    return []


def _shared_violations(instance: Instance, plan: Plan) -> list[Violation]:
    """Adults and device pools are shared across classes: check them at every instant."""
    v: list[Violation] = []
    work: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    load: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    for cls in instance.classes:
        cp = plan.classes.get(cls.id)
        if cp is None:
            continue
        slot_of = {(s.day, s.index): s for s in cls.slots}
        for (day, k, station), adults in cp.staffing.items():
            slot = slot_of.get((day, k))
            if slot is None:
                continue  # not a slot of the class: the plan reader refuses those
            for a in adults:
                work[a].append((day, slot.start, slot.end, f"{cls.id} {station}"))
        for s in cls.slots:
            for g in range(1, cls.groups + 1):
                st_name = _station_at(cp, g, s)
                st = next((x for x in cls.stations if x.name == st_name), None)
                if st and st.pool:
                    load[st.pool].append((s.day, s.start, s.end, present(cls, cp.groups, g, s)))
    for adult, spans in work.items():
        for (d1, a1, b1, w1), (d2, a2, b2, w2) in combinations(spans, 2):
            if d1 == d2 and a1 < b2 and a2 < b1:
                v.append(Violation("adult_one_place", f"{adult} is at {w1} and {w2} on {d1}"))
    for pool in instance.pools:
        uses = load.get(pool.name, [])
        for day, start, _end, _n in uses:
            used = sum(n for d, a, b, n in uses if d == day and a <= start < b)
            if used > pool.count:
                v.append(Violation("devices", f"pool {pool.name}: {used} devices in use {day} at "
                                   f"{start // 60:02d}:{start % 60:02d}; it has {pool.count}"))
    return list(dict.fromkeys(v))


def _rotation_costs(instance: Instance, cls: Class, cp: ClassPlan) -> list[Cost]:
    out: list[Cost] = []
    groups = range(1, cls.groups + 1)
    teacher = {st.name for st in cls.stations if st.kind == "teacher"}
    for s in cls.slots:
        gone = away_in(cls, s)
        for g in groups:
            out_now = sorted(set(members(cp.groups, g)) & gone)
            if out_now and _station_at(cp, g, s) in teacher:
                out.append(Cost("away_at_teacher", len(out_now) * weight("away_at_teacher"), ", ".join(out_now),
                                f"{cls.id} {s.day} slot {s.index}"))
    ranked = ranked_by_need(cls, cp.groups)
    targets = by_need_targets(len(cls.days), cls.groups)
    for st in cls.stations:
        if st.by_need and not st.mirror_of:
            for g, target in zip(ranked, targets, strict=True):
                gap = abs(_count(cls, cp, g, cls.slots, st.name) - target)
                out.append(Cost("visits_by_need", gap * gap * weight("visits_by_need"), f"{cls.id} group {g}",
                                f"{target} a week"))
    for day in cls.days:
        day_slots = [s for s in cls.slots if s.day == day]
        for g in groups:
            for st in cls.stations:
                if not st.mirror_of:
                    extra = max(0, _count(cls, cp, g, day_slots, st.name) - 1)
                    out.append(Cost("repeat_in_day", extra * weight("repeat_in_day"), f"{cls.id} group {g}",
                                    f"{day} {st.name}"))
    fill = fillers(cls)
    if len(fill) >= 2:
        for g in groups:
            counts = [_count(cls, cp, g, cls.slots, name) for name in fill]
            out.append(Cost("filler_spread", (max(counts) - min(counts)) * weight("filler_spread"),
                            f"{cls.id} group {g}"))
    previous = instance.previous.visits if instance.previous else {}
    scale = keep_visit_weight(instance)
    for (c, g, day, k), station in previous.items():
        names = {st.name for st in cls.stations}
        if c == cls.id and station in names and g in groups and cp.visits.get((g, day, k)) != station:
            out.append(Cost("keep_visit", scale, f"{c} group {g}", f"{day} slot {k}"))
    return [c for c in out if c.cost]
