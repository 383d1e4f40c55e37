"""Each sheet of the planning workbook read into the school's objects, every cell it cannot use told by sheet,
row and column; what the sheets say of each other is planning_checks.py's to judge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from openpyxl.workbook.workbook import Workbook

from rotation.domain.school import (
    GROUPINGS,
    RULE_KINDS,
    STATION_KINDS,
    WEEKDAYS,
    DevicePool,
    MasteryResult,
    Rule,
    SchoolClass,
    Skill,
    Staff,
    Station,
    Student,
    StudentLock,
    VisitLock,
)
from rotation.domain.settings import RULE_NEEDS, away_times_problem, group_sizes_problem, rule_needs_problem
from rotation.io import cells, xlsx
from rotation.io.cells import Sheet
from rotation.io.planning_sheets import NOT_SKILLS, REQUIRED_SHEETS
from rotation.io.problems import Problems
from rotation.io.xlsx import Row

T = TypeVar("T")
K = TypeVar("K")

# What is written twice, by kind: ("student", id), ("skill", name), ("class", id), ("station", (class, name)),
# ("staff", id), ("pool", name). A check that would read such an id's row cannot know which row is meant, so
# it stays silent: the duplicate, told first, is the one problem to fix.
Twice = frozenset[tuple[str, Any]]


@dataclass
class Table(Generic[T]):
    """What a sheet's rows became, each with its row, for the checks across sheets."""

    sheet: Sheet
    items: list[tuple[Row, T]]

    def objects(self) -> tuple[T, ...]:
        return tuple(item for _, item in self.items)

    def first_by(self, key: Callable[[T], K]) -> dict[K, T]:
        """Each id's item, in the order of the rows; an id written twice has its first row's, as "already on
        row N" says."""
        found: dict[K, T] = {}
        for item in self.objects():
            found.setdefault(key(item), item)
        return found


def open_sheet(wb: Workbook, title: str, problems: Problems) -> Sheet:
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


def _table(sheet: Sheet, build: Callable[[Row], T | None], *required: str) -> Table[T]:
    """Every row with an id, even one with bad cells (already told), so other sheets may name it."""
    sheet.require(*required)
    items = [(row, item) for row in sheet.rows if (item := build(row)) is not None]
    return Table(sheet, items)


def read_students(sheet: Sheet) -> Table[Student]:
    def build(row: Row) -> Student | None:
        student_id = sheet.get(row, "student_id", required=True)
        first_name = sheet.get(row, "first_name", required=True)
        student = Student(
            student_id, first_name, sheet.get(row, "last_name", default=""), sheet.get(row, "grade", cells.grade),
            sheet.get(row, "class", cells.names, ()), sheet.get(row, "flags", cells.names, ()),
        )
        return student if student_id is not None else None
    return _table(sheet, build, "student_id", "first_name")


def read_skills(sheet: Sheet) -> Table[Skill]:
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


def read_mastery(sheet: Sheet, students: Table[Student], skills: Table[Skill],
                  twice: Twice) -> Table[MasteryResult]:
    """Long (`student_id, skill, score`) or wide (`student_id` and a column per skill) results."""
    known_students = {s.student_id for s in students.objects()} if students.sheet.present else None
    # No skill on sheet Skills: every skill is scored 0-100.
    scales = skills.first_by(lambda s: s.skill)

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
                                   sheet.get(row, "source", default=""), sheet.get(row, "detail", default=""))
            check(row, "score", result)
            return result
        return _table(sheet, build, "student_id", "skill", "score")

    sheet.require("student_id")
    skill_keys = [key for key in sheet.headers if key not in NOT_SKILLS]
    for key in skill_keys:
        if scales and sheet.headers[key] not in scales:
            sheet.problems.add(f"skill '{sheet.headers[key]}' is not on sheet Skills", sheet.title, 1,
                               sheet.headers[key])
    items = []
    for row in sheet.rows:
        student_id = student_of(row)
        date, source = sheet.get(row, "date", cells.date), sheet.get(row, "source", default="")
        detail = sheet.get(row, "detail", default="")
        for key in skill_keys:
            score = sheet.get(row, key, cells.number)
            if student_id and score is not None:
                result = MasteryResult(student_id, sheet.headers[key], score, date, source, detail)
                check(row, key, result)
                items.append((row, result))
    return Table(sheet, items)


def read_classes(sheet: Sheet) -> Table[SchoolClass]:
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
        if problem := group_sizes_problem(cls):
            sheet.add(problem.message, row, problem.column)
        return cls if class_id is not None else None
    return _table(sheet, build, "class", "start", "rotation_minutes")


def read_stations(sheet: Sheet) -> Table[Station]:
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


def read_staff(sheet: Sheet) -> Table[Staff]:
    def build(row: Row) -> Staff | None:
        staff_id = sheet.get(row, "staff_id", required=True)
        adult = Staff(staff_id, sheet.get(row, "name", default=""), sheet.get(row, "role", default=""),
                      sheet.get(row, "available", cells.availability, ()))
        return adult if staff_id is not None else None
    return _table(sheet, build, "staff_id")


def read_devices(sheet: Sheet) -> Table[DevicePool]:
    def build(row: Row) -> DevicePool | None:
        pool = sheet.get(row, "pool", required=True)
        count = sheet.get(row, "count", cells.count, required=True)
        classes = sheet.get(row, "classes", cells.names, ())
        return DevicePool(pool, count, classes) if pool is not None else None
    return _table(sheet, build, "pool", "count")


def read_rules(sheet: Sheet) -> Table[Rule]:
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
        for key in RULE_NEEDS.get(kind, ()):  # a blank cell: a bad one is told already
            if row.get(key) is None:
                needs = rule_needs_problem(kind, key)
                sheet.add(needs.message, row, needs.column)
        if problem := away_times_problem(rule):
            sheet.add(problem.message, row, problem.column)
        return rule if kind is not None and students else None
    return _table(sheet, build, "rule", "students")


def read_locks(sheet: Sheet) -> tuple[Table[StudentLock], Table[VisitLock]]:
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
    return Table(sheet, student_locks), Table(sheet, visit_locks)
