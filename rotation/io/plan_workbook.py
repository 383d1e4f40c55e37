"""The plan workbook (docs/commands.md): groups, a printable rotation chart, tidy schedules and checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from rotation.domain.plan import Check, Leaver, Plan, PlannedGroup, Visit
from rotation.domain.school import DAYS, School, SchoolClass, Student
from rotation.domain.week import (
    SlotTime,
    away_slots,
    hhmm,
    is_available,
    slot_times,
    station_staff,
    stations_of,
    students_of,
)
from rotation.io import cells
from rotation.io.cells import Sheet, cell_text, value_or_none
from rotation.io.problems import BadInput, Problems
from rotation.io.rotation_chart import (
    FONT,
    PORTRAIT_WIDE,
    ChartReader,
    is_older_chart,
    points,
    write_chart,
)
from rotation.io.rotation_chart import SHEET as CHART
from rotation.io.xlsx import Row, find_sheet, norm, open_workbook, read_rows, save_atomically
from rotation.io.xlsx import write_text_cell as write_cell

AWAY = "away"
OPTIMALITY = "optimality"
PROVEN_OPTIMAL = "proven optimal"

GROUPS_HEADER = ("class", "group", "group_name", "student_id", "first_name", "last_name", "need")
SCHEDULE_HEADER = ("class", "day", "start", "end", "slot", "station", "group", "student_id", "staff")
STAFF_HEADER = ("staff_id", "day", "start", "end", "class", "station", "group")
CHECKS_HEADER = ("kind", "rule", "who", "when", "cost", "detail")
# What the reader cannot do without; the other columns are for people.
At = tuple[str, str, int, int]  # (class, day, slot, group): where a visit happens
STALE_SHOWN = 3  # differences a stale Schedule report names before counting the rest
GROUPS_REQUIRED = ("class", "group", "student_id")
SCHEDULE_REQUIRED = ("class", "day", "slot", "station", "group", "student_id")

# Light tints that keep black text readable, in print and on a projector.
PALETTE = (
    "AEC6E8", "FFD8A8", "B5E3B0", "F4B6B6", "D5C6E8", "F9E79F",
    "A8E0DC", "F7C6DC", "D9D9D9", "DCE8A8", "C9D8F0", "E8CBA8",
)
BOLD = Font(name=FONT, bold=True)


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
    write_chart(ws, week)


def write_schedule(ws: Worksheet, week: _Week) -> None:
    _table(ws, SCHEDULE_HEADER, _schedule_rows(week))


def schedule_rows(school: School, plan: Plan) -> list[tuple[Any, ...]]:
    """The Schedule sheet's rows (SCHEDULE_HEADER), for exports that must say what the workbook says."""
    return list(_schedule_rows(_Week(school, plan)))


def staff_rows(school: School, plan: Plan) -> list[tuple[Any, ...]]:
    """The Staff sheet's rows (STAFF_HEADER), for exports that must say what the workbook says."""
    return _staff_rows(_Week(school, plan))


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
    _table(ws, STAFF_HEADER, _staff_rows(week))


def _staff_rows(week: _Week) -> list[tuple[Any, ...]]:
    return sorted(
        ((adult, slot.day, slot.start, slot.end, cls.class_id, visit.station, visit.group)
         for cls, slot, visit in week.visits() for adult in visit.staff),
        key=lambda r: (r[0], _day_order(r[1]), r[2], r[4], r[6]),
    )


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
    _print_across(ws, [ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(header) + 1)])


def _print_across(ws: Worksheet, widths: Sequence[float]) -> None:
    """Printed, the columns fit the page's width (landscape when portrait is too narrow) and the header
    row repeats on every page; the rows run on over as many pages as they need."""
    ws.print_title_rows = "1:1"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wide = sum(points(w) for w in widths) > PORTRAIT_WIDE / 0.85  # portrait unless its text would be small
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return hhmm(value) if isinstance(value, dt.time) else str(value)


# --- reading -------------------------------------------------------------------------------------


def read_plan_workbook(path: str | Path, school: School) -> Plan:
    """A plan (perhaps edited by hand) checked against the school, else BadInput: see `read_plan`."""
    return read_plan(path, school).plan


@dataclass(frozen=True)
class PlanRead:
    """A plan read back from a workbook, and what the reader noticed about the file."""

    plan: Plan
    # How the Schedule disagrees with Groups and the Rotation chart, which are the plan; "" when it agrees.
    # The Schedule is derived from them, so this is news, not a fault of the plan.
    stale_schedule: str = ""
    left: tuple[Leaver, ...] = ()  # last week's plan: students no longer in their class, dropped


