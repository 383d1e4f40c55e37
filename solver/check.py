"""The independent plan checker: no solver, just the rules read straight off the plan.

Validates any plan, solver-made or edited by hand, against every hard rule, and recomputes its
cost rule by rule so the solver's own account can be compared with it. It shares the data classes
and the rules table's weights with the model, and nothing that decides: who is away, who may staff
a station, which stations fill, what a group must fit, how groups rank by need and what a moved
student costs are all worked out here again, in this file's own way, so a bug in one is caught by
the other. Each rule of the table is checked by its own function, found by its name in `CHECKS` (a hard
rule: what the plan breaks of it) or `COSTS` (a soft rule: what the plan costs on it), and `check` runs
them in the table's order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, replace
from functools import cached_property
from itertools import combinations
from statistics import fmean

from solver.instance import NEED_SCALE, Adult, Class, Instance, Slot, Station, StudentRule
from solver.plan import ClassPlan, Cost, Plan
from solver.rules import RULES, bound, weight


@dataclass(frozen=True)
class Violation:
    """One hard rule the plan breaks, as data: who, where, when and the numbers (the words are the UI's:
    rotation.planning.messages.violation_words). A field the violation does not involve stays empty."""

    rule: str  # its name in solver.rules
    _: KW_ONLY
    reason: str = ""  # which way it breaks, for a rule that can break in more than one: "" or e.g. "too_big"
    class_id: str = ""  # "" for adults and device pools, shared across classes
    label: str = ""  # the workbook's rule broken (apart, together, group, needs)
    students: tuple[str, ...] = ()
    adults: tuple[str, ...] = ()
    stations: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # beside `stations`: the class of each, when they are of several classes
    groups: tuple[int, ...] = ()
    day: str = ""
    slot: int | None = None
    time: int | None = None  # minutes since midnight, for what is counted minute by minute across classes
    pool: str = ""
    asked: int | None = None  # what the rule asks: a bound, a count, a group
    have: int | None = None  # what the plan (or the class) has


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
    """Every rule of solver/rules.py in its order, each by its check in CHECKS (hard) or COSTS (soft). A class's
    rotation is checked, and costed, only once its groups hold: the rotation means nothing over broken groups."""
    in_the_room = Plan({c: _in_the_room(cls, cp) for cls in instance.classes
                        if (cp := plan.classes.get(c := cls.id)) is not None})
    w = _Week(instance, in_the_room, _shared(instance, in_the_room))
    bad = _hard_rules(w, "grouping")
    broken = {v.class_id for v in bad}
    w = replace(w, sound=tuple((cls, cp) for cls, cp in w.planned() if cls.id not in broken))
    bad += _hard_rules(w, "rotation")
    costs = [c for rule in RULES if not rule.hard for c in COSTS[rule.name](w) if c.cost]
    return Report(tuple(bad), tuple(costs))


def _hard_rules(w: _Week, stage: str) -> list[Violation]:
    return [v for rule in RULES if rule.stage == stage and rule.hard for v in CHECKS[rule.name](w)]


@dataclass(frozen=True)
class _Use:
    """An adult's work or a pool's devices in use over one slot of one class's station."""

    day: str
    start: int
    end: int
    where: tuple[str, int, str]  # class, slot, station
    amount: int  # 1 for an adult; the students of the group for devices

    def at(self, day: str, minute: int) -> bool:
        return self.day == day and self.start <= minute < self.end


@dataclass(frozen=True)
class _Shared:
    work: dict[str, list[_Use]]  # adult -> their work
    devices: dict[str, list[_Use]]  # pool -> its devices in use


@dataclass(frozen=True)
class _NeedStation:
    """A class's `by need` station (its original) as its rules read it, worked out once per check."""

    cls: Class
    cp: ClassPlan
    station: str
    open_slots: list[tuple[str, Slot]]  # (copy, slot) where it could take a group
    ranked: list[int]  # the groups, most support first
    visits: dict[int, int]  # group -> its visits in the week


