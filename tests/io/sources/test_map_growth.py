"""NWEA MAP Growth data files: every test's RIT and goal scores come in with their dates and in words a teacher
knows, from old and new headers, lower-case or tab-delimited files, a ZIP, a folder or the Combined file."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from rotation.io.problems import Problems
from rotation.io.sources import map_growth
from rotation.io.sources.assessments import us_date
from rotation.io.sources.found import Found
from rotation.io.sources.tables import read_source
from tests.io.sources.score_samples import write_map, write_map_combo


def read(path: Path) -> tuple[Found, Problems]:
    problems = Problems.of(path)
    tables = read_source(path, problems)
    assert map_growth.KIND.recognise(tables)
    return map_growth.KIND.read(str(path), tables, problems), problems


def by(found: Found, student: str, skill: str) -> list:
    return sorted((s for s in found.scores if s.student == student and s.skill == skill), key=lambda s: s.date)


def test_a_student_tested_in_two_terms_has_both_results_with_their_dates(tmp_path: Path) -> None:
    found, problems = read(write_map(tmp_path, students=3, terms=("Fall 2025-2026", "Winter 2025-2026")))
    assert not problems
    math = by(found, "100201", "MAP Math")
    assert [s.date for s in math] == [dt.date(2025, 9, 11), dt.date(2026, 1, 15)]
    assert [s.source for s in math] == ["MAP Growth Fall 2025-2026", "MAP Growth Winter 2025-2026"]
    assert all(150 <= s.score <= 260 and s.detail.endswith(" percentile") for s in math)
    assert len(by(found, "100201", "MAP Reading")) == 2


def test_goals_are_skills_of_their_own_with_the_adjective_in_words(tmp_path: Path) -> None:
    found, _ = read(write_map(tmp_path, students=2))
    geometry = by(found, "100200", "MAP Math: Geometry")
    assert len(geometry) == 1 and geometry[0].date == dt.date(2025, 9, 10)
    assert geometry[0].detail in {"Low", "Low Average", "Average", "High Average", "High"}
    assert geometry[0].place.file == "AssessmentResults.csv" and geometry[0].place.row == 2
    names = {s.skill for s in found.skills}
    assert {"MAP Math", "MAP Reading", "MAP Math: Operations and Algebraic Thinking",
            "MAP Reading: Vocabulary: Acquisition and Use"} <= names
    assert all((s.min, s.max) == (100, 350) for s in found.skills)


def test_students_come_from_students_by_school_with_names_and_grade(tmp_path: Path) -> None:
    found, _ = read(write_map(tmp_path, students=5))
    assert len(found.students) == 5 and not found.is_roster
    first = found.students[0]
    assert (first.student_id, first.first_name, first.last_name, first.grade) == ("100200", "Ava", "Nguyen", "3")
    assert first.place.file == "StudentsBySchool.csv"
    assert found.students[4].grade == "K"


def test_results_alone_give_scores_and_no_students(tmp_path: Path) -> None:
    found, problems = read(write_map(tmp_path, students=2, old_headers=True, with_students=False))
    assert not problems and not found.students and found.scores


@pytest.mark.parametrize("options", [{"old_headers": True}, {"lower": True}, {"tabs": True},
                                     {"old_headers": True, "lower": True, "tabs": True}])
def test_old_headers_lower_case_and_tabs_read_the_same(tmp_path: Path, options: dict) -> None:
    found, problems = read(write_map(tmp_path, students=2, **options))
    assert not problems
    plain, _ = read(write_map(tmp_path / "plain", students=2))
    assert [(s.student, s.skill, s.score, s.date) for s in found.scores] == \
        [(s.student, s.skill, s.score, s.date) for s in plain.scores]
    assert [(s.student_id, s.grade) for s in found.students] == [(s.student_id, s.grade) for s in plain.students]


def test_a_zip_of_the_data_file_reads_like_the_folder(tmp_path: Path) -> None:
    folder = write_map(tmp_path / "cdf", students=2)
    archive = tmp_path / "cdf.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("AssessmentResults.csv", "StudentsBySchool.csv"):
            out.write(folder / name, f"Export/{name}")
    found, problems = read(archive)
    assert not problems and len(found.students) == 2 and len(found.scores) == 2 * 2 * 5
    assert found.scores[0].place.file == "cdf.zip/AssessmentResults.csv"


def test_the_combined_file_names_each_student_once(tmp_path: Path) -> None:
    found, problems = read(write_map_combo(tmp_path / "ComboStudentAssessment.csv", students=3,
                                           terms=("Fall 2025-2026", "Spring 2025-2026")))
    assert not problems
    assert [(s.student_id, s.first_name, s.grade) for s in found.students] == [
        ("100200", "Ava", "3"), ("100201", "Liam", "4"), ("100202", "Maya", "5")]
    assert len(by(found, "100202", "MAP Math")) == 2


@pytest.mark.parametrize(("written", "meant"), [
    ("9/10/25", dt.date(2025, 9, 10)), ("01/14/2026", dt.date(2026, 1, 14)), ("3/2/21", dt.date(2021, 3, 2)),
    ("2025-09-10", dt.date(2025, 9, 10)), ("9/10/2025 10:22:03 AM", dt.date(2025, 9, 10)),
    ("2025-09-10T14:32:11", dt.date(2025, 9, 10)), ("13/1/2025", None), ("Fall", None), ("9/10", None)])
def test_dates_are_read_month_first_with_two_digit_years_in_this_century(written: str, meant: dt.date | None
                                                                        ) -> None:
    assert us_date(written) == meant


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new, 1))


def _set_cell(path: Path, line: int, column: str, value: str) -> None:
    """One cell of a plain CSV (line 0 is the header) written anew."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[line].split(",")
    row[header.index(column)] = value
    lines[line] = ",".join(row)
    path.write_text("\n".join(lines) + "\n")


