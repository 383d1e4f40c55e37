"""Why the hard rules cannot all hold: cheap counting checks first, then a core of named rules."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import NamedTuple

from ortools.sat.python import cp_model

from solver.instance import Class, Instance, Options, Slot, Station, StudentRule
from solver.model import Guards, new_solver, spent
from solver.plan import Conflict, Fix
from solver.watch import Watch, search
from solver.week import away_all_day, away_in, candidates, free, must_fit, overlaps


def sure_days(cls: Class) -> list[str]:
    """Days on which every group surely has a student in class: a group all away is at no station and owes
    no must-do that day, so counting checks count only these days (they must never claim too much)."""
    if cls.min_size == 0:
        return []
    return [day for day in cls.days if len(away_all_day(cls, day)) < cls.min_size]


def _ask(st: Station) -> str:
    """The rule behind a station's weekly visits, as conflicts name it (and `data_checks` matches it)."""
    return f"visits {st.visits} at {st.name}" if st.visits is not None else f"must_do {st.name}"


def _weekly_visits(cls: Class, st: Station) -> int:
    """The visits a week each group surely owes the station: its number, or one a sure day for a must-do."""
    return st.visits if st.visits is not None else len(sure_days(cls)) if st.must_do else 0


def data_checks(instance: Instance) -> list[Conflict]:
    """Counting arguments that need no search and give the plainest messages."""
    out: list[Conflict] = []
    for cls in instance.classes:
        for check in (group_sizes, stations_fit_groups, apart_clique, together_too_big, must_do_per_day,
                      visits_per_week, staffed_station_load):
            out += check(cls, instance)
    # An adult asked only at one station already found too busy is the same shortfall: told once.
    told = {f"{c.classes[0]}: {rule}" for c in out if c.reason == "staffed_station_load" for rule in c.rules}
    adults = [c for c in adult_load(instance) if not set(c.rules) <= told]
    return out + students_in_two_classes_at_once(instance) + adults + device_load(instance)


def adult_load(instance: Instance) -> list[Conflict]:
    """An adult works one slot at a time: the visits asked of a staff_id or a role across classes
    cannot exceed the separate slots its adults could work (a pigeonhole no search proves quickly)."""
    work = _adult_work(instance)
    out = []
    for who, need in work.asks.items():
        adults = [a.id for a in instance.adults if who in (a.id, a.role)] or [who]
        have = sum(_separate(work.spans[a]) for a in adults)
        if need > have:
            slots = [s for cls in instance.classes if cls.id in work.classes[who] for s in cls.slots]
            freed = _more_time(instance, adults, slots, partial(_adult_slots, adults=adults), need)
            out.append(Conflict(tuple(work.labels[who]), "adult_load", adults=tuple(adults), need=need, have=have,
                                fixes=(*freed, Fix("fewer_visits", adult=who, value=need - have))))
    return out


class _Work(NamedTuple):
    """The visits asked of each staff_id or role (with their labels and classes), and the slots
    (day, start, end) each adult could work."""

    asks: dict[str, int]
    labels: dict[str, list[str]]
    classes: dict[str, set[str]]
    spans: dict[str, set[tuple[str, int, int]]]


def _adult_work(instance: Instance) -> _Work:
    work = _Work(defaultdict(int), defaultdict(list), defaultdict(set), defaultdict(set))
    for cls in instance.classes:
        for st in cls.stations:
            copies = [c for c in cls.stations if c.original == st.name]
            if st.mirror_of or any((c.staff, c.role) != (st.staff, st.role) for c in copies) or not st.staffed:
                continue
            visits = _weekly_visits(cls, st)
            who = st.staff or st.role or ""
            if visits:
                work.asks[who] += cls.groups * visits
                work.labels[who].append(f"{cls.id}: {_ask(st)}")
                work.classes[who].add(cls.id)
            for c in copies:
                for s in cls.slots:
                    for adult in candidates(instance, cls, c.name, s):
                        work.spans[adult].add((s.day, s.start, s.end))
    return work


