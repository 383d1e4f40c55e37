"""Hand edits of a week's plan as operations: each takes the week (school and plan, both immutable) and returns the
edited week, so the desktop app wraps one edit in one undo command and undoes by restoring the week before. The
independent checker then judges the result (`verdict`); an edit never refuses a plan for breaking a rule, only an
edit that names something the class does not have (`EditError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.domain.school import (
    BY_NEED,
    DAYS,
    GROUPINGS,
    RULE_KINDS,
    STATION_KINDS,
    AvailabilityClause,
    DevicePool,
    Rule,
    School,
    SchoolClass,
    Staff,
    Station,
    StudentLock,
    VisitLock,
)
from rotation.domain.settings import (
    SettingProblem,
    away_times_problem,
    day_end_problem,
    focus_problems,
    group_problem,
    group_sizes_problem,
    mirror_problem,
    pool_problem,
    rule_missing_problems,
    rule_station_problem,
    rule_student_problem,
    staff_problem,
    station_label,
    unknown_class_problem,
)
from rotation.domain.week import availability_text, groups_of, hhmm, names_of, rotations_of, stations_of, students_of
from rotation.planning.instance import Planning, build_instance, rule_label
from rotation.planning.messages import violation_words
from rotation.planning.result import checks, group_names, to_solver_plan
from solver.check import Report, check
from solver.plan import Fix, Result, Status
from solver.rules import RULES

L = TypeVar("L", StudentLock, VisitLock)


class EditError(ValueError):
    """An edit the week cannot take: it names a class, student, group, station, day or slot the class does not
    have, or a setting value the planning workbook would refuse. The week is left as it was. `setting` names the
    setting (a column of sheet Classes, Stations, Staff, Devices or Rules; a field of the domain's object) the
    message is about, if one is: a form shows it there."""

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Week:
    """What a teacher edits: the school (its locks in student_locks and visit_locks, as the planning workbook has
    them) and the plan."""

    school: School
    plan: Plan


# --- the words of the undo history ------------------------------------------------------------------

# Every edit's words, in one place: the UI translates the format (tr()) and fills in the arguments.
WORDS: dict[str, str] = {
    "move student": "Move {student} to {group}",
    "lock student": "Lock {student} in {group}",
    "unlock student": "Unlock {student}",
    "lock group": "Lock {group}",
    "unlock group": "Unlock {group}",
    "set visit": "Put {group} at {station} on {day}, slot {slot}",
    "lock visit": "Lock {group} at {station} on {day}, slot {slot}",
    "unlock visit": "Unlock {group} on {day}, slot {slot}",
    "change setting": "Set {setting} of {class_id} to {value}",
    "set class": "Set {changes} for class {class_id}",
    "set station": "Set {changes} for station {station}",
    "drop rule": "Remove rule {rule}",
    "add staff": "Add {staff_id} to the staff",
    "set staff": "Set {changes} for {staff_id}",
    "remove staff": "Remove {staff_id} from the staff",
    "add pool": "Add device pool {pool}",
    "set pool": "Set {changes} for device pool {pool}",
    "remove pool": "Remove device pool {pool}",
    "add rule": "Add rule {rule}",
    "set rule": "Change rule {rule}",
    "import": "Import {sources}",
}


@dataclass(frozen=True)
class Label:
    """An edit's words for the undo history: `text`, a format string of WORDS, filled in by `args`."""

    text: str
    args: dict[str, str]

    def __str__(self) -> str:
        return self.text.format(**self.args)


def _label(words: str, **args: object) -> Label:
    return Label(WORDS[words], {k: str(v) for k, v in args.items()})


def _student_words(week: Week, student_id: str) -> str:
    return next((s.name for s in week.school.students if s.student_id == student_id), student_id)


def _group_words(week: Week, class_id: str, number: int) -> str:
    group = _planned_group(week.plan, class_id, number)
    return group.name if group is not None and group.name else f"group {number}"


# --- what an edit may name --------------------------------------------------------------------------

def _class(school: School, class_id: str) -> SchoolClass:
    cls = next((c for c in school.classes if c.class_id == class_id), None)
    if cls is None:
        raise EditError(f"there is no class '{class_id}'")
    return cls


def _check_student(school: School, cls: SchoolClass, student_id: str) -> None:
    if student_id not in {s.student_id for s in students_of(school, cls.class_id)}:
        raise EditError(f"'{student_id}' is not a student of class '{cls.class_id}'")


def _check_group(school: School, cls: SchoolClass, group: int) -> None:
    groups = groups_of(school, cls)
    if not 1 <= group <= groups:
        raise EditError(f"class '{cls.class_id}' has groups 1 to {groups}; there is no group {group}")


def _check_slot(school: School, cls: SchoolClass, day: str, slot: int) -> None:
    if day not in cls.days:
        raise EditError(f"class '{cls.class_id}' does not meet on {day} (it meets {', '.join(cls.days)})")
    slots = rotations_of(school, cls)
    if not 1 <= slot <= slots:
        raise EditError(f"class '{cls.class_id}' has slots 1 to {slots} a day; there is no slot {slot}")


def _check_station(school: School, cls: SchoolClass, station: str) -> None:
    if station not in {s.name for s in stations_of(school, cls.class_id)}:
        raise EditError(f"'{station}' is not a station of class '{cls.class_id}'")


# --- reading the plan ---------------------------------------------------------------------------------

def _planned_group(plan: Plan, class_id: str, number: int) -> PlannedGroup | None:
    return next((g for g in plan.groups if g.class_id == class_id and g.number == number), None)


def _group_of(plan: Plan, class_id: str, student_id: str) -> PlannedGroup | None:
    return next((g for g in plan.groups if g.class_id == class_id and student_id in g.members), None)


def _slot_visits(plan: Plan, class_id: str, day: str, slot: int) -> list[Visit]:
    return [v for v in plan.visits if v.class_id == class_id and v.day == day and v.slot == slot]


def _station_of(plan: Plan, class_id: str, day: str, slot: int, group: int) -> str | None:
    return next((v.station for v in _slot_visits(plan, class_id, day, slot) if v.group == group), None)


def _relocked(locks: tuple[L, ...], same: Callable[[L], bool], new: L | None) -> tuple[L, ...]:
    """The locks with the one `same` picks replaced by `new` where it stood (`new` added last if none did; None:
    that lock removed), so the Locks sheet keeps its order."""
    at = next((i for i, lock in enumerate(locks) if same(lock)), len(locks))
    kept = [lock for lock in locks if not same(lock)]
    return tuple(kept[:at] + ([new] if new is not None else []) + kept[at:])


# --- students and groups ------------------------------------------------------------------------------

def _with_group(plan: Plan, school: School, cls: SchoolClass, number: int) -> tuple[PlannedGroup, ...]:
    """The plan's groups, with group `number` added empty (after the class's last) if the plan has none: the class
    may have more groups than its plan after a change of setting, and a teacher fills the new one by hand."""
    if _planned_group(plan, cls.class_id, number) is not None:
        return plan.groups
    name = group_names(cls.class_id, groups_of(school, cls))[number - 1]
    new = PlannedGroup(cls.class_id, number, name, (), ())
    at = max((i + 1 for i, g in enumerate(plan.groups) if g.class_id == cls.class_id), default=len(plan.groups))
    return (*plan.groups[:at], new, *plan.groups[at:])


def _moved(groups: tuple[PlannedGroup, ...], class_id: str, student_id: str, number: int) -> tuple[PlannedGroup, ...]:
    """The student leaves every group of the class and joins the end of group `number`, taking their need with them
    (need is the plan's, not worked out again)."""
    was = next((g for g in groups if g.class_id == class_id and student_id in g.members), None)
    need = was.need[was.members.index(student_id)] if was is not None else None
    out = []
    for g in groups:
        if g.class_id == class_id and student_id in g.members:
            kept = [(s, n) for s, n in zip(g.members, g.need, strict=True) if s != student_id]
            g = dataclasses.replace(g, members=tuple(s for s, _ in kept), need=tuple(n for _, n in kept))
        if g.class_id == class_id and g.number == number:
            g = dataclasses.replace(g, members=(*g.members, student_id), need=(*g.need, need))
        out.append(g)
    return tuple(out)


def _student_locked(school: School, class_id: str, student_id: str, group: int | None) -> School:
    """The school with the student locked in `group` (None: unlocked)."""
    locks = _relocked(school.student_locks, lambda lk: (lk.class_id, lk.student_id) == (class_id, student_id),
                      StudentLock(class_id, student_id, group) if group is not None else None)
    return dataclasses.replace(school, student_locks=locks)


def _is_locked(school: School, class_id: str, student_id: str) -> bool:
    return any((lk.class_id, lk.student_id) == (class_id, student_id) for lk in school.student_locks)


@dataclass(frozen=True)
class MoveStudent:
    """The student leaves their group and joins the end of `group`; a locked student's lock moves with them (a
    teacher who drags a locked student means it). Moving a student to the group they are in changes nothing."""

    class_id: str
    student_id: str
    group: int

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        _check_student(week.school, cls, self.student_id)
        _check_group(week.school, cls, self.group)
        was = _group_of(week.plan, self.class_id, self.student_id)
        if was is not None and was.number == self.group:
            return week
        groups = _moved(_with_group(week.plan, week.school, cls, self.group), self.class_id, self.student_id,
                        self.group)
        school = week.school
        if _is_locked(school, self.class_id, self.student_id):
            school = _student_locked(school, self.class_id, self.student_id, self.group)
        return Week(school, dataclasses.replace(week.plan, groups=groups))

    def label(self, week: Week) -> Label:
        return _label("move student", student=_student_words(week, self.student_id),
                      group=_group_words(week, self.class_id, self.group))


@dataclass(frozen=True)
class LockStudent:
    """Lock the student in the group they are in now (`locked`), or unlock them."""

    class_id: str
    student_id: str
    locked: bool

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        _check_student(week.school, cls, self.student_id)
        if not self.locked:
            return Week(_student_locked(week.school, self.class_id, self.student_id, None), week.plan)
        group = _group_of(week.plan, self.class_id, self.student_id)
        if group is None:
            raise EditError(f"'{self.student_id}' is in no group of class '{self.class_id}' to be locked in")
        return Week(_student_locked(week.school, self.class_id, self.student_id, group.number), week.plan)

    def label(self, week: Week) -> Label:
        student = _student_words(week, self.student_id)
        if not self.locked:
            return _label("unlock student", student=student)
        group = _group_of(week.plan, self.class_id, self.student_id)
        where = _group_words(week, self.class_id, group.number) if group is not None else "no group"
        return _label("lock student", student=student, group=where)


@dataclass(frozen=True)
class LockGroup:
    """Lock (or unlock) every student in the group now."""

    class_id: str
    group: int
    locked: bool

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        _check_group(week.school, cls, self.group)
        group = _planned_group(week.plan, self.class_id, self.group)
        school = week.school
        for student_id in group.members if group is not None else ():
            school = _student_locked(school, self.class_id, student_id, self.group if self.locked else None)
        return Week(school, week.plan)

    def label(self, week: Week) -> Label:
        return _label("lock group" if self.locked else "unlock group",
                      group=_group_words(week, self.class_id, self.group))


# --- visits -------------------------------------------------------------------------------------------

def _visit_lock(school: School, class_id: str, day: str, slot: int, group: int) -> VisitLock | None:
    return next((lk for lk in school.visit_locks if (lk.class_id, lk.day, lk.slot, lk.group) ==
                 (class_id, day, slot, group)), None)


def _visit_locked(school: School, class_id: str, day: str, slot: int, group: int, station: str | None) -> School:
    """The school with the group locked at `station` then (None: unlocked)."""
    locks = _relocked(school.visit_locks, lambda lk: (lk.class_id, lk.day, lk.slot, lk.group) ==
                      (class_id, day, slot, group),
                      VisitLock(class_id, day, slot, group, station) if station is not None else None)
    return dataclasses.replace(school, visit_locks=locks)


def _swap_partner(school: School, here: list[Visit], mover: Visit | None, station: str) -> int | None:
    """The group that takes the moved group's old station: the one group at `station` then, as in a rotation where
    each station holds one group at a time. There is none, and the moved group joins the others, when the station
    holds two or more groups then (a shared station stays shared), when the moved group was at no station (there
    is nothing to swap for), or when the group there is locked there (a lock keeps a visit put)."""
    there = [v for v in here if v.station == station]
    if mover is None or len(there) != 1:
        return None
    other = there[0]
    lock = _visit_lock(school, other.class_id, other.day, other.slot, other.group)
    return None if lock is not None and lock.station == station else other.group


def _staff_by_station(here: list[Visit]) -> dict[str, tuple[str, ...]]:
    """Who worked each station in the slot before the edit: staff belong to the station, not to the group."""
    staff: dict[str, tuple[str, ...]] = {}
    for v in here:
        if v.staff:
            staff.setdefault(v.station, v.staff)
    return staff


@dataclass(frozen=True)
class SetVisit:
    """Group `group` is at `station` in the slot. If exactly one other group was there and its visit is not locked,
    the two swap: it takes the moved group's old station (see `_swap_partner`). Each visit moved gets the staff who
    worked its new station in that slot before (none if nobody did); a lock on the moved group's visit moves with it
    (a teacher who drags a locked visit means it)."""

    class_id: str
    day: str
    slot: int
    group: int
    station: str

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        _check_group(week.school, cls, self.group)
        _check_slot(week.school, cls, self.day, self.slot)
        _check_station(week.school, cls, self.station)
        here = _slot_visits(week.plan, self.class_id, self.day, self.slot)
        mover = next((v for v in here if v.group == self.group), None)
        if mover is not None and mover.station == self.station:
            return week
        goes = {self.group: self.station}
        partner = _swap_partner(week.school, here, mover, self.station)
        if partner is not None and mover is not None:
            goes[partner] = mover.station
        staff = _staff_by_station(here)
        visits = [dataclasses.replace(v, station=goes[v.group], staff=staff.get(goes[v.group], ()))
                  if (v.class_id, v.day, v.slot) == (self.class_id, self.day, self.slot) and v.group in goes else v
                  for v in week.plan.visits]
        if mover is None:
            visits.append(Visit(self.class_id, self.day, self.slot, self.group, self.station,
                                staff.get(self.station, ())))
        school = week.school
        if _visit_lock(school, self.class_id, self.day, self.slot, self.group) is not None:
            school = _visit_locked(school, self.class_id, self.day, self.slot, self.group, self.station)
        return Week(school, dataclasses.replace(week.plan, visits=tuple(visits)))

    def label(self, week: Week) -> Label:
        return _label("set visit", group=_group_words(week, self.class_id, self.group), station=self.station,
                      day=self.day, slot=self.slot)


@dataclass(frozen=True)
class LockVisit:
    """Lock the group at the station it is at in the slot now (`locked`), or unlock it there."""

    class_id: str
    day: str
    slot: int
    group: int
    locked: bool

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        _check_group(week.school, cls, self.group)
        _check_slot(week.school, cls, self.day, self.slot)
        station = _station_of(week.plan, self.class_id, self.day, self.slot, self.group)
        if self.locked and station is None:
            raise EditError(f"group {self.group} of class '{self.class_id}' is at no station on {self.day}, "
                            f"slot {self.slot}, to be locked at")
        return Week(_visit_locked(week.school, self.class_id, self.day, self.slot, self.group,
                                  station if self.locked else None), week.plan)

    def label(self, week: Week) -> Label:
        group = _group_words(week, self.class_id, self.group)
        if not self.locked:
            return _label("unlock visit", group=group, day=self.day, slot=self.slot)
        station = _station_of(week.plan, self.class_id, self.day, self.slot, self.group) or "no station"
        return _label("lock visit", group=group, station=station, day=self.day, slot=self.slot)


# --- class settings -----------------------------------------------------------------------------------

def _fits(value: object, kind: Any) -> bool:
    """Whether `value` is of the annotated type `kind` (a class, `X | None` or `tuple[X, ...]`)."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return any(_fits(value, k) for k in typing.get_args(kind))
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return isinstance(value, tuple) and all(_fits(v, item) for v in value)
    if kind is type(None):
        return value is None
    if kind is int:  # True is an int to Python, not to a teacher
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _kind_words(kind: Any) -> str:
    words = {str: "text", int: "a whole number", dt.time: "a time", type(None): "blank"}
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return " or ".join(_kind_words(k) for k in typing.get_args(kind))
    if typing.get_origin(kind) is tuple:
        return f"a list of {_kind_words(typing.get_args(kind)[0])}"
    return words.get(kind, getattr(kind, "__name__", str(kind)))


def _value_words(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, dt.time):
        return hhmm(value)
    if isinstance(value, tuple) and value and all(isinstance(v, AvailabilityClause) for v in value):
        return availability_text(value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "blank"
    return str(value)


def _checked_values(kinds: dict[str, Any], fixed: frozenset[str], values: Mapping[str, Any], what: str) -> None:
    """Each value names a setting of `kinds` (a dataclass's type hints, less `fixed`) and is of its type; then each
    is one its column of the workbook accepts (_check_value)."""
    for setting, value in values.items():
        if setting not in kinds or setting in fixed:
            settable = ", ".join(k for k in kinds if k not in fixed)
            raise EditError(f"'{setting}' is not a {what} setting (settings: {settable})")
        if not _fits(value, kinds[setting]):
            raise EditError(f"{setting} must be {_kind_words(kinds[setting])}, not {value!r}", setting)
    for setting, value in values.items():
        _check_value(setting, value)


def _refuse(problem: SettingProblem | None) -> None:
    if problem is not None:
        raise EditError(problem.message, problem.column)


# The least each whole-number setting may be, as the planning workbook reads it (blank aside).
LEAST = {"rotation_minutes": 1, "rotations": 1, "groups": 1, "min_group_size": 1, "max_group_size": 1,
         "transition_minutes": 0, "capacity": 1, "visits": 1, "count": 1, "group": 1}


def _check_value(setting: str, value: Any) -> None:
    """One value as the planning workbook accepts it for its column (docs/workbook.md)."""
    if setting in LEAST and isinstance(value, int) and value < LEAST[setting]:
        raise EditError(f"{setting} must be at least {LEAST[setting]}, not {value}", setting)
    if setting == "grouping" and value not in GROUPINGS:
        raise EditError(f"grouping must be one of {', '.join(GROUPINGS)}, not '{value}'", setting)
    if setting == "kind" and value not in STATION_KINDS:
        raise EditError(f"kind must be one of {', '.join(STATION_KINDS)}, not '{value}'", setting)
    if setting == "visits" and isinstance(value, str) and value != BY_NEED:
        raise EditError(f"visits must be a whole number, '{BY_NEED}' or blank, not '{value}'", setting)
    if setting == "days" and (not value or any(d not in DAYS for d in value) or len(set(value)) < len(value)):
        raise EditError(f"days must name each class day once, from {', '.join(DAYS)}; not '{_value_words(value)}'",
                        setting)


def _school_skills(school: School) -> set[str]:
    """The skills a focus may name: those of sheet Skills, else those with results (as the reader has them)."""
    return {s.skill for s in school.skills} or {m.skill for m in school.mastery}


def _check_class(school: School, cls: SchoolClass) -> None:
    """What the class's settings must say of each other and of its school, as the planning workbook reader says it."""
    for problem in focus_problems(cls, _school_skills(school)):
        _refuse(problem)
    _refuse(group_sizes_problem(cls))
    _refuse(day_end_problem(cls, rotations_of(school, cls)))


def _set_class(week: Week, class_id: str, values: Mapping[str, Any]) -> Week:
    """The week with the class's settings replaced by `values` (setting -> value), every value checked first."""
    cls = _class(week.school, class_id)
    _checked_values(typing.get_type_hints(SchoolClass), CLASS_FIXED, values, "class")
    changed = dataclasses.replace(cls, **values)
    school = dataclasses.replace(week.school, classes=tuple(changed if c is cls else c for c in week.school.classes))
    _check_class(school, changed)
    return Week(school, week.plan)


# Renaming the class would leave its students, stations, locks and plan behind.
CLASS_FIXED = frozenset({"class_id"})


@dataclass(frozen=True)
class ChangeSetting:
    """Replace one setting of the class (a column of sheet Classes: groups, rotation_minutes, min_group_size,
    grouping ...). The plan stays as it is: the checker says what it now breaks."""

    class_id: str
    field: str
    value: Any


    def apply(self, week: Week) -> Week:
        return _set_class(week, self.class_id, {self.field: self.value})

    def label(self, week: Week) -> Label:
        return _label("change setting", setting=self.field.replace("_", " "), class_id=self.class_id,
                      value=_value_words(self.value))


def _changes_words(before: object, values: Mapping[str, Any]) -> str:
    """The settings that change, in plain words: "groups to 5, rotation minutes to 20"."""
    changed = [f"{setting.replace('_', ' ')} to {_value_words(value)}" for setting, value in values.items()
               if getattr(before, setting, None) != value]
    return ", ".join(changed) or "nothing"


@dataclass(frozen=True)
class SetClass:
    """Replace several settings of the class at once (setting -> value, as ChangeSetting takes one): a form's Apply,
    one step to undo. Every value is checked before any is set; the plan stays as it is."""

    class_id: str
    values: dict[str, Any]

    def apply(self, week: Week) -> Week:
        return _set_class(week, self.class_id, self.values)

    def label(self, week: Week) -> Label:
        cls = next((c for c in week.school.classes if c.class_id == self.class_id), None)
        return _label("set class", changes=_changes_words(cls, self.values), class_id=self.class_id)


# A station is known by its class and name: renaming it would leave its visits, locks and rules behind.
STATION_FIXED = frozenset({"class_id", "name"})


def _station(school: School, class_id: str | None, name: str) -> Station:
    station = next((s for s in school.stations if (s.class_id, s.name) == (class_id, name)), None)
    if station is None:
        raise EditError(f"there is no {station_label(Station(name, class_id))}")
    return station


def _adult_names(school: School) -> set[str]:
    """What a station's staff may name (rotation.domain.settings.staff_problem): a staff_id, a role, a class
    teacher."""
    return ({a.staff_id for a in school.staff} | {a.role for a in school.staff}
            | {c.teacher for c in school.classes}) - {""}


def _check_station_settings(school: School, station: Station) -> None:
    """What the station's settings must say of the school, as the planning workbook reader says it; and, since a
    mirror is no station of its own to rotate through, that its classes' days still end before midnight."""
    class_ids = [c.class_id for c in school.classes]
    _refuse(staff_problem(station, _adult_names(school)))
    _refuse(pool_problem(station, {p.pool: p.classes for p in school.devices}, class_ids))
    _refuse(mirror_problem(station, school.stations, class_ids))
    copies = [s.name for s in school.stations if s.mirror_of == station.name
              and (station.class_id is None or s.class_id in (None, station.class_id))]
    if station.mirror_of and copies:
        raise EditError(f"station '{copies[0]}' mirrors this one, so it cannot be a mirror itself", "mirror_of")
    for cls in school.classes:
        if station.class_id in (None, cls.class_id) and (problem := day_end_problem(cls, rotations_of(school, cls))):
            raise EditError(f"class '{cls.class_id}': {problem.message}", "mirror_of")


@dataclass(frozen=True)
class SetStation:
    """Replace settings of a station (a column of sheet Stations: kind, capacity, staff, devices, must_do, visits,
    mirror_of) at once, one step to undo. `class_id` None is a station of every class. The plan stays as it is."""

    class_id: str | None
    name: str
    values: dict[str, Any]

    def apply(self, week: Week) -> Week:
        station = _station(week.school, self.class_id, self.name)
        _checked_values(typing.get_type_hints(Station), STATION_FIXED, self.values, "station")
        changed = dataclasses.replace(station, **self.values)
        school = dataclasses.replace(week.school, stations=tuple(changed if s is station else s
                                                                  for s in week.school.stations))
        _check_station_settings(school, changed)
        return Week(school, week.plan)

    def label(self, week: Week) -> Label:
        station = next((s for s in week.school.stations if (s.class_id, s.name) == (self.class_id, self.name)), None)
        return _label("set station", changes=_changes_words(station, self.values), station=self.name)


@dataclass(frozen=True)
class DropRule:
    """Remove the rule of the Rules sheet named `rule` (as conflicts name it: rotation.planning.instance.rule_label)."""

    rule: str

    def apply(self, week: Week) -> Week:
        rules = tuple(r for r in week.school.rules if rule_label(r) != self.rule)
        if len(rules) == len(week.school.rules):
            raise EditError(f"there is no rule {self.rule}")
        return Week(dataclasses.replace(week.school, rules=rules), week.plan)

    def label(self, week: Week) -> Label:
        return _label("drop rule", rule=self.rule)


# --- staff ---------------------------------------------------------------------------------------------

def _adult(school: School, staff_id: str) -> Staff:
    adult = next((a for a in school.staff if a.staff_id == staff_id), None)
    if adult is None:
        raise EditError(f"there is no staff_id '{staff_id}' on sheet Staff")
    return adult


def _check_available(available: tuple[AvailabilityClause, ...]) -> None:
    """Availability as the planning workbook reads it (rotation.io.cells.availability): days of the week, each
    window ending after it starts."""
    for clause in available:
        if not clause.days or any(d not in DAYS for d in clause.days):
            raise EditError(f"available must name days from {', '.join(DAYS)}, not '{_value_words(clause.days)}'",
                            "available")
        for window in clause.windows:
            if window.end <= window.start:
                raise EditError(f"'{hhmm(window.start)}-{hhmm(window.end)}' ends before it starts", "available")


def _check_staff_named(school: School, setting: str | None = None) -> None:
    """Every station's staff is still a staff_id, role or class teacher of the school."""
    adults = _adult_names(school)
    for station in school.stations:
        if problem := staff_problem(station, adults):
            raise EditError(f"{station_label(station)}: {problem.message}", setting)


STAFF_FIXED = frozenset({"staff_id"})  # stations and classes name the adult by it


def _changed_staff(school: School, adult: Staff, values: Mapping[str, Any]) -> School:
    _checked_values(typing.get_type_hints(Staff), STAFF_FIXED, values, "staff")
    changed = dataclasses.replace(adult, **values)
    _check_available(changed.available)
    staff = tuple(changed if a is adult else a for a in school.staff)
    if adult not in school.staff:
        staff = (*school.staff, changed)
    school = dataclasses.replace(school, staff=staff)
    _check_staff_named(school, "role")
    return school


@dataclass(frozen=True)
class AddStaff:
    """An adult added to sheet Staff (name, role and availability as `values`: blank, always available)."""

    staff_id: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)

    def apply(self, week: Week) -> Week:
        staff_id = self.staff_id.strip()
        if not staff_id:
            raise EditError("a staff_id is needed", "staff_id")
        if staff_id in {a.staff_id for a in week.school.staff}:
            raise EditError(f"staff_id '{staff_id}' is already on sheet Staff", "staff_id")
        return Week(_changed_staff(week.school, Staff(staff_id), self.values), week.plan)

    def label(self, week: Week) -> Label:
        return _label("add staff", staff_id=self.staff_id.strip())


@dataclass(frozen=True)
class SetStaff:
    """Replace an adult's name, role or availability (columns of sheet Staff), one step to undo."""

    staff_id: str
    values: dict[str, Any]

    def apply(self, week: Week) -> Week:
        return Week(_changed_staff(week.school, _adult(week.school, self.staff_id), self.values), week.plan)

    def label(self, week: Week) -> Label:
        adult = next((a for a in week.school.staff if a.staff_id == self.staff_id), None)
        return _label("set staff", changes=_changes_words(adult, self.values), staff_id=self.staff_id)


@dataclass(frozen=True)
class RemoveStaff:
    """An adult taken off sheet Staff; refused while a station names them (by staff_id, or by a role no one else
    has)."""

    staff_id: str

    def apply(self, week: Week) -> Week:
        adult = _adult(week.school, self.staff_id)
        school = dataclasses.replace(week.school, staff=tuple(a for a in week.school.staff if a is not adult))
        _check_staff_named(school)
        return Week(school, week.plan)

    def label(self, week: Week) -> Label:
        return _label("remove staff", staff_id=self.staff_id)


# --- device pools --------------------------------------------------------------------------------------

def _pool(school: School, name: str) -> DevicePool:
    pool = next((p for p in school.devices if p.pool == name), None)
    if pool is None:
        raise EditError(f"there is no device pool '{name}' on sheet Devices")
    return pool


POOL_FIXED = frozenset({"pool"})  # stations name the pool by it


def _changed_pools(school: School, pool: DevicePool, values: Mapping[str, Any]) -> School:
    _checked_values(typing.get_type_hints(DevicePool), POOL_FIXED, values, "device pool")
    changed = dataclasses.replace(pool, **values)
    for class_id in changed.classes:
        _refuse(unknown_class_problem(class_id, {c.class_id for c in school.classes}, "classes"))
    devices = tuple(changed if p is pool else p for p in school.devices)
    if pool not in school.devices:
        devices = (*school.devices, changed)
    school = dataclasses.replace(school, devices=devices)
    pools = {p.pool: p.classes for p in school.devices}
    class_ids = [c.class_id for c in school.classes]
    for station in school.stations:
        if station.devices == changed.pool and (problem := pool_problem(station, pools, class_ids)):
            raise EditError(f"{station_label(station)}: {problem.message}", "classes")
    return school


@dataclass(frozen=True)
class AddDevicePool:
    """A pool added to sheet Devices: `count` devices shared by `classes` (none: every class)."""

    pool: str
    count: int
    classes: tuple[str, ...] = ()

    def apply(self, week: Week) -> Week:
        name = self.pool.strip()
        if not name:
            raise EditError("a pool name is needed", "pool")
        if name in {p.pool for p in week.school.devices}:
            raise EditError(f"pool '{name}' is already on sheet Devices", "pool")
        fresh = DevicePool(name, 1)
        return Week(_changed_pools(week.school, fresh, {"count": self.count, "classes": self.classes}), week.plan)

    def label(self, week: Week) -> Label:
        return _label("add pool", pool=self.pool.strip())


@dataclass(frozen=True)
class SetDevicePool:
    """Replace a pool's count or classes (columns of sheet Devices), one step to undo. The plan stays as it is:
    the checker says where it now uses more devices than there are."""

    pool: str
    values: dict[str, Any]

    def apply(self, week: Week) -> Week:
        return Week(_changed_pools(week.school, _pool(week.school, self.pool), self.values), week.plan)

    def label(self, week: Week) -> Label:
        pool = next((p for p in week.school.devices if p.pool == self.pool), None)
        return _label("set pool", changes=_changes_words(pool, self.values), pool=self.pool)


@dataclass(frozen=True)
class RemoveDevicePool:
    """A pool taken off sheet Devices; refused while a station uses it."""

    pool: str

    def apply(self, week: Week) -> Week:
        pool = _pool(week.school, self.pool)
        users = [s for s in week.school.stations if s.devices == pool.pool]
        if users:
            raise EditError(f"{station_label(users[0])} uses device pool '{pool.pool}': give it another pool first")
        return Week(dataclasses.replace(week.school, devices=tuple(p for p in week.school.devices if p is not pool)),
                    week.plan)

    def label(self, week: Week) -> Label:
        return _label("remove pool", pool=self.pool)


# --- rules ---------------------------------------------------------------------------------------------

def _groups_by_class(school: School) -> dict[str, int]:
    return {c.class_id: groups_of(school, c) for c in school.classes}


def _check_rule(school: School, rule: Rule) -> None:
    """The rule as the planning workbook reader would take it on sheet Rules."""
    if rule.rule not in RULE_KINDS:
        raise EditError(f"rule must be one of {', '.join(RULE_KINDS)}, not '{rule.rule}'", "rule")
    kinds = typing.get_type_hints(Rule)
    for setting in ("students", "group", "station", "count", "days", "start", "end", "note"):
        value = getattr(rule, setting)
        if not _fits(value, kinds[setting]):
            raise EditError(f"{setting} must be {_kind_words(kinds[setting])}, not {value!r}", setting)
        if setting != "days" or value:  # no days: every class day
            _check_value(setting, value)
    if not rule.students:
        raise EditError("a rule names at least one student_id or flag", "students")
    ids = {s.student_id for s in school.students}
    flags = {f for s in school.students for f in s.flags}
    for who in rule.students:
        _refuse(rule_student_problem(who, ids, flags))
    for problem in rule_missing_problems(rule):
        _refuse(problem)
    _refuse(away_times_problem(rule))
    _refuse(rule_station_problem(rule, {s.name for s in school.stations}))
    if rule.rule == "group":
        groups = _groups_by_class(school)
        named = [s for s in school.students if s.student_id in rule.students or set(s.flags) & set(rule.students)]
        first = school.classes[0].class_id if school.classes else None
        for class_id in dict.fromkeys(c for s in named for c in (s.classes or (first,)) if c is not None):
            if class_id in groups:
                _refuse(group_problem(class_id, groups[class_id], rule.group))


def _rule_at(school: School, rule: str | int) -> int:
    """The index of the rule named `rule` (its label, as conflicts name it) or at index `rule`."""
    if isinstance(rule, int):
        if not 0 <= rule < len(school.rules):
            raise EditError(f"there is no rule {rule + 1}; there are {len(school.rules)}")
        return rule
    found = [i for i, r in enumerate(school.rules) if rule_label(r) == rule]
    if not found:
        raise EditError(f"there is no rule {rule}")
    return found[0]


def _next_row(school: School) -> int:
    """The row of sheet Rules after the last rule's (row 1 holds the headers)."""
    return max((r.row or 1 for r in school.rules), default=1) + 1


@dataclass(frozen=True)
class AddRule:
    """A rule added to sheet Rules, on the row after the last (its row names it in conflicts and checks). The plan
    stays as it is: the checker says what it now breaks, and planning again keeps the rule."""

    rule: Rule

    def apply(self, week: Week) -> Week:
        rule = dataclasses.replace(self.rule, row=_next_row(week.school))
        _check_rule(week.school, rule)
        return Week(dataclasses.replace(week.school, rules=(*week.school.rules, rule)), week.plan)

    def label(self, week: Week) -> Label:
        return _label("add rule", rule=rule_label(dataclasses.replace(self.rule, row=_next_row(week.school))))


@dataclass(frozen=True)
class SetRule:
    """Replace a rule (named by its label, or its index in the school's rules) by `rule`, on the same row."""

    at: str | int
    rule: Rule

    def apply(self, week: Week) -> Week:
        i = _rule_at(week.school, self.at)
        rule = dataclasses.replace(self.rule, row=week.school.rules[i].row)
        _check_rule(week.school, rule)
        rules = tuple(rule if k == i else r for k, r in enumerate(week.school.rules))
        return Week(dataclasses.replace(week.school, rules=rules), week.plan)

    def label(self, week: Week) -> Label:
        try:
            before = week.school.rules[_rule_at(week.school, self.at)]
        except EditError:
            return _label("set rule", rule=self.at)
        return _label("set rule", rule=rule_label(before))


# --- an import ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportSchool:
    """The school as an import from the school's own files made it (rotation.io.sources.merge), one step to undo.
    The plan stays as it is: the checker then says what it breaks (a new student in no group)."""

    school: School
    sources: str  # the files imported, in words

    def apply(self, week: Week) -> Week:
        return Week(self.school, week.plan)

    def label(self, week: Week) -> Label:
        return _label("import", sources=self.sources)


Edit = (MoveStudent | LockStudent | LockGroup | SetVisit | LockVisit | ChangeSetting | SetClass | SetStation
        | DropRule | AddStaff | SetStaff | RemoveStaff | AddDevicePool | SetDevicePool | RemoveDevicePool | AddRule
        | SetRule | ImportSchool)

# A conflict's fix (solver.plan.Fix.change) as the class setting it sets; the value is the fix's own.
SETTING_OF_FIX = {"more_groups": "groups", "fewer_groups": "groups", "max_size_at_least": "max_group_size",
                  "min_size_at_most": "min_group_size", "more_rotations": "rotations"}


def fix_edit(fix: Fix) -> Edit | None:
    """The edit that makes a conflict's fix, or None for a fix the teacher makes in the workbook (a station's
    visits or capacity, an adult's hours, a device pool, a rule's count)."""
    if fix.change in SETTING_OF_FIX and fix.value is not None:
        return ChangeSetting(fix.class_id, SETTING_OF_FIX[fix.change], fix.value)
    if fix.change == "start_at_least" and fix.value is not None:
        return ChangeSetting(fix.class_id, "start", dt.time(fix.value // 60, fix.value % 60))
    if fix.change == "drop_rule":
        return DropRule(fix.rule)
    return None


# --- the checker's verdict ----------------------------------------------------------------------------

# The last schools planned, newest first, each held so its identity stays its own (a School is frozen, and most
# edits keep it: a student moved or a visit set leaves the school as it was).
_PLANNED: list[tuple[School, Planning]] = []
_KEEP = 2


def planning_of(school: School) -> Planning:
    """The solver's instance for the school, built once per School object."""
    for held, planning in _PLANNED:
        if held is school:
            return planning
    planning = build_instance(school)
    _PLANNED[:] = [(school, planning), *_PLANNED[:_KEEP - 1]]
    return planning


def verdict(week: Week) -> Report:
    """The independent checker's report on the week's plan: every hard rule it breaks and its cost rule by rule."""
    planning = planning_of(week.school)
    return check(planning.instance, to_solver_plan(planning, week.plan))


def rotation_unchecked(report: Report) -> tuple[str, ...]:
    """The classes whose groups break a grouping rule: the checker leaves their rotation, and its cost, until the
    groups are sound, so a lower cost then is no better plan and must say so."""
    grouping = {rule.name for rule in RULES if rule.stage == "grouping"}
    return tuple(sorted({v.class_id for v in report.violations if v.rule in grouping and v.class_id}))


def rechecked(week: Week, report: Report) -> Plan:
    """The edited plan as it is kept and exported: its Checks are the checker's (each broken hard rule first),
    and it is no longer the planner's proven plan."""
    planning = planning_of(week.school)
    result = Result(Status.FEASIBLE, to_solver_plan(planning, week.plan), report.costs)
    broken = [Check("hard rule broken", v.rule, v.class_id, "", 0, violation_words(v, names_of(week.school)))
              for v in report.violations]
    broken += [Check("not checked", "", class_id, "", 0, "its rotation is checked, and its cost counted, once "
                     "its groups meet their rules") for class_id in rotation_unchecked(report)]
    kept = checks(planning, result, unproven="not proven optimal (edited by hand since it was planned)")
    return dataclasses.replace(week.plan, checks=tuple(broken + kept), optimal=False)