def test_mixed_date_formats_in_one_file_all_read(tmp_path: Path) -> None:
    folder = write_map(tmp_path, students=2, subjects=("Mathematics",))
    _rewrite(folder / "AssessmentResults.csv", "9/10/2025", "2025-09-10")
    _rewrite(folder / "AssessmentResults.csv", "9/11/2025", "09/11/25")
    found, problems = read(folder)
    assert not problems
    assert [s.date for s in found.scores if s.skill == "MAP Math"] == [dt.date(2025, 9, 10), dt.date(2025, 9, 11)]


def test_a_rit_that_is_no_number_is_told_by_file_row_and_column(tmp_path: Path) -> None:
    folder = write_map(tmp_path, students=3, subjects=("Mathematics",))
    _set_cell(folder / "AssessmentResults.csv", 2, "TestRITScore", "21O")
    found, problems = read(folder)
    assert [str(p) for p in problems.found] == [
        "AssessmentResults.csv: row 3, column 'TestRITScore': '21O' is not a number"]
    assert {s.student for s in found.scores} == {"100200", "100202"}  # the row is left out, the others read


def test_a_date_that_is_no_date_is_told_and_a_blank_goal_is_not(tmp_path: Path) -> None:
    folder = write_map(tmp_path, students=2, subjects=("Mathematics",))
    _rewrite(folder / "AssessmentResults.csv", "9/11/2025", "31/11/2025")
    _set_cell(folder / "AssessmentResults.csv", 1, "Goal4RitScore", "")
    found, problems = read(folder)
    assert [str(p) for p in problems.found] == [
        "AssessmentResults.csv: row 3, column 'TestStartDate': '31/11/2025' is not a date "
        "(write e.g. 9/10/2025 or 2025-09-10)"]
    assert sorted(s.skill for s in found.scores) == ["MAP Math", "MAP Math: Measurement and Data",
                                                     "MAP Math: Number and Operations",
                                                     "MAP Math: Operations and Algebraic Thinking"]


def test_a_header_without_student_id_is_told_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "AssessmentResults.csv"
    path.write_text("TermName,TestRITScore\nFall 2025-2026,201\n")
    found, problems = read(path)
    assert not found.scores
    assert [str(p) for p in problems.found] == ["AssessmentResults.csv: column 'StudentID': the column is missing"]


def test_other_files_are_not_taken_for_map(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("Student ID,Overall Scale Score\n1,400\n")
    assert not map_growth.KIND.recognise(read_source(path, Problems.of(path)))


def test_fifty_thousand_tests_come_in_whole(tmp_path: Path) -> None:
    # How fast is for `make bench` (tests/bench/imports.py), never a wall-clock limit here.
    folder = write_map(tmp_path, students=12_500, terms=("Fall 2025-2026", "Winter 2025-2026"))
    found, problems = read(folder)
    assert not problems and len(found.scores) == 50_000 * 5