def _adult_slots(instance: Instance, adults: list[str]) -> int:
    spans = _adult_work(instance).spans
    return sum(_separate(spans[a]) for a in adults)


def _more_time(instance: Instance, adults: list[str], slots: list[Slot], room: Callable[[Instance], int],
               need: int) -> list[Fix]:
    """For each adult whose hours are what falls short: make them available on more days (a day of `slots`
    they cannot work at all) or for more hours, if that alone would be enough (`room` of the school with the
    adult always free reaches `need`)."""
    fixes = []
    for adult in (a for a in instance.adults if a.id in adults and a.available is not None):
        freed = replace(instance, adults=tuple(replace(a, available=None) if a is adult else a
                                               for a in instance.adults))
        if room(freed) >= need:
            days = {s.day for s in slots}
            idle = any(not any(free(adult, s.day, s.start, s.end) for s in slots if s.day == day) for day in days)
            fixes.append(Fix("more_days" if idle else "more_hours", adult=adult.id))
    return fixes


def device_load(instance: Instance) -> list[Conflict]:
    """A pool too small for two groups at once serves one group a slot: the visits asked of its stations
    across classes cannot exceed the separate slots they meet in (the same pigeonhole as adult_load)."""
    out = []
    for pool in instance.pools:
        asks, labels, spans, smallest = 0, [], set(), None
        for cls in instance.classes:
            users = [st for st in cls.stations if st.pool == pool.name]
            if not users:
                continue
            gone = max((len(away_in(cls, s)) for s in cls.slots), default=0)
            least = cls.min_size - gone  # students of a group there at once, at the fewest
            smallest = least if smallest is None else min(smallest, least)
            spans |= {(s.day, s.start, s.end) for s in cls.slots}
            for st in users:
                copies = [c for c in cls.stations if c.original == st.original]
                if st.mirror_of or any(c.pool != pool.name for c in copies):
                    continue  # a copy elsewhere could take the visits
                visits = _weekly_visits(cls, st)
                if visits:
                    asks += cls.groups * visits
                    labels.append(f"{cls.id}: {_ask(st)}")
        if smallest is None or smallest <= 0 or pool.count >= 2 * smallest or not asks:
            continue
        have = _separate(spans)
        if asks > have:
            classes = tuple(c.id for c in instance.classes if any(st.pool == pool.name for st in c.stations))
            # A pool of twice the smallest group serves two groups at once: no longer one group a slot.
            fixes = (Fix("more_devices", pool=pool.name, value=2 * smallest - pool.count),
                     Fix("fewer_visits", pool=pool.name, value=asks - have))
            out.append(Conflict((f"device pool {pool.name} has {pool.count}", *labels), "device_load",
                                classes=classes, need=asks, have=have, fixes=fixes))
    return out


def _separate(spans: set[tuple[str, int, int]]) -> int:
    """The most slots one adult can work without overlap: earliest end first is optimal for intervals."""
    count, busy_day, busy_until = 0, "", 0
    for day, start, end in sorted(spans, key=lambda span: (span[0], span[2])):
        if day != busy_day or start >= busy_until:
            count, busy_day, busy_until = count + 1, day, end
    return count


def students_in_two_classes_at_once(instance: Instance) -> list[Conflict]:
    """A student enrolled in two classes whose rotations overlap cannot be at both."""
    out = []
    for i, a in enumerate(instance.classes):
        for b in instance.classes[i + 1:]:
            shared = sorted({s.id for s in a.students} & {s.id for s in b.students})
            clash = next(((x, y) for x in a.slots for y in b.slots
                          if x.day == y.day and overlaps(x.start, x.end, y.start, y.end)), None)
            if shared and clash:
                x, _ = clash
                fixes = (Fix("start_at_least", b.id, value=max(s.end for s in a.slots)),
                         Fix("start_at_least", a.id, value=max(s.end for s in b.slots)))
                out.append(Conflict((f"classes {a.id} and {b.id} meet at once",), "two_classes_at_once",
                                    students=tuple(shared), times=(f"{x.day} {x.start // 60:02d}:{x.start % 60:02d}",),
                                    classes=(a.id, b.id), fixes=fixes))
    return out


