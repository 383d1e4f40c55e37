"""Facts of the week that the model, the checker and the explanations all need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from solver.instance import NEED_SCALE, Adult, Class, Instance, Slot
from solver.rules import weight


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def away_in(cls: Class, slot: Slot) -> set[str]:
    """Students out of class in the slot: a pull-out window that overlaps it at all."""
    return {a.student for a in cls.away
            if a.day == slot.day and overlaps(a.start, a.end, slot.start, slot.end)}


def away_all_day(cls: Class, day: str) -> set[str]:
    """Students out for every slot of the class's day: moving their group's teacher time cannot help them."""
    slots = [s for s in cls.slots if s.day == day]
    gone = [away_in(cls, s) for s in slots]
    return set.intersection(*gone) if gone else set()


def members(groups: Mapping[str, int], group: int) -> list[str]:
    return [s for s, g in groups.items() if g == group]


def present(cls: Class, groups: Mapping[str, int], group: int, slot: Slot) -> int:
    """How many of the group's students are in the room in the slot (away students use no seat)."""
    gone = away_in(cls, slot)
    return sum(1 for s in members(groups, group) if s not in gone)


def block(cls: Class, day: str) -> tuple[int, int] | None:
    """The clock span of the class's rotations on a day."""
    slots = [s for s in cls.slots if s.day == day]
    if not slots:
        return None
    return min(s.start for s in slots), max(s.end for s in slots)


def leading_elsewhere(instance: Instance, adult: Adult, class_id: str, slot: Slot) -> bool:
    """An adult leading their own class then cannot work a station of another class."""
    for cls in instance.classes:
        if cls.id != class_id and cls.id in adult.teaches:
            span = block(cls, slot.day)
            if span and overlaps(span[0], span[1], slot.start, slot.end):
                return True
    return False


def free(adult: Adult, day: str, start: int, end: int) -> bool:
    """Available for the whole of [start, end) on day; windows that touch or overlap join into one."""
    if adult.available is None:
        return True
    reach = start
    for w in sorted((w for w in adult.available if w.day == day), key=lambda w: w.start):
        if w.start <= reach < w.end:
            reach = w.end
    return reach >= end


def can_staff(instance: Instance, adult: Adult, class_id: str, slot: Slot) -> bool:
    return free(adult, slot.day, slot.start, slot.end) and not leading_elsewhere(instance, adult, class_id, slot)


def candidates(instance: Instance, cls: Class, station_name: str, slot: Slot) -> list[str]:
    """The adults who could work the station in the slot."""
    st = cls.station(station_name)
    if st.staff is not None:
        adult = next((a for a in instance.adults if a.id == st.staff), None)
        if adult is None:  # a teacher absent from Staff: always available
            return [st.staff]
        return [st.staff] if can_staff(instance, adult, cls.id, slot) else []
    if st.role is not None:
        return [a.id for a in instance.adults if a.role == st.role and can_staff(instance, a, cls.id, slot)]
    return []


def time_points(slots: Iterable[tuple[str, int, int]]) -> dict[str, list[int]]:
    """Per day, the instants where overlapping slots must be checked: every slot's start."""
    points: dict[str, set[int]] = {}
    for day, start, _end in slots:
        points.setdefault(day, set()).add(start)
    return {d: sorted(p) for d, p in points.items()}


def mean_need(cls: Class, groups: Mapping[str, int], group: int) -> float:
    """How much support a group needs: its members' mean need (the one measure for numbering and visits)."""
    need = {s.id: s.need for s in cls.students}
    ids = [s for s in members(groups, group) if s in need]
    return sum(need[s] for s in ids) / len(ids) if ids else 0.0


def ranked_by_need(cls: Class, groups: Mapping[str, int]) -> list[int]:
    """Group numbers from most to least support needed (mean need; ties by number)."""
    return sorted(range(1, cls.groups + 1), key=lambda g: (-mean_need(cls, groups, g), g))


def teams(instance: Instance) -> dict[str, tuple[str, ...]]:
    """Adults who can stand in for one another (same role, hours and classes, never named by id).

    The model counts a team's adults instead of choosing each one, which removes the symmetry
    between interchangeable interventionists; the adults are named after solving.
    """
    named = {st.staff for c in instance.classes for st in c.stations if st.staff}
    alike: dict[tuple, list[str]] = {}
    for a in instance.adults:
        key = (a.id,) if a.id in named else (a.role, a.available, a.teaches)
        alike.setdefault(key, []).append(a.id)
    return {a: tuple(team) for team in alike.values() for a in team}


