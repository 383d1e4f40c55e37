"""The planning workbook (docs/workbook.md): read into a School naming every problem, and written back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Generic, TypeVar

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rotation.domain.school import (
    GROUPINGS,
    RULE_KINDS,
    STATION_KINDS,
    WEEKDAYS,
    AvailabilityClause,
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
from rotation.domain.week import hhmm, minutes
from rotation.io import cells, xlsx
from rotation.io.cells import Sheet
from rotation.io.problems import Problems
from rotation.io.xlsx import Row

T = TypeVar("T")

# The sheets in the order they are written, each with its columns in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Students": ("student_id", "first_name", "last_name", "grade", "class", "flags"),
    "Mastery": ("student_id", "skill", "score", "date", "source"),
    "Skills": ("skill", "min", "max", "mastered_at"),
    "Classes": (
        "class", "teacher", "room", "days", "start", "rotations", "rotation_minutes",
        "transition_minutes", "groups", "min_group_size", "max_group_size", "grouping", "focus",
    ),
    "Stations": ("class", "station", "kind", "capacity", "staff", "devices", "must_do", "visits", "mirror_of"),
    "Staff": ("staff_id", "name", "role", "available"),
    "Devices": ("pool", "count", "classes"),
    "Rules": ("rule", "students", "group", "station", "count", "day", "start", "end", "note"),
    "Locks": ("class", "student_id", "group", "day", "slot", "station"),
}
REQUIRED_SHEETS = ("Students", "Classes", "Stations")
# Columns of a wide Mastery sheet that are not skills (a teacher may paste names beside the scores).
_NOT_SKILLS = frozenset({"student_id", "first_name", "last_name", "name", "grade", "class", "flags",
                         "date", "source"})


# ---------------------------------------------------------------- sheets

_Sheet = Sheet  # the name tests/io/test_planning_workbook.py spies on


@dataclass
class _Table(Generic[T]):
    """What a sheet's rows became, each with its row, for the checks across sheets."""

    sheet: Sheet
    items: list[tuple[Row, T]]

    def objects(self) -> tuple[T, ...]:
        return tuple(item for _, item in self.items)


def _open_sheet(wb: Workbook, title: str, problems: Problems) -> Sheet:
    sheet = Sheet(title, problems)
    ws = xlsx.find_sheet(wb, title)
    if ws is None:
        if title in REQUIRED_SHEETS:
            sheet.add("the sheet is missing")
        return sheet
    sheet.title = ws.title
    try:
        sheet.headers, sheet.rows = xlsx.read_rows(ws, problems)
    except Exception as error:  # a cell openpyxl cannot parse is bad input, never a traceback
        sheet.add(f"the sheet cannot be read ({type(error).__name__}: {error})")
        return sheet  # told once; nothing more to say about what is in it
    # A blank optional sheet is as good as none; a blank required one lacks its columns.
    sheet.present = bool(sheet.headers or sheet.rows) or title in REQUIRED_SHEETS
    return sheet


def _table(sheet: Sheet, build: Callable[[Row], T | None], *required: str) -> _Table[T]:
    """Every row with an id, even one with bad cells (already told), so other sheets may name it."""
    sheet.require(*required)
    items = [(row, item) for row in sheet.rows if (item := build(row)) is not None]
    return _Table(sheet, items)


def _read_students(sheet: Sheet) -> _Table[Student]:
    def build(row: Row) -> Student | None:
        student_id = sheet.get(row, "student_id", required=True)
        first_name = sheet.get(row, "first_name", required=True)
        student = Student(
            student_id, first_name, sheet.get(row, "last_name", default=""), sheet.get(row, "grade", cells.grade),
            sheet.get(row, "class", cells.names, ()), sheet.get(row, "flags", cells.names, ()),
        )
        return student if student_id is not None else None
    return _table(sheet, build, "student_id", "first_name")


def _read_skills(sheet: Sheet) -> _Table[Skill]:
    def build(row: Row) -> Skill | None:
        name = sheet.get(row, "skill", required=True)
        skill = Skill(name, sheet.get(row, "min", cells.number, 0.0), sheet.get(row, "max", cells.number, 100.0),
                      sheet.get(row, "mastered_at", cells.number))
        if skill.min >= skill.max:
            sheet.add(f"max {cells.text(skill.max)} must be more than min {cells.text(skill.min)}", row, "max")
        elif skill.mastered_at is not None and not skill.min <= skill.mastered_at <= skill.max:
            sheet.add(f"{cells.text(skill.mastered_at)} is outside the skill's scale "
                      f"{cells.text(skill.min)} to {cells.text(skill.max)}", row, "mastered_at")
        return skill if name is not None else None
    return _table(sheet, build, "skill")


