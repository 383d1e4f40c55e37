"""A teacher's own spreadsheet read through a column mapping: the students, skills, scores and dates that come
in; problems naming file, sheet, row and column; mappings kept as JSON files; a first guess from the header."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook

from rotation.domain.school import Skill
from rotation.io import cells
from rotation.io.problems import Problems
from rotation.io.sources import mapped
from rotation.io.sources.found import Found
from rotation.io.sources.mapped import Mapping, Scale
from rotation.io.sources.tables import read_source
from tests.io.sources import mapped_samples as samples


def read(path: Path, mapping: Mapping) -> tuple[Found, list[str]]:
    problems = Problems.of(path)
    found = mapped.read(str(path), read_source(path, problems), problems, mapping)
    return found, [str(p) for p in problems.found]


def results(found: Found) -> set[tuple[str, str, float, dt.date | None, str]]:
    return {(s.student, s.skill, s.score, s.date, s.source) for s in found.scores}


# ---- the long layout: an exit-ticket log ----

def test_an_exit_ticket_log_brings_every_result_with_its_standard_named_one_way(tmp_path: Path) -> None:
    found, problems = read(samples.write_exit_tickets(tmp_path), samples.EXIT_TICKETS)
    assert problems == []
    # 3.NF.1 and the long and upper-case codes are the standards the file also writes with their cluster letter.
    assert results(found) == {
        ("1001", "3.NF.A.1", 3, dt.date(2025, 9, 10), "Ticket 1"),
        ("1001", "3.NF.A.2", 2, dt.date(2025, 9, 12), "Ticket 2"),
        ("1002", "3.NF.A.1", 4, dt.date(2026, 1, 14), "Ticket 1"),
        ("1002", "3.NF.A.2", 1, dt.date(2025, 9, 12), "Ticket 2"),
        ("1003", "Fractions on a number line", 2, None, "Ticket 3"),
    }
    assert found.skills == [Skill("3.NF.A.1", 0, 4, 3), Skill("3.NF.A.2", 0, 4, 3),
                            Skill("Fractions on a number line", 0, 4, 3)]


def test_an_exit_ticket_log_names_each_student_once_with_grade_and_class(tmp_path: Path) -> None:
    found, _ = read(samples.write_exit_tickets(tmp_path), samples.EXIT_TICKETS)
    assert [(s.student_id, s.first_name, s.last_name, s.grade, s.classes) for s in found.students] == [
        ("1001", "Ana", "Lopez", "3", ("P1",)), ("1002", "Ben", "Okafor", "3", ("P1",)),
        ("1003", "Chloé", "Nguyen", "3", ("P2",))]
    assert found.is_roster  # it maps a class: the students it lists are the class's
    assert found.students[1].place.row == 4 and found.scores[0].place.file == "exit tickets.csv"


def test_without_a_class_column_the_file_is_no_roster_and_without_names_it_lists_no_students(tmp_path: Path
                                                                                              ) -> None:
    path = samples.write_exit_tickets(tmp_path)
    assert not read(path, replace(samples.EXIT_TICKETS, class_=None))[0].is_roster
    found, problems = read(path, replace(samples.EXIT_TICKETS, first_name=None, last_name=None, class_=None))
    assert found.students == [] and len(found.scores) == 5 and problems == []


# ---- the wide layout: a gradebook workbook ----

def test_a_gradebook_sheet_brings_a_score_per_filled_cell_on_the_files_date(tmp_path: Path) -> None:
    found, problems = read(samples.write_gradebook(tmp_path), samples.GRADEBOOK)
    assert problems == []
    when, test = dt.date(2025, 10, 3), "Unit 2 test"
    assert results(found) == {  # blank cells are no result; 88% is 88
        ("1001", "3.NF.A.1", 85, when, test), ("1001", "3.NF.A.3", 72.5, when, test),
        ("1002", "3.NF.A.1", 90, when, test), ("1002", "3.MD.A.1", 64, when, test),
        ("1003", "3.NF.A.3", 100, when, test), ("1003", "3.MD.A.1", 88, when, test),
    }
    assert [s.student_id for s in found.students] == ["1001", "1002", "1003"] and not found.is_roster
    assert found.skills == []  # no scale: the planning workbook's Skills sheet or 0-100
    assert {(s.place.sheet, s.place.row) for s in found.scores if s.student == "1002"} == {("Q1", 3)}


def test_every_other_column_takes_the_columns_holding_numbers_as_skills(tmp_path: Path) -> None:
    mapping = replace(samples.GRADEBOOK, skills=(), every_other_column=True)
    found, problems = read(samples.write_gradebook(tmp_path), mapping)
    assert problems == []
    assert {s.skill for s in found.scores} == {"3.NF.A.1", "3.NF.A.3", "3.MD.A.1"}  # not Email
    assert len(found.scores) == 6


def test_skill_headers_written_as_long_codes_come_in_as_short_ones(tmp_path: Path) -> None:
    header = ["ID", "First Name", "Last Name", "Email", "CCSS.Math.Content.3.NF.A.1", "3.nf.a.3", "3.MD.1"]
    mapping = replace(samples.GRADEBOOK, skills=tuple(header[4:]))
    found, problems = read(samples.write_gradebook(tmp_path, header), mapping)
    assert problems == []
    assert {s.skill for s in found.scores} == {"3.NF.A.1", "3.NF.A.3", "3.MD.1"}


# ---- dates ----

@pytest.mark.parametrize(("written", "meant"), [
    ("9/10/25", dt.date(2025, 9, 10)),
    ("01/14/2026", dt.date(2026, 1, 14)),
    ("2025-09-10", dt.date(2025, 9, 10)),
    ("2025-09-10 08:30", dt.date(2025, 9, 10)),
    (" 9/1/2025 ", dt.date(2025, 9, 1)),
])
def test_dates_read_in_the_forms_teachers_write(written: str, meant: dt.date) -> None:
    assert mapped.date(written) == meant


@pytest.mark.parametrize("written", ["13/01/2025", "2/30/2025", "next week", "10.9.2025"])
def test_what_is_no_date_is_refused_in_words(written: str) -> None:
    with pytest.raises(cells.Bad, match="is not a date"):
        mapped.date(written)


def test_dates_typed_in_a_workbook_come_in_as_dates(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Student ID", "Skill", "Score", "Date"])
    sheet.append(["1001", "3.OA.A.1", 70, dt.datetime(2025, 9, 10)])
    sheet.append(["1001", "3.OA.A.2", 80, dt.datetime(2025, 9, 11, 10, 15)])
    sheet.append(["1001", "3.OA.A.3", 90, "9/12/25"])
    workbook.save(tmp_path / "quiz.xlsx")
    mapping = Mapping("Quiz", "student id", skill="skill", score="score", date="date")
    found, problems = read(tmp_path / "quiz.xlsx", mapping)
    assert problems == []
    assert [s.date for s in found.scores] == [dt.date(2025, 9, 10), dt.date(2025, 9, 11), dt.date(2025, 9, 12)]


# ---- problems, named by file, sheet, row and column ----

def test_a_bad_cell_is_a_problem_naming_its_row_and_column_and_the_rest_comes_in(tmp_path: Path) -> None:
    rows = [list(r) for r in samples.EXIT_TICKET_ROWS]
    rows[1][6] = "two"  # row 3
    rows[2][6] = "7"  # row 4, off the 0-4 scale
    rows[3][7] = "9/31/2025"  # row 5
    rows[4][0] = ""  # row 6
    path = samples.write_csv(tmp_path / "tickets.csv", samples.EXIT_TICKET_HEADER, rows)
    found, problems = read(path, samples.EXIT_TICKETS)
    assert problems == [
        "tickets.csv: row 3, column 'Points': 'two' is not a number",
        "tickets.csv: row 4, column 'Points': 7 is off the scale 0-4",
        "tickets.csv: row 5, column 'Date': '9/31/2025' is not a date (month/day/year)",
        "tickets.csv: row 6, column 'Student ID': the student id is blank",
    ]
    assert [(s.student, s.date) for s in found.scores] == [("1001", dt.date(2025, 9, 10))]


def test_a_bad_score_in_a_gradebook_names_the_sheet(tmp_path: Path) -> None:
    rows = [list(r) for r in samples.GRADEBOOK_ROWS]
    rows[2][4] = "absent"
    _, problems = read(samples.write_gradebook(tmp_path, rows=rows), samples.GRADEBOOK)
    assert problems == ["gradebook.xlsx: sheet 'Q1', row 4, column '3.NF.A.1': 'absent' is not a number"]


def test_a_mapped_column_missing_from_the_file_is_one_problem_listing_the_files_columns(tmp_path: Path) -> None:
    path = samples.write_exit_tickets(tmp_path)
    found, problems = read(path, replace(samples.EXIT_TICKETS, score="Score"))
    assert problems == ["exit tickets.csv: the column 'Score' (score in mapping 'Exit tickets') is not in the file; "
                        "its columns are: Student ID, First, Last, Grade, Period, Standard, Points, Date, Quiz"]
    assert found.scores == [] and found.students == []


def test_a_mapped_sheet_missing_from_the_workbook_is_a_problem_listing_its_sheets(tmp_path: Path) -> None:
    _, problems = read(samples.write_gradebook(tmp_path), replace(samples.GRADEBOOK, sheet="Q2"))
    assert problems == ["gradebook.xlsx: has no sheet 'Q2' (its sheets: Notes, Q1)"]


def test_without_a_sheet_every_sheet_with_the_student_id_column_is_read(tmp_path: Path) -> None:
    found, problems = read(samples.write_gradebook(tmp_path), replace(samples.GRADEBOOK, sheet=None))
    assert problems == [] and len(found.scores) == 6  # the Notes sheet is passed over


# ---- mappings kept as JSON files ----

@pytest.mark.parametrize("mapping", [samples.EXIT_TICKETS, samples.GRADEBOOK,
                                     replace(samples.GRADEBOOK, skills=(), every_other_column=True,
                                             scale=Scale(max=4), date_value=None)])
def test_a_mapping_saved_loads_back_the_same(tmp_path: Path, mapping: Mapping) -> None:
    path = tmp_path / "mappings" / "m.json"
    mapping.save(path)
    problems = Problems("m.json")
    assert Mapping.load(path, problems) == mapping and not problems
    assert [p.name for p in path.parent.iterdir()] == ["m.json"]  # no temporary file left behind


def test_a_saved_mapping_is_a_small_file_in_the_schools_words(tmp_path: Path) -> None:
    samples.EXIT_TICKETS.save(tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert data == {"name": "Exit tickets", "student_id": "Student ID", "first_name": "First", "last_name": "Last",
                    "grade": "Grade", "class": "Period", "skill": "Standard", "score": "Points", "date": "Date",
                    "source": "Quiz", "scale": {"min": 0, "max": 4, "mastered_at": 3}}
    assert '"max": 4,' in (tmp_path / "m.json").read_text(encoding="utf-8")  # as a teacher writes it, not 4.0


def test_a_hand_written_mapping_loads(tmp_path: Path) -> None:
    path = tmp_path / "gradebook.json"
    path.write_text('{"student_id": " ID ", "skills": ["3.NF.A.1"], "date_value": "9/10/25", "first_name": "",\n'
                    ' "last_name": null}')
    problems = Problems("x")
    assert Mapping.load(path, problems) == Mapping("gradebook", "ID", skills=("3.NF.A.1",),
                                                   date_value=dt.date(2025, 9, 10))
    assert not problems


def test_mappings_are_kept_by_name_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mappings"
    assert mapped.saved_mappings(folder) == {}
    for mapping in (samples.EXIT_TICKETS, replace(samples.GRADEBOOK, name="Mrs. Patel's gradebook: Q1/Q2")):
        mapping.save(mapped.mapping_path(folder, mapping.name))
    (folder / "broken.json").write_text("{")
    assert mapped.saved_mappings(folder) == {
        "Exit tickets": folder / "Exit tickets.json",
        "Mrs. Patel's gradebook: Q1/Q2": folder / "Mrs. Patel_s gradebook_ Q1_Q2.json",
        "broken": folder / "broken.json",
    }
    assert mapped.mapping_path(folder, "../..").parent == folder


@pytest.mark.parametrize(("text", "problem"), [
    ('{"student_id": "ID",', "gradebook.json: row 1: is not a column mapping: bad JSON"),
    ('["ID"]', "gradebook.json: is not a column mapping: it must be a JSON object"),
    ('{"student_id": "ID", "studnet": "x", "Score": "y"}', "gradebook.json: unknown keys Score, studnet (known: "),
    ('{"first_name": "First"}', "gradebook.json: 'student_id' is missing"),
    ('{"student_id": "  "}', "gradebook.json: 'student_id' is missing"),
    ('{"student_id": 7}', "gradebook.json: 'student_id' must be a column name in quotes"),
    ('{"student_id": "ID", "skills": "3.NF.A.1"}', "gradebook.json: 'skills' must be a list of column names"),
    ('{"student_id": "ID", "score": "Points"}', "one row per result needs both 'skill' and 'score'"),
    ('{"student_id": "ID", "skill": "S", "score": "P", "skills": ["A"]}', "gives both 'score' (one row per result)"),
    ('{"student_id": "ID", "every_other_column": "yes"}', "'every_other_column' must be true or false"),
    ('{"student_id": "ID", "date": "Date", "date_value": "2025-09-10"}', "gives both 'date' (a column)"),
    ('{"student_id": "ID", "date_value": "someday"}', "'date_value': 'someday' is not a date"),
    ('{"student_id": "ID", "date_value": 20250910}', "'date_value': 20250910 is not a date in quotes"),
    ('{"student_id": "ID", "grade": "Grade"}', "maps neither names nor scores"),
    ('{"student_id": "ID", "scale": {"min": 4, "max": 0}}', "'scale': max (0) must be above min (4)"),
    ('{"student_id": "ID", "scale": {"max": "4"}}', "'scale' must be like"),
    ('{"student_id": "ID", "scale": [0, 4]}', "'scale' must be like"),
])
def test_a_broken_mapping_file_is_a_problem_naming_it_never_a_traceback(tmp_path: Path, text: str, problem: str
                                                                        ) -> None:
    path = tmp_path / "gradebook.json"
    path.write_text(text)
    problems = Problems("gradebook.json")
    assert Mapping.load(path, problems) is None
    assert problem in str(problems.found[0]), [str(p) for p in problems.found]


def test_a_huge_or_unreadable_mapping_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"student_id": "ID", "name": "' + "x" * mapped.MAX_MAPPING_BYTES + '"}')
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00junk")
    problems = Problems("x")
    assert Mapping.load(big, problems) is None and Mapping.load(binary, problems) is None
    assert Mapping.load(tmp_path / "gone.json", problems) is None
    assert [p.file for p in problems.found] == ["big.json", "binary.json", "gone.json"]
    assert "is over 64 KB" in problems.found[0].message


# ---- a first guess from the header ----

def guessed(tmp_path: Path, header: list[str], *rows: list[str]) -> Mapping:
    path = samples.write_csv(tmp_path / "sheet.csv", header, [list(r) for r in rows])
    return mapped.guess(read_source(path, Problems("sheet.csv"))[0])


def test_guess_maps_an_exit_ticket_logs_columns(tmp_path: Path) -> None:
    mapping = guessed(tmp_path, samples.EXIT_TICKET_HEADER, *samples.EXIT_TICKET_ROWS)
    assert mapping == Mapping("sheet", "Student ID", first_name="First", last_name="Last", grade="Grade",
                              class_="Period", skill="Standard", score="Points", date="Date", source="Quiz")


@pytest.mark.parametrize(("header", "student_id", "first", "last"), [
    (["ID", "First Name", "Last Name"], "ID", "First Name", "Last Name"),
    (["Student Number", "FirstName", "LastName"], "Student Number", "FirstName", "LastName"),
    (["student_id", "first_name", "last_name"], "student_id", "first_name", "last_name"),
    (["Last", "First", "Student #"], "Student #", "First", "Last"),
])
def test_guess_knows_the_usual_names_of_the_id_and_name_columns(tmp_path: Path, header: list[str],
                                                                 student_id: str, first: str, last: str) -> None:
    mapping = guessed(tmp_path, header, ["1", "2", "3"])
    assert (mapping.student_id, mapping.first_name, mapping.last_name) == (student_id, first, last)


def test_guess_takes_a_gradebooks_number_columns_as_skills(tmp_path: Path) -> None:
    header = ["Student ID", "Name", "Grade", "Email", "Fractions", "3.NF.A.2", "Comments", "Area"]
    mapping = guessed(tmp_path, header, ["1001", "Ana", "3", "a@x.org", "85", "", "good", "90%"],
                      ["1002", "Ben", "3", "b@x.org", "absent", "", "", "70"],
                      ["1003", "Cy", "3", "c@x.org", "60", "", "", ""])
    assert mapping.student_id == "Student ID" and mapping.grade == "Grade"
    assert mapping.skill is None and mapping.score is None
    # A blank column whose header is a standard is a skill not yet scored; Grade is taken, Comments are words.
    assert mapping.skills == ("Fractions", "3.NF.A.2", "Area")


def test_guess_of_a_header_it_does_not_know_leaves_the_student_id_for_the_teacher(tmp_path: Path) -> None:
    mapping = guessed(tmp_path, ["Kid", "Thing"], ["Ana", "x"])
    assert mapping.student_id == "" and mapping.skills == ()
