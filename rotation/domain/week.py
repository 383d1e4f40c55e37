"""Derived facts of the school week: a class's stations, slots and defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rotation.domain.school import AvailabilityClause, Rule, School, SchoolClass, Staff, Station, Student, Window


@dataclass(frozen=True)
class SlotTime:
    day: str
    slot: int  # 1 = the day's first rotation
    start: dt.time
    end: dt.time


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def clock(m: int) -> dt.time:
    return dt.time(m // 60 % 24, m % 60)


def hhmm(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def availability_text(clauses: tuple[AvailabilityClause, ...]) -> str:
    """Availability as sheet Staff writes it, `Mon,Tue 08:00-12:00, 13:00-15:00; Fri off` (blank: always)."""
    return "; ".join(f"{','.join(c.days)} {', '.join(f'{hhmm(w.start)}-{hhmm(w.end)}' for w in c.windows) or 'off'}"
                     for c in clauses)


def stations_of(school: School, class_id: str) -> tuple[Station, ...]:
    """The class's own stations plus the rows with a blank class (copied into every class)."""
    return tuple(s for s in school.stations if s.class_id in (None, class_id))


def rotations_of(school: School, cls: SchoolClass) -> int:
    if cls.rotations is not None:
        return cls.rotations
    return sum(1 for s in stations_of(school, cls.class_id) if not s.mirror_of)


def groups_of(school: School, cls: SchoolClass) -> int:
    if cls.groups is not None:
        return cls.groups
    return sum(1 for s in stations_of(school, cls.class_id) if not s.mirror_of)


def slot_times(school: School, cls: SchoolClass) -> tuple[SlotTime, ...]:
    """Every rotation slot of the class's week, in day then slot order."""
    step = cls.rotation_minutes + cls.transition_minutes
    first = minutes(cls.start)
    return tuple(
        SlotTime(day, k + 1, clock(first + k * step), clock(first + k * step + cls.rotation_minutes))
        for day in cls.days
        for k in range(rotations_of(school, cls))
    )


def class_ids_of(school: School, student: Student) -> tuple[str, ...]:
    """A student's classes; a blank `class` means the school's only class."""
    if student.classes:
        return student.classes
    return tuple(c.class_id for c in school.classes[:1])


def locked_in(school: School, class_id: str) -> set[str]:
    """The students of the class locked in their group."""
    return {lock.student_id for lock in school.student_locks if lock.class_id == class_id}


def students_of(school: School, class_id: str) -> tuple[Student, ...]:
    return tuple(s for s in school.students if class_id in class_ids_of(school, s))


def adult_names(school: School) -> dict[str, str]:
    """Each adult's staff_id -> their name, as the app says them (an adult without a name keeps the id)."""
    return {s.staff_id: s.name or s.staff_id for s in school.staff}


def names_of(school: School) -> dict[str, str]:
    """Each adult's and student's id -> their name, as the app says them (an adult without a name keeps the id)."""
    return {**adult_names(school), **{s.student_id: s.name for s in school.students}}


def rule_students(school: School, rule: Rule, class_id: str) -> tuple[str, ...]:
    """The class's students a rule names: an id names itself, a flag every student who has it."""
    members = students_of(school, class_id)
    ids = {s.student_id for s in members}
    out: list[str] = []
    for item in rule.students:
        out += [item] if item in ids else [s.student_id for s in members if item in s.flags]
    return tuple(dict.fromkeys(out))


def away_slots(school: School, cls: SchoolClass) -> set[tuple[str, int, str]]:
    """(day, slot, student_id) for every class slot that an `away` window overlaps at all."""
    out: set[tuple[str, int, str]] = set()
    for rule in school.rules:
        if rule.rule != "away" or rule.start is None or rule.end is None:
            continue
        who = rule_students(school, rule, cls.class_id)
        for slot in slot_times(school, cls):
            if (not rule.days or slot.day in rule.days) and slot.start < rule.end and rule.start < slot.end:
                out.update((slot.day, slot.slot, s) for s in who)
    return out


def station_staff(school: School, cls: SchoolClass, station: Station) -> tuple[str, str]:
    """Who works a station: (staff_id, "") for a named adult, ("", role) for any adult of a role,
    ("", "") for nobody. A blank teacher station is the class teacher's own, never a role that happens
    to share the name; a staff_id always wins over a role of the same name."""
    who = station.staff or (cls.teacher if station.kind == "teacher" else "")
    ids, roles = {s.staff_id for s in school.staff}, {s.role for s in school.staff}
    by_id = not station.staff or who in ids or who not in roles
    return (who, "") if by_id else ("", who)


def windows_by_day(staff: Staff) -> dict[str, tuple[Window, ...]] | None:
    """When an adult is in school, per day; a later clause replaces the earlier ones for the days it names.
    None: always."""
    if not staff.available:
        return None
    by_day: dict[str, tuple[Window, ...]] = {}
    for clause in staff.available:
        for day in clause.days:
            by_day[day] = clause.windows
    return by_day


def is_available(staff: Staff, day: str, start: dt.time, end: dt.time) -> bool:
    windows = windows_by_day(staff)
    return windows is None or any(w.start <= start and end <= w.end for w in windows.get(day, ()))
