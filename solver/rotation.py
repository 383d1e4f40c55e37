"""Groups x days x slots -> stations, for every class at once (they share adults and devices).

Usually the groups are settled first; the joint model instead chooses them here too, from the grouping's
own variables, to prove that no grouping has a rotation. One function per rule, found in `FUNCTIONS`
by its name in solver/rules.py, which gives their order; soft rules add penalty terms.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.grouping import GroupingModel
from solver.instance import Class, Instance, Slot
from solver.model import Guards, Term, apply_rules, objective
from solver.rules import bound
from solver.week import (
    away_all_day,
    away_in,
    by_need_slots,
    by_need_targets,
    candidates,
    could_take,
    fillers,
    keep_visit_weight,
    members,
    overlaps,
    present,
    ranked_by_need,
    smallest_in_room,
    teams,
    time_points,
)

Key = tuple[str, int, str, int, str]  # class, group, day, slot, station


@dataclass(frozen=True)
class Use:
    """An adult's work, or a group's devices, at one class's station in one slot."""

    cls: str
    slot: Slot
    station: str
    amount: cp_model.LinearExprT  # 1 when the adult works it; the group's students there, for devices

    @property
    def span(self) -> tuple[str, int, int]:
        return self.slot.day, self.slot.start, self.slot.end

    def at(self, day: str, minute: int) -> bool:
        return self.slot.day == day and self.slot.start <= minute < self.slot.end


@dataclass(frozen=True)
class Shared:
    """What classes may share, listed once: each team's work and each device pool's devices in use."""

    work: dict[tuple[str, ...], list[Use]]
    devices: dict[str, list[Use]]

    def across_classes(self) -> bool:
        """Whether two classes could call on one adult or one device pool: their rotations depend on each other."""
        return any(len({u.cls for u in uses}) > 1 for uses in (*self.work.values(), *self.devices.values()))


