"""Checks across the rows and sheets of the planning workbook: every id written once, and every id a sheet
names (a class, student, station, adult, device pool, group or slot) found where it is defined."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

from rotation.domain.school import (
    DevicePool,
    MasteryResult,
    Rule,
    School,
    SchoolClass,
    Skill,
    Staff,
    Station,
    Student,
    StudentLock,
    VisitLock,
)
from rotation.domain.settings import (
    day_end_problem,
    focus_problems,
    group_problem,
    mirror_problem,
    pool_problem,
    rule_station_problem,
    rule_student_problem,
    staff_problem,
    station_label,
    unknown_class_problem,
)
from rotation.domain.week import groups_of, rotations_of
from rotation.io.planning_reader import Table, Twice

T = TypeVar("T")


def _check_unique(table: Table[T], key_of: Callable[[T], Any], column: str,
                  describe: Callable[[T], str]) -> set[Any]:
    """Tell each id written twice, and return those ids."""
    first_row: dict[Any, int] = {}
    twice = set()
    for row, item in table.items:
        key = key_of(item)
        if key in first_row:
            table.sheet.add(f"{describe(item)} is already on row {first_row[key]}", row, column)
            twice.add(key)
        else:
            first_row[key] = row.number
    return twice


def check_ids(students: Table[Student], skills: Table[Skill], classes: Table[SchoolClass],
               stations: Table[Station], staff: Table[Staff], devices: Table[DevicePool]) -> Twice:
    """Every id written twice, told before anything that id's rows could cause elsewhere."""
    found = {
        "student": _check_unique(students, lambda s: s.student_id, "student_id", lambda s: f"student '{s.student_id}'"),
        "skill": _check_unique(skills, lambda s: s.skill, "skill", lambda s: f"skill '{s.skill}'"),
        "class": _check_unique(classes, lambda c: c.class_id, "class", lambda c: f"class '{c.class_id}'"),
        "station": _check_unique(stations, lambda s: (s.class_id, s.name), "station", station_label),
        "staff": _check_unique(staff, lambda a: a.staff_id, "staff_id", lambda a: f"staff_id '{a.staff_id}'"),
        "pool": _check_unique(devices, lambda p: p.pool, "pool", lambda p: f"pool '{p.pool}'"),
    }
    return frozenset((kind, key) for kind, keys in found.items() for key in keys)


def _check_not_empty(table: Table[Any], what: str) -> None:
    if table.sheet.present and not table.sheet.rows:
        table.sheet.add(f"there are no {what}")


@dataclass(frozen=True)
class Known:
    """The ids other sheets may name; None where the sheet that defines them is missing."""

    students: dict[str, Student] | None
    flags: frozenset[str]
    skills: frozenset[str]  # those of sheet Skills, else those with results; empty: no check
    classes: dict[str, SchoolClass] | None
    stations: dict[str | None, set[str]]  # names by class; None: every class
    adults: frozenset[str]  # staff ids, roles and class teachers
    pools: dict[str, tuple[str, ...]]  # pool -> the classes sharing it (empty: all)
    sizes: dict[str, tuple[int, int]]  # class -> (groups, rotations a day), defaults resolved
    twice: Twice = frozenset()  # ids written twice (told already): what their rows say is unclear

    def classes_of(self, student: Student) -> tuple[str, ...]:
        return student.classes or tuple(self.classes or ())[:1]

    def stations_of(self, class_id: str) -> set[str]:
        return self.stations.get(class_id, set()) | self.stations.get(None, set())

    @classmethod
    def of(cls, students: Table[Student], skills: Table[Skill], mastery: Table[MasteryResult],
           classes: Table[SchoolClass], stations: Table[Station], staff: Table[Staff],
           devices: Table[DevicePool], twice: Twice) -> Known:
        names: dict[str | None, set[str]] = {}
        for station in stations.objects():
            names.setdefault(station.class_id, set()).add(station.name)
        return cls(
            students=students.first_by(lambda s: s.student_id) if students.sheet.present else None,
            flags=frozenset(flag for s in students.objects() for flag in s.flags),
            skills=frozenset(s.skill for s in skills.objects()) or frozenset(m.skill for m in mastery.objects()),
            classes=classes.first_by(lambda c: c.class_id) if classes.sheet.present else None,
            stations=names,
            adults=frozenset(chain((a.staff_id for a in staff.objects()), (a.role for a in staff.objects()),
                                   (c.teacher for c in classes.objects()))) - {""},
            pools={pool: p.classes for pool, p in devices.first_by(lambda p: p.pool).items()},
            sizes={c: _sizes(cl, stations.objects()) for c, cl in classes.first_by(lambda c: c.class_id).items()},
            twice=twice,
        )


def _sizes(cls: SchoolClass, stations: Iterable[Station]) -> tuple[int, int]:
    """The class's groups and rotations a day, blanks resolved as the planner resolves them."""
    school = School(stations=tuple(stations))
    return groups_of(school, cls), rotations_of(school, cls)


def _no_such_group(known: Known, class_id: str, group: int | None) -> str | None:
    groups = known.sizes.get(class_id, (0, 0))[0]
    if ("class", class_id) in known.twice:
        return None  # which row's groups? the duplicate class is told
    problem = group_problem(class_id, groups, group) if class_id in known.sizes else None
    return problem.message if problem else None


