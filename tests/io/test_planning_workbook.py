"""The planning workbook: what a teacher writes is read exactly, what the app writes reads back the same,
and every bad file is refused with each problem named by sheet, row and column."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rotation.domain.school import (
    BY_NEED,
    DAYS,
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
    Window,
)
from rotation.io import xlsx
from rotation.io.cells import Sheet
from rotation.io.planning_workbook import (
    COLUMNS,
    read_planning_workbook,
    write_blank_template,
    write_planning_workbook,
)
from rotation.io.problems import BadInput

Sheets = dict[str, list[tuple[Any, ...]]]


def make(tmp_path: Path, sheets: Sheets, name: str = "plan-in.xlsx") -> Path:
    """A workbook as a teacher might type it: one sheet per entry, the first tuple the header."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def base() -> Sheets:
    return {
        "Students": [("student_id", "first_name", "class", "flags"),
                     ("S1", "Ana", "A", "IEP"), ("S2", "Ben", "B", ""), ("S3", "Cy", "A, B", "")],
        "Classes": [("class", "teacher", "start", "rotation_minutes"), ("A", "T1", "09:00", 20),
                    ("B", "T2", "10:00", 20)],
        "Stations": [("class", "station", "kind", "staff", "devices", "mirror_of", "must_do"),
                     (None, "Reading", "independent", None),
                     ("A", "Teacher", "teacher", "T1"), ("B", "Teacher", "teacher", None)],
    }


def t(h: int, m: int = 0) -> dt.time:
    return dt.time(h, m)


def rich_school() -> School:
    return School(
        students=(
            Student("S1", "Ana", "Ávila", "K", ("3A",), ("IEP", "ELL")),
            Student("S2", "Ben", "", "12", ("3A", "3B"), ()),
            Student("007", "Cy", "O'Neil", None, ("3B",), ("GT",)),
            Student("=cmd", "+Dee", "-Eve", "3", ("3B",), ("504",)),
        ),
        skills=(Skill("Fractions", 0.0, 4.0, 3.0), Skill("Decimals"), Skill("Place value", -1.5, 1.25)),
        mastery=(
            MasteryResult("S1", "Fractions", 2.5, dt.date(2024, 9, 30), "Unit 2 quiz", "PR 45; At/Above Benchmark"),
            MasteryResult("S1", "Fractions", 3.0),
            MasteryResult("S2", "Decimals", 0.35, dt.date(2023, 1, 2)),
            MasteryResult("007", "Place value", -1.5, None, "i-Ready"),
        ),
        classes=(
            SchoolClass("3A", t(9, 5), 20, "T1", "Room 12", ("Mon", "Tue", "Thu"), 4, 2, 3, 2, 6, "similar",
                        ("Fractions", "Decimals")),
            SchoolClass("3B", t(13, 30), 15, grouping="by skill", days=("Wed", "Mon", "Sat")),
        ),
        stations=(
            Station("Reading", None, "independent", 8, "", "iPads", None, BY_NEED, ""),
            Station("Teacher", "3A", "teacher", 6, "", "", True, None, ""),
            Station("Teacher 2", "3A", "teacher", 6, "AIDE", "", None, None, "Teacher"),
            Station("Online", "3A", "online", None, "", "Chromebooks", False, 2, ""),
            Station("Teacher", "3B", "teacher", None, "P1", "", None, 5, ""),
            Station("Game", "3B", "collaborative"),
        ),
        staff=(
            Staff("T1", "Ms Rivera", "teacher"),
            Staff("P1", "Sam Lee", "AIDE", (
                AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"), (Window(t(8), t(15)),)),
                AvailabilityClause(("Wed",), (Window(t(8), t(10, 30)), Window(t(13), t(15, 45)))),
                AvailabilityClause(("Fri",), ()),
                AvailabilityClause(DAYS, (Window(t(7), t(8)),)),
            )),
        ),
        devices=(DevicePool("iPads", 10), DevicePool("Chromebooks", 12, ("3A", "3B"))),
        rules=(
            Rule("apart", ("S1", "S2"), row=2),
            Rule("together", ("S1", "007"), row=3),
            Rule("prefer_apart", ("IEP",), row=4),
            Rule("prefer_together", ("S2", "GT"), note="friends", row=5),
            Rule("group", ("S1",), group=2, row=6),
            Rule("away", ("ELL",), days=("Tue", "Thu"), start=t(9, 30), end=t(10), note="speech", row=7),
            Rule("needs", ("IEP",), station="Teacher", count=3, row=8),
        ),
        student_locks=(StudentLock("3A", "S1", 1), StudentLock("3B", "007", 2)),
        visit_locks=(VisitLock("3A", "Tue", 2, 1, "Online"), VisitLock("3B", "Sat", 1, 3, "Reading")),
    )


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BadInput) as caught:
        read_planning_workbook(path)
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------- round trips


