"""The plan workbook: groups, a printable rotation chart, tidy schedules and checks (FORMATS.md 1)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from rotation.domain.plan import Check, Leaver, Plan, PlannedGroup, Visit
from rotation.domain.school import DAYS, School, SchoolClass, Student
from rotation.domain.week import SlotTime, away_slots, hhmm, slot_times, stations_of, students_of
from rotation.io.problems import BadInput, Problems
from rotation.io.xlsx import Row, find_sheet, iter_text, norm, open_workbook, read_rows, save_atomically
from rotation.io.xlsx import write_text_cell as write_cell

AWAY = "away"
OPTIMALITY = "optimality"
PROVEN_OPTIMAL = "proven optimal"

GROUPS_HEADER = ("class", "group", "group_name", "student_id", "first_name", "last_name", "need")
SCHEDULE_HEADER = ("class", "day", "start", "end", "slot", "station", "group", "student_id", "staff")
STAFF_HEADER = ("staff_id", "day", "start", "end", "class", "station", "group")
CHECKS_HEADER = ("kind", "rule", "who", "when", "cost", "detail")
# What the reader cannot do without; the other columns are for people.
GROUPS_REQUIRED = ("class", "group", "student_id")
SCHEDULE_REQUIRED = ("class", "day", "slot", "station", "group", "student_id")

DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                     strict=True))

# Light tints that keep black text readable, in print and on a projector.
PALETTE = (
    "AEC6E8", "FFD8A8", "B5E3B0", "F4B6B6", "D5C6E8", "F9E79F",
    "A8E0DC", "F7C6DC", "D9D9D9", "DCE8A8", "C9D8F0", "E8CBA8",
)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")


# --- writing -------------------------------------------------------------------------------------


def write_plan_workbook(school: School, plan: Plan, path: str | Path) -> None:
    """Write the plan as a workbook; the target is replaced only once the whole file is written."""
    wb = Workbook()
    wb.remove(wb.active)
    week = _Week(school, plan)
    write_groups(wb.create_sheet("Groups"), week)
    write_rotation(wb.create_sheet("Rotation"), week)
    write_schedule(wb.create_sheet("Schedule"), week)
    write_staff(wb.create_sheet("Staff"), week)
    write_checks(wb.create_sheet("Checks"), plan)
    save_atomically(wb, path)


class _Week:
    """The plan laid over the school's week, in the order every sheet lists things."""

    def __init__(self, school: School, plan: Plan):
        self.school = school
        self.plan = plan
        self._students = {s.student_id: s for s in school.students}
        self._visits = {(v.class_id, v.day, v.slot, v.group): v for v in plan.visits}

    def classes(self) -> list[SchoolClass]:
        planned = {g.class_id for g in self.plan.groups} | {v.class_id for v in self.plan.visits}
        return [c for c in self.school.classes if c.class_id in planned]

    def groups(self, class_id: str) -> list[PlannedGroup]:
        return sorted((g for g in self.plan.groups if g.class_id == class_id), key=lambda g: g.number)

    def members(self, group: PlannedGroup) -> list[Student]:
        known = [self._students.get(m) or Student(m, "") for m in group.members]
        return sorted(known, key=lambda s: (s.last_name.lower(), s.first_name.lower(), s.student_id))

    def visit(self, class_id: str, slot: SlotTime, group: int) -> Visit | None:
        return self._visits.get((class_id, slot.day, slot.slot, group))

    def visits(self) -> Iterator[tuple[SchoolClass, SlotTime, Visit]]:
        for cls in self.classes():
            for slot in slot_times(self.school, cls):
                for group in self.groups(cls.class_id):
                    visit = self.visit(cls.class_id, slot, group.number)
                    if visit is not None:
                        yield cls, slot, visit

    def station_colours(self) -> dict[str, PatternFill]:
        names = dict.fromkeys([s.name for s in self.school.stations] + [v.station for v in self.plan.visits])
        return {n: PatternFill("solid", fgColor=PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)}


def write_groups(ws: Worksheet, week: _Week) -> None:
    rows = (
        (cls.class_id, g.number, g.name, s.student_id, s.first_name, s.last_name, _need(g, s))
        for cls in week.classes() for g in week.groups(cls.class_id) for s in week.members(g)
    )
    _table(ws, GROUPS_HEADER, rows)