def _unknown_class(known: Known, class_id: str) -> str | None:
    """Why `class_id` is not a class, or None if it is (or sheet Classes is missing)."""
    problem = unknown_class_problem(class_id, known.classes, "class")
    return problem.message if problem else None


def check_students(table: Table[Student], known: Known) -> None:
    _check_not_empty(table, "students")
    for row, student in table.items:
        for class_id in student.classes:
            if why := _unknown_class(known, class_id):
                table.sheet.add(why, row, "class")
        if not student.classes and known.classes is not None and len(known.classes) > 1:
            table.sheet.add(f"the school has {len(known.classes)} classes, so this student needs a class",
                            row, "class")


def check_classes(table: Table[SchoolClass], known: Known) -> None:
    _check_not_empty(table, "classes")
    for row, cls in table.items:
        for problem in focus_problems(cls, known.skills):
            table.sheet.add(problem.message, row, problem.column)
        if known.stations and not known.stations_of(cls.class_id):
            table.sheet.add(f"class '{cls.class_id}' has no stations on sheet Stations", row, "class")


def check_class_days(classes: Table[SchoolClass], stations: Table[Station]) -> None:
    """A class's rotations end the same day: slot times are clock times, and past midnight they would wrap."""
    school = School(stations=stations.objects())
    for row, cls in classes.items:
        if cls.start is None or cls.rotation_minutes is None:
            continue  # already told
        if problem := day_end_problem(cls, rotations_of(school, cls)):
            classes.sheet.add(problem.message, row, problem.column)


def check_stations(table: Table[Station], known: Known) -> None:
    _check_not_empty(table, "stations")
    shared = {s.name: row.number for row, s in table.items if s.class_id is None}
    class_ids = tuple(known.classes or ())
    stations = table.objects()  # once: each station's mirror is checked against them all
    for row, station in table.items:
        if station.class_id is not None and station.name in shared:
            table.sheet.add(f"station '{station.name}' is already on row {shared[station.name]} "
                            "for every class", row, "station")
        problems = [staff_problem(station, known.adults)]
        if why := station.class_id is not None and _unknown_class(known, station.class_id):
            table.sheet.add(why, row, "class")
        else:  # the stations of an unknown class are unknown too
            problems.insert(0, mirror_problem(station, stations, class_ids))
        if ("pool", station.devices) not in known.twice:  # which row's classes? the duplicate pool is told
            problems.append(pool_problem(station, known.pools, class_ids))
        for problem in problems:
            if problem is not None:
                table.sheet.add(problem.message, row, problem.column)


def check_devices(table: Table[DevicePool], known: Known) -> None:
    for row, pool in table.items:
        for class_id in pool.classes:
            if why := _unknown_class(known, class_id):
                table.sheet.add(why, row, "classes")


def check_rules(table: Table[Rule], known: Known) -> None:
    all_stations = set().union(*known.stations.values())
    for row, rule in table.items:
        problems = [rule_student_problem(who, known.students, known.flags) for who in rule.students
                    if known.students is not None]
        for problem in [*problems, rule_station_problem(rule, all_stations)]:
            if problem is not None:
                table.sheet.add(problem.message, row, problem.column)
        if rule.rule == "group" and known.students is not None:
            named = [s for s in known.students.values() if ("student", s.student_id) not in known.twice
                     and (s.student_id in rule.students or set(s.flags) & set(rule.students))]
            for class_id in dict.fromkeys(c for s in named for c in known.classes_of(s)):
                if why := _no_such_group(known, class_id, rule.group):
                    table.sheet.add(why, row, "group")


def check_student_locks(table: Table[StudentLock], known: Known) -> None:
    for row, lock in table.items:
        if why := _unknown_class(known, lock.class_id):
            table.sheet.add(why, row, "class")
        elif known.students is not None and ("student", lock.student_id) not in known.twice:
            student = known.students.get(lock.student_id)
            if student is None:
                table.sheet.add(f"student '{lock.student_id}' is not on sheet Students", row, "student_id")
            elif lock.class_id not in known.classes_of(student):
                table.sheet.add(f"student '{lock.student_id}' is not in class '{lock.class_id}'",
                                row, "student_id")
        if why := _no_such_group(known, lock.class_id, lock.group):
            table.sheet.add(why, row, "group")


def check_visit_locks(table: Table[VisitLock], known: Known) -> None:
    for row, lock in table.items:
        if why := _unknown_class(known, lock.class_id):
            table.sheet.add(why, row, "class")
            continue
        if ("class", lock.class_id) in known.twice:
            continue  # which row's days and rotations? the duplicate class is told
        if lock.station not in known.stations_of(lock.class_id):
            table.sheet.add(f"station '{lock.station}' is not a station of class '{lock.class_id}'",
                            row, "station")
        if known.classes and lock.day not in known.classes[lock.class_id].days:
            table.sheet.add(f"class '{lock.class_id}' does not meet on {lock.day}", row, "day")
        if why := _no_such_group(known, lock.class_id, lock.group):
            table.sheet.add(why, row, "group")
        rotations = known.sizes.get(lock.class_id, (0, 0))[1]
        if lock.class_id in known.sizes and not 1 <= lock.slot <= rotations:
            table.sheet.add(f"class '{lock.class_id}' has rotations 1 to {rotations} a day; there is no slot "
                            f"{lock.slot}", row, "slot")