@dataclass
class RotationModel:
    instance: Instance
    model: cp_model.CpModel
    guards: Guards
    groups: Mapping[str, Mapping[str, int]] | None = None  # class -> student -> group, when settled first
    chosen: Mapping[str, GroupingModel] | None = None  # else the groups are chosen in this model too
    at: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    # who[class, day, slot, station, team]: one adult of the team works the station then
    who: dict[tuple[str, str, int, str, tuple[str, ...]], cp_model.IntVar | cp_model.LinearExprT] = field(
        default_factory=dict)
    teams: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    slot_of: dict[tuple[str, str, int], Slot] = field(default_factory=dict)
    _load: dict[tuple[str, int, str, int, str], cp_model.LinearExprT] = field(default_factory=dict)
    _absent: dict[tuple[str, int, str, int], cp_model.IntVar | int] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)

    def group_numbers(self, cls: Class) -> range:
        return range(1, cls.groups + 1)

    def settled(self, cls: Class) -> Mapping[str, int]:
        """The class's groups; only soft rules ask, and the joint model has none."""
        assert self.groups is not None, "soft rules need settled groups"
        return self.groups[cls.id]

    def in_group(self, cls: Class, student: str) -> list[tuple[int, list]]:
        """(group, enforcement) for each group the student may be in: settled, or any under its literal."""
        if self.chosen is None:
            g = self.settled(cls).get(student)
            return [] if g is None else [(g, [])]
        x = self.chosen[cls.id].x
        return [(g, [x[student, g]]) for g in self.group_numbers(cls) if (student, g) in x]

    def load(self, cls: Class, g: int, slot: Slot, station: str) -> cp_model.LinearExprT:
        """Students of group g at the station in the slot (away students use no seat or device), made once."""
        key = (cls.id, g, slot.day, slot.index, station)
        if key not in self._load:
            at = self.at[key[0], g, slot.day, slot.index, station]
            if self.chosen is None:
                self._load[key] = present(cls, self.settled(cls), g, slot) * at
            else:
                gone = away_in(cls, slot)
                here = sum(self.chosen[cls.id].x[s.id, g] for s in cls.students if s.id not in gone)
                load = self.model.new_int_var(0, len(cls.students), f"load[class={cls.id},group={g},day={slot.day},"
                                                                    f"slot={slot.index},station={station}]")
                self.model.add(load == here).only_enforce_if(at)
                self.model.add(load == 0).only_enforce_if(~at)
                self._load[key] = load
        return self._load[key]

    def absent(self, cls: Class, g: int, slot: Slot) -> cp_model.IntVar | int:
        """1 when nobody of the group is in the room in the slot (all away, or an empty group), else 0."""
        key = (cls.id, g, slot.day, slot.index)
        if key not in self._absent:
            gone = away_in(cls, slot)
            if self.chosen is None:
                self._absent[key] = int(present(cls, self.settled(cls), g, slot) == 0)
            elif not gone and cls.min_size > 0:
                self._absent[key] = 0
            else:
                here = sum(self.chosen[cls.id].x[s.id, g] for s in cls.students if s.id not in gone)
                nobody = self.model.new_bool_var(f"absent[class={cls.id},group={g},day={slot.day},slot={slot.index}]")
                self.model.add(here == 0).only_enforce_if(nobody)
                self.model.add(here >= 1).only_enforce_if(~nobody)
                self._absent[key] = nobody
        return self._absent[key]

    def absent_all_day(self, cls: Class, g: int, day: str) -> cp_model.IntVar | int:
        """1 when nobody of the group is in the room in any slot of the day."""
        each = [self.absent(cls, g, s) for s in cls.slots if s.day == day]
        if all(isinstance(a, int) for a in each):
            return int(all(each))
        gone = self.model.new_bool_var(f"absent_all_day[class={cls.id},group={g},day={day}]")
        self.model.add_min_equality(gone, each)
        return gone

    def visits_to(self, cls: Class, g: int, slots: list[Slot], original: str) -> cp_model.LinearExprT:
        """Visits by group g to a station or any of its mirrors, over the slots."""
        return sum(self.at[cls.id, g, s.day, s.index, st.name]
                   for s in slots for st in cls.stations if st.original == original)

    def used(self, cls: Class, slot: Slot, station: str) -> cp_model.LinearExprT:
        return sum(self.at[cls.id, g, slot.day, slot.index, station] for g in self.group_numbers(cls))

    def work(self) -> dict[tuple[str, ...], list[Use]]:
        """Per team, each station and slot it may work, with 1 when one of the team works it then."""
        out: dict[tuple[str, ...], list[Use]] = defaultdict(list)
        for (c, day, k, name, team), works in self.who.items():
            out[team].append(Use(c, self.slot_of[c, day, k], name, works))
        return out

    def devices_used(self, pool: str) -> list[Use]:
        """Each group's devices at each station and slot that draws on the pool, across every class."""
        return [Use(cls.id, s, st.name, self.load(cls, g, s, st.name)) for cls in self.instance.classes
                for st in cls.stations if st.pool == pool for s in cls.slots for g in self.group_numbers(cls)]

    def shared(self) -> Shared:
        """Every team's work and every listed pool's devices (a pool not listed limits nothing)."""
        return Shared(self.work(), {pool.name: self.devices_used(pool.name) for pool in self.instance.pools})

    def taken_elsewhere(self, cls: Class, s: Slot, station: str, shared: Shared) -> cp_model.IntVar | int:
        """1 when, at some instant of the slot, every adult who could work the station works elsewhere, or its device
        pool has too few left for the smallest group in the room: a station empty then is not idle."""
        st = cls.station(station)
        full: list[tuple[list[Use], int]] = []  # (uses of the adults or devices, how many uses leave nothing)
        adults = candidates(self.instance, cls, station, s) if st.staffed else []
        if adults:
            teams = {self.teams.get(a, (a,)) for a in adults}
            full.append(([u for team in teams for u in shared.work[team]], len(adults)))
        pool = self.instance.pool(st.pool)
        if pool is not None:
            full.append((shared.devices[pool.name], pool.count - smallest_in_room(cls, self.settled(cls), s) + 1))
        overs = []
        for uses, enough in full:
            elsewhere = [u for u in uses if (u.cls, u.slot, u.station) != (cls.id, s, station)
                         and u.slot.day == s.day and overlaps(u.slot.start, u.slot.end, s.start, s.end)]
            # Uses change only where one starts: the slot's start and every start inside it are the instants to see.
            for t in sorted({s.start} | {u.slot.start for u in elsewhere if u.slot.start > s.start}):
                now = [u.amount for u in elsewhere if u.slot.start <= t < u.slot.end]
                if not now:
                    continue
                over = self.model.new_bool_var(f"taken[class={cls.id},day={s.day},slot={s.index},"
                                               f"station={station},at={t}]")
                self.model.add(cp_model.LinearExpr.sum(now) >= enough).only_enforce_if(over)
                self.model.add(cp_model.LinearExpr.sum(now) < enough).only_enforce_if(~over)
                overs.append(over)
        if not overs:
            return 0
        taken = self.model.new_bool_var(f"taken_elsewhere[class={cls.id},day={s.day},slot={s.index},station={station}]")
        self.model.add_max_equality(taken, overs)
        return taken

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
            # Always a name, even if the model let more uses overlap than adults: the checker judges the plan.
            adult = next((a for a in team if free_at.get(a, (day, 0)) <= (day, start) or free_at[a][0] != day), team[0])
            free_at[adult] = (day, end)
            names.append(adult)
        return names