def _read_mastery(sheet: Sheet, students: _Table[Student], skills: _Table[Skill],
                  twice: _Twice) -> _Table[MasteryResult]:
    """Long (`student_id, skill, score`) or wide (`student_id` and a column per skill) results."""
    known_students = {s.student_id for s in students.objects()} if students.sheet.present else None
    # No skill on sheet Skills: every skill is scored 0-100.
    scales = {s.skill: s for s in reversed(skills.objects())}

    def check(row: Row, key: str, result: MasteryResult) -> None:
        scale = scales.get(result.skill) if scales else Skill(result.skill)
        if scale and ("skill", result.skill) not in twice and not scale.min <= result.score <= scale.max:
            sheet.add(f"score {cells.text(result.score)} is outside {cells.text(scale.min)} to "
                      f"{cells.text(scale.max)}, the scale of skill '{result.skill}'", row, key)

    def student_of(row: Row) -> str | None:
        student_id = sheet.get(row, "student_id", required=True)
        if student_id and known_students is not None and student_id not in known_students:
            sheet.add(f"student '{student_id}' is not on sheet Students", row, "student_id")
        return student_id

    if "skill" in sheet.headers or "score" in sheet.headers:
        def build(row: Row) -> MasteryResult | None:
            student_id, skill = student_of(row), sheet.get(row, "skill", required=True)
            score = sheet.get(row, "score", cells.number, required=True)
            if skill and scales and skill not in scales:
                sheet.add(f"skill '{skill}' is not on sheet Skills", row, "skill")
            if not (student_id and skill and score is not None):
                return None
            result = MasteryResult(student_id, skill, score, sheet.get(row, "date", cells.date),
                                   sheet.get(row, "source", default=""))
            check(row, "score", result)
            return result
        return _table(sheet, build, "student_id", "skill", "score")

    sheet.require("student_id")
    skill_keys = [key for key in sheet.headers if key not in _NOT_SKILLS]
    for key in skill_keys:
        if scales and sheet.headers[key] not in scales:
            sheet.problems.add(f"skill '{sheet.headers[key]}' is not on sheet Skills", sheet.title, 1,
                               sheet.headers[key])
    items = []
    for row in sheet.rows:
        student_id = student_of(row)
        date, source = sheet.get(row, "date", cells.date), sheet.get(row, "source", default="")
        for key in skill_keys:
            score = sheet.get(row, key, cells.number)
            if student_id and score is not None:
                result = MasteryResult(student_id, sheet.headers[key], score, date, source)
                check(row, key, result)
                items.append((row, result))
    return _Table(sheet, items)


def _read_classes(sheet: Sheet) -> _Table[SchoolClass]:
    def build(row: Row) -> SchoolClass | None:
        class_id = sheet.get(row, "class", required=True)
        start = sheet.get(row, "start", cells.time, required=True)
        minutes = sheet.get(row, "rotation_minutes", cells.count, required=True)
        cls = SchoolClass(
            class_id, start, minutes,
            teacher=sheet.get(row, "teacher", default=""),
            room=sheet.get(row, "room", default=""),
            days=sheet.get(row, "days", cells.days, WEEKDAYS),
            rotations=sheet.get(row, "rotations", cells.count),
            transition_minutes=sheet.get(row, "transition_minutes", cells.whole(0), 0),
            groups=sheet.get(row, "groups", cells.count),
            min_group_size=sheet.get(row, "min_group_size", cells.count),
            max_group_size=sheet.get(row, "max_group_size", cells.count),
            grouping=sheet.get(row, "grouping", cells.choice(GROUPINGS, "grouping"), "similar"),
            focus=sheet.get(row, "focus", cells.names, ()),
        )
        if cls.min_group_size and cls.max_group_size and cls.min_group_size > cls.max_group_size:
            sheet.add(f"min_group_size {cls.min_group_size} is more than max_group_size "
                      f"{cls.max_group_size}", row, "max_group_size")
        return cls if class_id is not None else None
    return _table(sheet, build, "class", "start", "rotation_minutes")


def _read_stations(sheet: Sheet) -> _Table[Station]:
    def build(row: Row) -> Station | None:
        name = sheet.get(row, "station", required=True)
        station = Station(
            name, sheet.get(row, "class"),
            kind=sheet.get(row, "kind", cells.choice(STATION_KINDS, "kind of station"), "other"),
            capacity=sheet.get(row, "capacity", cells.count),
            staff=sheet.get(row, "staff", default=""),
            devices=sheet.get(row, "devices", default=""),
            must_do=sheet.get(row, "must_do", cells.yes_no),
            visits=sheet.get(row, "visits", cells.visits),
            mirror_of=sheet.get(row, "mirror_of", default=""),
        )
        return station if name is not None else None
    return _table(sheet, build, "station")


def _read_staff(sheet: Sheet) -> _Table[Staff]:
    def build(row: Row) -> Staff | None:
        staff_id = sheet.get(row, "staff_id", required=True)
        adult = Staff(staff_id, sheet.get(row, "name", default=""), sheet.get(row, "role", default=""),
                      sheet.get(row, "available", cells.availability, ()))
        return adult if staff_id is not None else None
    return _table(sheet, build, "staff_id")


def _read_devices(sheet: Sheet) -> _Table[DevicePool]:
    def build(row: Row) -> DevicePool | None:
        pool = sheet.get(row, "pool", required=True)
        count = sheet.get(row, "count", cells.count, required=True)
        classes = sheet.get(row, "classes", cells.names, ())
        return DevicePool(pool, count, classes) if pool is not None else None
    return _table(sheet, build, "pool", "count")