def test_a_written_school_reads_back_exactly(tmp_path: Path) -> None:
    school = rich_school()
    path = tmp_path / "school.xlsx"
    write_planning_workbook(school, path)
    assert read_planning_workbook(path) == school


def test_rules_come_back_with_their_row_numbers_whatever_they_were(tmp_path: Path) -> None:
    school = rich_school()
    renumbered = replace(school, rules=tuple(replace(r, row=None) for r in school.rules))
    write_planning_workbook(renumbered, tmp_path / "school.xlsx")
    assert read_planning_workbook(tmp_path / "school.xlsx").rules == school.rules


def test_written_workbook_is_readable_by_a_teacher(tmp_path: Path) -> None:
    write_planning_workbook(rich_school(), tmp_path / "school.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "school.xlsx")
    assert wb.sheetnames == ["Students", "Mastery", "Skills", "Classes", "Stations", "Staff", "Devices",
                             "Rules", "Locks"]
    students, classes, staff = wb["Students"], wb["Classes"], wb["Staff"]
    assert students["A1"].font.bold and students.freeze_panes == "A2"
    assert students["A5"].value == "=cmd" and students["A5"].data_type == "s"  # never a formula
    assert classes["D2"].value == "Mon,Tue,Thu" and classes["E2"].value == "09:05"
    assert staff["D3"].value.startswith("Mon,Tue,Wed,Thu,Fri 08:00-15:00; Wed 08:00-10:30, 13:00-15:45")
    assert students.column_dimensions["A"].width >= len("student_id")


def test_blank_template_explains_itself_and_reads_as_no_students(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_blank_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Instructions"
    explained = {(r[0], r[1]) for r in wb["Instructions"].iter_rows(values_only=True)}
    for title, columns in COLUMNS.items():
        assert [c.value for c in wb[title][1]] == list(columns)
        assert all((title, column) in explained for column in columns)
    problems = problems_of(path)
    assert "template.xlsx: sheet 'Students': there are no students" in problems


# ---------------------------------------------------------------- what a teacher may type


def test_wide_and_long_mastery_mean_the_same(tmp_path: Path) -> None:
    sheets = base()
    sheets["Skills"] = [("skill", "min", "max"), ("Fractions", 0, 4), ("Decimals", 0, 100)]
    long_ = {**sheets, "Mastery": [("student_id", "skill", "score", "date"),
                                   ("S1", "Fractions", 3, "2024-09-01"), ("S1", "Decimals", 55.5, "2024-09-01"),
                                   ("S2", "Decimals", 70, None)]}
    wide = {**sheets, "Mastery": [("Student ID", "First Name", "Fractions", "Decimals", "Date"),
                                  ("S1", "Ana", 3, 55.5, dt.date(2024, 9, 1)), ("S2", "Ben", None, 70, None)]}
    read_long = read_planning_workbook(make(tmp_path, long_, "long.xlsx"))
    read_wide = read_planning_workbook(make(tmp_path, wide, "wide.xlsx"))
    assert read_long.mastery == read_wide.mastery == (
        MasteryResult("S1", "Fractions", 3.0, dt.date(2024, 9, 1)),
        MasteryResult("S1", "Decimals", 55.5, dt.date(2024, 9, 1)),
        MasteryResult("S2", "Decimals", 70.0),
    )


def test_sheet_and_header_names_may_vary(tmp_path: Path) -> None:
    sheets = {
        "STUDENTS": [("Student ID", "first-name", " CLASS "), *base()["Students"][1:]],
        "classes": [("Class", "Teacher", "Start", "Rotation Minutes"), *base()["Classes"][1:]],
        "Stations ": [("CLASS", "Station"), *(r[:2] for r in base()["Stations"][1:])],
    }
    school = read_planning_workbook(make(tmp_path, sheets))
    assert [s.student_id for s in school.students] == ["S1", "S2", "S3"]
    assert school.students[2].classes == ("A", "B")
    assert [c.start for c in school.classes] == [t(9), t(10)]


def test_typed_and_text_cells_mean_the_same(tmp_path: Path) -> None:
    def sheets(start: Any, date: Any, score: Any, minutes: Any) -> Sheets:
        s = base()
        s["Classes"] = [("class", "teacher", "start", "rotation_minutes", "days"),
                        ("A", "T1", start, minutes, "monday - wed"), ("B", "T2", "1:30 pm", 20, "Mon-Fri")]
        s["Mastery"] = [("student_id", "skill", "score", "date"), ("S1", "Fractions", score, date)]
        return s
    typed = read_planning_workbook(make(tmp_path, sheets(t(8, 30), dt.datetime(2024, 9, 1), 70, 20), "a.xlsx"))
    text = read_planning_workbook(make(tmp_path, sheets("08:30", "2024-09-01", "70", "20"), "b.xlsx"))
    fraction = read_planning_workbook(make(tmp_path, sheets(8.5 / 24, "2024-09-01", 70.0, 20.0), "c.xlsx"))
    assert typed == text == fraction
    assert typed.classes[0].start == t(8, 30) and typed.classes[0].days == ("Mon", "Tue", "Wed")
    assert typed.classes[1].start == t(13, 30) and typed.mastery[0].date == dt.date(2024, 9, 1)


def test_cells_are_read_as_a_teacher_means_them(tmp_path: Path) -> None:
    s = base()
    s["Students"] = [("student_id", "first_name", "grade", "class"), (1001, "Ana", "KG", "A"),
                     ("S2", "Ben", "07", "B"), ("S3", "Cy", 12, "B")]
    s["Stations"] = [("class", "station", "must_do", "visits", "kind"), (None, "Reading", "Yes", "By Need", "Online"),
                     ("A", "Teacher", 0, 3, None), ("B", "Teacher", "false", None, "TEACHER")]
    s["Staff"] = [("staff_id", "available"), ("T1", "mon-fri 8:00-15:00, 16:00-17:00 ; Wednesday 08:00-12:00")]
    school = read_planning_workbook(make(tmp_path, s))
    assert [(x.student_id, x.grade) for x in school.students] == [("1001", "K"), ("S2", "7"), ("S3", "12")]
    assert [(x.class_id, x.must_do, x.visits, x.kind) for x in school.stations] == [
        (None, True, BY_NEED, "online"), ("A", False, 3, "other"), ("B", False, None, "teacher")]
    assert school.staff[0].available == (
        AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"), (Window(t(8), t(15)), Window(t(16), t(17)))),
        AvailabilityClause(("Wed",), (Window(t(8), t(12)),)),
    )


def test_one_class_students_need_no_class_and_extra_sheets_and_columns_are_ignored(tmp_path: Path) -> None:
    s: Sheets = {
        "Notes": [("anything",), ("at all",)],
        "Students": [("student_id", "first_name", "favourite colour"), ("S1", "Ana", "red"), (), ("S2", "Ben")],
        "Classes": [("class", "start", "rotation_minutes"), ("A", "09:00", 20)],
        "Stations": [("station",), ("Reading",), ("Teacher",)],
        "Skills": [("skill", "min", "max")],
    }
    school = read_planning_workbook(make(tmp_path, s))
    assert [x.student_id for x in school.students] == ["S1", "S2"]
    assert all(x.classes == () for x in school.students)
    assert school.skills == ()


# ---------------------------------------------------------------- bad files


def _set(sheet: str, row: int, column: str, value: Any):
    def change(s: Sheets) -> None:
        header = s[sheet][0]
        index = header.index(column)
        cells = list(s[sheet][row - 1]) + [None] * (len(header) - len(s[sheet][row - 1]))
        cells[index] = value
        s[sheet][row - 1] = tuple(cells)
    return change


def _add(sheet: str, *rows: tuple[Any, ...]):
    def change(s: Sheets) -> None:
        s.setdefault(sheet, []).extend(rows)
    return change


BAD: list[tuple[str, Any, str]] = [
    ("missing sheet", lambda s: s.pop("Classes"), "sheet 'Classes': the sheet is missing"),
    ("missing column", lambda s: s.update(Students=[("student_id", "class")] + [(r[0], r[2]) for r in
                                                                              s["Students"][1:]]),
     "sheet 'Students', column 'first_name': the column is missing"),
    ("no students", lambda s: s.update(Students=[("student_id", "first_name")]),
     "sheet 'Students': there are no students"),
    ("empty list", _add("Rules", ("rule", "students"), ("apart", " , ")),
     "sheet 'Rules', row 2, column 'students': ',' names nothing"),
    ("empty cell", _set("Students", 3, "first_name", None),
     "sheet 'Students', row 3, column 'first_name': this cell is empty"),
    ("not a number", _add("Devices", ("pool", "count"), ("iPads", "abc")),
     "sheet 'Devices', row 2, column 'count': 'abc' is not a number"),
    ("zero count", _add("Devices", ("pool", "count"), ("iPads", 0)),
     "sheet 'Devices', row 2, column 'count': '0' is too small: it must be at least 1"),
    ("bad time", _set("Classes", 2, "start", "25:00"),
     "sheet 'Classes', row 2, column 'start': '25:00' is not a time"),
    ("bad day", _add("Rules", ("rule", "students", "day"), ("apart", "S1, S2", "Mon,Funday")),
     "sheet 'Rules', row 2, column 'day': 'Funday' is not a day"),
    ("bad kind", _set("Stations", 2, "kind", "lab"),
     "sheet 'Stations', row 2, column 'kind': 'lab' is not a kind of station"),
    ("bad rule kind", _add("Rules", ("rule", "students"), ("separate", "S1")),
     "sheet 'Rules', row 2, column 'rule': 'separate' is not a rule"),
    ("duplicate student", _set("Students", 3, "student_id", "S1"),
     "sheet 'Students', row 3, column 'student_id': student 'S1' is already on row 2"),
    ("duplicate class", _set("Classes", 3, "class", "A"),
     "sheet 'Classes', row 3, column 'class': class 'A' is already on row 2"),
    ("station in every class and its own", _set("Stations", 3, "station", "Reading"),
     "sheet 'Stations', row 3, column 'station': station 'Reading' is already on row 2 for every class"),
    ("duplicate staff", _add("Staff", ("staff_id",), ("T1",), ("T1",)),
     "sheet 'Staff', row 3, column 'staff_id': staff_id 'T1' is already on row 2"),
    ("duplicate pool", _add("Devices", ("pool", "count"), ("iPads", 3), ("iPads", 4)),
     "sheet 'Devices', row 3, column 'pool': pool 'iPads' is already on row 2"),
    ("unknown class", _set("Students", 3, "class", "C"),
     "sheet 'Students', row 3, column 'class': class 'C' is not on sheet Classes"),
    ("no class among several", _set("Students", 3, "class", None),
     "sheet 'Students', row 3, column 'class': the school has 2 classes, so this student needs a class"),
    ("unknown mastery student", _add("Mastery", ("student_id", "skill", "score"), ("S99", "Fractions", 50)),
     "sheet 'Mastery', row 2, column 'student_id': student 'S99' is not on sheet Students"),
    ("unknown skill", lambda s: s.update(Skills=[("skill",), ("Decimals",)],
                                         Mastery=[("student_id", "skill", "score"), ("S1", "Fractions", 5)]),
     "sheet 'Mastery', row 2, column 'skill': skill 'Fractions' is not on sheet Skills"),
    ("unknown wide skill", lambda s: s.update(Skills=[("skill",), ("Decimals",)],
                                              Mastery=[("student_id", "Fractions"), ("S1", 5)]),
     "sheet 'Mastery', row 1, column 'Fractions': skill 'Fractions' is not on sheet Skills"),
    ("score off the scale", lambda s: s.update(Skills=[("skill", "min", "max"), ("Fractions", 0, 4)],
                                               Mastery=[("student_id", "Fractions"), ("S1", 5)]),
     "sheet 'Mastery', row 2, column 'Fractions': score 5 is outside 0 to 4, the scale of skill 'Fractions'"),
    ("score off 0-100", _add("Mastery", ("student_id", "skill", "score"), ("S1", "Fractions", 101)),
     "score 101 is outside 0 to 100"),
    ("min not below max", _add("Skills", ("skill", "min", "max"), ("Fractions", 4, 4)),
     "sheet 'Skills', row 2, column 'max': max 4 must be more than min 4"),
    ("unknown pool", _add("Stations", ("A", "Online", "online", None, "iPads")),
     "sheet 'Stations', row 5, column 'devices': device pool 'iPads' is not on sheet Devices"),
    ("unknown mirror", _add("Stations", ("A", "Teacher 2", "teacher", None, None, "Techer")),
     "sheet 'Stations', row 5, column 'mirror_of': station 'Techer' of class 'A' is not on sheet Stations"),
    ("mirror of a mirror", _add("Stations", ("A", "Teacher 2", "teacher", None, None, "Teacher"),
                                ("A", "Teacher 3", "teacher", None, None, "Teacher 2")),
     "sheet 'Stations', row 6, column 'mirror_of': station 'Teacher 2' is itself a mirror"),
    ("mirror for every class of a station one class lacks", _add("Stations", (None, "Big", None, None, None, "Game"),
                                                                 ("A", "Game")),
     "sheet 'Stations', row 5, column 'mirror_of': station 'Game' of every class is not on sheet Stations"),
    ("two blank-class stations alike", _add("Stations", (None, "Reading")),
     "sheet 'Stations', row 5, column 'station': station 'Reading' of every class is already on row 2"),
    ("unknown staff", _set("Stations", 3, "staff", "NOBODY"),
     "sheet 'Stations', row 3, column 'staff': 'NOBODY' is not a staff_id or role on sheet Staff, "
     "nor a class teacher"),
    ("unknown rule student", _add("Rules", ("rule", "students"), ("apart", "S1, ELL")),
     "sheet 'Rules', row 2, column 'students': 'ELL' is neither a student on sheet Students nor a flag"),
    ("group rule without group", _add("Rules", ("rule", "students"), ("group", "S1")),
     "sheet 'Rules', row 2, column 'group': a 'group' rule needs a group"),
    ("needs rule without count", _add("Rules", ("rule", "students", "station"), ("needs", "IEP", "Reading")),
     "sheet 'Rules', row 2, column 'count': a 'needs' rule needs a count"),
    ("needs unknown station", _add("Rules", ("rule", "students", "station", "count"), ("needs", "IEP", "SPED", 3)),
     "sheet 'Rules', row 2, column 'station': station 'SPED' is not on sheet Stations"),
    ("away backwards", _add("Rules", ("rule", "students", "start", "end"), ("away", "S1", "10:00", "09:30")),
     "sheet 'Rules', row 2, column 'end': the end 09:30 is not after the start 10:00"),
    ("lock unknown student", _add("Locks", ("class", "student_id", "group"), ("A", "S99", 1)),
     "sheet 'Locks', row 2, column 'student_id': student 'S99' is not on sheet Students"),
    ("lock student of another class", _add("Locks", ("class", "student_id", "group"), ("B", "S1", 1)),
     "sheet 'Locks', row 2, column 'student_id': student 'S1' is not in class 'B'"),
    ("lock unknown class", _add("Locks", ("class", "day", "slot", "group", "station"), ("Z", "Mon", 1, 1, "Reading")),
     "sheet 'Locks', row 2, column 'class': class 'Z' is not on sheet Classes"),
    ("lock of both shapes", _add("Locks", ("class", "student_id", "group", "day"), ("A", "S1", 1, "Mon")),
     "sheet 'Locks', row 2, column 'student_id': fill in either student_id, or day, slot and station, not both"),
    ("lock on a day the class does not meet", _add("Locks", ("class", "day", "slot", "group", "station"),
                                                   ("A", "Sat", 1, 1, "Reading")),
     "sheet 'Locks', row 2, column 'day': class 'A' does not meet on Sat"),
    ("lock unknown station", _add("Locks", ("class", "day", "slot", "group", "station"), ("B", "Mon", 1, 1, "Gym")),
     "sheet 'Locks', row 2, column 'station': station 'Gym' is not a station of class 'B'"),
    ("unknown focus", lambda s: s.update(Skills=[("skill",), ("Decimals",)], Classes=[
        ("class", "start", "rotation_minutes", "focus"), ("A", "09:00", 20, "Decimals, Fractons"),
        ("B", "09:00", 20, None)]),
     "sheet 'Classes', row 2, column 'focus': focus skill 'Fractons' is not a skill"),
    ("min above max group size", lambda s: s.update(Classes=[
        ("class", "start", "rotation_minutes", "min_group_size", "max_group_size"), ("A", "09:00", 20, 6, 4),
        ("B", "09:00", 20, None, None)]),
     "sheet 'Classes', row 2, column 'max_group_size': min_group_size 6 is more than max_group_size 4"),
    ("bad grouping", lambda s: s.update(Classes=[("class", "start", "rotation_minutes", "grouping"),
                                                 ("A", "09:00", 20, "random"), ("B", "09:00", 20, None)]),
     "sheet 'Classes', row 2, column 'grouping': 'random' is not a grouping"),
    ("devices for an unknown class", _add("Devices", ("pool", "count", "classes"), ("iPads", 5, "A, C")),
     "sheet 'Devices', row 2, column 'classes': class 'C' is not on sheet Classes"),
    ("bad availability", _add("Staff", ("staff_id", "available"), ("P1", "Mon-Fri 15:00-08:00")),
     "sheet 'Staff', row 2, column 'available': '15:00-08:00' ends before it starts"),
    ("spreadsheet error", _set("Classes", 2, "rotation_minutes", "#DIV/0!"),
     "sheet 'Classes', row 2, column 'rotation_minutes': the cell shows the spreadsheet error #DIV/0!"),
    ("bad must_do", _add("Stations", ("A", "Extra", None, None, None, None, "maybe")),
     "sheet 'Stations', row 5, column 'must_do': 'maybe' is not yes or no"),
    ("bad date", _add("Mastery", ("student_id", "skill", "score", "date"), ("S1", "Fractions", 50, "3/2/21")),
     "sheet 'Mastery', row 2, column 'date': '3/2/21' is not a date"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_workbooks_name_every_problem_where_it_is(tmp_path: Path, change: Any, expected: str) -> None:
    sheets = base()
    change(sheets)
    problems = problems_of(make(tmp_path, sheets))
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("plan-in.xlsx: ") for p in problems)


def test_a_bad_grade_is_named(tmp_path: Path) -> None:
    sheets = base()
    sheets["Students"] = [("student_id", "first_name", "grade", "class"), ("S1", "Ana", "13", "A"),
                          ("S2", "Ben", "PK", "B")]
    assert problems_of(make(tmp_path, sheets)) == [
        "plan-in.xlsx: sheet 'Students', row 2, column 'grade': '13' is not a grade (write K or 1 to 12)",
        "plan-in.xlsx: sheet 'Students', row 3, column 'grade': 'PK' is not a grade (write K or 1 to 12)",
    ]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b"student_id,first_name\nS1,Ana\n", "not an .xlsx workbook"),
    (None, "cannot be read as an .xlsx workbook"),
])
def test_files_that_are_not_workbooks_are_refused(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "plan-in.xlsx"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "not a workbook")
    else:
        path.write_bytes(content)
    problems = problems_of(path)
    assert len(problems) == 1 and expected in problems[0]


