"""The plan workbook as a teacher sees it: printed, projected, exported and edited by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.domain.school import (
    WEEKDAYS,
    AvailabilityClause,
    Rule,
    School,
    SchoolClass,
    Staff,
    Station,
    Student,
    Window,
)
from rotation.io.plan_workbook import read_plan, read_plan_workbook, write_plan_workbook
from rotation.io.problems import BadInput
from rotation.io.rotation_chart import MAX_SCALE
from tests.io.chart import edit_chart

STATIONS = ("Teacher table", "Online", "Game")
FIRST_NAMES = ("Anastasia", "Bartholomew", "Christopher", "Maximilian", "Guinevere", "Jo")
INJECTIONS = ('=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2")


def make_school() -> School:
    students = (
        Student("s1", "Ana", "Adams", classes=("3A",)),
        Student("s2", "Ben", "Brown", classes=("3A",), flags=("ELL",)),
        Student("s3", INJECTIONS[0], INJECTIONS[1], classes=("3A",)),
        Student("s4", INJECTIONS[2], INJECTIONS[3], classes=("3A",)),
        Student("s5", "Eve", "Evans", classes=("3A",)),
        Student("s6", "Fay", "Fox", classes=("3A",)),
        Student("s7", "Gus", "Green", classes=("4B",)),
        Student("s8", "Hal", "Hill", classes=("4B",)),
    )
    classes = (
        SchoolClass("3A", dt.time(9, 0), 15, teacher="T1", days=("Mon", "Wed"), transition_minutes=2),
        SchoolClass("4B", dt.time(10, 0), 20, teacher="T2", days=("Tue",), rotations=2, groups=2),
    )
    stations = (
        Station("Teacher table", kind="teacher"),
        Station("Online", kind="online"),
        Station("Game", kind="collaborative"),
    )
    # Ben (flag ELL) is out Monday 09:10-09:20: slots 1 (09:00-09:15) and 2 (09:17-09:32) overlap it.
    rules = (Rule("away", ("ELL",), days=("Mon",), start=dt.time(9, 10), end=dt.time(9, 20)),)
    return School(students=students, classes=classes, stations=stations,
                  staff=(Staff("T1"), Staff("T2"), Staff("P1", role="para")), rules=rules)


def make_plan() -> Plan:
    groups = (
        PlannedGroup("3A", 1, "Otters", ("s1", "s2"), (0.812, 0.75)),
        PlannedGroup("3A", 2, "Foxes", ("s3", "s4"), (0.5, 0.401)),
        PlannedGroup("3A", 3, "Owls", ("s5", "s6"), (0.2, 0.123)),
        PlannedGroup("4B", 1, "Red", ("s7",), (0.6,)),
        PlannedGroup("4B", 2, "Blue", ("s8",), (0.3,)),
    )
    visits = []
    weeks = (("3A", ("Mon", "Wed"), 3, ("T1", "P1")), ("4B", ("Tue",), 2, ("T2",)))
    for class_id, days, slots, teachers in weeks:
        n_groups = sum(1 for g in groups if g.class_id == class_id)
        for day in days:
            for slot in range(1, slots + 1):
                for group in range(1, n_groups + 1):
                    station = STATIONS[(group + slot) % 3]
                    staff = teachers if station == "Teacher table" else ()
                    visits.append(Visit(class_id, day, slot, group, station, staff))
    checks = (Check("away", "away", "s2", "Mon 09:10-09:20", 5, "out during the teacher table"),
              Check("optimality", detail="proven optimal"))
    return Plan(tuple(groups), tuple(visits), checks, optimal=True)


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(make_school(), make_plan(), path)
    return path


def records(wb: Workbook, sheet: str) -> list[dict[str, object]]:
    rows = list(wb[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def edit(path: Path, sheet: str, change) -> int:
    """Change one row of a sheet by hand, as a teacher would in a spreadsheet; returns its row number."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    row = change(ws, header)
    wb.save(path)
    return row


