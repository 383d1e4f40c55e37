"""Groups x days x slots -> stations, for every class at once (they share adults and devices).

Groups are settled first; each hard rule is one function, each soft rule returns penalty terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.instance import Class, Instance, Slot
from solver.model import Guards, Term, objective
from solver.rules import by_need_targets, keep_visit_weight
from solver.week import away_in, candidates, fillers, members, present, ranked_by_need, teams, time_points

Key = tuple[str, int, str, int, str]  # class, group, day, slot, station


@dataclass
class RotationModel:
    instance: Instance
    groups: Mapping[str, Mapping[str, int]]  # class -> student -> group
    model: cp_model.CpModel
    guards: Guards
    at: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    # who[class, day, slot, station, team]: one adult of the team works the station then
    who: dict[tuple[str, str, int, str, tuple[str, ...]], cp_model.IntVar | cp_model.LinearExprT] = field(
        default_factory=dict)
    teams: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    slot_of: dict[tuple[str, str, int], Slot] = field(default_factory=dict)
    _present: dict[tuple[str, int, str, int], int] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)

    def group_numbers(self, cls: Class) -> range:
        return range(1, cls.groups + 1)

    def present(self, cls: Class, g: int, slot: Slot) -> int:
        """Students of the group in the room in the slot, counted once per model (seats and devices ask often)."""
        key = (cls.id, g, slot.day, slot.index)
        if key not in self._present:
            self._present[key] = present(cls, self.groups[cls.id], g, slot)
        return self._present[key]

    def visits_to(self, cls: Class, g: int, slots: list[Slot], original: str) -> cp_model.LinearExprT:
        """Visits by group g to a station or any of its mirrors, over the slots."""
        return sum(self.at[cls.id, g, s.day, s.index, st.name]
                   for s in slots for st in cls.stations if st.original == original)

    def used(self, cls: Class, slot: Slot, station: str) -> cp_model.LinearExprT:
        return sum(self.at[cls.id, g, slot.day, slot.index, station] for g in self.group_numbers(cls))

    def extract(self, solver: cp_model.CpSolver) -> dict[str, tuple[dict, dict]]:
        out: dict[str, tuple[dict, dict]] = {c.id: ({}, {}) for c in self.instance.classes}
        for (c, g, day, k, st), var in self.at.items():
            if solver.value(var):
                out[c][0][g, day, k] = st
        work: dict[tuple[str, ...], list[tuple[str, int, str, int, str]]] = defaultdict(list)
        for (c, day, k, st, team), works in self.who.items():
            if solver.value(works):
                work[team].append((day, self.slot_of[c, day, k].start, c, k, st))
        for team, uses in work.items():
            for (day, _start, c, k, st), adult in zip(sorted(uses), self.assign(team, sorted(uses)), strict=True):
                out[c][1][day, k, st] = (adult,)
        return out

    def assign(self, team: tuple[str, ...], uses: list[tuple[str, int, str, int, str]]) -> list[str]:
        """Name the adult for each use, earliest first: never more uses at once than adults, so one is free."""
        free_at: dict[str, tuple[str, int]] = {}
        names = []
        for day, start, c, k, _st in uses:
            end = self.slot_of[c, day, k].end
            adult = next(a for a in team if free_at.get(a, (day, 0)) <= (day, start) or free_at[a][0] != day)
            free_at[adult] = (day, end)
            names.append(adult)
        return names


def build(instance: Instance, groups: Mapping[str, Mapping[str, int]], explaining: bool = False) -> RotationModel:
    model = cp_model.CpModel()
    m = RotationModel(instance, groups, model, Guards(model, explaining), teams=teams(instance),
                      slot_of={(c.id, s.day, s.index): s for c in instance.classes for s in c.slots})
    for cls in instance.classes:
        for g in m.group_numbers(cls):
            for s in cls.slots:
                for st in cls.stations:
                    m.at[cls.id, g, s.day, s.index, st.name] = model.new_bool_var(
                        f"at[class={cls.id},group={g},day={s.day},slot={s.index},station={st.name}]")
    for cls in instance.classes:
        one_station(m, cls)
        one_group_at_staffed(m, cls)
        must_do(m, cls)
        visits(m, cls)
        needs(m, cls)
        seats(m, cls)
        adult_available(m, cls)
        visit_locks(m, cls)
    adult_one_place(m)
    devices(m)
    if not explaining:
        for cls in instance.classes:
            away_at_teacher(m, cls)
            visits_by_need(m, cls)
            repeat_in_day(m, cls)
            filler_spread(m, cls)
        if instance.previous and instance.previous.visits:
            keep_visits(m, keep_visit_weight(instance))
        model.minimize(objective(m.terms))
    return m


# --- hard rules ---------------------------------------------------------------------------------

def one_station(m: RotationModel, cls: Class) -> None:
    # A group is at exactly one station in every slot.
    for g in m.group_numbers(cls):
        for s in cls.slots:
            m.model.add_exactly_one(m.at[cls.id, g, s.day, s.index, st.name] for st in cls.stations)


def one_group_at_staffed(m: RotationModel, cls: Class) -> None:
    # An adult teaches one group at a time.
    for st in cls.stations:
        if st.staffed:
            for s in cls.slots:
                m.model.add(m.used(cls, s, st.name) <= 1)


def must_do(m: RotationModel, cls: Class) -> None:
    # Every group visits a must-do station (or a mirror of it) every class day.
    for st in cls.stations:
        if st.must_do and not st.mirror_of:
            guard = m.guards("must_do", f"must_do {st.name}", cls.id, stations=(st.name,))
            for g in m.group_numbers(cls):
                for day in cls.days:
                    day_slots = [s for s in cls.slots if s.day == day]
                    m.model.add(m.visits_to(cls, g, day_slots, st.name) >= 1).only_enforce_if(guard)


def visits(m: RotationModel, cls: Class) -> None:
    # Every group visits the station exactly N times a week.
    for st in cls.stations:
        if st.visits is not None and not st.mirror_of:
            guard = m.guards("visits", f"visits {st.visits} at {st.name}", cls.id, stations=(st.name,))
            for g in m.group_numbers(cls):
                m.model.add(m.visits_to(cls, g, list(cls.slots), st.name) == st.visits).only_enforce_if(guard)


def needs(m: RotationModel, cls: Class) -> None:
    # Service minutes: these students at the station at least `count` times (not while away).
    groups = m.groups[cls.id]
    for rule in cls.rules:
        if rule.kind != "needs" or rule.station is None:
            continue
        guard = m.guards("needs", rule.label, cls.id, students=rule.students, stations=(rule.station,))
        for sid in rule.students:
            if sid not in groups:
                continue
            slots = [s for s in cls.slots if sid not in away_in(cls, s)]
            m.model.add(m.visits_to(cls, groups[sid], slots, rule.station) >= (rule.count or 0)
                        ).only_enforce_if(guard)


def seats(m: RotationModel, cls: Class) -> None:
    # A station never holds more students than its seats (away students use none).
    for st in cls.stations:
        if st.capacity is None:
            continue
        guard = m.guards("seats", f"station {st.name} holds {st.capacity}", cls.id, stations=(st.name,))
        for s in cls.slots:
            load = sum(m.present(cls, g, s) * m.at[cls.id, g, s.day, s.index, st.name]
                       for g in m.group_numbers(cls))
            m.model.add(load <= st.capacity).only_enforce_if(guard)


def adult_available(m: RotationModel, cls: Class) -> None:
    # A staffed station is open only with an adult who is free then (any one of a team will do).
    for st in cls.stations:
        if not st.staffed:
            continue
        for s in cls.slots:
            used = m.used(cls, s, st.name)
            who = candidates(m.instance, cls, st.name, s)
            if st.staff is not None and who:
                m.who[cls.id, s.day, s.index, st.name, (st.staff,)] = used
                continue
            works = []
            for team in dict.fromkeys(m.teams.get(a, (a,)) for a in who):
                var = m.model.new_bool_var(
                    f"works[team={','.join(team)},class={cls.id},day={s.day},slot={s.index},station={st.name}]")
                m.who[cls.id, s.day, s.index, st.name, team] = var
                works.append(var)
            staffed = sum(works)
            m.model.add(staffed <= used)
            label = f"{st.staff or st.role} free for {st.name}"
            guard = m.guards("adult_available", label, cls.id, stations=(st.name,),
                             adults=(st.staff or st.role or "",), times=(f"{s.day} slot {s.index}",))
            m.model.add(staffed >= used).only_enforce_if(guard)


def adult_one_place(m: RotationModel) -> None:
    # Nobody is in two places: at any instant a team of k interchangeable adults works at most k stations.
    by_team: dict[tuple[str, ...], list[tuple[tuple[str, int, int], cp_model.LinearExprT]]] = defaultdict(list)
    for (c, day, k, _st, team), var in m.who.items():
        s = m.slot_of[c, day, k]
        by_team[team].append(((day, s.start, s.end), var))
    for team, uses in by_team.items():
        guard = m.guards("adult_one_place", f"{' or '.join(team)} in one place", adults=team)
        for day, points in time_points(span for span, _ in uses).items():
            for t in points:
                here = [var for (d, start, end), var in uses if d == day and start <= t < end]
                if len(here) > len(team):
                    m.model.add(sum(here) <= len(team)).only_enforce_if(guard)


def devices(m: RotationModel) -> None:
    # A device pool's count limits its users across every class with a station using it, at any instant.
    for pool in m.instance.pools:
        uses = []
        for cls in m.instance.classes:
            for st in cls.stations:
                if st.pool == pool.name:
                    for s in cls.slots:
                        for g in m.group_numbers(cls):
                            uses.append(((s.day, s.start, s.end),
                                         m.present(cls, g, s) * m.at[cls.id, g, s.day, s.index, st.name]))
        sharing = ", ".join(c.id for c in m.instance.classes if any(st.pool == pool.name for st in c.stations))
        guard = m.guards("devices", f"device pool {pool.name} has {pool.count}", sharing)
        for day, points in time_points(span for span, _ in uses).items():
            for t in points:
                load = [u for (d, start, end), u in uses if d == day and start <= t < end]
                m.model.add(sum(load) <= pool.count).only_enforce_if(guard)


def visit_locks(m: RotationModel, cls: Class) -> None:
    # A teacher's locked visit is a fixed value.
    for lock in cls.visit_locks:
        guard = m.guards("visit_lock", f"lock group {lock.group} at {lock.station} {lock.day} slot {lock.slot}",
                         cls.id, stations=(lock.station,), times=(f"{lock.day} slot {lock.slot}",))
        var = m.at.get((cls.id, lock.group, lock.day, lock.slot, lock.station))
        m.model.add_bool_or([var if var is not None else False]).only_enforce_if(guard)


# --- soft rules ---------------------------------------------------------------------------------

def away_at_teacher(m: RotationModel, cls: Class) -> None:
    """A pulled-out student's group should not be at a teacher station without them."""
    groups = m.groups[cls.id]
    teacher_stations = [st.name for st in cls.stations if st.kind == "teacher"]
    for s in cls.slots:
        gone = away_in(cls, s)
        for g in m.group_numbers(cls):
            out = sorted(set(members(groups, g)) & gone)
            if out and teacher_stations:
                at_teacher = sum(m.at[cls.id, g, s.day, s.index, st] for st in teacher_stations)
                m.terms.append(Term("away_at_teacher", len(out) * at_teacher, who=", ".join(out),
                                    when=f"{cls.id} {s.day} slot {s.index}"))