Rule = Callable[[RotationModel], None]


def add(instance: Instance, model: cp_model.CpModel, guards: Guards, groups: Mapping[str, Mapping[str, int]] | None,
        chosen: Mapping[str, GroupingModel] | None = None, soft: bool = True) -> RotationModel:
    """The rotation's variables and rules, added to `model`; soft rules only over settled groups."""
    m = RotationModel(instance, model, guards, groups, chosen, teams=teams(instance),
                      slot_of={(c.id, s.day, s.index): s for c in instance.classes for s in c.slots})
    for cls in instance.classes:
        for g in m.group_numbers(cls):
            for s in cls.slots:
                for st in cls.stations:
                    m.at[cls.id, g, s.day, s.index, st.name] = model.new_bool_var(
                        f"at[class={cls.id},group={g},day={s.day},slot={s.index},station={st.name}]")
    apply_rules(m, "rotation", FUNCTIONS, soft)
    return m


def build(instance: Instance, groups: Mapping[str, Mapping[str, int]], explaining: bool = False) -> RotationModel:
    model = cp_model.CpModel()
    m = add(instance, model, Guards(model, explaining), groups, soft=not explaining)
    if not explaining:
        model.minimize(objective(m.terms))
    return m


# --- hard rules ---------------------------------------------------------------------------------

def one_station(m: RotationModel) -> None:
    # A group is at exactly one station in every slot, and at none while nobody of it is in the room.
    for cls in m.instance.classes:
        for g in m.group_numbers(cls):
            for s in cls.slots:
                here = [m.at[cls.id, g, s.day, s.index, st.name] for st in cls.stations]
                m.model.add(cp_model.LinearExpr.sum([*here, m.absent(cls, g, s)]) == 1)


def one_group_at_staffed(m: RotationModel) -> None:
    # An adult teaches one group at a time.
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.staffed:
                for s in cls.slots:
                    m.model.add(m.used(cls, s, st.name) <= 1)


def must_do(m: RotationModel) -> None:
    # Every group visits a must-do station (or a mirror of it) every class day it is in class.
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.must_do and not st.mirror_of:
                guard = m.guards("must_do", f"must_do {st.name}", cls.id, stations=(st.name,))
                for g in m.group_numbers(cls):
                    for day in cls.days:
                        day_slots = [s for s in cls.slots if s.day == day]
                        visited = [m.visits_to(cls, g, day_slots, st.name), m.absent_all_day(cls, g, day)]
                        m.model.add(cp_model.LinearExpr.sum(visited) >= 1).only_enforce_if(guard)


def visits(m: RotationModel) -> None:
    # Every group visits the station exactly N times a week.
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.visits is not None and not st.mirror_of:
                guard = m.guards("visits", f"visits {st.visits} at {st.name}", cls.id, stations=(st.name,))
                for g in m.group_numbers(cls):
                    m.model.add(m.visits_to(cls, g, list(cls.slots), st.name) == st.visits).only_enforce_if(guard)


def needs(m: RotationModel) -> None:
    # Service minutes: these students at the station at least `count` times (not while away).
    for cls in m.instance.classes:
        for rule in cls.rules:
            if rule.kind != "needs" or rule.station is None:
                continue
            guard = m.guards("needs", rule.label, cls.id, students=rule.students, stations=(rule.station,))
            for sid in rule.students:
                slots = [s for s in cls.slots if sid not in away_in(cls, s)]
                for g, member in m.in_group(cls, sid):
                    m.model.add(m.visits_to(cls, g, slots, rule.station) >= (rule.count or 0)
                                ).only_enforce_if(guard + member)