def _read_rules(sheet: Sheet) -> _Table[Rule]:
    def build(row: Row) -> Rule | None:
        kind = sheet.get(row, "rule", cells.choice(RULE_KINDS, "rule"), required=True)
        students = sheet.get(row, "students", cells.names, (), required=True)
        rule = Rule(
            kind, students,
            group=sheet.get(row, "group", cells.count),
            station=sheet.get(row, "station", default=""),
            count=sheet.get(row, "count", cells.count),
            days=sheet.get(row, "day", cells.days, ()),
            start=sheet.get(row, "start", cells.time),
            end=sheet.get(row, "end", cells.time),
            note=sheet.get(row, "note", default=""),
            row=row.number,
        )
        needed = {"group": ("group",), "needs": ("station", "count"), "away": ("start", "end")}
        for key in needed.get(kind, ()):
            if row.get(key) is None:
                sheet.add(f"a '{kind}' rule needs a {key}", row, key)
        if kind == "away" and rule.start and rule.end and rule.end <= rule.start:
            sheet.add(f"the end {hhmm(rule.end)} is not after the start {hhmm(rule.start)}", row, "end")
        return rule if kind is not None and students else None
    return _table(sheet, build, "rule", "students")


def _read_locks(sheet: Sheet) -> tuple[_Table[StudentLock], _Table[VisitLock]]:
    """A row with a student_id locks a student in a group; a row without locks a group at a station."""
    sheet.require("class", "group")
    student_locks, visit_locks = [], []
    for row in sheet.rows:
        class_id = sheet.get(row, "class", required=True)
        group = sheet.get(row, "group", cells.count, required=True)
        student_id = sheet.get(row, "student_id")
        if student_id:
            if any(row.get(key) is not None for key in ("day", "slot", "station")):
                sheet.add("fill in either student_id, or day, slot and station, not both", row, "student_id")
            elif class_id and group:
                student_locks.append((row, StudentLock(class_id, student_id, group)))
            continue
        if any(key not in sheet.headers for key in ("day", "slot", "station")):
            sheet.add("fill in student_id (to lock a student in a group), or day, slot and station "
                      "(to lock a group at a station)", row)
            continue
        lock = VisitLock(class_id, sheet.get(row, "day", cells.day, required=True),
                         sheet.get(row, "slot", cells.count, required=True), group,
                         sheet.get(row, "station", required=True))
        if all(value is not None for value in vars(lock).values()):
            visit_locks.append((row, lock))
    return _Table(sheet, student_locks), _Table(sheet, visit_locks)


# ---------------------------------------------------------------- checks across rows and sheets