def test_a_broken_sheet_inside_a_workbook_is_bad_input(tmp_path: Path) -> None:
    good = make(tmp_path, base(), "good.xlsx")
    path = tmp_path / "plan-in.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].startswith("plan-in.xlsx: sheet 'Students': the sheet cannot be read")


def test_a_sheet_claiming_to_be_smaller_than_it_is_is_read_whole(tmp_path: Path) -> None:
    good = make(tmp_path, base(), "good.xlsx")
    path = tmp_path / "plan-in.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data.replace(b'<dimension ref="A1:D4"', b'<dimension ref="A1:B2"'))
    assert [s.classes for s in read_planning_workbook(path).students] == [("A",), ("B",), ("A", "B")]


def test_a_duplicate_id_is_told_first_and_what_its_rows_would_cause_elsewhere_is_not(tmp_path: Path) -> None:
    # S1 is written twice (in class A, then in B) and class A twice (2 groups, then 3 groups on other days):
    # which row is meant is unknown, so a pin, a lock and a group number that depend on it are not judged.
    sheets = base()
    sheets["Students"].append(("S1", "Dee", "B", ""))
    sheets["Classes"] = [("class", "teacher", "start", "rotation_minutes", "groups", "days"),
                         ("A", "T1", "09:00", 20, 2, "Mon-Fri"), ("B", "T2", "10:00", 20, 2, "Mon-Fri"),
                         ("A", "T1", "09:00", 20, 3, "Sat")]
    sheets["Rules"] = [("rule", "students", "group"), ("group", "S1", 3), ("apart", "S1, S99", None)]
    sheets["Locks"] = [("class", "student_id", "group", "day", "slot", "station"),
                       ("A", "S1", 1, None, None, None), ("B", "S1", 1, None, None, None),
                       ("A", None, 3, "Sat", 1, "Reading")]
    assert problems_of(make(tmp_path, sheets)) == [
        "plan-in.xlsx: sheet 'Students', row 5, column 'student_id': student 'S1' is already on row 2",
        "plan-in.xlsx: sheet 'Classes', row 4, column 'class': class 'A' is already on row 2",
        # Not an echo: S99 is on no row at all.
        "plan-in.xlsx: sheet 'Rules', row 3, column 'students': 'S99' is neither a student on sheet Students "
        "nor a flag a student has",
    ]