def fillers(cls: Class) -> list[str]:
    """Stations with no visit rule: they fill the other slots."""
    return [st.name for st in cls.stations
            if not st.mirror_of and not st.must_do and st.visits is None and not st.by_need]


def must_fit(cls: Class) -> dict[str, int]:
    """Seats of the roomiest copy of each station every group visits (stations without a limit left out):
    must-dos, numbered visits, and `by need` teacher tables, which every group is meant to see."""
    out = {}
    for st in cls.stations:
        if st.mirror_of or not (st.must_do or st.visits or st.by_need):
            continue
        capacities = [c.capacity for c in cls.stations if c.original == st.name]
        if None not in capacities:
            out[st.name] = max(c for c in capacities if c is not None)
    return out


def by_need_targets(days: int, groups: int, slots: int = 0) -> list[int]:
    """Weekly visits for groups ranked from most to least support: every day down to twice a week at least,
    then the station's other `slots` shared one at a time, the neediest first."""
    if groups == 1:
        return [max(days, slots)]
    low = min(2, days)
    least = [int(days + (low - days) * i / (groups - 1) + 0.5) for i in range(groups)]
    spare = max(0, slots - sum(least))
    return [n + spare // groups + (i < spare % groups) for i, n in enumerate(least)]


def by_need_slots(instance: Instance, cls: Class, groups: Mapping[str, int], original: str) -> list[tuple[str, Slot]]:
    """(copy, slot) for each copy of a `by need` station and each slot its adult is free while a group is in the
    room: when it should never stand empty."""
    return [(st.name, s) for st in cls.stations if st.original == original for s in cls.slots
            if candidates(instance, cls, st.name, s)
            and any(present(cls, groups, g, s) for g in range(1, cls.groups + 1))]


def could_take(instance: Instance, cls: Class, groups: Mapping[str, int], station: str, slot: Slot) -> bool:
    """Whether the station could take a group in the slot instead of leaving it crowded elsewhere: not held to
    a set number of visits, an adult free if it needs one, seats and devices for the smallest group there."""
    st = cls.station(station)
    if cls.station(st.original).visits is not None or (st.staffed and not candidates(instance, cls, station, slot)):
        return False
    smallest = smallest_in_room(cls, groups, slot)
    pool = instance.pool(st.pool)
    return (st.capacity is None or st.capacity >= smallest) and (pool is None or pool.count >= smallest)


def smallest_in_room(cls: Class, groups: Mapping[str, int], slot: Slot) -> int:
    """The fewest students of any group in the room in the slot (groups all away left out): what a station
    must hold, in seats or devices, to take a group."""
    return min((n for g in range(1, cls.groups + 1) if (n := present(cls, groups, g, slot))), default=0)


def pair_count(size: int) -> int:
    return size * (size - 1) // 2


def keep_group_weight(cls: Class) -> int:
    """A moved student costs more than every other grouping cost together can reach."""
    n, g = len(cls.students), cls.groups
    flags = len({f for s in cls.students for f in s.flags})
    pairs = sum(pair_count(len(r.students)) for r in cls.rules if r.kind.startswith("prefer_"))
    bound = {"similar": g * NEED_SCALE, "mixed": g * n * n * NEED_SCALE + flags * n * weight("flag_balance"),
             "by skill": n * NEED_SCALE}[cls.grouping]
    no_data = sum(1 for s in cls.students if s.no_data) * weight("no_data_spread")
    return bound + no_data + pairs * weight("prefer_apart") + 1


def keep_visit_weight(instance: Instance) -> int:
    """A changed visit costs more than every other rotation cost together can reach."""
    bound = 0
    for cls in instance.classes:
        slots = len(cls.slots) * cls.groups
        by_need = sum(1 for st in cls.stations if st.by_need)
        copies = sum(1 for st in cls.stations if cls.station(st.original).by_need)
        highest = len(cls.slots) * (len(cls.stations) + 1)  # a target: the days and every copy's slots, at most
        bound += weight("away_at_teacher") * len(cls.students) * len(cls.slots)
        bound += weight("teacher_idle") * copies * len(cls.slots)
        bound += weight("visits_by_need") * by_need * cls.groups * highest ** 2
        bound += weight("visits_in_need_order") * by_need * pair_count(cls.groups) * len(cls.slots)
        bound += (weight("repeat_in_day") * len(cls.stations) + weight("filler_spread")
                  + weight("station_balance")) * slots
    return bound + 1