def _check_unique(table: _Table[T], key_of: Callable[[T], Any], column: str,
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


# What is written twice, by kind: ("student", id), ("skill", name), ("class", id), ("station", (class, name)),
# ("staff", id), ("pool", name). A check that would read such an id's row cannot know which row is meant, so
# it stays silent: the duplicate, told first, is the one problem to fix.
_Twice = frozenset[tuple[str, Any]]


def _check_ids(students: _Table[Student], skills: _Table[Skill], classes: _Table[SchoolClass],
               stations: _Table[Station], staff: _Table[Staff], devices: _Table[DevicePool]) -> _Twice:
    """Every id written twice, told before anything that id's rows could cause elsewhere."""
    found = {
        "student": _check_unique(students, lambda s: s.student_id, "student_id", lambda s: f"student '{s.student_id}'"),
        "skill": _check_unique(skills, lambda s: s.skill, "skill", lambda s: f"skill '{s.skill}'"),
        "class": _check_unique(classes, lambda c: c.class_id, "class", lambda c: f"class '{c.class_id}'"),
        "station": _check_unique(stations, lambda s: (s.class_id, s.name), "station", _station_label),
        "staff": _check_unique(staff, lambda a: a.staff_id, "staff_id", lambda a: f"staff_id '{a.staff_id}'"),
        "pool": _check_unique(devices, lambda p: p.pool, "pool", lambda p: f"pool '{p.pool}'"),
    }
    return frozenset((kind, key) for kind, keys in found.items() for key in keys)


def _check_not_empty(table: _Table[Any], what: str) -> None:
    if table.sheet.present and not table.sheet.rows:
        table.sheet.add(f"there are no {what}")


@dataclass(frozen=True)
class _Known:
    """The ids other sheets may name; None where the sheet that defines them is missing."""

    students: dict[str, Student] | None
    flags: frozenset[str]
    skills: frozenset[str]  # those of sheet Skills, else those with results; empty: no check
    classes: dict[str, SchoolClass] | None
    stations: dict[str | None, set[str]]  # names by class; None: every class
    adults: frozenset[str]  # staff ids, roles and class teachers
    pools: dict[str, tuple[str, ...]]  # pool -> the classes sharing it (empty: all)
    sizes: dict[str, tuple[int, int]]  # class -> (groups, rotations a day), defaults resolved
    twice: _Twice = frozenset()  # ids written twice (told already): what their rows say is unclear

    def classes_of(self, student: Student) -> tuple[str, ...]:
        return student.classes or tuple(self.classes or ())[:1]

    def stations_of(self, class_id: str) -> set[str]:
        return self.stations.get(class_id, set()) | self.stations.get(None, set())


def _known(students: _Table[Student], skills: _Table[Skill], mastery: _Table[MasteryResult],
           classes: _Table[SchoolClass], stations: _Table[Station], staff: _Table[Staff],
           devices: _Table[DevicePool], twice: _Twice) -> _Known:
    names: dict[str | None, set[str]] = {}
    for station in stations.objects():
        names.setdefault(station.class_id, set()).add(station.name)
    # The first row of an id written twice wins, as "already on row N" says (reversed: later rows overwritten).
    return _Known(
        students={s.student_id: s for s in reversed(students.objects())} if students.sheet.present else None,
        flags=frozenset(flag for s in students.objects() for flag in s.flags),
        skills=frozenset(s.skill for s in skills.objects()) or frozenset(m.skill for m in mastery.objects()),
        classes={c.class_id: c for c in reversed(classes.objects())} if classes.sheet.present else None,
        stations=names,
        adults=frozenset(chain((a.staff_id for a in staff.objects()), (a.role for a in staff.objects()),
                               (c.teacher for c in classes.objects()))) - {""},
        pools={p.pool: p.classes for p in reversed(devices.objects())},
        sizes={c.class_id: _sizes(c, stations.objects()) for c in reversed(classes.objects())},
        twice=twice,
    )


def _sizes(cls: SchoolClass, stations: Iterable[Station]) -> tuple[int, int]:
    """The class's groups and rotations a day; blank means one per station (mirrors not counted)."""
    own = sum(1 for s in stations if s.class_id in (None, cls.class_id) and not s.mirror_of)
    return (cls.groups if cls.groups is not None else own, cls.rotations if cls.rotations is not None else own)


def _no_such_group(known: _Known, class_id: str, group: int | None) -> str | None:
    groups = known.sizes.get(class_id, (0, 0))[0]
    if ("class", class_id) in known.twice:
        return None  # which row's groups? the duplicate class is told
    if group is not None and class_id in known.sizes and not 1 <= group <= groups:
        return f"class '{class_id}' has groups 1 to {groups}; there is no group {group}"
    return None


def _unknown_class(known: _Known, class_id: str) -> str | None:
    """Why `class_id` is not a class, or None if it is (or sheet Classes is missing)."""
    if known.classes is None or class_id in known.classes:
        return None
    return f"class '{class_id}' is not on sheet Classes"


def _check_students(table: _Table[Student], known: _Known) -> None:
    _check_not_empty(table, "students")
    for row, student in table.items:
        for class_id in student.classes:
            if why := _unknown_class(known, class_id):
                table.sheet.add(why, row, "class")
        if not student.classes and known.classes is not None and len(known.classes) > 1:
            table.sheet.add(f"the school has {len(known.classes)} classes, so this student needs a class",
                            row, "class")


def _check_classes(table: _Table[SchoolClass], known: _Known) -> None:
    _check_not_empty(table, "classes")
    for row, cls in table.items:
        for skill in cls.focus:
            if known.skills and skill not in known.skills:
                table.sheet.add(f"focus skill '{skill}' is not a skill on sheet Skills or Mastery", row, "focus")
        if known.stations and not known.stations_of(cls.class_id):
            table.sheet.add(f"class '{cls.class_id}' has no stations on sheet Stations", row, "class")


def _check_class_days(classes: _Table[SchoolClass], stations: _Table[Station]) -> None:
    """A class's rotations end the same day: slot times are clock times, and past midnight they would wrap."""
    for row, cls in classes.items:
        if cls.start is None or cls.rotation_minutes is None:
            continue  # already told
        rotations = cls.rotations if cls.rotations is not None else sum(
            1 for s in stations.objects() if s.class_id in (None, cls.class_id) and not s.mirror_of)
        if not rotations:
            continue
        end = minutes(cls.start) + rotations * cls.rotation_minutes + (rotations - 1) * cls.transition_minutes
        if end >= 24 * 60:
            classes.sheet.add(f"{rotations} rotations of {cls.rotation_minutes} minutes from {hhmm(cls.start)} "
                              "would end at or after midnight", row, "rotations" if cls.rotations else "start")


def _check_stations(table: _Table[Station], known: _Known) -> None:
    _check_not_empty(table, "stations")
    shared = {s.name: row.number for row, s in table.items if s.class_id is None}
    mirrors = {(s.class_id, s.name): s.mirror_of for s in reversed(table.objects())}
    for row, station in table.items:
        if station.class_id is not None and station.name in shared:
            table.sheet.add(f"station '{station.name}' is already on row {shared[station.name]} "
                            "for every class", row, "station")
        if why := station.class_id is not None and _unknown_class(known, station.class_id):
            table.sheet.add(why, row, "class")
        else:  # the stations of an unknown class are unknown too
            _check_mirror(table.sheet, row, station, known, mirrors)
        if station.staff and station.staff not in known.adults:
            table.sheet.add(f"'{station.staff}' is not a staff_id or role on sheet Staff, nor a class teacher",
                            row, "staff")
        if station.devices and station.devices not in known.pools:
            table.sheet.add(f"device pool '{station.devices}' is not on sheet Devices", row, "devices")
        elif station.devices:
            _check_pool_shared(table.sheet, row, station, known)


def _check_pool_shared(sheet: Sheet, row: Row, station: Station, known: _Known) -> None:
    # A pool counts every station that uses it, so a class the pool is not listed for is a mistake to name.
    if ("pool", station.devices) in known.twice:
        return  # which row's classes? the duplicate pool is told
    sharing = known.pools[station.devices]
    users = (station.class_id,) if station.class_id is not None else tuple(known.classes or ())
    outside = [c for c in users if sharing and c not in sharing]
    if outside:
        sheet.add(f"class {', '.join(repr(c) for c in outside)} would use device pool '{station.devices}', which "
                  f"sheet Devices lists for {', '.join(repr(c) for c in sharing)} only: add the class to the "
                  "pool's classes, or give this station another pool", row, "devices")


def _station_label(station: Station) -> str:
    where = f"class '{station.class_id}'" if station.class_id is not None else "every class"
    return f"station '{station.name}' of {where}"


def _check_mirror(sheet: Sheet, row: Row, station: Station, known: _Known,
                  mirrors: dict[tuple[str | None, str], str]) -> None:
    original = station.mirror_of
    if not original:
        return
    if original == station.name:
        sheet.add("a station cannot mirror itself", row, "mirror_of")
        return
    if station.class_id is not None:
        found = original in known.stations_of(station.class_id)
    else:  # a station for every class mirrors one that every class has
        found = original in known.stations.get(None, ()) or all(
            original in known.stations_of(c) for c in known.classes or ())
    if not found:
        sheet.add(f"{_station_label(Station(original, station.class_id))} is not on sheet Stations",
                  row, "mirror_of")
    elif mirrors.get((station.class_id, original)) or mirrors.get((None, original)):
        sheet.add(f"station '{original}' is itself a mirror; name the station it copies", row, "mirror_of")


def _check_devices(table: _Table[DevicePool], known: _Known) -> None:
    for row, pool in table.items:
        for class_id in pool.classes:
            if why := _unknown_class(known, class_id):
                table.sheet.add(why, row, "classes")


def _check_rules(table: _Table[Rule], known: _Known) -> None:
    all_stations = set().union(*known.stations.values())
    for row, rule in table.items:
        for who in rule.students:
            if known.students is not None and who not in known.students and who not in known.flags:
                table.sheet.add(f"'{who}' is neither a student on sheet Students nor a flag a student has",
                                row, "students")
        if rule.rule == "needs" and rule.station and rule.station not in all_stations:
            table.sheet.add(f"station '{rule.station}' is not on sheet Stations", row, "station")
        if rule.rule == "group" and known.students is not None:
            named = [s for s in known.students.values() if ("student", s.student_id) not in known.twice
                     and (s.student_id in rule.students or set(s.flags) & set(rule.students))]
            for class_id in dict.fromkeys(c for s in named for c in known.classes_of(s)):
                if why := _no_such_group(known, class_id, rule.group):
                    table.sheet.add(why, row, "group")


def _check_student_locks(table: _Table[StudentLock], known: _Known) -> None:
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


def _check_visit_locks(table: _Table[VisitLock], known: _Known) -> None:
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


# ---------------------------------------------------------------- reading


def read_planning_workbook(path: str | Path) -> School:
    """The School a planning workbook describes; BadInput naming every problem when there is any."""
    problems = Problems.of(path)
    wb = xlsx.open_workbook(path, problems)
    school = School()
    if wb is not None:
        try:
            school = _read_school(wb, problems, Path(path).name)
        except Exception as error:  # whatever a strange file trips in openpyxl is bad input, never a traceback
            problems.add(f"cannot be read ({type(error).__name__}: {error})")
        finally:
            wb.close()
    problems.raise_if_any()
    return school


def _read_school(wb: Workbook, problems: Problems, name: str) -> School:
    sheets = {title: _open_sheet(wb, title, problems) for title in COLUMNS}
    students = _read_students(sheets["Students"])
    skills = _read_skills(sheets["Skills"])
    classes = _read_classes(sheets["Classes"])
    stations = _read_stations(sheets["Stations"])
    staff = _read_staff(sheets["Staff"])
    devices = _read_devices(sheets["Devices"])
    twice = _check_ids(students, skills, classes, stations, staff, devices)  # the causes, before their echoes
    mastery = _read_mastery(sheets["Mastery"], students, skills, twice)
    rules = _read_rules(sheets["Rules"])
    student_locks, visit_locks = _read_locks(sheets["Locks"])

    known = _known(students, skills, mastery, classes, stations, staff, devices, twice)
    _check_students(students, known)
    _check_classes(classes, known)
    _check_class_days(classes, stations)
    _check_stations(stations, known)
    _check_devices(devices, known)
    _check_rules(rules, known)
    _check_student_locks(student_locks, known)
    _check_visit_locks(visit_locks, known)
    return School(
        students.objects(), skills.objects(), mastery.objects(), classes.objects(), stations.objects(),
        staff.objects(), devices.objects(), rules.objects(), student_locks.objects(), visit_locks.objects(),
        name=name,
    )


# ---------------------------------------------------------------- writing


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _day_list(days: Iterable[str]) -> str:
    return ",".join(days)


def _availability_text(clauses: Iterable[AvailabilityClause]) -> str:
    return "; ".join(
        f"{_day_list(c.days)} {_join(f'{hhmm(w.start)}-{hhmm(w.end)}' for w in c.windows) or 'off'}"
        for c in clauses
    )


def _yes_no_text(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _sheet_rows(school: School) -> dict[str, Iterable[tuple[Any, ...]]]:
    """Each sheet's rows, their cells in the order of COLUMNS."""
    return {
        "Students": ((s.student_id, s.first_name, s.last_name, s.grade, _join(s.classes), _join(s.flags))
                     for s in school.students),
        "Mastery": ((m.student_id, m.skill, m.score, m.date, m.source) for m in school.mastery),
        "Skills": ((s.skill, s.min, s.max, s.mastered_at) for s in school.skills),
        "Classes": ((c.class_id, c.teacher, c.room, _day_list(c.days), c.start, c.rotations,
                     c.rotation_minutes, c.transition_minutes, c.groups, c.min_group_size,
                     c.max_group_size, c.grouping, _join(c.focus)) for c in school.classes),
        "Stations": ((s.class_id, s.name, s.kind, s.capacity, s.staff, s.devices, _yes_no_text(s.must_do),
                      s.visits, s.mirror_of) for s in school.stations),
        "Staff": ((a.staff_id, a.name, a.role, _availability_text(a.available)) for a in school.staff),
        "Devices": ((p.pool, p.count, _join(p.classes)) for p in school.devices),
        # In order, so rule i comes back from row i + 2.
        "Rules": ((r.rule, _join(r.students), r.group, r.station, r.count, _day_list(r.days), r.start, r.end,
                   r.note) for r in school.rules),
        "Locks": chain(((k.class_id, k.student_id, k.group, None, None, None) for k in school.student_locks),
                       ((k.class_id, None, k.group, k.day, k.slot, k.station) for k in school.visit_locks)),
    }


def _write_sheet(ws: Worksheet, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Bold header in a frozen row 1, the rows below, columns as wide as their text (within reason)."""
    widths: dict[int, int] = {}
    for r, values in enumerate(chain([header], rows), start=1):
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            xlsx.write_text_cell(ws, r, c, value)
            widths[c] = max(widths.get(c, 0), len(cells.text(value)))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = min(width, 40) + 2


def write_planning_workbook(school: School, path: str | Path) -> None:
    """Write `school` as a planning workbook that reads back equal (atomically: never half a file)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in _sheet_rows(school).items():
        _write_sheet(wb.create_sheet(title), COLUMNS[title], rows)
    xlsx.save_atomically(wb, path)


# The blank workbook's Instructions sheet, and docs/workbook.md made from it: (sheet, column, needed, what to
# write, example). A row without a column says something about the whole sheet.
_INSTRUCTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Students", "", "sheet needed", "One row per student.", ""),
    ("Students", "student_id", "yes", "A code for the student, different for every student.", "S001"),
    ("Students", "first_name", "yes", "The student's first name.", "Maya"),
    ("Students", "last_name", "", "The student's last name.", "Lopez"),
    ("Students", "grade", "", "K or 1 to 12 (KG and 01 to 12 also work).", "3"),
    ("Students", "class", "if more than one class",
     "The class the student is in, as written on sheet Classes. Several classes: separate with commas. "
     "Blank: the school's only class.", "3A"),
    ("Students", "flags", "", "Tags for the student, separated by commas: IEP, ELL, 504, GT or your own. "
     "Rules may name a flag instead of students, and mixed grouping spreads each flag evenly.", "IEP, ELL"),
    ("Mastery", "", "", "Scores that decide who needs most support. One row per result.", ""),
    ("Mastery", "", "",
     "Instead of one row per result you may also write student_id and then one column per skill.", ""),
    ("Mastery", "", "",
     "Need: a student's need is 1 minus the mean, over the class's focus skills the student has results for, "
     "of (score - min) / (max - min). It runs from 0% (every focus skill at the top of its scale) to 100% "
     "(at the bottom); the plan's Groups sheet shows it from 0 to 1. The newest result per student and skill "
     "counts (a result without a date is the oldest; on the same date the lower row wins). A student with no "
     "result on any focus skill is given the class's median need and is listed in the plan's Checks sheet. "
     "Need decides similar grouping, the order of group numbers and the visits of a 'by need' station.", ""),
    ("Mastery", "student_id", "yes", "A student of sheet Students.", "S001"),
    ("Mastery", "skill", "yes", "The skill the score is for.", "Fractions"),
    ("Mastery", "score", "yes", "A number on the skill's scale (sheet Skills), or 0 to 100.", "72"),
    ("Mastery", "date", "", "When the result was taken (YYYY-MM-DD). The newest result counts.", "2024-09-30"),
    ("Mastery", "source", "", "Where the result came from.", "Unit 2 quiz"),
    ("Skills", "", "", "The scale of each skill you score. Leave the sheet out to score every skill 0 to 100.", ""),
    ("Skills", "skill", "yes", "A skill you score.", "Fractions"),
    ("Skills", "min", "", "The lowest score (0 if blank).", "0"),
    ("Skills", "max", "", "The highest score (100 if blank).", "4"),
    ("Skills", "mastered_at", "", "The score from which the skill counts as mastered.", "3"),
    ("Classes", "", "sheet needed", "One row per class that rotates through stations.", ""),
    ("Classes", "", "",
     "Grouping: similar puts students of similar need together, as close as the group sizes allow, and numbers "
     "the groups by need (group 1 needs the most support, unless pins, locks or an earlier plan fix the "
     "numbers). mixed makes each group a mix: every group's mean need near the class's, and each flag (IEP, "
     "ELL ...) spread evenly. by skill gives group 1 the first focus skill, group 2 the second and so on "
     "(starting again when there are more groups than skills), and puts each student, as far as the sizes "
     "allow, in a group of the skill they need most. Students without results are spread over the groups.", ""),
    ("Classes", "class", "yes", "A name for the class, different for every class.", "3A"),
    ("Classes", "teacher", "",
     "The teacher's staff_id. A teacher missing from sheet Staff is always available.", "T-RIVERA"),
    ("Classes", "room", "", "Where the class meets.", "Room 12"),
    ("Classes", "days", "", "The days the class rotates (Mon to Fri if blank).", "Mon,Tue,Thu"),
    ("Classes", "start", "yes", "When the first rotation starts (HH:MM).", "09:00"),
    ("Classes", "rotations", "", "Rotations a day (blank: one per station, not counting mirrors).", "4"),
    ("Classes", "rotation_minutes", "yes", "Minutes at each station.", "20"),
    ("Classes", "transition_minutes", "", "Minutes to change stations (0 if blank).", "2"),
    ("Classes", "groups", "", "How many groups (blank: one per station, not counting mirrors).", "4"),
    ("Classes", "min_group_size", "", "The smallest group (blank: groups as even as possible, sizes differing "
     "by at most one).", "4"),
    ("Classes", "max_group_size", "", "The largest group (blank: groups as even as possible).", "7"),
    ("Classes", "grouping", "", "similar (the default), mixed or by skill: see above.", "similar"),
    ("Classes", "focus", "", "The skills the grouping and need look at, separated by commas (blank: all).",
     "Fractions, Decimals"),
    ("Stations", "", "sheet needed",
     "One row per station. A row with a blank class is copied into every class. Classes share only adults "
     "(sheet Staff) and devices (sheet Devices), never a station.", ""),
    ("Stations", "", "",
     "Visits: a station with must_do yes is visited by every group at least once every class day. A station "
     "with a number of visits is visited exactly that many times a week by every group. A station with "
     "neither fills the other slots, spread evenly over the week. A staffed station serves one group at a "
     "time. A group is not at the same station twice in a day while it has stations left to visit that day, "
     "and no station holds two groups at once while another station that could take one of them sits empty "
     "(both as far as the other rules allow). Must-do stations that outnumber a day's rotations, or visits "
     "that cannot fit in the week, make the plan impossible, and the planner says which and how to fix it.", ""),
    ("Stations", "class", "", "The class of the station. Blank: every class gets this station.", "3A"),
    ("Stations", "station", "yes", "The station's name, different within its class.", "Teacher table"),
    ("Stations", "kind", "", "teacher, online, collaborative, independent or other (the default).", "teacher"),
    ("Stations", "capacity", "", "The most students there at once (blank: no limit). A station every group "
     "visits must seat a whole group.", "6"),
    ("Stations", "staff", "",
     "Who runs it: a staff_id, or a role of sheet Staff. Blank: the class teacher for a teacher station, "
     "nobody for the others.", "AIDE"),
    ("Stations", "devices", "", "A device pool of sheet Devices; each student there uses one device.",
     "Chromebooks"),
    ("Stations", "must_do", "",
     "yes: every group visits it at least once every class day. Blank: yes when visits is blank and the class "
     "has at least as many rotations a day as stations (not counting mirrors); no otherwise.", "yes"),
    ("Stations", "visits", "",
     "A number N: every group visits it exactly N times a week. by need: the station is used in every slot "
     "its adult is there, and the visits are shared by need: the group needing most support at least every "
     "class day, the group needing least at least twice a week, the others in between (4 groups over 5 days: "
     "at least 5, 4, 3 and 2), the rest going to the groups needing most support first.", "by need"),
    ("Stations", "mirror_of", "",
     "Another station of the class that this one copies, for large classes: a visit to either counts for the "
     "original's must_do and visits; each copy has its own staff, capacity and devices.", "Teacher table"),
    ("Staff", "", "", "The adults who run stations: teachers, aides, specialists.", ""),
    ("Staff", "staff_id", "yes", "A code for the adult, different for every adult.", "AIDE-1"),
    ("Staff", "name", "", "The adult's name.", "Sam Lee"),
    ("Staff", "role", "",
     "What the adult does. A station may name a role instead of a person: any adult with that role who is "
     "not leading their own class then may run it. A staff_id wins over a role of the same name.", "AIDE"),
    ("Staff", "available", "",
     "When the adult can help (blank: always). Parts separated by ';', each days then times, several times "
     "separated by commas, or 'off'; a later part replaces earlier ones for the days it names.",
     "Mon-Fri 08:00-15:00; Wed 08:00-12:00"),
    ("Devices", "", "", "Sets of devices shared between stations and classes. A pool's count limits the "
     "students using it at once, across all its classes, in slots that overlap in time on the same day.", ""),
    ("Devices", "pool", "yes", "A name for a set of devices.", "Chromebooks"),
    ("Devices", "count", "yes", "How many devices the pool has.", "12"),
    ("Devices", "classes", "",
     "The classes sharing the pool, separated by commas (blank: all). Only their stations may use it.", "3A, 3B"),
    ("Rules", "", "", "Who must or should be together, apart, in a group, away or at a station.", ""),
    ("Rules", "rule", "yes",
     "apart: never in the same group. together: in the same group. prefer_apart, prefer_together: the same "
     "as wishes the plan keeps when it can. group: in group number 'group' (numbers as in the plan). away: "
     "out of class on 'day' from 'start' to 'end' (speech, SPED or ELL pull-out): away in every rotation the "
     "time overlaps, using no seat or device, and their group kept from a teacher station then when possible. "
     "needs: at 'station' at least 'count' times a week.", "apart"),
    ("Rules", "students", "yes", "student_ids or flags (every student with the flag), separated by commas.",
     "S001, S014"),
    ("Rules", "group", "for group", "The group number.", "2"),
    ("Rules", "station", "for needs", "The station.", "SPED"),
    ("Rules", "count", "for needs", "Times a week.", "3"),
    ("Rules", "day", "", "The days the rule is about (blank: every class day).", "Tue,Thu"),
    ("Rules", "start", "for away", "When the students leave (HH:MM).", "09:30"),
    ("Rules", "end", "for away", "When they are back (HH:MM).", "10:00"),
    ("Rules", "note", "", "Anything you want to remember about the rule.", "speech"),
    ("Locks", "", "", "Choices you locked in the app; you rarely fill this in by hand. A row with a student_id "
     "keeps the student in the group; a row with day, slot and station keeps the group at the station then.", ""),
    ("Locks", "class", "yes", "The class.", "3A"),
    ("Locks", "student_id", "", "A student kept in a group.", "S001"),
    ("Locks", "group", "yes", "The group number.", "1"),
    ("Locks", "day", "", "With slot and station: a group kept at a station then.", "Mon"),
    ("Locks", "slot", "", "The rotation of the day, 1 = the first.", "2"),
    ("Locks", "station", "", "The station.", "Teacher table"),
)
_INTRO = (
    "How to fill in this planning workbook",
    "Fill in sheets Students, Classes and Stations; the other sheets are optional. Keep the first row of "
    "each sheet as it is and write one item per row below it.",
    "Sheet and column names may be written in any case, with spaces, hyphens or underscores alike. Extra "
    "columns and sheets are ignored; blank rows are skipped.",
    "Times are written HH:MM (09:30), dates YYYY-MM-DD (2024-09-30), days Mon, Tue, Wed, Thu, Fri, Sat, Sun "
    "(or a range such as Mon-Fri). Numbers, times and dates typed as such in the spreadsheet work too; a "
    "formula counts by the value it last showed.",
    "A problem is named by sheet, row and column, every problem at once (up to 200), and nothing is planned "
    "until the workbook has none.",
    "",
)


def instructions_markdown() -> str:
    """The blank workbook's instructions as the repository's docs/workbook.md, so the two never drift apart."""
    lines = ["# The planning workbook", "", "<!-- Made by `python -m resources.demo.build` from the instructions of "
             "resources/blank-planning-workbook.xlsx; edit those (rotation/io/planning_workbook.py), not this. -->",
             "", *(x for line in _INTRO[1:] if line for x in (line, "")),
             "What `rotation plan` makes of it, and how to plan from an earlier plan: [commands.md](commands.md).", ""]
    for sheet in COLUMNS:
        rows = [r for r in _INSTRUCTIONS if r[0] == sheet]
        about = [line for r in rows if not r[1] for line in (r[3], "")]
        needed = " (needed)" if any(r[2] == "sheet needed" for r in rows) else ""
        lines += [f"## {sheet}{needed}", "", *about, "| column | needed | what to write | example |",
                  "|---|---|---|---|"]
        lines += [f"| {c} | {n} | {w} | {e} |" for _, c, n, w, e in rows if c]
        lines.append("")
    return "\n".join(lines)


def write_blank_template(path: str | Path) -> None:
    """A planning workbook with no data: an Instructions sheet first, then every sheet with its header."""
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Instructions"
    for r, line in enumerate(_INTRO, start=1):
        xlsx.write_text_cell(guide, r, 1, line)
    guide["A1"].font = Font(bold=True, size=14)
    top = len(_INTRO) + 1
    for r, values in enumerate(chain([("sheet", "column", "needed", "what to write", "example")], _INSTRUCTIONS),
                               start=top):
        for c, value in enumerate(values, start=1):
            if value:
                xlsx.write_text_cell(guide, r, c, value)
            guide.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
            guide.cell(r, c).font = Font(bold=r == top)
    for letter, width in zip("ABCDE", (12, 20, 16, 70, 36), strict=True):
        guide.column_dimensions[letter].width = width
    for title, header in COLUMNS.items():
        _write_sheet(wb.create_sheet(title), header, ())
    xlsx.save_atomically(wb, path)