@dataclass(frozen=True)
class _Week:
    """What every check reads: the school, its plan (visits of groups in the room only), what is shared."""

    instance: Instance
    plan: Plan
    shared: _Shared
    sound: tuple[tuple[Class, ClassPlan], ...] = ()  # the classes whose groups hold: their rotation is checked

    def planned(self) -> list[tuple[Class, ClassPlan]]:
        return [(cls, cp) for cls in self.instance.classes if (cp := self.plan.classes.get(cls.id)) is not None]

    @cached_property
    def by_need(self) -> list[_NeedStation]:
        """Each sound class's `by need` stations: three rules read the same open slots, ranking and visits."""
        out = []
        for cls, cp in self.sound:
            for st in cls.stations:
                if st.by_need and not st.mirror_of:
                    ranked = _ranked(cls, cp)
                    out.append(_NeedStation(cls, cp, st.name, _open_for_need(self.instance, cls, cp, st.name), ranked,
                                            {g: _count(cls, cp, g, cls.slots, st.name) for g in ranked}))
        return out


def _in_the_room(cls: Class, cp: ClassPlan) -> ClassPlan:
    """The plan without visits of a group none of whose students is in the room then: such a group is
    nowhere (a plan read back from a workbook cannot even say where), so its visit counts for nothing."""
    slots = {(s.day, s.index): s for s in cls.slots}
    kept = {key: st for key, st in cp.visits.items()
            if (slot := slots.get(key[1:])) is None or _in_room(cls, cp, key[0], slot)}
    return ClassPlan(cp.groups, kept, cp.staffing)


# --- the checker's own reading of the week --------------------------------------------------------

def _away(cls: Class, slot: Slot) -> set[str]:
    """Students out in the slot: any minute of a pull-out inside it."""
    return {a.student for a in cls.away
            if a.day == slot.day and max(a.start, slot.start) < min(a.end, slot.end)}


def _away_whole_day(cls: Class, day: str) -> set[str]:
    students = {a.student for a in cls.away}
    return {s for s in students if all(s in _away(cls, slot) for slot in cls.slots if slot.day == day)}


def _in_room(cls: Class, cp: ClassPlan, group: int, slot: Slot) -> int:
    gone = _away(cls, slot)
    return sum(1 for s, g in cp.groups.items() if g == group and s not in gone)


def _covered(adult: Adult, day: str, start: int, end: int) -> bool:
    """Every minute of [start, end) lies in one of the adult's windows that day (None: always free)."""
    if adult.available is None:
        return True
    windows = [w for w in adult.available if w.day == day]
    return all(any(w.start <= minute < w.end for w in windows) for minute in range(start, end))


def _leads_then(instance: Instance, adult: Adult, cls: Class, slot: Slot) -> bool:
    """Leading another class of their own whose block that day overlaps the slot."""
    for other in instance.classes:
        day = [s for s in other.slots if s.day == slot.day]
        if other.id != cls.id and other.id in adult.teaches and day and \
                min(s.start for s in day) < slot.end and slot.start < max(s.end for s in day):
            return True
    return False


def _may_staff(instance: Instance, cls: Class, station: str, slot: Slot, adult_id: str) -> bool:
    st = next(s for s in cls.stations if s.name == station)
    adult = next((a for a in instance.adults if a.id == adult_id), None)
    if st.staff is not None:
        if adult_id != st.staff:
            return False
        if adult is None:  # a class teacher absent from Staff is always there
            return True
    elif adult is None or adult.role != st.role:
        return False
    assert adult is not None
    return _covered(adult, slot.day, slot.start, slot.end) and not _leads_then(instance, adult, cls, slot)


def _smallest(cls: Class, cp: ClassPlan, slot: Slot) -> int:
    """The fewest students of a group in the room: what a station must hold to take any group."""
    return min((n for g in range(1, cls.groups + 1) if (n := _in_room(cls, cp, g, slot))), default=0)


def _copies(cls: Class, original: str) -> set[str]:
    return {st.name for st in cls.stations if (st.mirror_of or st.name) == original}


def _count(cls: Class, cp: ClassPlan, g: int, slots, original: str) -> int:
    names = _copies(cls, original)
    return sum(1 for s in slots if cp.visits.get((g, s.day, s.index)) in names)


def _fit(cls: Class) -> dict[str, int]:
    """Every group visits these stations, so it must fit the roomiest copy of each (if all have a limit)."""
    out = {}
    for st in cls.stations:
        if not st.mirror_of and (st.must_do or st.visits or st.by_need):
            seats = [c.capacity for c in cls.stations if c.name in _copies(cls, st.name)]
            if all(n is not None for n in seats):
                out[st.name] = max(n for n in seats if n is not None)
    return out