def seats(m: RotationModel) -> None:
    # A station never holds more students than its seats (away students use none).
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.capacity is None:
                continue
            guard = m.guards("seats", f"station {st.name} holds {st.capacity}", cls.id, stations=(st.name,))
            for s in cls.slots:
                load = sum(m.load(cls, g, s, st.name) for g in m.group_numbers(cls))
                m.model.add(load <= st.capacity).only_enforce_if(guard)


def adult_available(m: RotationModel) -> None:
    # A staffed station is open only with an adult who is free then (any one of a team will do).
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.staffed:
                for s in cls.slots:
                    _staff_station(m, cls, st.name, s)


def _staff_station(m: RotationModel, cls: Class, station: str, s: Slot) -> None:
    st = cls.station(station)
    used = m.used(cls, s, station)
    who = candidates(m.instance, cls, station, s)
    if st.staff is not None and who:
        m.who[cls.id, s.day, s.index, station, (st.staff,)] = used
        return
    works = []
    for team in dict.fromkeys(m.teams.get(a, (a,)) for a in who):
        var = m.model.new_bool_var(
            f"works[team={','.join(team)},class={cls.id},day={s.day},slot={s.index},station={station}]")
        m.who[cls.id, s.day, s.index, station, team] = var
        works.append(var)
    staffed = sum(works)
    m.model.add(staffed <= used)
    guard = m.guards("adult_available", f"{st.staff or st.role} free for {station}", cls.id, stations=(station,),
                     adults=(st.staff or st.role or "",), times=(f"{s.day} slot {s.index}",))
    m.model.add(staffed >= used).only_enforce_if(guard)


def adult_one_place(m: RotationModel) -> None:
    # Nobody is in two places: at any instant a team of k interchangeable adults works at most k stations.
    for team, uses in m.work().items():
        guard = m.guards("adult_one_place", f"{' or '.join(team)} in one place", adults=team)
        for day, points in time_points(u.span for u in uses).items():
            for t in points:
                here = [u.amount for u in uses if u.at(day, t)]
                if len(here) > len(team):
                    m.model.add(sum(here) <= len(team)).only_enforce_if(guard)


def devices(m: RotationModel) -> None:
    # A device pool's count limits its users across every class with a station using it, at any instant.
    for pool in m.instance.pools:
        uses = m.devices_used(pool.name)
        sharing = tuple(c.id for c in m.instance.classes if any(st.pool == pool.name for st in c.stations))
        guard = m.guards("devices", f"device pool {pool.name} has {pool.count}", *sharing)
        for day, points in time_points(u.span for u in uses).items():
            for t in points:
                m.model.add(sum(u.amount for u in uses if u.at(day, t)) <= pool.count).only_enforce_if(guard)


def visit_locks(m: RotationModel) -> None:
    # A teacher's locked visit is a fixed value.
    for cls in m.instance.classes:
        for lock in cls.visit_locks:
            guard = m.guards("visit_lock", f"lock group {lock.group} at {lock.station} {lock.day} slot {lock.slot}",
                             cls.id, stations=(lock.station,), times=(f"{lock.day} slot {lock.slot}",))
            var = m.at.get((cls.id, lock.group, lock.day, lock.slot, lock.station))
            m.model.add_bool_or([var if var is not None else False]).only_enforce_if(guard)


# --- soft rules ---------------------------------------------------------------------------------

def away_at_teacher(m: RotationModel) -> None:
    """A pulled-out student's group should not be at a teacher station without them, while the day leaves a
    choice: a student away for the whole day costs nothing, so the rest of the group keeps its teacher time."""
    for cls in m.instance.classes:
        groups = m.settled(cls)
        teacher_stations = [st.name for st in cls.stations if st.kind == "teacher"]
        if not teacher_stations:
            continue
        whole_day = {day: away_all_day(cls, day) for day in cls.days}
        for s in cls.slots:
            gone = away_in(cls, s) - whole_day[s.day]
            for g in m.group_numbers(cls):
                out = sorted(set(members(groups, g)) & gone)
                if out:
                    at_teacher = sum(m.at[cls.id, g, s.day, s.index, st] for st in teacher_stations)
                    m.terms.append(Term("away_at_teacher", len(out) * at_teacher, class_id=cls.id, students=tuple(out),
                                        groups=(g,), day=s.day, slot=s.index))


