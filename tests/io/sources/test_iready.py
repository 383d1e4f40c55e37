"""i-Ready Diagnostic results: the overall and each domain's scale score come in as skills of their subject, with
placements kept beside them, the students with names and grade."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rotation.io.problems import Problems
from rotation.io.sources import iready
from rotation.io.sources.found import Found
from rotation.io.sources.tables import read_source
from tests.io.sources.score_samples import IREADY_DOMAINS, RELATIVE, write_iready


def read(path: Path) -> tuple[Found, Problems]:
    problems = Problems.of(path)
    tables = read_source(path, problems)
    assert iready.KIND.recognise(tables)
    return iready.KIND.read(str(path), tables, problems), problems


def test_overall_and_every_domain_are_skills_of_the_subject(tmp_path: Path) -> None:
    found, problems = read(write_iready(tmp_path / "diagnostic_results.csv", students=3, subject="Math"))
    assert not problems
    assert [s.skill for s in found.skills] == ["i-Ready Math: Overall", "i-Ready Math: Number and Operations",
                                               "i-Ready Math: Algebra and Algebraic Thinking",
                                               "i-Ready Math: Measurement and Data", "i-Ready Math: Geometry"]
    assert all((s.min, s.max) == (100, 800) for s in found.skills)
    assert len(found.scores) == 3 * 5
    overall = found.scores[0]
    assert (overall.student, overall.date, overall.source) == ("100200", dt.date(2025, 9, 15), "i-Ready Diagnostic")
    assert overall.detail.startswith("Grade 2; ") and overall.detail.split("; ")[1] in RELATIVE
    assert overall.place.row == 2


def test_reading_domains_say_reading_and_any_new_domain_is_read(tmp_path: Path) -> None:
    path = write_iready(tmp_path / "results.csv", students=2, subject="Reading")
    text = path.read_text().replace("Vocabulary Scale Score", "Fluency Scale Score", 1)
    path.write_text(text)
    found, _ = read(path)
    names = [s.skill for s in found.skills]
    assert "i-Ready Reading: Comprehension: Informational Text" in names
    assert "i-Ready Reading: Fluency" in names and "i-Ready Reading: High-Frequency Words" in names


def test_a_subject_column_names_each_row_s_subject(tmp_path: Path) -> None:
    path = write_iready(tmp_path / "results.csv", students=1, subject="Math", with_subject_column=True)
    found, _ = read(path)
    assert found.skills[0].skill == "i-Ready Math: Overall"


def test_students_have_names_and_grade_once_over_two_diagnostics(tmp_path: Path) -> None:
    found, problems = read(write_iready(tmp_path / "r.csv", students=2, dates=("09/15/2025", "1/20/26")))
    assert not problems and not found.is_roster
    assert [(s.student_id, s.first_name, s.last_name, s.grade) for s in found.students] == [
        ("100200", "Ava", "Nguyen", "3"), ("100201", "Liam", "Rossi", "4")]
    dates = [s.date for s in found.scores if s.student == "100201" and s.skill == "i-Ready Math: Overall"]
    assert dates == [dt.date(2025, 9, 15), dt.date(2026, 1, 20)]


def test_a_domain_not_tested_is_left_out_and_a_bad_score_told(tmp_path: Path) -> None:
    path = write_iready(tmp_path / "r.csv", students=2)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    first, second = lines[1].split(","), lines[2].split(",")
    first[header.index("Geometry Scale Score")] = ""
    second[header.index("Overall Scale Score")] = "n/a"
    lines[1], lines[2] = ",".join(first), ",".join(second)
    path.write_text("\n".join(lines) + "\n")
    found, problems = read(path)
    assert [str(p) for p in problems.found] == ["r.csv: row 3, column 'Overall Scale Score': 'n/a' is not a number"]
    assert {s.student for s in found.scores} == {"100200"}
    assert "i-Ready Math: Geometry" not in {s.skill for s in found.scores}
    assert len(found.scores) == 4


def test_domains_named_in_lower_case_read_the_same(tmp_path: Path) -> None:
    path = write_iready(tmp_path / "r.csv", students=1)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0].lower(), *lines[1:]]) + "\n")
    found, _ = read(path)
    assert len(found.scores) == 1 + len(IREADY_DOMAINS["Math"])
    assert "i-Ready Math: geometry" in {s.skill for s in found.skills}