def _ranked(cls: Class, cp: ClassPlan) -> list[int]:
    """Groups from most to least support: by their members' mean need, then by number."""
    need = {s.id: s.need for s in cls.students}
    means = {g: fmean([need[s] for s, k in cp.groups.items() if k == g and s in need] or [0])
             for g in range(1, cls.groups + 1)}
    return sorted(means, key=lambda g: (-means[g], g))


def _targets(days: int, groups: int, open_slots: int) -> list[int]:
    """Weekly visits at a `by need` station, neediest group first: every day for the first, twice a week for the
    last, evenly between (rounded half up); then the slots it is open beyond those, one each, neediest first."""
    if groups == 1:
        out = [days]
    else:
        last = min(days, 2)
        step = (days - last) / (groups - 1)
        out = [int(days - step * rank + 0.5) for rank in range(groups)]
    for turn in range(open_slots - sum(out)):
        out[turn % groups] += 1
    return out


def _staffers(instance: Instance, cls: Class, station: str, slot: Slot) -> list[str]:
    """The adults who could work the (staffed) station in the slot."""
    st = next(s for s in cls.stations if s.name == station)
    ids = [st.staff] if st.staff is not None else [a.id for a in instance.adults if a.role == st.role]
    return [a for a in ids if _may_staff(instance, cls, station, slot, a)]


def _staffable(instance: Instance, cls: Class, station: str, slot: Slot) -> bool:
    return bool(_staffers(instance, cls, station, slot))


def _open_for_need(instance: Instance, cls: Class, cp: ClassPlan, original: str) -> list[tuple[str, Slot]]:
    """Each copy of a `by need` station and slot where an adult could work it and a group is in the room."""
    return [(name, s) for name in sorted(_copies(cls, original)) for s in cls.slots
            if _staffable(instance, cls, name, s) and any(_in_room(cls, cp, g, s) for g in range(1, cls.groups + 1))]


def _could_take(instance: Instance, cls: Class, cp: ClassPlan, station: str, slot: Slot) -> bool:
    """A station that a crowded group could have gone to: no set number of visits, an adult free if it needs one,
    seats and devices for the smallest group in the room."""
    st = next(s for s in cls.stations if s.name == station)
    original = next(s for s in cls.stations if s.name == (st.mirror_of or st.name))
    if original.visits is not None:
        return False
    if (st.staff is not None or st.role is not None) and not _staffable(instance, cls, station, slot):
        return False
    smallest = _smallest(cls, cp, slot)
    if st.capacity is not None and st.capacity < smallest:
        return False
    return all(p.count >= smallest for p in instance.pools if p.name == st.pool)


def _keep_group_scale(cls: Class) -> int:
    """One more than all other grouping costs of the class could ever add up to."""
    n, g = len(cls.students), cls.groups
    if cls.grouping == "similar":
        most = NEED_SCALE * g  # each group's spread is at most the whole need scale
    elif cls.grouping == "mixed":
        flags = {f for s in cls.students for f in s.flags}
        most = NEED_SCALE * n * n * g + weight("flag_balance") * n * len(flags)
    else:
        most = NEED_SCALE * n  # each student at most the whole scale from their best group
    most += weight("no_data_spread") * sum(s.no_data for s in cls.students)
    for rule in cls.rules:
        if rule.kind in ("prefer_apart", "prefer_together"):
            k = len(rule.students)
            most += weight(rule.kind) * k * (k - 1) // 2
    return most + 1


def _keep_visit_scale(instance: Instance) -> int:
    """One more than all other rotation costs of the school could ever add up to."""
    most = 0
    for cls in instance.classes:
        slots = len(cls.slots)
        teacher_tables = sum(st.by_need for st in cls.stations)
        copies = sum(1 for st in cls.stations for o in cls.stations if o.by_need and st.original == o.name)
        largest = slots * (len(cls.stations) + 1)  # a visit target: the days plus every copy's slots, at most
        most += weight("away_at_teacher") * slots * len(cls.students)
        most += weight("teacher_idle") * slots * copies
        most += weight("visits_by_need") * teacher_tables * cls.groups * largest * largest
        most += weight("visits_in_need_order") * teacher_tables * slots * cls.groups * (cls.groups - 1) // 2
        most += weight("station_balance") * slots * cls.groups
        most += weight("repeat_in_day") * slots * cls.groups * len(cls.stations)
        most += weight("filler_spread") * slots * cls.groups
    return most + 1