@pytest.fixture
def no_chart(written: Path) -> Path:
    """A plan as another program may write it: Groups and Schedule, no Rotation chart."""
    wb = openpyxl.load_workbook(written)
    wb.remove(wb["Rotation"])
    wb.save(written)
    return written


def problem_places(path: Path, school: School) -> list[tuple[str | None, int | None, str | None]]:
    with pytest.raises(BadInput) as caught:
        read_plan_workbook(path, school)
    return [(p.sheet, p.row, p.column) for p in caught.value.problems]


def test_sheets_in_order(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == ["Groups", "Rotation", "Schedule", "Staff", "Checks"]
    for sheet in ("Groups", "Schedule", "Staff", "Checks"):
        assert wb[sheet].freeze_panes == "A2"
        assert all(cell.font.bold for cell in wb[sheet][1])
    assert wb["Schedule"].auto_filter.ref.startswith("A1:I")


def test_reading_gives_back_the_plan(written: Path) -> None:
    plan = make_plan()
    back = read_plan_workbook(written, make_school())
    assert back.groups == plan.groups
    assert set(back.visits) == set(plan.visits)
    assert back.optimal is True
    assert back.checks == ()


def test_groups_list_every_student_with_need(written: Path) -> None:
    groups = records(openpyxl.load_workbook(written), "Groups")
    assert [(r["class"], r["group"], r["group_name"], r["student_id"]) for r in groups][:3] == [
        ("3A", 1, "Otters", "s1"), ("3A", 1, "Otters", "s2"), ("3A", 2, "Foxes", "s3")]
    assert {r["student_id"]: r["need"] for r in groups}["s1"] == 0.812


def test_schedule_has_a_row_per_student_per_slot_and_marks_pull_outs(written: Path) -> None:
    schedule = records(openpyxl.load_workbook(written), "Schedule")
    # 3A: 6 students x 2 days x 3 slots; 4B: 2 students x 1 day x 2 slots.
    assert len(schedule) == 6 * 2 * 3 + 2 * 1 * 2
    assert len({(r["class"], r["day"], r["slot"], r["student_id"]) for r in schedule}) == len(schedule)
    ben = {(r["day"], r["slot"]): r for r in schedule if r["student_id"] == "s2"}
    # Group 1 is at the teacher table in slot 2: Ben's row there names no adult.
    assert [ben["Mon", k]["station"] for k in (1, 2, 3)] == ["away", "away", "Online"]
    assert [ben["Wed", k]["station"] for k in (1, 2, 3)] == ["Game", "Teacher table", "Online"]
    assert ben["Mon", 2]["staff"] is None and ben["Wed", 2]["staff"] == "T1, P1"
    assert (ben["Mon", 2]["start"], ben["Mon", 2]["end"]) == ("09:17", "09:32")
    assert sum(r["station"] == "away" for r in schedule) == 2


def test_staff_sheet_lists_each_adult_per_slot(written: Path) -> None:
    staff = records(openpyxl.load_workbook(written), "Staff")
    # One group at the teacher table per slot: 3A has 2 adults x 6 slots, 4B one adult x 2 slots.
    assert len(staff) == 2 * 6 + 2
    t1 = [(r["day"], r["start"]) for r in staff if r["staff_id"] == "T1"]
    assert t1 == sorted(t1, key=lambda d: (["Mon", "Wed"].index(d[0]), d[1]))
    assert [r["staff_id"] for r in staff] == sorted(r["staff_id"] for r in staff)


def test_rotation_chart_prints_landscape_with_a_colour_per_station(written: Path) -> None:
    ws = openpyxl.load_workbook(written)["Rotation"]
    assert ws.page_setup.orientation == "landscape"
    assert len(ws.row_breaks.brk) == 1  # two classes, one page each
    # Scaled, not fit-to-page: spreadsheets drop manual page breaks when fitting to a page.
    # ... at a scale worked out for the chart, not one of its clamps.
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and 10 < ws.page_setup.scale < MAX_SCALE
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Class 3A" in texts and "Monday" in texts and "Group 2 · Foxes" in texts and "2  09:17-09:32" in texts
    colours: dict[str, set[str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in STATIONS:
                colours.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb)
                assert cell.border.left.style == "thin"
    assert all(len(c) == 1 for c in colours.values())
    assert len({c for cs in colours.values() for c in cs}) == len(STATIONS)
    # It may be projected: names only, never a need score.
    assert not any(isinstance(v, int | float) for v in texts)
    assert not any("need" in str(v).lower() for v in texts)


def test_each_group_label_has_its_members_named_beside_it(written: Path) -> None:
    ws = openpyxl.load_workbook(written)["Rotation"]
    beside = [(row[0].value, row[1].value) for row in ws.iter_rows() if str(row[0].value).startswith("Group")]
    # 3A meets twice (3 groups), 4B once (2 groups): each label, each day, with its members.
    assert len(beside) == 3 * 2 + 2
    foxes = f"{INJECTIONS[0]} {INJECTIONS[1][0]}., {INJECTIONS[2]} {INJECTIONS[3][0]}."
    assert set(beside) == {("Group 1 · Otters", "Ana A., Ben B."), ("Group 2 · Foxes", foxes),
                           ("Group 3 · Owls", "Eve E., Fay F."),
                           ("Group 1 · Red", "Gus G."), ("Group 2 · Blue", "Hal H.")}


# The printable area every chart must fit: a landscape page of A4 (297 x 210 mm) and of US Letter
# (11 x 8.5 in), whichever is smaller each way, less the sheet's own margins; in points.
PAGE_POINTS = (min(297 / 25.4, 11) * 72, min(210 / 25.4, 8.5) * 72)


def printed_size(ws, first: int, last: int) -> tuple[float, float]:
    """Width and height (points) of rows first..last as printed at the sheet's scale: columns of the
    default font's digits (7 px + 5 px padding at 96 dpi), rows at their set heights."""
    scale = ws.page_setup.scale / 100
    columns = max(len(row) for row in ws.iter_rows(min_row=first, max_row=last))
    wide = sum((7 * ws.column_dimensions[get_column_letter(c)].width + 5) * 0.75 for c in range(1, columns + 1))
    high = sum(ws.row_dimensions[r].height for r in range(first, last + 1))
    return wide * scale, high * scale


def assert_each_class_fits_a_landscape_page(path: Path) -> None:
    ws = openpyxl.load_workbook(path)["Rotation"]
    margins = ws.page_margins
    room = (PAGE_POINTS[0] - 72 * (margins.left + margins.right), PAGE_POINTS[1] - 72 * (margins.top + margins.bottom))
    breaks = [b.id for b in ws.row_breaks.brk]
    titles = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Class ")]
    assert [t - 1 for t in titles[1:]] == breaks  # a page break just above each class but the first
    for first, last in zip(titles, [*breaks, ws.max_row], strict=True):
        wide, high = printed_size(ws, first, last)
        assert wide <= room[0] and high <= room[1], (ws.cell(first, 1).value, wide, high, room)
        # As large as the page allows: it fills the page's width or its height (bar a margin for fonts).
        assert max(wide / room[0], high / room[1]) >= 0.8 or ws.page_setup.scale >= 150


def test_each_class_fits_one_landscape_page(written: Path) -> None:
    assert_each_class_fits_a_landscape_page(written)


def test_a_week_of_six_rotations_and_eight_groups_still_fits_one_page(tmp_path: Path) -> None:
    students = tuple(Student(f"s{i:02d}", FIRST_NAMES[i % len(FIRST_NAMES)], "Vandenberghe-Okonkwo",
                             classes=("7M",)) for i in range(36))
    stations = (*make_school().stations, Station("Independent reading", kind="independent"))
    school = School(students=students, classes=(SchoolClass("7M", dt.time(8, 0), 10, teacher="T1", rotations=6,
                                                            groups=8),), stations=stations)
    groups = tuple(PlannedGroup("7M", g, f"Group name {g}", tuple(s.student_id for s in students[g - 1::8]),
                                (None,) * len(students[g - 1::8])) for g in range(1, 9))
    visits = tuple(Visit("7M", day, k, g, stations[(g + k) % len(stations)].name)
                   for day in WEEKDAYS for k in range(1, 7) for g in range(1, 9))
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(school, Plan(groups, visits), path)
    assert_each_class_fits_a_landscape_page(path)
    ws = openpyxl.load_workbook(path)["Rotation"]
    assert ws.page_setup.scale >= 40  # small print, but print
    assert sum(str(c.value).startswith("Group ") for c in ws["A"]) == 8 * 5


@pytest.mark.parametrize("sheet", ["Groups", "Schedule", "Staff", "Checks"])
def test_tidy_sheets_print_their_columns_across_one_page_with_the_header_on_each(written: Path, sheet: str) -> None:
    ws = openpyxl.load_workbook(written)[sheet]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # as many pages down as it takes
    assert ws.print_title_rows == "$1:$1"


def test_text_that_looks_like_a_formula_stays_text(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    names = [c for c in cells if c.value in INJECTIONS]
    assert {c.value for c in names} == set(INJECTIONS)
    assert all(c.data_type == "s" for c in names)


def test_a_failed_save_leaves_the_old_plan(written: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = written.read_bytes()

    def broken_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_plan_workbook(make_school(), make_plan(), written)
    assert written.read_bytes() == before
    assert [p.name for p in written.parent.iterdir()] == ["plan.xlsx"]


def _schedule_row(ws, header, student: str, day: str, slot: int) -> int:
    col = {name: i for i, name in enumerate(header)}
    for row in ws.iter_rows(min_row=2):
        if [row[col[k]].value for k in ("student_id", "day", "slot")] == [student, day, slot]:
            return row[0].row
    raise AssertionError("no such row")


def test_schedule_days_are_read_as_the_planning_workbook_reads_them(no_chart: Path) -> None:
    # A spreadsheet retyped by hand: "Tues", "monday", "WE"; the same days as written, as the planning reader takes.
    before = visits_at(read_plan(no_chart, make_school()).plan)
    spelt = {"Mon": "monday", "Tue": "Tues", "Wed": "WE"}

    def retype(ws, header) -> int:
        day = header.index("day") + 1
        for row in range(2, ws.max_row + 1):
            ws.cell(row, day).value = spelt.get(ws.cell(row, day).value, ws.cell(row, day).value)
        return 0

    edit(no_chart, "Schedule", retype)
    assert {"Tues", "monday", "WE"} <= {r["day"] for r in records(openpyxl.load_workbook(no_chart), "Schedule")}
    assert visits_at(read_plan(no_chart, make_school()).plan) == before


def test_a_group_split_over_two_stations_is_reported_without_a_chart(no_chart: Path) -> None:
    def move_one_student(ws, header) -> int:
        row = _schedule_row(ws, header, "s2", "Wed", 1)
        cell = ws.cell(row, header.index("station") + 1)
        cell.value = next(s for s in STATIONS if s != cell.value)
        return row

    row = edit(no_chart, "Schedule", move_one_student)
    with pytest.raises(BadInput) as caught:
        read_plan_workbook(no_chart, make_school())
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Schedule", row, "station")
    # The message names the groupmate's row too, the other half of the contradiction.
    assert f"row {_schedule_row_of(no_chart, 's1', 'Wed', 1)}" in problem.message


def _schedule_row_of(path: Path, student: str, day: str, slot: int) -> int:
    ws = openpyxl.load_workbook(path)["Schedule"]
    return _schedule_row(ws, [c.value for c in ws[1]], student, day, slot)


def set_schedule_station(path: Path, student: str, day: str, slot: int, station: str) -> int:
    """Type a station into one student's Schedule row by hand; returns the row."""
    def change(ws, header) -> int:
        row = _schedule_row(ws, header, student, day, slot)
        ws.cell(row, header.index("station") + 1).value = station
        return row

    return edit(path, "Schedule", change)


def test_an_unknown_station_is_reported_without_a_chart(no_chart: Path) -> None:
    row = set_schedule_station(no_chart, "s5", "Mon", 2, "Pottery")
    assert problem_places(no_chart, make_school()) == [("Schedule", row, "station")]


def test_a_student_in_two_groups_is_reported(written: Path) -> None:
    def duplicate(ws, header) -> int:
        ws.append(["3A", 2, "Foxes", "s1", "Ana", "Adams", 0.812])
        return ws.max_row

    row = edit(written, "Groups", duplicate)
    assert problem_places(written, make_school()) == [("Groups", row, "student_id")]


def test_a_blank_need_reads_as_unknown_and_stays_blank(written: Path, tmp_path: Path) -> None:
    def blank_s4(ws, header) -> int:
        row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[header.index("student_id")].value == "s4")
        ws.cell(row, header.index("need") + 1).value = None
        return row

    edit(written, "Groups", blank_s4)
    back = read_plan_workbook(written, make_school())
    assert [g.need for g in back.groups if g.number == 2 and g.class_id == "3A"] == [(0.5, None)]
    again = tmp_path / "again.xlsx"
    write_plan_workbook(make_school(), back, again)
    assert {r["student_id"]: r["need"] for r in records(openpyxl.load_workbook(again), "Groups")}["s4"] is None


def test_a_schedule_group_that_disagrees_with_groups_is_reported_without_a_chart(no_chart: Path) -> None:
    def regroup(ws, header) -> int:
        row = _schedule_row(ws, header, "s6", "Wed", 3)
        ws.cell(row, header.index("group") + 1).value = 1
        return row

    row = edit(no_chart, "Schedule", regroup)
    assert problem_places(no_chart, make_school()) == [("Schedule", row, "group")]


def test_bad_day_slot_time_and_adult_are_each_reported_without_a_chart(no_chart: Path) -> None:
    def garble(ws, header) -> int:
        ws.cell(2, header.index("day") + 1).value = "Someday"
        ws.cell(3, header.index("slot") + 1).value = 9
        ws.cell(4, header.index("start") + 1).value = "25:99"
        ws.cell(ws.max_row, header.index("staff") + 1).value = "T2, Z9"  # Hal alone in his group
        return ws.max_row

    last = edit(no_chart, "Schedule", garble)
    assert problem_places(no_chart, make_school()) == [
        ("Schedule", 2, "day"), ("Schedule", 3, "slot"), ("Schedule", 4, "start"), ("Schedule", last, "staff")]


def test_header_variants_are_accepted(written: Path) -> None:
    def rename(ws, header) -> int:
        ws.title = "renamed"  # openpyxl refuses a title differing only by case
        ws.title = "schedule"
        ws.cell(1, header.index("student_id") + 1).value = "Student ID"
        return 0

    edit(written, "Schedule", rename)
    assert read_plan_workbook(written, make_school()).groups == make_plan().groups


def test_missing_sheets_and_columns_are_reported_without_a_chart(no_chart: Path) -> None:
    def drop_column(ws, header) -> int:
        ws.delete_cols(header.index("station") + 1)
        ws.parent.remove(ws.parent["Groups"])
        return 0

    edit(no_chart, "Schedule", drop_column)
    assert problem_places(no_chart, make_school()) == [(None, None, None), ("Schedule", 1, None)]


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken zip"])
def test_a_file_that_is_no_plan_is_bad_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(BadInput):
        read_plan_workbook(path, make_school())


def test_a_plan_for_another_school_is_bad_input(written: Path) -> None:
    other = School(classes=(SchoolClass("5C", dt.time(8, 0), 20),))
    places = problem_places(written, other)
    assert places and all(sheet in ("Groups", "Rotation") for sheet, _, _ in places)


# --- the Rotation chart is what a teacher edits, and what is read back ---------------------------


def visits_at(plan: Plan) -> dict[tuple[str, str, int, int], Visit]:
    return {(v.class_id, v.day, v.slot, v.group): v for v in plan.visits}


def test_a_chart_edit_is_read_back_and_the_schedule_reported_stale(written: Path) -> None:
    # Group 1 of 3A goes to the game on Wednesday slot 2 instead of the teacher table; typed loosely.
    edit_chart(written, (("3A", "Wednesday", 2, 1), "  game "), (("3A", "Wednesday", 2, 3), "teacher TABLE"))
    back = read_plan(written, make_school())
    moved = visits_at(back.plan)
    assert moved["3A", "Wed", 2, 1] == Visit("3A", "Wed", 2, 1, "Game", ())
    # The teacher table keeps the adults the Schedule has there then, whichever group sits at it.
    assert moved["3A", "Wed", 2, 3] == Visit("3A", "Wed", 2, 3, "Teacher table", ("T1", "P1"))
    unchanged = {k: v for k, v in visits_at(make_plan()).items() if k not in {("3A", "Wed", 2, 1), ("3A", "Wed", 2, 3)}}
    assert {k: moved[k] for k in unchanged} == unchanged
    # Four students' rows now disagree with the chart: the first of each group is named, cell by cell.
    ana = _schedule_row_of(written, "s1", "Wed", 2)
    assert back.stale_schedule.startswith(
        f"sheet Schedule is stale: row {ana} column 'station' says 'Teacher table', the Rotation chart says 'Game' "
        "(3A Wed slot 2 group 1) and 1 more row like it; ")
    # Each moved group is named once, with a count of its other rows.
    assert back.stale_schedule.endswith("the Rotation chart says 'Teacher table' (3A Wed slot 2 group 3) "
                                        "and 1 more row like it")
    assert back.stale_schedule.count("row") == 4


def test_a_schedule_only_edit_is_stale_and_the_chart_is_the_plan(written: Path) -> None:
    row = set_schedule_station(written, "s5", "Mon", 2, "Online")
    back = read_plan(written, make_school())
    assert set(back.plan.visits) == set(make_plan().visits)
    assert back.stale_schedule == (f"sheet Schedule is stale: row {row} column 'station' says 'Online', the Rotation "
                                   "chart says 'Game' (3A Mon slot 2 group 3)")


def test_an_untouched_plan_is_not_stale(written: Path) -> None:
    assert read_plan(written, make_school()).stale_schedule == ""


def test_a_blank_chart_cell_is_no_visit(written: Path) -> None:
    edit_chart(written, (("4B", "Tuesday", 1, 2), None))
    back = visits_at(read_plan_workbook(written, make_school()))
    assert ("4B", "Tue", 1, 2) not in back and ("4B", "Tue", 2, 2) in back


def test_bad_chart_cells_are_named_by_sheet_row_and_column(written: Path) -> None:
    [pottery] = edit_chart(written, (("3A", "Monday", 1, 2), "Pottery"))
    wb = openpyxl.load_workbook(written)
    ws = wb["Rotation"]
    label_row = pottery[0] + 1
    ws.cell(label_row, 1).value = "Group 7"  # 3A has groups 1-3
    wednesday = next(c.row for c in ws["A"] if c.value == "Wednesday")
    ws.cell(wednesday, 4).value = "9  10:00-10:15"  # 3A has slots 1-3
    tuesday = next(c.row for c in ws["A"] if c.value == "Tuesday")
    ws.cell(tuesday, 1).value = "Saturday"  # 4B meets on Tuesdays only
    ws.cell(wednesday + 1, 9).value = "Game"  # beyond the day's slots
    wb.save(written)
    # One problem a cell: the rows below a bad day, and the cells below a bad slot, are not blamed again.
    assert problem_places(written, make_school()) == [
        ("Rotation", pottery[0], get_column_letter(pottery[1])), ("Rotation", label_row, "A"),
        ("Rotation", wednesday, "D"), ("Rotation", wednesday + 1, "I"), ("Rotation", tuesday, "A")]


def test_a_chart_without_its_groups_sheet_is_bad_input(written: Path) -> None:
    edit(written, "Groups", lambda ws, header: ws.parent.remove(ws) or 0)
    assert problem_places(written, make_school()) == [(None, None, None)]


def role_school() -> School:
    """3A with a para corner that any para may run: P1 works the teacher table (the Schedule says so), P3 is in
    school only until 09:20, P2 all day."""
    morning = (AvailabilityClause(("Mon",), (Window(dt.time(8, 0), dt.time(9, 20)),)),)
    paras = (Staff("P1", role="para"), Staff("P3", role="para", available=morning), Staff("P2", role="para"))
    corner = Station("Para corner", kind="other", staff="para")
    return replace(make_school(), stations=(*make_school().stations, corner), staff=(Staff("T1"), Staff("T2"), *paras))


def test_a_group_moved_by_hand_to_a_role_station_gets_an_adult_of_that_role_who_is_free(written: Path) -> None:
    # Slot 1 (09:00-09:15): P1 is busy at the teacher table, P3 is in; slot 3 (09:34-09:49): only P2 is free.
    edit_chart(written, (("3A", "Monday", 1, 3), "Para corner"), (("3A", "Monday", 3, 1), "Para corner"))
    back = visits_at(read_plan_workbook(written, role_school()))
    assert back["3A", "Mon", 1, 3].staff == ("P3",)
    assert back["3A", "Mon", 3, 1].staff == ("P2",)


def test_a_role_station_with_no_free_adult_stays_unstaffed_for_the_checker_to_report(written: Path) -> None:
    edit_chart(written, (("3A", "Monday", 3, 1), "Para corner"))
    school = replace(role_school(), staff=role_school().staff[:4])  # no P2
    assert visits_at(read_plan_workbook(written, school))["3A", "Mon", 3, 1].staff == ()


def test_a_long_stale_report_names_three_visits_and_counts_the_other_rows(written: Path) -> None:
    # Four visits cleared on the chart; Ben (group 1) is away on Monday slot 1, so his row still agrees.
    edit_chart(written, *((("3A", "Monday", 1, g), None) for g in (1, 2, 3)), (("3A", "Wednesday", 1, 1), None))
    stale = read_plan(written, make_school()).stale_schedule
    assert stale.count("the Rotation chart says nothing") == 3
    assert "(3A Mon slot 1 group 1);" in stale and "(3A Mon slot 1 group 2) and 1 more row like it;" in stale
    assert stale.endswith("; and 2 more rows differ")


def test_a_plan_from_before_charts_were_read_is_read_from_its_schedule(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    wb.remove(wb["Rotation"])
    older = wb.create_sheet("Rotation")  # titles each day "Class 4B — Tuesday"; slots from column B
    for row in (["Class 4B — Tuesday"], ["Group", "1  10:00-10:20", "2  10:22-10:42"], ["Group 2 · Blue", "x", "y"]):
        older.append(row)
    wb.save(written)
    set_schedule_station(written, "s8", "Tue", 2, "Game")  # Hal, alone in his group
    back = read_plan(written, make_school())
    assert visits_at(back.plan)["4B", "Tue", 2, 2].station == "Game"
    assert back.stale_schedule == ""


# --- a plan typed over by hand reads as the planning workbook reads the same cells ---------------


def retype(path: Path, sheet: str, spell: dict[str, object]) -> None:
    """Retype every cell of some columns as a person might: spell[column](value) -> what they type."""
    def change(ws, header) -> int:
        for column, how in spell.items():
            col = header.index(column) + 1
            for row in range(2, ws.max_row + 1):
                if ws.cell(row, col).value is not None:
                    ws.cell(row, col).value = how(ws.cell(row, col).value)
        return 0

    edit(path, sheet, change)


def problem_lines(path: Path) -> list[str]:
    """The problems as the command line shows them: file, sheet, row, column and what is wrong."""
    with pytest.raises(BadInput) as caught:
        read_plan_workbook(path, make_school())
    return [str(p) for p in caught.value.problems]


def test_groups_typed_with_the_planning_workbooks_spellings_read_back_the_same(written: Path) -> None:
    # "2.0" or " 2.0 " for group 2, and a need written as text: the planning reader takes such numbers, and now
    # the plan reader does too (before, "2.0" was "not a number from 1" and "0.5" as text "not a number").
    before = read_plan_workbook(written, make_school())
    retype(written, "Groups", {"group": lambda n: f" {n}.0 ", "need": lambda x: f"{x}"})
    assert {r["group"] for r in records(openpyxl.load_workbook(written), "Groups")} == {" 1.0 ", " 2.0 ", " 3.0 "}
    assert read_plan_workbook(written, make_school()) == before


def test_a_schedule_typed_with_the_planning_workbooks_spellings_reads_back_the_same(no_chart: Path) -> None:
    before = read_plan(no_chart, make_school()).plan
    retype(no_chart, "Schedule", {"slot": lambda n: f"{n}.0", "group": lambda n: float(n),
                                  "day": lambda d: {"Mon": "monday", "Tue": "Tues"}.get(d, d),
                                  "start": lambda t: f"{t}:00", "end": lambda t: f"{int(t[:2])}:{t[3:]} am"})
    assert read_plan(no_chart, make_school()).plan == before


def test_a_schedule_typed_with_the_planning_workbooks_spellings_is_not_stale(written: Path) -> None:
    retype(written, "Schedule", {"slot": lambda n: f"{n}.0", "group": lambda n: f"{n}.0"})
    assert read_plan(written, make_school()).stale_schedule == ""


def test_bad_plan_cells_are_named_in_the_planning_workbooks_words(no_chart: Path) -> None:
    def garble(ws, header) -> int:
        for row, column, value in ((2, "slot", "2.5"), (3, "group", 0), (4, "day", "Funday"), (5, "start", "25:00"),
                                   (6, "student_id", None), (7, "slot", "#REF!")):
            ws.cell(row, header.index(column) + 1).value = value
        return 0

    edit(no_chart, "Schedule", garble)
    assert problem_lines(no_chart) == [
        "plan.xlsx: sheet 'Schedule', row 2, column 'slot': '2.5' is not a whole number",
        "plan.xlsx: sheet 'Schedule', row 3, column 'group': '0' is too small: it must be at least 1",
        "plan.xlsx: sheet 'Schedule', row 4, column 'day': 'Funday' is not a day "
        "(write Mon, Tue, Wed, Thu, Fri, Sat or Sun)",
        "plan.xlsx: sheet 'Schedule', row 5, column 'start': '25:00' is not a time (write HH:MM, e.g. 08:30)",
        "plan.xlsx: sheet 'Schedule', row 6, column 'student_id': this cell is empty",
        "plan.xlsx: sheet 'Schedule', row 7, column 'slot': the cell shows the spreadsheet error #REF!",
    ]


def test_a_blank_or_bad_group_on_sheet_groups_is_named_by_place(written: Path) -> None:
    def garble(ws, header) -> int:
        ws.cell(2, header.index("group") + 1).value = None
        ws.cell(3, header.index("group") + 1).value = "two"
        ws.cell(4, header.index("need") + 1).value = "high"
        return 0

    edit(written, "Groups", garble)
    assert problem_lines(written)[:3] == [
        "plan.xlsx: sheet 'Groups', row 2, column 'group': this cell is empty",
        "plan.xlsx: sheet 'Groups', row 3, column 'group': 'two' is not a number",
        "plan.xlsx: sheet 'Groups', row 4, column 'need': 'high' is not a number",
    ]