def visits_by_need(m: RotationModel, cls: Class) -> None:
    """Teacher-table visits: the neediest group every day, the least needy twice a week."""
    ranked = ranked_by_need(cls, m.groups[cls.id])
    targets = by_need_targets(len(cls.days), cls.groups)
    for st in cls.stations:
        if not st.by_need or st.mirror_of:
            continue
        for g, target in zip(ranked, targets, strict=True):
            key = f"class={cls.id},group={g},station={st.name}"
            gap = m.model.new_int_var(0, len(cls.slots), f"by_need_gap[{key}]")
            m.model.add_abs_equality(gap, m.visits_to(cls, g, list(cls.slots), st.name) - target)
            # Squared, so that when the slots cannot meet every target the groups share the shortfall.
            squared = m.model.new_int_var(0, len(cls.slots) ** 2, f"by_need_gap_squared[{key}]")
            m.model.add_multiplication_equality(squared, [gap, gap])
            m.terms.append(Term("visits_by_need", squared, who=f"{cls.id} group {g}", when=f"{target} a week"))


def repeat_in_day(m: RotationModel, cls: Class) -> None:
    """A group is not at the same station twice in a day while it has others left to visit."""
    for day in cls.days:
        day_slots = [s for s in cls.slots if s.day == day]
        if len(day_slots) < 2:
            continue
        for g in m.group_numbers(cls):
            for st in cls.stations:
                if st.mirror_of:
                    continue
                name = f"repeat[class={cls.id},group={g},day={day},station={st.name}]"
                extra = m.model.new_int_var(0, len(day_slots), name)
                m.model.add_max_equality(extra, [0, m.visits_to(cls, g, day_slots, st.name) - 1])
                m.terms.append(Term("repeat_in_day", extra, who=f"{cls.id} group {g}", when=f"{day} {st.name}"))


def filler_spread(m: RotationModel, cls: Class) -> None:
    """Stations with no visit rule fill the other slots, spread evenly over the week."""
    names = fillers(cls)
    if len(names) < 2:
        return
    n = len(cls.slots)
    for g in m.group_numbers(cls):
        counts = [m.visits_to(cls, g, list(cls.slots), name) for name in names]
        most = m.model.new_int_var(0, n, f"filler_max[class={cls.id},group={g}]")
        least = m.model.new_int_var(0, n, f"filler_min[class={cls.id},group={g}]")
        m.model.add_max_equality(most, counts)
        m.model.add_min_equality(least, counts)
        m.terms.append(Term("filler_spread", most - least, who=f"{cls.id} group {g}"))


def keep_visits(m: RotationModel, scale: int) -> None:
    """Re-planning: each visit changed from last week's plan costs more than any other gain."""
    assert m.instance.previous is not None
    for (c, g, day, k), station in m.instance.previous.visits.items():
        var = m.at.get((c, g, day, k, station))
        if var is not None:
            m.model.add_hint(var, True)
            m.terms.append(Term("keep_visit", 1 - var, who=f"{c} group {g}", when=f"{day} slot {k}", scale=scale))