def _need(group: PlannedGroup, student: Student) -> float | None:
    """The student's need in the group's class, as the Groups sheet shows it."""
    need = group.need[group.members.index(student.student_id)]
    return None if need is None else round(need, 3)


def write_rotation(ws: Worksheet, week: _Week) -> None:
    """One block per class and day: groups down, slots across, a colour per station; names only."""
    colours = week.station_colours()
    row = 1
    widest = 1
    tallest = 1
    for page, cls in enumerate(week.classes()):
        if page:
            ws.row_breaks.append(Break(id=row - 1))  # one class per printed page
        first = row
        groups = week.groups(cls.class_id)
        slots = slot_times(week.school, cls)
        for day in cls.days:
            day_slots = [s for s in slots if s.day == day]
            widest = max(widest, len(day_slots) + 1)
            write_cell(ws, row, 1, f"Class {cls.class_id} — {DAY_NAMES.get(day, day)}")
            ws.cell(row, 1).font = Font(bold=True, size=14)
            row += 1
            _chart_cell(ws, row, 1, "Group", HEADER_FILL, bold=True)
            for col, slot in enumerate(day_slots, start=2):
                label = f"{slot.slot}  {hhmm(slot.start)}-{hhmm(slot.end)}"
                _chart_cell(ws, row, col, label, HEADER_FILL, bold=True)
            for group in groups:
                row += 1
                _chart_cell(ws, row, 1, _group_label(group), None, bold=True)
                for col, slot in enumerate(day_slots, start=2):
                    visit = week.visit(cls.class_id, slot, group.number)
                    station = visit.station if visit else ""
                    _chart_cell(ws, row, col, station, colours.get(station))
            row += 2
        tallest = max(tallest, row - first)
    ws.column_dimensions["A"].width = 26
    for col in range(2, widest + 1):
        ws.column_dimensions[get_column_letter(col)].width = 20
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    # A fixed scale, not fit-to-page: spreadsheets ignore page breaks when fitting, and each class's
    # week must stay on one page (about 28 rows and 150 characters fit a landscape page at 100%).
    across = 26 + 20 * (widest - 1)
    ws.page_setup.scale = max(30, min(100, 100 * 28 // tallest, 100 * 150 // across))
    ws.print_options.horizontalCentered = True


def _group_label(group: PlannedGroup) -> str:
    return f"Group {group.number} · {group.name}" if group.name else f"Group {group.number}"


def _chart_cell(ws: Worksheet, row: int, col: int, text: str, fill: PatternFill | None,
                bold: bool = False) -> None:
    write_cell(ws, row, col, text)
    cell = ws.cell(row, col)
    cell.border = BOX
    cell.alignment = CENTRE
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = BOLD


def write_schedule(ws: Worksheet, week: _Week) -> None:
    _table(ws, SCHEDULE_HEADER, _schedule_rows(week))


def _schedule_rows(week: _Week) -> Iterator[tuple[Any, ...]]:
    for cls in week.classes():
        away = away_slots(week.school, cls)
        for slot in slot_times(week.school, cls):
            for group in week.groups(cls.class_id):
                visit = week.visit(cls.class_id, slot, group.number)
                for student in week.members(group):
                    if (slot.day, slot.slot, student.student_id) in away:
                        station, staff = AWAY, ""
                    else:
                        station, staff = (visit.station, ", ".join(visit.staff)) if visit else ("", "")
                    yield (cls.class_id, slot.day, slot.start, slot.end, slot.slot, station, group.number,
                           student.student_id, staff)


def write_staff(ws: Worksheet, week: _Week) -> None:
    rows = sorted(
        ((adult, slot.day, slot.start, slot.end, cls.class_id, visit.station, visit.group)
         for cls, slot, visit in week.visits() for adult in visit.staff),
        key=lambda r: (r[0], _day_order(r[1]), r[2], r[4], r[6]),
    )
    _table(ws, STAFF_HEADER, rows)


def _day_order(day: str) -> int:
    return DAYS.index(day) if day in DAYS else len(DAYS)


def write_checks(ws: Worksheet, plan: Plan) -> None:
    checks = list(plan.checks)
    # The reader learns `optimal` from this sheet, so it always says.
    if not any(c.kind == OPTIMALITY for c in checks):
        checks.append(Check(OPTIMALITY, detail=PROVEN_OPTIMAL if plan.optimal else "not proven optimal"))
    _table(ws, CHECKS_HEADER, ((c.kind, c.rule, c.who, c.when, c.cost, c.detail) for c in checks))


def _table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A tidy sheet: bold frozen header with a filter, one record a row, columns as wide as their text."""
    widths = [len(h) for h in header]
    for col, name in enumerate(header, start=1):
        write_cell(ws, 1, col, name)
        ws.cell(1, col).font = BOLD
    last = 1
    for last, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            write_cell(ws, last, col, value)
            widths[col - 1] = max(widths[col - 1], len(_shown(value)))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 3, 8), 50)  # room for the filter
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return hhmm(value) if isinstance(value, dt.time) else str(value)


# --- reading -------------------------------------------------------------------------------------


def read_plan_workbook(path: str | Path, school: School) -> Plan:
    """Groups and Schedule of a plan (perhaps edited by hand) checked against the school; else BadInput."""
    return _read(path, _PlanReader(school, Problems.of(path)))


def read_previous_plan(path: str | Path, school: School) -> tuple[Plan, tuple[Leaver, ...]]:
    """Last week's plan for this week's roster: students who left (or whose class is gone) are dropped and
    returned; a plan sharing no student with the school is bad input in one line."""
    reader = _PlanReader(school, Problems.of(path), last_week=True)
    return _read(path, reader), tuple(reader.left.values())


def _read(path: str | Path, reader: _PlanReader) -> Plan:
    problems = reader.problems
    wb = open_workbook(path, problems)
    if wb is None:
        raise BadInput(problems.found)
    try:
        plan = reader.read(wb)
    except Exception as error:  # a damaged sheet is bad input, never a traceback
        problems.add(f"cannot be read ({type(error).__name__}: {error})")
        raise BadInput(problems.found) from error
    finally:
        wb.close()
    problems.raise_if_any()
    return plan


class _PlanReader:
    def __init__(self, school: School, problems: Problems, last_week: bool = False):
        self.school = school
        self.problems = problems
        self.last_week = last_week  # rows of students no longer on the roster are dropped, not refused
        self.left: dict[tuple[str, str], Leaver] = {}
        self.classes = {c.class_id: c for c in school.classes}
        self.students = {s.student_id for s in school.students}
        self.roster = {c: {s.student_id for s in students_of(school, c)} for c in self.classes}
        self.stations = {c: {norm(s.name): s.name for s in stations_of(school, c)} for c in self.classes}
        self.slots = {c.class_id: {(s.day, s.slot) for s in slot_times(school, c)} for c in school.classes}
        roles = {a.role for a in school.staff} - {a.staff_id for a in school.staff}
        self.adults = ({a.staff_id for a in school.staff} | {c.teacher for c in school.classes}
                       | {s.staff for s in school.stations if s.staff not in roles}) - {""}
        # (class, student) -> group number, as Groups says
        self.group_of: dict[tuple[str, str], int] = {}

    def read(self, wb: Workbook) -> Plan:
        groups_sheet = self._sheet(wb, "Groups", GROUPS_REQUIRED)
        schedule_sheet = self._sheet(wb, "Schedule", SCHEDULE_REQUIRED)
        groups = self.read_groups(*groups_sheet) if groups_sheet else ()
        if groups_sheet and self.last_week and not self.group_of:
            self.problems.add(f"shares no student with the classes of {self.school.name or 'the planning workbook'}"
                              ": is it a plan of another class or school?")
            return Plan((), ())
        # Without Groups every Schedule row would be reported as ungrouped: noise, not news.
        visits = self.read_schedule(*schedule_sheet) if schedule_sheet and groups_sheet else ()
        return Plan(groups=groups, visits=visits, optimal=self.read_optimal(wb))

    def _sheet(self, wb: Workbook, name: str, required: Sequence[str]) -> tuple[Worksheet, list[Row]] | None:
        ws = find_sheet(wb, name)
        if ws is None:
            self.problems.add(f"sheet '{name}' is missing")
            return None
        headers, rows = read_rows(ws, self.problems)
        missing = [h for h in required if h not in headers]
        for column in missing:
            self.problems.add(f"column '{column}' is missing", sheet=ws.title, row=1)
        return None if missing else (ws, rows)

    def _problem(self, ws: Worksheet, row: Row, key: str, message: str) -> None:
        self.problems.add(message, sheet=ws.title, row=row.number, column=row.column(key))

    def read_groups(self, ws: Worksheet, rows: list[Row]) -> tuple[PlannedGroup, ...]:
        names: dict[tuple[str, int], str] = {}
        members: dict[tuple[str, int], list[str]] = {}
        need: dict[tuple[str, int], list[float | None]] = {}
        for row in rows:
            if self._gone(row):
                self._leaver(row)
                continue
            cls = self._class(ws, row)
            number = self._number(ws, row, "group")
            student = self._student(ws, row, cls)
            if cls is None or number is None or student is None:
                continue
            key = (cls.class_id, student)
            if key in self.group_of:
                self._problem(ws, row, "student_id", f"student '{student}' is already in group "
                              f"{self.group_of[key]} of class '{cls.class_id}'")
                continue
            self.group_of[key] = number
            members.setdefault((cls.class_id, number), []).append(student)
            name = _text(row.get("group_name"))
            if name and names.setdefault((cls.class_id, number), name) != name:
                self._problem(ws, row, "group_name", f"group {number} of class '{cls.class_id}' is "
                              f"named '{names[cls.class_id, number]}' above")
            need.setdefault((cls.class_id, number), []).append(self._need(ws, row))
        return tuple(PlannedGroup(c, n, names.get((c, n), ""), tuple(m), tuple(need[c, n]))
                     for (c, n), m in members.items())

    def _need(self, ws: Worksheet, row: Row) -> float | None:
        """The need cell: a number, or None when blank (the plan then does not say)."""
        value = row.get("need")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if value is not None:
            self._problem(ws, row, "need", f"'{value}' is not a number")
        return None

    def read_schedule(self, ws: Worksheet, rows: list[Row]) -> tuple[Visit, ...]:
        visits: dict[tuple[str, str, int, int], tuple[str, tuple[str, ...], int]] = {}
        seen: dict[tuple[str, str, int, str], int] = {}
        for row in rows:
            if self._gone(row):
                continue
            cls = self._class(ws, row)
            slot = self._slot(ws, row, cls)
            station = self._station(ws, row, cls)
            number = self._number(ws, row, "group")
            student = self._student(ws, row, cls)
            for column in ("start", "end"):
                if row.get(column) is not None and _time(row.get(column)) is None:
                    self._problem(ws, row, column, f"'{row.get(column)}' is not a time (HH:MM)")
            staff = self._staff(ws, row)
            if cls is None or slot is None or station is None or number is None or student is None:
                continue
            day, slot_number = slot
            first = seen.setdefault((cls.class_id, day, slot_number, student), row.number)
            if first != row.number:
                self._problem(ws, row, "student_id", f"student '{student}' is already in {day} slot "
                              f"{slot_number} on row {first}")
                continue
            grouped = self.group_of.get((cls.class_id, student))
            if grouped is None:
                self._problem(ws, row, "student_id", f"student '{student}' is in no group of class "
                              f"'{cls.class_id}' on sheet Groups")
                continue
            if grouped != number:
                self._problem(ws, row, "group", f"student '{student}' is in group {grouped} on sheet Groups, "
                              f"not group {number}")
                continue
            if station == AWAY:
                continue
            key = (cls.class_id, day, slot_number, number)
            there, their_staff, first = visits.setdefault(key, (station, staff, row.number))
            if there != station:
                self._problem(ws, row, "station", f"group {number} is at '{there}' in {day} slot "
                              f"{slot_number} on row {first}, not at '{station}'")
            elif their_staff != staff:
                self._problem(ws, row, "staff", f"group {number} has staff '{', '.join(their_staff)}' in "
                              f"{day} slot {slot_number} on row {first}")
        # A group whose rows leave the station blank is at no station then.
        found = [Visit(*key, station, staff) for key, (station, staff, _) in visits.items() if station]
        order = {c.class_id: i for i, c in enumerate(self.school.classes)}
        return tuple(sorted(found, key=lambda v: (order[v.class_id], _day_order(v.day), v.slot, v.group)))

    def read_optimal(self, wb: Workbook) -> bool:
        ws = find_sheet(wb, "Checks")
        if ws is None:
            return False
        # Unreadable checks cost only the flag: they are not part of the plan's contract.
        _, rows = read_rows(ws, Problems(self.problems.file))
        return any(
            norm(row.get("kind") or "") == OPTIMALITY and _proven(_text(row.get("detail")))
            for row in rows
        )

    def _gone(self, row: Row) -> bool:
        """Reading last week's plan: a row of a student who left the class (or of a class gone) is dropped."""
        class_id, student = _text(row.get("class")), _text(row.get("student_id"))
        if not self.last_week or student is None or (class_id is None and len(self.classes) != 1):
            return False  # a blank id or class is still a problem to name
        class_id = class_id or next(iter(self.classes))
        return class_id not in self.classes or student not in self.roster[class_id]

    def _leaver(self, row: Row) -> None:
        class_id, student = _text(row.get("class")) or next(iter(self.classes)), _text(row.get("student_id")) or ""
        name = " ".join(t for t in (_text(row.get("first_name")), _text(row.get("last_name"))) if t)
        self.left.setdefault((class_id, student), Leaver(class_id, student, _whole(row.get("group")), name))

    def _class(self, ws: Worksheet, row: Row) -> SchoolClass | None:
        class_id = _text(row.get("class"))
        if class_id is None and len(self.classes) == 1:
            return next(iter(self.classes.values()))
        cls = self.classes.get(class_id or "")
        if cls is None:
            self._problem(ws, row, "class", f"unknown class '{class_id}'" if class_id else "class is blank")
        return cls

    def _number(self, ws: Worksheet, row: Row, key: str) -> int | None:
        value = row.get(key)
        number = _whole(value)
        if number is None or number < 1:
            self._problem(ws, row, key, f"'{value}' is not a number from 1" if value is not None
                          else f"{key} is blank")
            return None
        return number

    def _student(self, ws: Worksheet, row: Row, cls: SchoolClass | None) -> str | None:
        student = _text(row.get("student_id"))
        if student is None:
            self._problem(ws, row, "student_id", "student_id is blank")
            return None
        if cls is None:
            return None
        if student not in self.roster[cls.class_id]:
            self._problem(ws, row, "student_id", f"student '{student}' is not in class '{cls.class_id}'"
                          if student in self.students else f"unknown student '{student}'")
            return None
        return student

    def _slot(self, ws: Worksheet, row: Row, cls: SchoolClass | None) -> tuple[str, int] | None:
        day = _day(row.get("day"))
        if day is None:
            self._problem(ws, row, "day", f"'{row.get('day')}' is not a day (Mon..Sun)")
        number = self._number(ws, row, "slot")
        if cls is None or day is None or number is None:
            return None
        slots = [n for d, n in self.slots[cls.class_id] if d == day]
        if not slots:
            self._problem(ws, row, "day", f"class '{cls.class_id}' does not meet on {day}")
            return None
        if number not in slots:
            self._problem(ws, row, "slot", f"class '{cls.class_id}' has slots 1-{len(slots)}, not {number}")
            return None
        return day, number

    def _staff(self, ws: Worksheet, row: Row) -> tuple[str, ...]:
        staff = tuple(iter_text(row.get("staff")))
        for adult in staff:
            if adult not in self.adults:
                self._problem(ws, row, "staff", f"unknown adult '{adult}'")
        return staff

    def _station(self, ws: Worksheet, row: Row, cls: SchoolClass | None) -> str | None:
        """The station as the school spells it, "away", or "" for a slot with no visit."""
        name = _text(row.get("station"))
        if name is None:
            return ""
        if norm(name) == AWAY:
            return AWAY
        if cls is None:
            return None
        stations = self.stations[cls.class_id]
        if norm(name) not in stations:
            self._problem(ws, row, "station", f"class '{cls.class_id}' has no station '{name}'")
            return None
        return stations[norm(name)]


def _text(value: Any) -> str | None:
    """A cell as text; whole numbers (an id typed as a number) without a trailing '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _day(value: Any) -> str | None:
    text = (_text(value) or "").lower()
    return next((d for d in DAYS if text in (d.lower(), DAY_NAMES[d].lower())), None)


def _time(value: Any) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", _text(value) or "")
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    return None


def _proven(detail: str | None) -> bool:
    words = (detail or "").lower()
    return PROVEN_OPTIMAL in words and "not" not in words.split()