def test_a_duplicate_pool_is_told_before_any_station_that_uses_it(tmp_path: Path) -> None:
    sheets = base()
    sheets["Devices"] = [("pool", "count", "classes"), ("iPads", 4, "A, B"), ("iPads", 6, "B")]
    sheets["Stations"].append(("A", "Online", "online", None, "iPads", None, None))
    assert problems_of(make(tmp_path, sheets)) == [
        "plan-in.xlsx: sheet 'Devices', row 3, column 'pool': pool 'iPads' is already on row 2"]


def test_a_formula_without_a_saved_value_is_not_taken_as_a_value(tmp_path: Path) -> None:
    sheets = base()
    sheets["Classes"][1] = ("A", "T1", "09:00", "=10*2")  # written by openpyxl: no value saved with it
    assert problems_of(make(tmp_path, sheets)) == [
        "plan-in.xlsx: sheet 'Classes', row 2, column 'rotation_minutes': this cell is empty"]


def test_a_sheet_with_too_many_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    problems = problems_of(make(tmp_path, base()))
    assert any("sheet 'Students'" in p and "refused" in p for p in problems)


def test_hundreds_of_problems_are_cut_at_200_with_the_count_of_the_rest(tmp_path: Path) -> None:
    sheets = base()
    sheets["Students"] += [(f"X{i}", "Kid", "Nowhere") for i in range(250)]
    with pytest.raises(BadInput) as caught:
        read_planning_workbook(make(tmp_path, sheets))
    lines = str(caught.value).splitlines()
    assert len(lines) == 201 and lines[-1] == "... and 50 more problems"