def teacher_idle(m: RotationModel) -> None:
    """A `by need` station is used in every slot its adult is there (free, and not working elsewhere then) and a
    group is in the room (soft: pull-outs, must-dos and other visits may leave no group for it)."""
    shared = m.shared()  # listed once: every slot of every by-need station reads it
    for cls in m.instance.classes:
        for st in cls.stations:
            if st.by_need and not st.mirror_of:
                for copy, s in by_need_slots(m.instance, cls, m.settled(cls), st.name):
                    # 1 - used as a variable that is never below 0: the search's bound on the cost is then sound
                    # from the start (as a plain expression, presolve shifts it and the bound starts far below).
                    idle = m.model.new_bool_var(f"idle[class={cls.id},day={s.day},slot={s.index},station={copy}]")
                    busy = cp_model.LinearExpr.sum([m.used(cls, s, copy), m.taken_elsewhere(cls, s, copy, shared)])
                    m.model.add_max_equality(idle, [0, 1 - busy])
                    m.terms.append(Term("teacher_idle", idle, class_id=cls.id, station=copy, day=s.day, slot=s.index))


def visits_by_need(m: RotationModel) -> None:
    """`by need` visits: the neediest group at least every day, the least needy at least twice a week, the
    station's spare slots shared out neediest first."""
    for cls in m.instance.classes:
        groups = m.settled(cls)
        ranked = ranked_by_need(cls, groups)
        for st in cls.stations:
            if not st.by_need or st.mirror_of:
                continue
            slots = len(by_need_slots(m.instance, cls, groups, st.name))
            for g, target in zip(ranked, by_need_targets(len(cls.days), cls.groups, slots), strict=True):
                short = target - m.visits_to(cls, g, list(cls.slots), st.name)
                # Squared, so that when the slots cannot meet every target the groups share the shortfall: the
                # square of a whole number of visits short is the highest of its tangents, which bounds well.
                squared = m.model.new_int_var(0, target ** 2, f"by_need_short_squared[class={cls.id},group={g},"
                                                              f"station={st.name}]")
                tangents = [(2 * k - 1) * short - k * (k - 1) for k in range(1, target + 1)]
                m.model.add_max_equality(squared, [0, *tangents])
                m.terms.append(Term("visits_by_need", squared, class_id=cls.id, groups=(g,), station=st.name,
                                    asked=target))


def visits_in_need_order(m: RotationModel) -> None:
    """A group needing more support never gets fewer `by need` visits than one needing less (each pair of groups
    costs the visits by which the one needing less is ahead)."""
    for cls in m.instance.classes:
        ranked = ranked_by_need(cls, m.settled(cls))
        for st in cls.stations:
            if not st.by_need or st.mirror_of:
                continue
            visits = {g: m.visits_to(cls, g, list(cls.slots), st.name) for g in ranked}
            for more, less in itertools.combinations(ranked, 2):
                name = f"need_order[class={cls.id},group={less},station={st.name}]"
                ahead = m.model.new_int_var(0, len(cls.slots), name)
                lead = cp_model.LinearExpr.weighted_sum([visits[less], visits[more]], [1, -1])
                m.model.add_max_equality(ahead, [0, lead])
                m.terms.append(Term("visits_in_need_order", ahead, class_id=cls.id, groups=(less, more),
                                    station=st.name))


def repeat_in_day(m: RotationModel) -> None:
    """A group is not at the same station twice in a day while it has others left to visit."""
    for cls in m.instance.classes:
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
                    m.terms.append(Term("repeat_in_day", extra, class_id=cls.id, groups=(g,), day=day,
                                        station=st.name))


def filler_spread(m: RotationModel) -> None:
    """Stations with no visit rule fill the other slots, spread evenly over the week."""
    for cls in m.instance.classes:
        names = fillers(cls)
        if len(names) < 2:
            continue
        n = len(cls.slots)
        for g in m.group_numbers(cls):
            counts = [m.visits_to(cls, g, list(cls.slots), name) for name in names]
            most = m.model.new_int_var(0, n, f"filler_max[class={cls.id},group={g}]")
            least = m.model.new_int_var(0, n, f"filler_min[class={cls.id},group={g}]")
            m.model.add_max_equality(most, counts)
            m.model.add_min_equality(least, counts)
            m.terms.append(Term("filler_spread", most - least, class_id=cls.id, groups=(g,)))