# --- grouping, hard: over every class with a plan --------------------------------------------------

def _one_group(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls in w.instance.classes:
        cp = w.plan.classes.get(cls.id)
        if cp is None:
            v.append(Violation("one_group", reason="no_plan", class_id=cls.id))
            continue
        ids = {s.id for s in cls.students}
        for s in sorted(ids - set(cp.groups)):
            v.append(Violation("one_group", reason="no_group", class_id=cls.id, students=(s,)))
        for s, g in sorted(cp.groups.items()):
            if s not in ids:
                v.append(Violation("one_group", reason="stranger", class_id=cls.id, students=(s,)))
            elif not 1 <= g <= cls.groups:
                v.append(Violation("one_group", reason="no_such_group", class_id=cls.id, students=(s,), groups=(g,),
                                   have=cls.groups))
    return v


def _sizes(cls: Class, cp: ClassPlan) -> Counter[int]:
    return Counter(cp.groups[s.id] for s in cls.students if s.id in cp.groups)


def _group_size(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls, cp in w.planned():
        sizes = _sizes(cls, cp)
        for g in range(1, cls.groups + 1):
            if sizes[g] > cls.max_size:
                v.append(Violation("group_size", reason="too_big", class_id=cls.id, groups=(g,), asked=cls.max_size,
                                   have=sizes[g]))
            elif sizes[g] < cls.min_size:
                v.append(Violation("group_size", reason="too_small", class_id=cls.id, groups=(g,),
                                   asked=cls.min_size, have=sizes[g]))
    return v


def _placed(w: _Week, kind: str) -> list[tuple[Class, ClassPlan, StudentRule, list[str]]]:
    """Each workbook rule of the kind, with those of its students the plan groups."""
    return [(cls, cp, rule, [s for s in rule.students if s in cp.groups])
            for cls, cp in w.planned() for rule in cls.rules if rule.kind == kind]


def _apart(w: _Week) -> list[Violation]:
    return [Violation("apart", class_id=cls.id, label=rule.label, students=(a, b), groups=(cp.groups[a],))
            for cls, cp, rule, placed in _placed(w, "apart")
            for a, b in combinations(placed, 2) if cp.groups[a] == cp.groups[b]]


def _together(w: _Week) -> list[Violation]:
    return [Violation("together", class_id=cls.id, label=rule.label, students=tuple(placed))
            for cls, cp, rule, placed in _placed(w, "together") if len({cp.groups[s] for s in placed}) > 1]


def _group(w: _Week) -> list[Violation]:
    return [Violation("group", class_id=cls.id, label=rule.label, students=(s,), groups=(cp.groups[s],),
                      asked=rule.group)
            for cls, cp, rule, placed in _placed(w, "group") for s in placed if cp.groups[s] != rule.group]


def _student_lock(w: _Week) -> list[Violation]:
    return [Violation("student_lock", class_id=cls.id, students=(s,), groups=(cp.groups[s],), asked=g)
            for cls, cp in w.planned() for s, g in cls.student_locks.items() if s in cp.groups and cp.groups[s] != g]


def _group_fits_station(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls, cp in w.planned():
        sizes = _sizes(cls, cp)
        for station, most in _fit(cls).items():
            for g in range(1, cls.groups + 1):
                if sizes[g] > most:
                    v.append(Violation("group_fits_station", class_id=cls.id, stations=(station,), groups=(g,),
                                       asked=most, have=sizes[g]))
    return v


# --- grouping, soft: over every class with a plan -------------------------------------------------

def _by_group(cls: Class, cp: ClassPlan) -> dict[int, list[str]]:
    return {g: [s.id for s in cls.students if cp.groups.get(s.id) == g] for g in range(1, cls.groups + 1)}


def _need_spread(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.planned():
        if cls.grouping == "similar":
            need = {s.id: s.need for s in cls.students if not s.no_data}
            for g, ids in _by_group(cls, cp).items():
                spread = [need[s] for s in ids if s in need]
                if spread:
                    out.append(Cost("need_spread", max(spread) - min(spread), class_id=cls.id, groups=(g,)))
    return out


def _mean_balance(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.planned():
        if cls.grouping == "mixed":
            need = {s.id: s.need for s in cls.students}
            n, total = len(need), sum(need.values())
            for g, ids in _by_group(cls, cp).items():
                out.append(Cost("mean_balance", abs(n * sum(need[s] for s in ids) - total * len(ids)),
                                class_id=cls.id, groups=(g,)))
    return out


def _flag_balance(w: _Week) -> list[Cost]:
    return [_imbalance("flag_balance", [s.id for s in cls.students if flag in s.flags], cls, cp, flag)
            for cls, cp in w.planned() if cls.grouping == "mixed"
            for flag in sorted({f for s in cls.students for f in s.flags})]


def _no_data_spread(w: _Week) -> list[Cost]:
    return [_imbalance("no_data_spread", unknown, cls, cp) for cls, cp in w.planned()
            if len(unknown := [s.id for s in cls.students if s.no_data]) > 1]


def _skill_match(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.planned():
        if cls.grouping not in ("similar", "mixed"):
            for s in cls.students:
                best = max((s.skill_need.get(k, s.need) for k in cls.focus), default=s.need)
                sg = cp.groups.get(s.id)
                got = s.skill_need.get(cls.focus[(sg - 1) % len(cls.focus)], s.need) if cls.focus and sg else s.need
                out.append(Cost("skill_match", best - got, class_id=cls.id, students=(s.id,)))
    return out


def _preferred(kind: str) -> Callable[[_Week], list[Cost]]:
    """prefer_apart or prefer_together: each pair of the rule's students grouped the way it would rather not."""
    def costs(w: _Week) -> list[Cost]:
        return [Cost(kind, weight(kind), class_id=cls.id, students=(a, b))
                for cls, cp, _, placed in _placed(w, kind) for a, b in combinations(placed, 2)
                if (cp.groups[a] == cp.groups[b]) == (kind == "prefer_apart")]
    return costs


def _keep_group(w: _Week) -> list[Cost]:
    previous = w.instance.previous.groups if w.instance.previous else {}
    return [Cost("keep_group", _keep_group_scale(cls), class_id=cls.id, students=(s.id,))
            for cls, cp in w.planned() for s in cls.students
            if (cls.id, s.id) in previous and 1 <= previous[cls.id, s.id] <= cls.groups
            and cp.groups.get(s.id) != previous[cls.id, s.id]]


def _imbalance(rule: str, ids: list[str], cls: Class, cp: ClassPlan, flag: str = "") -> Cost:
    counts = Counter(cp.groups.get(s) for s in ids)
    per_group = [counts[g] for g in range(1, cls.groups + 1)]
    return Cost(rule, (max(per_group) - min(per_group)) * weight(rule), class_id=cls.id, flag=flag)


# --- rotation, hard: over every class whose groups hold, or the school's shared adults and devices ----

def _one_station(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls, cp in w.sound:
        names = {st.name for st in cls.stations}
        for g in range(1, cls.groups + 1):
            for s in cls.slots:
                at = cp.visits.get((g, s.day, s.index))
                if at is None:
                    if _in_room(cls, cp, g, s):
                        v.append(Violation("one_station", reason="no_station", class_id=cls.id, groups=(g,),
                                           day=s.day, slot=s.index))
                elif at not in names:
                    v.append(Violation("one_station", reason="unknown_station", class_id=cls.id, groups=(g,),
                                       stations=(at,)))
    return v


def _at_stations(w: _Week) -> list[tuple[Class, ClassPlan, Slot, Station, list[int]]]:
    """Each class's slot and station, with the groups there."""
    return [(cls, cp, s, st, [g for g in range(1, cls.groups + 1) if cp.visits.get((g, s.day, s.index)) == st.name])
            for cls, cp in w.sound for s in cls.slots for st in cls.stations]


def _staffed(st: Station) -> bool:
    return st.staff is not None or st.role is not None


def _one_group_at_staffed(w: _Week) -> list[Violation]:
    return [Violation("one_group_at_staffed", class_id=cls.id, stations=(st.name,), groups=tuple(here), day=s.day,
                      slot=s.index)
            for cls, _, s, st, here in _at_stations(w) if _staffed(st) and len(here) > 1]


def _must_do(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls, cp in w.sound:
        for g in range(1, cls.groups + 1):
            for st in cls.stations:
                if st.must_do and not st.mirror_of:
                    for day in cls.days:
                        day_slots = [s for s in cls.slots if s.day == day]
                        in_class = any(_in_room(cls, cp, g, s) for s in day_slots)
                        if in_class and not _count(cls, cp, g, day_slots, st.name):
                            v.append(Violation("must_do", class_id=cls.id, stations=(st.name,), groups=(g,),
                                               day=day))
    return v


def _visits(w: _Week) -> list[Violation]:
    return [Violation("visits", class_id=cls.id, stations=(st.name,), groups=(g,), asked=st.visits, have=n)
            for cls, cp in w.sound for g in range(1, cls.groups + 1) for st in cls.stations
            if not st.mirror_of and st.visits is not None
            and (n := _count(cls, cp, g, cls.slots, st.name)) != st.visits]


def _needs(w: _Week) -> list[Violation]:
    v: list[Violation] = []
    for cls, cp in w.sound:
        for rule in cls.rules:
            if rule.kind == "needs" and rule.station:
                for sid in rule.students:
                    if sid in cp.groups:
                        slots = [s for s in cls.slots if sid not in _away(cls, s)]
                        n = _count(cls, cp, cp.groups[sid], slots, rule.station)
                        if n < (rule.count or 0):
                            v.append(Violation("needs", class_id=cls.id, label=rule.label, students=(sid,),
                                               stations=(rule.station,), asked=rule.count, have=n))
    return v


def _seats(w: _Week) -> list[Violation]:
    return [Violation("seats", class_id=cls.id, stations=(st.name,), day=s.day, slot=s.index, asked=st.capacity,
                      have=load)
            for cls, cp, s, st, here in _at_stations(w)
            if st.capacity is not None and (load := sum(_in_room(cls, cp, g, s) for g in here)) > st.capacity]


def _devices(w: _Week) -> list[Violation]:
    """Device pools are shared across classes: checked at every instant."""
    v: list[Violation] = []
    for pool in w.instance.pools:
        uses = w.shared.devices.get(pool.name, [])
        for u in uses:
            used = sum(other.amount for other in uses if other.at(u.day, u.start))
            if used > pool.count:
                v.append(Violation("devices", pool=pool.name, day=u.day, time=u.start, asked=pool.count, have=used))
    return list(dict.fromkeys(v))


def _adult_available(w: _Week) -> list[Violation]:
    return [v for cls, cp, s, st, here in _at_stations(w) if _staffed(st) and here
            for v in _staffing_violations(w.instance, cls, cp, s, st.name)]


def _staffing_violations(instance: Instance, cls: Class, cp: ClassPlan, s: Slot, station: str) -> list[Violation]:
    adults = tuple(cp.staffing.get((s.day, s.index, station), ()))
    here = Violation("adult_available", class_id=cls.id, stations=(station,), day=s.day, slot=s.index)
    if len(adults) != 1:
        return [replace(here, reason="one_adult", asked=1, have=len(adults))]
    if not _may_staff(instance, cls, station, s, adults[0]):
        return [replace(here, reason="cannot_work", adults=adults)]
    return []


def _adult_one_place(w: _Week) -> list[Violation]:
    """Adults are shared across classes: no two of their slots overlap."""
    return list(dict.fromkeys(
        Violation("adult_one_place", adults=(adult,), classes=(u1.where[0], u2.where[0]),
                  stations=(u1.where[2], u2.where[2]), day=u1.day)
        for adult, uses in w.shared.work.items() for u1, u2 in combinations(uses, 2)
        if u1.day == u2.day and u1.start < u2.end and u2.start < u1.end))


def _visit_lock(w: _Week) -> list[Violation]:
    return [Violation("visit_lock", class_id=cls.id, stations=(lock.station,), groups=(lock.group,), day=lock.day,
                      slot=lock.slot)
            for cls, cp in w.sound for lock in cls.visit_locks
            if cp.visits.get((lock.group, lock.day, lock.slot)) != lock.station]


def _shared(instance: Instance, plan: Plan) -> _Shared:
    """What each adult works and each device pool holds, slot by slot, across every class of the plan."""
    work: dict[str, list[_Use]] = defaultdict(list)
    devices: dict[str, list[_Use]] = defaultdict(list)
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
                work[a].append(_Use(day, slot.start, slot.end, (cls.id, k, station), 1))
        pools = {st.name: st.pool for st in cls.stations if st.pool}
        for (g, day, k), station in cp.visits.items():
            slot = slot_of.get((day, k))
            if slot is not None and station in pools:
                devices[pools[station]].append(_Use(day, slot.start, slot.end, (cls.id, k, station),
                                                    _in_room(cls, cp, g, slot)))
    return _Shared(work, devices)


def _taken_elsewhere(instance: Instance, shared: _Shared, cls: Class, cp: ClassPlan, station: str, slot: Slot) -> bool:
    """At some minute of the slot, every adult who could work the station is working somewhere else, or its
    device pool has too few devices left for the smallest group in the room: it could take no group then."""
    st = next(s for s in cls.stations if s.name == station)
    here = (cls.id, slot.index, station)

    def elsewhere(uses: list[_Use], minute: int) -> list[_Use]:
        return [u for u in uses if u.at(slot.day, minute) and u.where != here]

    if st.staff is not None or st.role is not None:
        adults = _staffers(instance, cls, station, slot)
        if adults and any(all(elsewhere(shared.work.get(a, []), m) for a in adults)
                          for m in range(slot.start, slot.end)):
            return True
    for pool in instance.pools:
        if pool.name == st.pool:
            smallest = _smallest(cls, cp, slot)
            uses = shared.devices.get(pool.name, [])
            if any(sum(u.amount for u in elsewhere(uses, m)) + smallest > pool.count
                   for m in range(slot.start, slot.end)):
                return True
    return False


# --- rotation, soft: over every class whose groups hold ----------------------------------------------

def _away_at_teacher(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.sound:
        teacher = {st.name for st in cls.stations if st.kind == "teacher"}
        for s in cls.slots:
            gone = _away(cls, s) - _away_whole_day(cls, s.day)
            for g in range(1, cls.groups + 1):
                out_now = sorted(sid for sid, k in cp.groups.items() if k == g and sid in gone)
                if out_now and cp.visits.get((g, s.day, s.index)) in teacher:
                    out.append(Cost("away_at_teacher", len(out_now) * weight("away_at_teacher"), class_id=cls.id,
                                    students=tuple(out_now), groups=(g,), day=s.day, slot=s.index))
    return out


def _teacher_idle(w: _Week) -> list[Cost]:
    """A `by need` station standing empty while it could be used (its adult there, not working elsewhere)."""
    return [Cost("teacher_idle", weight("teacher_idle"), class_id=n.cls.id, station=name, day=s.day, slot=s.index)
            for n in w.by_need for name, s in n.open_slots
            if not any(n.cp.visits.get((g, s.day, s.index)) == name for g in range(1, n.cls.groups + 1))
            and not _taken_elsewhere(w.instance, w.shared, n.cls, n.cp, name, s)]


def _visits_in_need_order(w: _Week) -> list[Cost]:
    """A group with more visits to a `by need` station than one needing more support."""
    return [Cost("visits_in_need_order", max(0, n.visits[less] - n.visits[more]) * weight("visits_in_need_order"),
                 class_id=n.cls.id, groups=(less, more), station=n.station)
            for n in w.by_need for more, less in combinations(n.ranked, 2)]


def _visits_by_need(w: _Week) -> list[Cost]:
    """Visits to a `by need` station short of the groups' targets."""
    out: list[Cost] = []
    for n in w.by_need:
        targets = _targets(len(n.cls.days), n.cls.groups, len(n.open_slots))
        for g, target in zip(n.ranked, targets, strict=True):
            short = max(0, target - n.visits[g])
            out.append(Cost("visits_by_need", short * short * weight("visits_by_need"), class_id=n.cls.id,
                            groups=(g,), station=n.station, asked=target))
    return out


def _station_balance(w: _Week) -> list[Cost]:
    """Per slot: groups sharing a station while stations that could take them stand empty (the fewer of the two)."""
    out: list[Cost] = []
    for cls, cp in w.sound:
        if all(_staffed(st) for st in cls.stations):
            continue
        for s in cls.slots:
            # Visits of groups nobody of which is in the room are already gone (`_in_the_room`).
            placed = Counter(st for g in range(1, cls.groups + 1)
                             if (st := cp.visits.get((g, s.day, s.index))) is not None)
            extra = sum(n - 1 for n in placed.values())
            empty = sum(1 for st in cls.stations
                        if not placed[st.name] and _could_take(w.instance, cls, cp, st.name, s))
            if sum(placed.values()) > 1:
                out.append(Cost("station_balance", min(extra, empty) * weight("station_balance"), class_id=cls.id,
                                day=s.day, slot=s.index))
    return out


def _repeat_in_day(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.sound:
        for day in cls.days:
            day_slots = [s for s in cls.slots if s.day == day]
            for g in range(1, cls.groups + 1):
                for st in cls.stations:
                    if not st.mirror_of:
                        extra = max(0, _count(cls, cp, g, day_slots, st.name) - 1)
                        out.append(Cost("repeat_in_day", extra * weight("repeat_in_day"), class_id=cls.id,
                                        groups=(g,), day=day, station=st.name))
    return out


def _filler_spread(w: _Week) -> list[Cost]:
    out: list[Cost] = []
    for cls, cp in w.sound:
        fill = [st.name for st in cls.stations if not (st.mirror_of or st.must_do or st.by_need) and st.visits is None]
        if len(fill) > 1:
            for g in range(1, cls.groups + 1):
                counts = [_count(cls, cp, g, cls.slots, name) for name in fill]
                out.append(Cost("filler_spread", (max(counts) - min(counts)) * weight("filler_spread"),
                                class_id=cls.id, groups=(g,)))
    return out


def _keep_visit(w: _Week) -> list[Cost]:
    """Last week's visits that the plan changed, where the class still has that group, slot and station."""
    previous = w.instance.previous.visits if w.instance.previous else {}
    out: list[Cost] = []
    for cls, cp in w.sound:
        slots = {(s.day, s.index) for s in cls.slots}
        names = {st.name for st in cls.stations}
        scale = _keep_visit_scale(w.instance)
        out += [Cost("keep_visit", scale, class_id=c, groups=(g,), day=day, slot=k)
                for (c, g, day, k), station in previous.items()
                if c == cls.id and 1 <= g <= cls.groups and (day, k) in slots and station in names
                and cp.visits.get((g, day, k)) != station]
    return out


# --- the table: each rule of solver/rules.py by its name --------------------------------------------

# A hard rule's check: what the plan breaks of it.
CHECKS: dict[str, Callable[[_Week], list[Violation]]] = bound({
    "one_group": _one_group, "group_size": _group_size, "apart": _apart, "together": _together, "group": _group,
    "student_lock": _student_lock, "group_fits_station": _group_fits_station,
    "one_station": _one_station, "one_group_at_staffed": _one_group_at_staffed, "must_do": _must_do,
    "visits": _visits, "needs": _needs, "seats": _seats, "devices": _devices, "adult_available": _adult_available,
    "adult_one_place": _adult_one_place, "visit_lock": _visit_lock,
}, hard=True)

# A soft rule's cost: what the plan costs on it (terms that cost nothing are dropped).
COSTS: dict[str, Callable[[_Week], list[Cost]]] = bound({
    "need_spread": _need_spread, "mean_balance": _mean_balance, "flag_balance": _flag_balance,
    "no_data_spread": _no_data_spread, "skill_match": _skill_match, "prefer_apart": _preferred("prefer_apart"),
    "prefer_together": _preferred("prefer_together"), "keep_group": _keep_group,
    "away_at_teacher": _away_at_teacher, "teacher_idle": _teacher_idle,
    "visits_in_need_order": _visits_in_need_order, "visits_by_need": _visits_by_need,
    "station_balance": _station_balance, "repeat_in_day": _repeat_in_day, "filler_spread": _filler_spread,
    "keep_visit": _keep_visit,
}, hard=False)