def test_strange_cells_are_bad_input_not_crashes(tmp_path: Path) -> None:
    sheets = base()
    sheets["Classes"] = [("class", "teacher", "start", "rotation_minutes", "days", "rotations"),
                         (True, "T1", dt.datetime(2024, 1, 1, 9), dt.time(0, 20), 5, dt.date(2024, 1, 1)),
                         ("B", "T2", 9, -3, "Fri-Mon", 2.5)]
    problems = problems_of(make(tmp_path, sheets))
    assert problems == [
        "plan-in.xlsx: sheet 'Classes', row 2, column 'rotation_minutes': '00:20' is not a number",
        "plan-in.xlsx: sheet 'Classes', row 2, column 'days': '5' is not a day "
        "(write Mon, Tue, Wed, Thu, Fri, Sat or Sun)",
        "plan-in.xlsx: sheet 'Classes', row 2, column 'rotations': '2024-01-01' is not a number",
        "plan-in.xlsx: sheet 'Classes', row 3, column 'start': '9' is not a time (write HH:MM, e.g. 08:30)",
        "plan-in.xlsx: sheet 'Classes', row 3, column 'rotation_minutes': '-3' is too small: it must be at least 1",
        "plan-in.xlsx: sheet 'Classes', row 3, column 'days': 'Fri-Mon' is not a range of days "
        "(write the earlier day first, e.g. Mon-Fri)",
        "plan-in.xlsx: sheet 'Classes', row 3, column 'rotations': '2.5' is not a whole number",
        "plan-in.xlsx: sheet 'Students', row 2, column 'class': class 'A' is not on sheet Classes",
        "plan-in.xlsx: sheet 'Students', row 4, column 'class': class 'A' is not on sheet Classes",
        "plan-in.xlsx: sheet 'Stations', row 3, column 'class': class 'A' is not on sheet Classes",
    ]