def station_balance(m: RotationModel) -> None:
    """No station holds two groups while another that could take one of them sits empty: each slot costs the
    fewer of the groups crowded in with another and the empty stations that could take one."""
    for cls in m.instance.classes:
        groups = m.settled(cls)
        crowdable = [st.name for st in cls.stations if not st.staffed]
        if not crowdable:
            continue  # one group a station: nothing can crowd
        counted = [st.name for st in cls.stations if cls.station(st.original).visits is not None]
        for s in cls.slots:
            here = sum(1 for g in m.group_numbers(cls) if present(cls, groups, g, s))
            free = [st.name for st in cls.stations if could_take(m.instance, cls, groups, st.name, s)]
            if here < 2 or not free:
                continue
            # min(crowded, empty) = crowded - max(0, crowded - empty), and crowded - empty comes to the groups in
            # the room beyond the free stations less the counted ones in use (the hard rules keep groups off every
            # other station): linear unless counted stations could more than make up the difference.
            beyond = here - len(free)
            in_use: cp_model.LinearExpr | int = 0
            if beyond > 0:
                in_use = cp_model.LinearExpr.sum([_in_use(m, cls, s, c) for c in counted])
            forced: cp_model.LinearExpr | int = max(0, beyond) - in_use
            if 0 < beyond < len(counted):
                forced = m.model.new_int_var(0, beyond, f"crowded_anyway[class={cls.id},day={s.day},slot={s.index}]")
                m.model.add_max_equality(forced, [0, beyond - in_use])
            crowded = []
            for name in crowdable:
                extra = m.model.new_int_var(0, here - 1, f"crowded[class={cls.id},day={s.day},slot={s.index},"
                                                         f"station={name}]")
                m.model.add_max_equality(extra, [0, m.used(cls, s, name) - 1])
                crowded.append(extra)
            # Never below 0 anyway; saying so keeps the search's bound on the cost sound from the start.
            cost = m.model.new_int_var(0, here, f"balance[class={cls.id},day={s.day},slot={s.index}]")
            m.model.add_max_equality(cost, [0, cp_model.LinearExpr.sum(crowded) - forced])
            m.terms.append(Term("station_balance", cost, class_id=cls.id, day=s.day, slot=s.index))


def _in_use(m: RotationModel, cls: Class, s: Slot, station: str) -> cp_model.LinearExprT:
    """1 when any group is at the station in the slot (a staffed station takes one group at most)."""
    if cls.station(station).staffed:
        return m.used(cls, s, station)
    var = m.model.new_bool_var(f"in_use[class={cls.id},day={s.day},slot={s.index},station={station}]")
    m.model.add_max_equality(var, [m.at[cls.id, g, s.day, s.index, station] for g in m.group_numbers(cls)])
    return var


def keep_visits(m: RotationModel) -> None:
    """Re-planning: each visit changed from last week's plan costs more than any other gain."""
    previous = m.instance.previous
    if previous is None or not previous.visits:
        return
    scale = keep_visit_weight(m.instance)
    for (c, g, day, k), station in previous.visits.items():
        var = m.at.get((c, g, day, k, station))
        if var is not None:  # a slot, group or station the class no longer has keeps nothing
            m.model.add_hint(var, True)
            m.terms.append(Term("keep_visit", 1 - var, class_id=c, groups=(g,), day=day, slot=k, scale=scale))


# Each rule of this stage by its name in solver/rules.py, which gives their order.
FUNCTIONS: dict[str, Rule] = bound({
    "one_station": one_station, "one_group_at_staffed": one_group_at_staffed, "must_do": must_do,
    "visits": visits, "needs": needs, "seats": seats, "devices": devices, "adult_available": adult_available,
    "adult_one_place": adult_one_place, "visit_lock": visit_locks,
    "away_at_teacher": away_at_teacher, "teacher_idle": teacher_idle, "visits_in_need_order": visits_in_need_order,
    "visits_by_need": visits_by_need, "station_balance": station_balance, "repeat_in_day": repeat_in_day,
    "filler_spread": filler_spread, "keep_visit": keep_visits,
}, stage="rotation")