def read_plan(path: str | Path, school: School) -> PlanRead:
    """Groups and the Rotation chart, with the Schedule's adults and a word where the Schedule disagrees;
    a plan without a Rotation sheet is read from Groups and the Schedule. Else BadInput."""
    return _read(path, _PlanReader(school, Problems.of(path)))


def read_previous_plan(path: str | Path, school: School) -> PlanRead:
    """Last week's plan for this week's roster: students who left (or whose class is gone) are dropped and
    listed; a plan sharing no student with the school is bad input in one line."""
    return _read(path, _PlanReader(school, Problems.of(path), last_week=True))


def _read(path: str | Path, reader: _PlanReader) -> PlanRead:
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
    return PlanRead(plan, reader.stale_schedule, tuple(reader.left.values()))


class _PlanReader:
    def __init__(self, school: School, problems: Problems, last_week: bool = False):
        self.school = school
        self.problems = problems
        self.last_week = last_week  # rows of students no longer on the roster are dropped, not refused
        self.left: dict[tuple[str, str], Leaver] = {}
        self.stale_schedule = ""  # what `read` found stale in the Schedule, if it read a Rotation chart
        self.classes = {c.class_id: c for c in school.classes}
        self.students = {s.student_id for s in school.students}
        self.roster = {c: {s.student_id for s in students_of(school, c)} for c in self.classes}
        self.stations = {c: {norm(s.name): s.name for s in stations_of(school, c)} for c in self.classes}
        self.slots = {c.class_id: {(s.day, s.slot) for s in slot_times(school, c)} for c in school.classes}
        self.slot_time = {(c.class_id, s.day, s.slot): s for c in school.classes for s in slot_times(school, c)}
        roles = {a.role for a in school.staff} - {a.staff_id for a in school.staff}
        self.adults = ({a.staff_id for a in school.staff} | {c.teacher for c in school.classes}
                       | {s.staff for s in school.stations if s.staff not in roles}) - {""}
        # (class, student) -> group number, as Groups says
        self.group_of: dict[tuple[str, str], int] = {}

    def read(self, wb: Workbook) -> Plan:
        chart = find_sheet(wb, CHART)
        charted = chart is not None and not is_older_chart(chart)  # the sheet teachers edit: with Groups, the plan
        groups_sheet = self._sheet(wb, "Groups", GROUPS_REQUIRED)
        schedule_sheet = None if charted else self._sheet(wb, "Schedule", SCHEDULE_REQUIRED)
        # Without Groups every Schedule row or chart cell would be reported as ungrouped: noise, not news.
        if groups_sheet is None:
            return Plan((), ())
        groups = self.read_groups(groups_sheet)
        if self._shares_no_student():
            return Plan((), ())
        if chart is not None and charted:
            return self.read_chart(wb, chart, groups)
        visits = self.read_schedule(schedule_sheet) if schedule_sheet else ()
        return Plan(groups=groups, visits=visits, optimal=self.read_optimal(wb))

    def read_chart(self, wb: Workbook, chart: Worksheet, groups: tuple[PlannedGroup, ...]) -> Plan:
        """Groups and the Rotation chart; the Schedule only lends its adults and is compared, never obeyed."""
        stations = ChartReader(self.school, groups, self.problems).read(chart)
        if self.problems:
            return Plan(groups, ())
        schedule = self._schedule_as_written(wb)
        plan = Plan(groups, self._staffed(stations, schedule), optimal=self.read_optimal(wb))
        self.stale_schedule = self._stale(plan, schedule)
        return plan

    def _schedule_as_written(self, wb: Workbook) -> list[Row] | str | None:
        """The Schedule's rows, read without judging them; a sentence when they cannot be compared."""
        ws = find_sheet(wb, "Schedule")
        if ws is None:
            return None  # nothing there to be stale
        headers, rows = read_rows(ws, Problems(self.problems.file))
        missing = [h for h in SCHEDULE_REQUIRED if h not in headers]
        return f"it has no column '{missing[0]}'" if missing else rows

    def _schedule_key(self, row: Row) -> tuple[str, str, int, str] | None:
        """(class, day, slot, student) of a Schedule row, or None where a cell does not say."""
        class_id = self._class_id(row)
        day, slot = value_or_none(cells.day, row.get("day")), value_or_none(cells.count, row.get("slot"))
        student = cell_text(row.get("student_id"))
        if class_id is None or day is None or slot is None or student is None:
            return None
        return class_id, day, slot, student

    def _staffed(self, stations: dict[At, str], schedule: list[Row] | str | None) -> tuple[Visit, ...]:
        """The chart's visits with their adults: whoever the Schedule has at that station then, else the
        station's own adult (its staff_id, or the class teacher at a teacher station), else an adult of its
        role who is free then; with none free it stays unstaffed, for the checker to report."""
        told = self._schedule_adults(schedule)
        order = {c.class_id: i for i, c in enumerate(self.school.classes)}
        visits = sorted(stations, key=lambda k: (order[k[0]], _day_order(k[1]), k[2], k[3]))
        adults: dict[At, tuple[str, ...]] = {}
        roles: dict[At, str] = {}
        for at in visits:
            station = next(s for s in stations_of(self.school, at[0]) if s.name == stations[at])
            own, role = station_staff(self.school, self.classes[at[0]], station)
            adults[at] = told.get((*at[:3], stations[at])) or ((own,) if own else ())
            if role and not adults[at]:
                roles[at] = role
        for at, role in roles.items():  # after every named adult, so that none is taken twice
            adults[at] = self._free_adult(role, at, stations, adults)
        return tuple(Visit(*at, stations[at], adults[at]) for at in visits)

    def _schedule_adults(self, schedule: list[Row] | str | None) -> dict[tuple[str, str, int, str], tuple[str, ...]]:
        """(class, day, slot, station) -> the adults the Schedule names there (its first such row)."""
        told: dict[tuple[str, str, int, str], tuple[str, ...]] = {}
        for row in schedule if isinstance(schedule, list) else ():
            key = self._schedule_key(row)
            station = self.stations.get(key[0] if key else "", {}).get(norm(cell_text(row.get("station")) or ""))
            adults = cells.items(row.get("staff"))
            if key and station and set(adults) <= self.adults:
                told.setdefault((*key[:3], station), adults)
        return told

    def _free_adult(self, role: str, at: At, stations: dict[At, str],
                    adults: dict[At, tuple[str, ...]]) -> tuple[str, ...]:
        """An adult of the role who is in school then, leads no class then and works nowhere else then."""
        when = self.slot_time[at[:3]]
        for other, there in adults.items():
            if other[:3] == at[:3] and stations[other] == stations[at] and there:
                return there  # another group at that station then: its adult (the checker reports the crowd)
        busy = {a for other, there in adults.items() if _overlap(self.slot_time[other[:3]], when) for a in there}
        for adult in self.school.staff:
            if adult.role == role and adult.staff_id not in busy and not self._leads(adult.staff_id, when) \
                    and is_available(adult, when.day, when.start, when.end):
                return (adult.staff_id,)
        return ()

    def _leads(self, adult: str, when: SlotTime) -> bool:
        """Teaching a class of their own whose block overlaps `when`."""
        return any(self.classes[c].teacher == adult and _overlap(s, when) for (c, _, _), s in self.slot_time.items())

    def _stale(self, plan: Plan, schedule: list[Row] | str | None) -> str:
        """How the Schedule disagrees with the plan read from Groups and the chart, naming the first rows
        that differ (one for each visit they belong to); "" when it agrees."""
        if schedule is None:
            return ""
        if isinstance(schedule, str):
            return f"sheet Schedule is stale: {schedule}"
        expected = {(r[0], r[1], r[4], r[7]): (r[5], r[6], r[8]) for r in _schedule_rows(_Week(self.school, plan))}
        seen: dict[tuple[str, str, int, str], int] = {}
        differ: dict[object, list[str]] = {}  # the visit a differing row belongs to -> what differs, row by row
        for row in (r for r in schedule if not self._gone(r)):
            visit, what = self._differs(row, expected, seen)
            if what:
                differ.setdefault(visit, []).append(what)
        for key, (_, group, _) in expected.items():
            if key not in seen:
                differ.setdefault((*key[:3], group), []).append(
                    f"no row for student '{key[3]}' in {key[0]} {key[1]} slot {key[2]}")
        shown = [rows[0] + (f" and {_rows(len(rows) - 1)} like it" if len(rows) > 1 else "")
                 for rows in list(differ.values())[:STALE_SHOWN]]
        if not shown:
            return ""
        rest = sum(len(rows) for rows in list(differ.values())[STALE_SHOWN:])
        return f"sheet Schedule is stale: {'; '.join(shown)}" + (f"; and {_rows(rest)} differ" if rest else "")

    def _differs(self, row: Row, expected: dict[tuple[str, str, int, str], tuple[str, int, str]],
                 seen: dict[tuple[str, str, int, str], int]) -> tuple[object, str]:
        """The visit the row belongs to, and its first cell that disagrees with the plan in words ("" if none)."""
        key = self._schedule_key(row)
        if key is None or key not in expected:
            return row.number, f"row {row.number} is no student's slot of the plan"
        first = seen.setdefault(key, row.number)
        if first != row.number:
            return row.number, f"row {row.number} repeats row {first}"
        station, group, staff = expected[key]
        visit, where = (*key[:3], group), f"({key[0]} {key[1]} slot {key[2]} group {group})"
        if value_or_none(cells.count, row.get("group")) != group:
            return visit, (f"row {row.number} column '{row.column('group')}' says {_said(row.get('group'))}, "
                           f"sheet Groups says {group} (student '{key[3]}')")
        if norm(cell_text(row.get("station")) or "") != norm(station):
            chart = "the student is away then" if station == AWAY else f"the Rotation chart says {_said(station)}"
            return visit, (f"row {row.number} column '{row.column('station')}' says {_said(row.get('station'))}, "
                           f"{chart} {where}")
        if set(cells.items(row.get("staff"))) != set(cells.items(staff)):
            return visit, (f"row {row.number} column '{row.column('staff')}' says {_said(row.get('staff'))}, the "
                           f"plan has {_said(staff)} {where}")
        return visit, ""

    def _sheet(self, wb: Workbook, name: str, required: Sequence[str]) -> Sheet | None:
        ws = find_sheet(wb, name)
        if ws is None:
            self.problems.add(f"sheet '{name}' is missing")
            return None
        headers, rows = read_rows(ws, self.problems)
        missing = [h for h in required if h not in headers]
        for column in missing:
            self.problems.add(f"column '{column}' is missing", sheet=ws.title, row=1)
        return None if missing else Sheet(ws.title, self.problems, present=True, headers=headers, rows=rows)

    def read_groups(self, sheet: Sheet) -> tuple[PlannedGroup, ...]:
        names: dict[tuple[str, int], str] = {}
        members: dict[tuple[str, int], list[str]] = {}
        need: dict[tuple[str, int], list[float | None]] = {}
        for row in sheet.rows:
            if self._gone(row):
                self._leaver(row)
                continue
            cls = self._class(sheet, row)
            number = sheet.get(row, "group", cells.count, required=True)
            student = self._student(sheet, row, cls)
            if cls is None or number is None or student is None:
                continue
            key = (cls.class_id, student)
            if key in self.group_of:
                sheet.add(f"student '{student}' is already in group {self.group_of[key]} of class "
                          f"'{cls.class_id}'", row, "student_id")
                continue
            self.group_of[key] = number
            members.setdefault((cls.class_id, number), []).append(student)
            name = sheet.get(row, "group_name")
            if name and names.setdefault((cls.class_id, number), name) != name:
                sheet.add(f"group {number} of class '{cls.class_id}' is named '{names[cls.class_id, number]}' "
                          "above", row, "group_name")
            # A blank need is unknown: the plan does not say.
            need.setdefault((cls.class_id, number), []).append(sheet.get(row, "need", cells.number))
        return tuple(PlannedGroup(c, n, names.get((c, n), ""), tuple(m), tuple(need[c, n]))
                     for (c, n), m in members.items())

    def read_schedule(self, sheet: Sheet) -> tuple[Visit, ...]:
        visits: dict[tuple[str, str, int, int], tuple[str, tuple[str, ...], int]] = {}
        seen: dict[tuple[str, str, int, str], int] = {}
        for row in sheet.rows:
            if self._gone(row):
                continue
            cls = self._class(sheet, row)
            slot = self._slot(sheet, row, cls)
            station = self._station(sheet, row, cls)
            number = sheet.get(row, "group", cells.count, required=True)
            student = self._student(sheet, row, cls)
            for column in ("start", "end"):
                sheet.get(row, column, cells.time)  # for people: checked, not read
            staff = self._staff(sheet, row)
            if cls is None or slot is None or station is None or number is None or student is None:
                continue
            day, slot_number = slot
            first = seen.setdefault((cls.class_id, day, slot_number, student), row.number)
            if first != row.number:
                sheet.add(f"student '{student}' is already in {day} slot {slot_number} on row {first}",
                          row, "student_id")
                continue
            grouped = self.group_of.get((cls.class_id, student))
            if grouped is None:
                sheet.add(f"student '{student}' is in no group of class '{cls.class_id}' on sheet Groups",
                          row, "student_id")
                continue
            if grouped != number:
                sheet.add(f"student '{student}' is in group {grouped} on sheet Groups, not group {number}",
                          row, "group")
                continue
            if station == AWAY:
                continue
            key = (cls.class_id, day, slot_number, number)
            there, their_staff, first = visits.setdefault(key, (station, staff, row.number))
            if there != station:
                sheet.add(f"group {number} is at '{there}' in {day} slot {slot_number} on row {first}, "
                          f"not at '{station}'", row, "station")
            elif their_staff != staff:
                sheet.add(f"group {number} has staff '{', '.join(their_staff)}' in {day} slot {slot_number} "
                          f"on row {first}", row, "staff")
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
            norm(cell_text(row.get("kind")) or "") == OPTIMALITY and _proven(cell_text(row.get("detail")))
            for row in rows
        )

    def _shares_no_student(self) -> bool:
        """Last week's plan of another class or school: one line, not a problem per row."""
        if not self.last_week or self.group_of:
            return False
        self.problems.add(f"shares no student with the classes of {self.school.name or 'the planning workbook'}"
                          ": is it a plan of another class or school?")
        return True

    def _gone(self, row: Row) -> bool:
        """Reading last week's plan: a row of a student who left the class (or of a class gone) is dropped."""
        class_id, student = self._class_id(row), cell_text(row.get("student_id"))
        if not self.last_week or student is None or class_id is None:
            return False  # a blank id or class is still a problem to name
        return class_id not in self.classes or student not in self.roster[class_id]

    def _leaver(self, row: Row) -> None:
        class_id, student = self._class_id(row), cell_text(row.get("student_id")) or ""
        assert class_id is not None  # only rows _gone dropped, which have a class
        name = " ".join(t for t in (cell_text(row.get("first_name")), cell_text(row.get("last_name"))) if t)
        group = value_or_none(cells.count, row.get("group"))
        self.left.setdefault((class_id, student), Leaver(class_id, student, group, name))

    def _class_id(self, row: Row) -> str | None:
        """The row's class; a blank one means the school's only class (None when it has several)."""
        return cell_text(row.get("class")) or (next(iter(self.classes)) if len(self.classes) == 1 else None)

    def _class(self, sheet: Sheet, row: Row) -> SchoolClass | None:
        class_id = self._class_id(row)
        cls = self.classes.get(class_id or "")
        if cls is None:
            sheet.add(f"unknown class '{class_id}'" if class_id else "this cell is empty", row, "class")
        return cls

    def _student(self, sheet: Sheet, row: Row, cls: SchoolClass | None) -> str | None:
        student: str | None = sheet.get(row, "student_id", required=True)
        if student is None or cls is None:
            return None
        if student not in self.roster[cls.class_id]:
            sheet.add(f"student '{student}' is not in class '{cls.class_id}'" if student in self.students
                      else f"unknown student '{student}'", row, "student_id")
            return None
        return student

    def _slot(self, sheet: Sheet, row: Row, cls: SchoolClass | None) -> tuple[str, int] | None:
        day = sheet.get(row, "day", cells.day, required=True)
        number = sheet.get(row, "slot", cells.count, required=True)
        if cls is None or day is None or number is None:
            return None
        slots = [n for d, n in self.slots[cls.class_id] if d == day]
        if not slots:
            sheet.add(f"class '{cls.class_id}' does not meet on {day}", row, "day")
            return None
        if number not in slots:
            sheet.add(f"class '{cls.class_id}' has slots 1-{len(slots)}, not {number}", row, "slot")
            return None
        return day, number

    def _staff(self, sheet: Sheet, row: Row) -> tuple[str, ...]:
        staff: tuple[str, ...] = sheet.get(row, "staff", cells.items, ())
        for adult in staff:
            if adult not in self.adults:
                sheet.add(f"unknown adult '{adult}'", row, "staff")
        return staff

    def _station(self, sheet: Sheet, row: Row, cls: SchoolClass | None) -> str | None:
        """The station as the school spells it, "away", or "" for a slot with no visit."""
        name = sheet.get(row, "station")
        if name is None:
            return ""
        if norm(name) == AWAY:
            return AWAY
        if cls is None:
            return None
        stations = self.stations[cls.class_id]
        if norm(name) not in stations:
            sheet.add(f"class '{cls.class_id}' has no station '{name}'", row, "station")
            return None
        return stations[norm(name)]


def _rows(count: int) -> str:
    return f"{count} more row" + ("s" if count > 1 else "")


def _said(value: Any) -> str:
    """A cell's value as a message quotes it."""
    text = cell_text(value)
    return "nothing" if text is None else f"'{text}'"


def _overlap(a: SlotTime, b: SlotTime) -> bool:
    return a.day == b.day and a.start < b.end and b.start < a.end


def _proven(detail: str | None) -> bool:
    words = (detail or "").lower()
    return PROVEN_OPTIMAL in words and "not" not in words.split()