def test_five_thousand_students_come_back_whole(tmp_path: Path) -> None:
    students = tuple(Student(f"S{i}", "Kid", grade="3", classes=(f"C{i % 20}",), flags=("IEP",) if i % 9 == 0
                             else ()) for i in range(5000))
    school = School(
        students=students,
        mastery=tuple(MasteryResult(s.student_id, "Fractions", 50.5, dt.date(2024, 9, 1)) for s in students),
        classes=tuple(SchoolClass(f"C{c}", t(9), 20) for c in range(20)),
        stations=(Station("Reading"), Station("Teacher", kind="teacher")),
    )
    path = tmp_path / "big.xlsx"
    write_planning_workbook(school, path)
    assert read_planning_workbook(path) == school


def test_a_workbook_that_inflates_hugely_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024)  # stands for 500 MB
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(BadInput) as error:
        read_planning_workbook(bomb)
    assert "bomb.xlsx: the workbook unpacks to more than 4 MB" in str(error.value)


REPO = Path(__file__).resolve().parents[2]


def test_the_docs_describe_the_workbook_as_the_blank_template_does() -> None:
    # Users have the repository, not the design notes: docs/workbook.md is the template's own instructions.
    from rotation.io.planning_workbook import instructions_markdown
    docs = REPO / "docs" / "workbook.md"
    assert docs.read_text() == instructions_markdown(), "run `python -m resources.demo.build` to refresh docs/"