def group_sizes(cls: Class, instance: Instance) -> list[Conflict]:
    n = len(cls.students)
    if cls.groups > n:  # checked before any model is built: a typo like 10**9 groups must not hang
        return [Conflict((f"{cls.groups} groups",), "more_groups_than_students", classes=(cls.id,),
                         need=cls.groups, have=n, fixes=(Fix("fewer_groups", cls.id, value=n),))]
    if cls.groups * cls.min_size <= n <= cls.groups * cls.max_size:
        return []
    if n > cls.groups * cls.max_size:
        have = cls.groups * cls.max_size
        fixes = [Fix("max_size_at_least", cls.id, value=-(-n // cls.groups))]
        more = -(-n // cls.max_size)
        if more * cls.min_size <= n:
            fixes.append(Fix("more_groups", cls.id, value=more))
    else:
        have = cls.groups * cls.min_size
        fixes = [Fix("min_size_at_most", cls.id, value=n // cls.groups)]
        fewer = n // cls.min_size
        if fewer and fewer * cls.max_size >= n:
            fixes.append(Fix("fewer_groups", cls.id, value=fewer))
    return [Conflict((f"{cls.groups} groups of {cls.min_size}-{cls.max_size}",), "group_sizes",
                     classes=(cls.id,), need=n, have=have, fixes=tuple(fixes))]


def stations_fit_groups(cls: Class, instance: Instance) -> list[Conflict]:
    """Every group visits these stations, so their seats cap the groups: the class must still fit."""
    n = len(cls.students)
    out = []
    for station, seats in must_fit(cls).items():
        most = min(seats, cls.max_size)
        if cls.groups * most < n <= cls.groups * cls.max_size:
            fixes = (Fix("capacity_at_least", cls.id, station, value=-(-n // cls.groups)),
                     Fix("more_groups", cls.id, value=-(-n // most)))
            out.append(Conflict((f"station {station} holds {seats}", f"{cls.groups} groups"), "station_fits_groups",
                                stations=(station,), classes=(cls.id,), need=n, have=cls.groups * most,
                                fixes=fixes))
    return out


def apart_clique(cls: Class, instance: Instance) -> list[Conflict]:
    """Students who must all be apart from each other need a group each."""
    apart_rules = [r for r in cls.rules if r.kind == "apart"]
    clique = largest_clique(_apart_web(apart_rules))
    if len(clique) <= cls.groups:
        return []
    labels = tuple(r.label for r in apart_rules if len(set(r.students) & clique) >= 2)
    fixes = [Fix("more_groups", cls.id, value=len(clique))] if len(clique) <= len(cls.students) else []
    # Only a rule whose removal leaves no web larger than the groups is a way out on its own.
    fixes += [Fix("drop_rule", cls.id, rule=label) for label in labels
              if len(largest_clique(_apart_web([r for r in apart_rules if r.label != label]))) <= cls.groups]
    return [Conflict(labels, "apart_clique", students=tuple(sorted(clique)), classes=(cls.id,),
                     need=len(clique), have=cls.groups, fixes=tuple(fixes))]


def _apart_web(rules: list[StudentRule]) -> dict[str, set[str]]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for r in rules:
        for a in r.students:
            neighbours[a] |= set(r.students) - {a}
    return neighbours


def largest_clique(neighbours: dict[str, set[str]]) -> set[str]:
    """Bron-Kerbosch with pivoting: keep-apart webs are small."""
    best: set[str] = set()

    def grow(r: set[str], p: set[str], x: set[str]) -> None:
        nonlocal best
        if not p and not x:
            if len(r) > len(best):
                best = r
            return
        pivot = max(p | x, key=lambda v: len(neighbours[v] & p))
        for v in sorted(p - neighbours[pivot]):
            grow(r | {v}, p & neighbours[v], x & neighbours[v])
            p = p - {v}
            x = x | {v}

    grow(set(), set(neighbours), set())
    return best


def together_too_big(cls: Class, instance: Instance) -> list[Conflict]:
    out = []
    for r in cls.rules:
        if r.kind == "together" and len(r.students) > cls.max_size:
            fixes = (Fix("max_size_at_least", cls.id, value=len(r.students)), Fix("drop_rule", cls.id, rule=r.label))
            out.append(Conflict((r.label,), "together_too_big", students=r.students, classes=(cls.id,),
                                need=len(r.students), have=cls.max_size, fixes=fixes))
    return out


def must_do_per_day(cls: Class, instance: Instance) -> list[Conflict]:
    must = [st.name for st in cls.stations if st.must_do and not st.mirror_of]
    out = []
    for day in sure_days(cls):
        slots = sum(1 for s in cls.slots if s.day == day)
        if len(must) > slots:
            fixes = (Fix("fewer_must_do", cls.id, value=len(must) - slots),
                     Fix("more_rotations", cls.id, value=len(must)))
            out.append(Conflict(tuple(f"must_do {m}" for m in must), "must_do_per_day", stations=tuple(must),
                                times=(day,), classes=(cls.id,), need=len(must), have=slots, fixes=fixes))
            break
    return out


def visits_per_week(cls: Class, instance: Instance) -> list[Conflict]:
    fixed = [st for st in cls.stations if not st.mirror_of and (st.must_do or st.visits is not None)]
    need = sum(_weekly_visits(cls, st) for st in fixed)
    if need <= len(cls.slots):
        return []
    labels = tuple(_ask(st) for st in fixed)
    fixes = (Fix("fewer_visits", cls.id, value=need - len(cls.slots)),
             Fix("more_rotations", cls.id, value=-(-need // len(cls.days))))
    return [Conflict(labels, "visits_per_week", stations=tuple(st.name for st in fixed), classes=(cls.id,),
                     need=need, have=len(cls.slots), fixes=fixes)]


def staffed_station_load(cls: Class, instance: Instance) -> list[Conflict]:
    """A staffed station hosts one group a slot, and only while an adult is free for it."""
    out = []
    for st in cls.stations:
        copies = [c for c in cls.stations if c.original == st.name]
        if st.mirror_of or not all(c.staffed for c in copies):
            continue
        have = _hosts(instance, cls, st)
        asks: list[tuple[str, int]] = []
        if st.must_do:
            asks.append((f"must_do {st.name}", cls.groups * len(sure_days(cls))))
        if st.visits is not None:
            asks.append((_ask(st), cls.groups * st.visits))
        needs = [r for r in cls.rules if r.kind == "needs" and r.station == st.name]
        if needs:
            needy = {s for r in needs for s in r.students}
            least = min(r.count or 0 for r in needs)
            asks.append(("needs rules", math.ceil(len(needy) / max(cls.max_size, 1)) * least))
        for label, need in asks:
            if need > have:
                rules = tuple(r.label for r in needs) if label == "needs rules" else (label,)
                out.append(Conflict(rules, "staffed_station_load", stations=(st.name,), classes=(cls.id,),
                                    adults=(st.staff or st.role or "",), need=need, have=have,
                                    fixes=_station_fixes(instance, cls, st, label, need, have)))
    return out


def _hosts(instance: Instance, cls: Class, st: Station) -> int:
    """The group visits a week a staffed station (with its copies) can host: one a slot while an adult is free."""
    copies = [c for c in cls.stations if c.original == st.name]
    return sum(1 for c in copies for s in cls.slots if candidates(instance, cls, c.name, s))


def _station_fixes(instance: Instance, cls: Class, st: Station, label: str, need: int, have: int) -> tuple[Fix, ...]:
    """Ask the station for fewer visits, free its adult for longer, or (for a weekly ask) use fewer groups."""
    fixes = []
    if label == "needs rules":
        needs = [r for r in cls.rules if r.kind == "needs" and r.station == st.name]
        count = have // math.ceil(len({s for r in needs for s in r.students}) / max(cls.max_size, 1))
        fixes += [Fix("count_at_most", cls.id, st.name, rule=r.label, value=count)
                  for r in needs if count and (r.count or 0) > count]
    elif have // cls.groups:
        change = "must_do_to_visits" if label.startswith("must_do") else "visits_at_most"
        fixes.append(Fix(change, cls.id, st.name, value=have // cls.groups))
    adults = [a.id for a in instance.adults if st.staff == a.id or (st.staff is None and st.role == a.role)]
    fixes += _more_time(instance, adults, list(cls.slots), partial(_hosts, cls=cls, st=st), need)
    per_group = need // cls.groups
    if label != "needs rules" and 2 <= have // per_group < cls.groups:
        fixes.append(Fix("fewer_groups", cls.id, value=have // per_group))
    return tuple(fixes)


def core(build: Callable[[], tuple[cp_model.CpModel, Guards]], options: Options, watch: Watch | None = None
         ) -> list[Conflict]:
    """A small set of named hard rules that cannot hold together, found within `options.time_limit`.

    Assumption literals give a first set quickly when the search finds it; then each rule in turn (all
    its literals: a rule is what the teacher reads) is switched off, and stays off if the rest still
    clash, which leaves a set where every rule matters. When time runs out first, or the watch is
    cancelled, the rules kept so far are returned: they still clash, though not all of them may be needed.
    """
    left = options.time_limit
    model, guards = build()
    found = [lit.index for lit in guards.literals]
    model.add_assumptions(guards.literals)
    first = new_solver(replace(options, time_limit=min(1.0, left / 2)), explaining=True)
    if search(first, model, watch) == cp_model.INFEASIBLE:
        found = list(first.sufficient_assumptions_for_infeasibility()) or found
    elif watch is not None and watch.cancelled:
        return []  # cancelled before any set was found: every rule at once would tell nothing
    left -= spent(first, options)
    model.clear_assumptions()
    rules: dict[str, list[int]] = {}
    for index in found:
        rules.setdefault(guards.named[index].rules[0], []).append(index)
    kept = dict(rules)
    for label in rules:
        if left <= 0 or (watch is not None and watch.cancelled):
            break
        trial = {i for other, indices in kept.items() if other != label for i in indices}
        clash, used = _clash(model, guards, trial, replace(options, time_limit=min(2.0, left)), watch)
        left -= used
        if clash:
            del kept[label]
    return [merge([guards.named[i] for indices in kept.values() for i in indices])] if kept else []


def _clash(model: cp_model.CpModel, guards: Guards, on: set[int], options: Options, watch: Watch | None
           ) -> tuple[bool, float]:
    """Whether the hard rules switched on cannot all hold (the others switched off), and the time it took."""
    model.clear_assumptions()
    model.add_assumptions([lit if lit.index in on else ~lit for lit in guards.literals])
    solver = new_solver(options, explaining=True)
    try:
        return search(solver, model, watch) == cp_model.INFEASIBLE, spent(solver, options)
    finally:
        model.clear_assumptions()


def merge(parts: list[Conflict]) -> Conflict:
    def union(field: str) -> tuple[str, ...]:
        return tuple(sorted({v for p in parts for v in getattr(p, field) if v}))

    rules = tuple(dict.fromkeys(r for p in parts for r in p.rules))
    return Conflict(
        rules=rules,
        reason="core",
        students=union("students"), adults=union("adults"), stations=union("stations"), times=union("times"),
        classes=tuple(sorted({c for p in parts for c in p.classes})),
        # Search proves only that these rules clash together: relaxing any one of them is a way out.
        fixes=tuple(Fix("relax_rule", rule=r) for r in rules),
    )

