"""The school world as a teacher describes it in the planning workbook: plain, typed, frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS: tuple[str, ...] = DAYS[:5]

GROUPINGS: tuple[str, ...] = ("similar", "mixed", "by skill")
STATION_KINDS: tuple[str, ...] = ("teacher", "online", "collaborative", "independent", "other")
BY_NEED = "by need"
RULE_KINDS: tuple[str, ...] = (
    "apart", "together", "prefer_apart", "prefer_together", "group", "away", "needs",
)


@dataclass(frozen=True)
class Student:
    student_id: str
    first_name: str
    last_name: str = ""
    grade: str | None = None  # "K" or "1".."12"
    classes: tuple[str, ...] = ()  # empty: the school's only class
    flags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Skill:
    skill: str
    min: float = 0.0
    max: float = 100.0
    mastered_at: float | None = None


@dataclass(frozen=True)
class MasteryResult:
    student_id: str
    skill: str
    score: float
    date: dt.date | None = None  # None: older than any dated result
    source: str = ""
    detail: str = ""  # kept beside the score, never planned on: a percentile, a placement, a benchmark category


@dataclass(frozen=True)
class SchoolClass:
    class_id: str
    start: dt.time
    rotation_minutes: int
    teacher: str = ""
    room: str = ""
    days: tuple[str, ...] = WEEKDAYS
    rotations: int | None = None  # None: one per station (mirrors not counted)
    transition_minutes: int = 0
    groups: int | None = None  # None: one per station (mirrors not counted)
    min_group_size: int | None = None  # None: balanced sizes
    max_group_size: int | None = None
    grouping: str = "similar"
    focus: tuple[str, ...] = ()  # empty: every skill


@dataclass(frozen=True)
class Station:
    name: str
    class_id: str | None = None  # None: copied into every class
    kind: str = "other"
    capacity: int | None = None
    staff: str = ""  # a staff_id or a role; blank: the class teacher for kind "teacher"
    devices: str = ""  # a device pool
    must_do: bool | None = None  # None: the default (docs/workbook.md)
    visits: int | str | None = None  # a number, BY_NEED, or None
    mirror_of: str = ""


@dataclass(frozen=True)
class Window:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class AvailabilityClause:
    days: tuple[str, ...]
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class Staff:
    staff_id: str
    name: str = ""
    role: str = ""
    available: tuple[AvailabilityClause, ...] = ()  # empty: always available


@dataclass(frozen=True)
class DevicePool:
    pool: str
    count: int
    classes: tuple[str, ...] = ()  # empty: every class


@dataclass(frozen=True)
class Rule:
    rule: str  # one of RULE_KINDS
    students: tuple[str, ...]  # student ids or flags
    group: int | None = None
    station: str = ""
    count: int | None = None
    days: tuple[str, ...] = ()  # empty: every class day
    start: dt.time | None = None
    end: dt.time | None = None
    note: str = ""
    row: int | None = None  # row in the Rules sheet, to name the rule in messages


@dataclass(frozen=True)
class StudentLock:
    """A teacher locked a student in a group."""

    class_id: str
    student_id: str
    group: int


@dataclass(frozen=True)
class VisitLock:
    """A teacher locked a group at a station in a slot."""

    class_id: str
    day: str
    slot: int
    group: int
    station: str


@dataclass(frozen=True)
class School:
    """Everything one planning workbook holds."""

    students: tuple[Student, ...] = ()
    skills: tuple[Skill, ...] = ()
    mastery: tuple[MasteryResult, ...] = ()
    classes: tuple[SchoolClass, ...] = ()
    stations: tuple[Station, ...] = ()
    staff: tuple[Staff, ...] = ()
    devices: tuple[DevicePool, ...] = ()
    rules: tuple[Rule, ...] = ()
    student_locks: tuple[StudentLock, ...] = ()
    visit_locks: tuple[VisitLock, ...] = ()
    name: str = field(default="", compare=False)  # where it came from, for messages
