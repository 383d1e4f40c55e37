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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.domain.school import DAYS, GROUPINGS, School, SchoolClass, StudentLock, VisitLock
from rotation.domain.week import groups_of, hhmm, names_of, rotations_of, stations_of, students_of
from rotation.planning.instance import Planning, build_instance, rule_label
from rotation.planning.messages import violation_words
from rotation.planning.result import checks, group_names, to_solver_plan
from solver.check import Report, check
from solver.plan import Fix, Result, Status

L = TypeVar("L", StudentLock, VisitLock)


class EditError(ValueError):
    """An edit the week cannot take: it names a class, student, group, station, day or slot the class does not
    have, or a setting value of the wrong kind. The week is left as it was."""


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
    "drop rule": "Remove rule {rule}",
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
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _check_setting_value(cls: SchoolClass, setting: str, value: Any) -> None:
    """The values the planning workbook accepts for a class column (docs/workbook.md)."""
    least = {"rotation_minutes": 1, "rotations": 1, "groups": 1, "min_group_size": 1, "max_group_size": 1,
             "transition_minutes": 0}
    if setting in least and value is not None and value < least[setting]:
        raise EditError(f"{setting} must be at least {least[setting]}, not {value}")
    if setting == "grouping" and value not in GROUPINGS:
        raise EditError(f"grouping must be one of {', '.join(GROUPINGS)}, not '{value}'")
    if setting == "days" and (not value or any(d not in DAYS for d in value) or len(set(value)) < len(value)):
        raise EditError(f"days must name each class day once, from {', '.join(DAYS)}; not '{_value_words(value)}'")
    changed = dataclasses.replace(cls, **{setting: value})
    low, high = changed.min_group_size, changed.max_group_size
    if low is not None and high is not None and low > high:
        raise EditError(f"min_group_size {low} would be more than max_group_size {high}")


@dataclass(frozen=True)
class ChangeSetting:
    """Replace one setting of the class (a column of sheet Classes: groups, rotation_minutes, min_group_size,
    grouping ...). The plan stays as it is: the checker says what it now breaks."""

    class_id: str
    field: str
    value: Any

    # Renaming the class would leave its students, stations, locks and plan behind.
    FIXED: ClassVar[frozenset[str]] = frozenset({"class_id"})

    def apply(self, week: Week) -> Week:
        cls = _class(week.school, self.class_id)
        kinds = typing.get_type_hints(SchoolClass)
        if self.field not in kinds or self.field in self.FIXED:
            settable = ", ".join(k for k in kinds if k not in self.FIXED)
            raise EditError(f"'{self.field}' is not a class setting (settings: {settable})")
        if not _fits(self.value, kinds[self.field]):
            raise EditError(f"{self.field} must be {_kind_words(kinds[self.field])}, not {self.value!r}")
        _check_setting_value(cls, self.field, self.value)
        changed = dataclasses.replace(cls, **{self.field: self.value})
        classes = tuple(changed if c is cls else c for c in week.school.classes)
        return Week(dataclasses.replace(week.school, classes=classes), week.plan)

    def label(self, week: Week) -> Label:
        return _label("change setting", setting=self.field.replace("_", " "), class_id=self.class_id,
                      value=_value_words(self.value))


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


Edit = MoveStudent | LockStudent | LockGroup | SetVisit | LockVisit | ChangeSetting | DropRule

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


def rechecked(week: Week, report: Report) -> Plan:
    """The edited plan as it is kept and exported: its Checks are the checker's (each broken hard rule first),
    and it is no longer the planner's proven plan."""
    planning = planning_of(week.school)
    result = Result(Status.FEASIBLE, to_solver_plan(planning, week.plan), report.costs)
    broken = [Check("hard rule broken", v.rule, v.class_id, "", 0, violation_words(v, names_of(week.school)))
              for v in report.violations]
    kept = checks(planning, result, unproven="not proven optimal (edited by hand since it was planned)")
    return dataclasses.replace(week.plan, checks=tuple(broken + kept), optimal=False)
