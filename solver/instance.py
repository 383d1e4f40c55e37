"""What the solver is given: frozen data keyed by stable ids, with every default already resolved.

Times are minutes since midnight; need is an integer 0..NEED_SCALE (NEED_SCALE = needs most support).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

NEED_SCALE = 1000
# Regrouping may cost this much more than the best grouping (a share of its cost) to keep students where they were.
REGROUP_TOLERANCE = 0.05


@dataclass(frozen=True)
class Student:
    id: str
    need: int = 0  # 0..NEED_SCALE: how much support the student needs on the class's focus
    flags: frozenset[str] = frozenset()
    skill_need: Mapping[str, int] = field(default_factory=dict)  # per focus skill, for `by skill`
    no_data: bool = False  # no result on a focus skill: `need` is the class median, a stand-in


@dataclass(frozen=True)
class Station:
    name: str
    kind: str = "other"
    capacity: int | None = None  # most students there at once
    staff: str | None = None  # an adult's id: that adult must be there
    role: str | None = None  # else any free adult with this role
    pool: str | None = None  # device pool: each student there uses one device
    must_do: bool = False  # every group, every class day
    visits: int | None = None  # every group exactly this many times a week
    by_need: bool = False  # soft weekly targets from the groups' need
    mirror_of: str | None = None  # a copy of this station: visits count toward it

    @property
    def staffed(self) -> bool:
        return self.staff is not None or self.role is not None

    @property
    def original(self) -> str:
        return self.mirror_of or self.name


@dataclass(frozen=True)
class Slot:
    day: str
    index: int  # 1 = the day's first rotation
    start: int
    end: int


@dataclass(frozen=True)
class StudentRule:
    """A teacher's rule about students, already narrowed to one class.

    kind: apart, together, prefer_apart, prefer_together, group (pin to `group`),
    needs (at `station` at least `count` times a week). `label` names it for people.
    """

    kind: str
    label: str
    students: tuple[str, ...]
    group: int | None = None
    station: str | None = None
    count: int | None = None


@dataclass(frozen=True)
class Away:
    """A student out of class (pull-out) from `start` to `end` on `day`."""

    label: str
    student: str
    day: str
    start: int
    end: int


@dataclass(frozen=True)
class VisitLock:
    day: str
    slot: int
    group: int
    station: str


@dataclass(frozen=True)
class Class:
    id: str
    students: tuple[Student, ...]
    stations: tuple[Station, ...]
    slots: tuple[Slot, ...]
    groups: int
    min_size: int
    max_size: int
    grouping: str = "similar"  # similar, mixed, by skill
    focus: tuple[str, ...] = ()  # by skill: group g targets focus[(g-1) % len(focus)]
    teacher: str | None = None
    rules: tuple[StudentRule, ...] = ()
    away: tuple[Away, ...] = ()
    student_locks: Mapping[str, int] = field(default_factory=dict)  # student -> group
    visit_locks: tuple[VisitLock, ...] = ()

    @property
    def days(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.day for s in self.slots))

    def station(self, name: str) -> Station:
        return next(s for s in self.stations if s.name == name)


@dataclass(frozen=True)
class Window:
    day: str
    start: int
    end: int


@dataclass(frozen=True)
class Adult:
    id: str
    name: str = ""
    role: str = ""
    available: tuple[Window, ...] | None = None  # None: always
    teaches: tuple[str, ...] = ()  # class ids this adult leads


@dataclass(frozen=True)
class DevicePool:
    """A pool's count limits every station that uses it, in whichever class (the reader refuses a station
    of a class the pool is not listed for, so `classes` only says what the school wrote)."""

    name: str
    count: int
    classes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Previous:
    """Last week's plan: kept wherever the hard rules allow, or, when `regroup`, the groups follow the latest
    mastery (a grouping cost within REGROUP_TOLERANCE of the best) and among such groupings the fewest students move."""

    groups: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (class, student) -> group
    visits: Mapping[tuple[str, int, str, int], str] = field(default_factory=dict)
    # (class, group, day, slot) -> station
    regroup: bool = False


@dataclass(frozen=True)
class Instance:
    classes: tuple[Class, ...]
    adults: tuple[Adult, ...] = ()
    pools: tuple[DevicePool, ...] = ()
    previous: Previous | None = None

    def adult(self, adult_id: str) -> Adult:
        return next(a for a in self.adults if a.id == adult_id)

    def pool(self, name: str | None) -> DevicePool | None:
        """The device pool of that name; None for no name or a pool not listed (which limits nothing)."""
        return next((p for p in self.pools if p.name == name), None)


@dataclass(frozen=True)
class Options:
    time_limit: float = 10.0  # seconds; deterministic seconds when reproducible
    seed: int = 0
    workers: int = 1
    # The same plan on every run: limits count the solver's deterministic time, not the clock's
    # (a wall-clock cap of several times the limit remains as a safety net on a slow machine).
    reproducible: bool = True