def documented_columns() -> dict[str, list[str]]:
    """Sheet -> columns, as docs/workbook.md lists them (a `## Sheet` heading, then a table of columns)."""
    out: dict[str, list[str]] = {}
    for line in (REPO / "docs" / "workbook.md").read_text().splitlines():
        if line.startswith("## "):
            sheet = line[3:].removesuffix(" (needed)")
            out[sheet] = []
        elif line.startswith("| ") and out and not line.startswith("| column |"):
            out[sheet].append(line.split("|")[1].strip())
    return out


def template_columns() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Sheet -> columns as the written blank template explains them on its Instructions sheet, and as its own
    sheets' headers hold them."""
    wb = openpyxl.load_workbook(REPO / "resources" / "blank-planning-workbook.xlsx", read_only=True)
    explained: dict[str, list[str]] = {}
    rows = iter(wb["Instructions"].iter_rows(values_only=True))
    for row in rows:
        if row[:2] == ("sheet", "column"):
            break
    for sheet, column, *_ in rows:
        explained.setdefault(sheet, [])
        if column:
            explained[sheet].append(column)
    headers = {ws.title: [c for c in next(ws.iter_rows(values_only=True))] for ws in wb.worksheets[1:]}
    return explained, headers


def columns_the_reader_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Sheet -> every column the reader looks up while reading a workbook that fills every sheet."""
    seen: dict[str, set[str]] = {}
    get, row_get = Sheet.get, xlsx.Row.get

    def spy_get(self: Any, row: Any, key: str, *args: Any, **kwargs: Any) -> Any:
        seen.setdefault(self.title, set()).add(key)
        return get(self, row, key, *args, **kwargs)

    def spy_row_get(self: Any, key: str) -> Any:
        sheets = [title for title, columns in COLUMNS.items() if set(self.headers) <= set(columns)]
        seen.setdefault(sheets[0], set()).add(key)  # a bare lookup of a cell, outside the sheet's own reading
        return row_get(self, key)

    write_planning_workbook(rich_school(), tmp_path / "full.xlsx")
    monkeypatch.setattr(Sheet, "get", spy_get)
    monkeypatch.setattr(xlsx.Row, "get", spy_row_get)
    read_planning_workbook(tmp_path / "full.xlsx")
    return {sheet: sorted(keys) for sheet, keys in seen.items()}


def test_the_docs_and_the_template_name_exactly_the_sheets_and_columns_the_reader_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A column added to the reader without its words in the instructions (or dropped from the reader but
    # still documented) fails here; so does a template or a docs page not made again after a change.
    schema = {sheet: list(columns) for sheet, columns in COLUMNS.items()}
    explained, headers = template_columns()
    assert documented_columns() == explained == headers == schema
    assert columns_the_reader_reads(tmp_path, monkeypatch) == {sheet: sorted(c) for sheet, c in schema.items()}


def test_classes_a_problem_names_come_in_the_order_of_sheet_classes(tmp_path: Path) -> None:
    # The first row of an id written twice counts, and the ids keep the order of their rows (they came reversed).
    sheets = base()
    sheets["Classes"].append(("C", "T3", "11:00", 20))
    sheets["Students"].append(("S4", "Dee", "C", ""))
    sheets["Stations"] += [(None, "Online", "online", None, "iPads"), ("C", "Teacher", "teacher", None)]
    sheets["Devices"] = [("pool", "count", "classes"), ("iPads", 5, "C")]
    sheets["Rules"] = [("rule", "students", "group"), ("group", "S1, S2", 9)]
    assert problems_of(make(tmp_path, sheets)) == [
        "plan-in.xlsx: sheet 'Stations', row 5, column 'devices': class 'A', 'B' would use device pool 'iPads', "
        "which sheet Devices lists for 'C' only: add the class to the pool's classes, or give this station another "
        "pool",
        "plan-in.xlsx: sheet 'Rules', row 2, column 'group': class 'A' has groups 1 to 3; there is no group 9",
        "plan-in.xlsx: sheet 'Rules', row 2, column 'group': class 'B' has groups 1 to 3; there is no group 9",
    ]
