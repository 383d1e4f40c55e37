"""Renaissance Star exports: each test's scaled score comes in as a skill of its test, on its scale, with the
percentile rank and benchmark category kept beside it; students are named by their district number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rotation.io.problems import Problems
from rotation.io.sources import star
from rotation.io.sources.found import Found
from rotation.io.sources.tables import read_source
from tests.io.sources.score_samples import write_star


def read(path: Path) -> tuple[Found, Problems]:
    problems = Problems.of(path)
    tables = read_source(path, problems)
    assert star.KIND.recognise(tables)
    return star.KIND.read(str(path), tables, problems), problems


@pytest.mark.parametrize(("assessment", "scale"), [("Star Math", (0, 1400)), ("Star Reading", (0, 1400)),
                                                   ("Star Early Literacy", (300, 900))])
def test_each_test_is_a_skill_on_its_own_scale(tmp_path: Path, assessment: str, scale: tuple) -> None:
    found, problems = read(write_star(tmp_path / "export.csv", students=2, assessment=assessment))
    assert not problems
    assert [(s.skill, s.min, s.max) for s in found.skills] == [(assessment, *scale)]
    score = found.scores[0]
    assert (score.student, score.skill, score.date) == ("100200", assessment, dt.date(2025, 9, 12))
    assert score.detail.startswith("PR ") and score.detail.split("; ")[1] in {
        "At/Above Benchmark", "On Watch", "Intervention", "Urgent Intervention"}


def test_the_test_is_known_from_the_file_name_without_a_column(tmp_path: Path) -> None:
    path = write_star(tmp_path / "SEL_v2.csv", students=1, assessment="Star Early Literacy")
    path.write_text(path.read_text().replace("Star Early Literacy", ""))
    found, _ = read(path)
    assert found.scores[0].skill == "Star Early Literacy"


def test_students_go_by_their_number_with_the_sourced_id_as_alias(tmp_path: Path) -> None:
    found, _ = read(write_star(tmp_path / "SM_v2.csv", students=2, dates=("2025-09-12 10:41:07", "1/20/2026")))
    first = found.students[0]
    assert (first.student_id, first.first_name, first.last_name, first.grade) == ("100200", "Ava", "Nguyen", "3")
    assert first.aliases == ("6f1c2a0000-e2b1-4d1e-9a55-1b2c3d4e5f60",)
    assert len(found.students) == 2 and not found.is_roster
    dates = [s.date for s in found.scores if s.student == "100201"]
    assert dates == [dt.date(2025, 9, 12), dt.date(2026, 1, 20)]
    assert found.scores[0].aliases == first.aliases


def test_without_a_student_number_the_sourced_id_names_the_student(tmp_path: Path) -> None:
    found, problems = read(write_star(tmp_path / "SR_v2.csv", students=1, with_identifier=False))
    assert not problems
    assert found.students[0].student_id == "6f1c2a0000-e2b1-4d1e-9a55-1b2c3d4e5f60"
    assert found.students[0].aliases == () and found.scores[0].student == found.students[0].student_id


def test_a_score_that_is_no_number_is_told_by_file_row_and_column(tmp_path: Path) -> None:
    path = write_star(tmp_path / "SM_v2.csv", students=2, dates=("9/12/2025",))
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")
    row[header.index('"ScaledScore"')] = '"abc"'
    lines[2] = ",".join(row)
    path.write_text("\n".join(lines) + "\n")
    found, problems = read(path)
    assert [str(p) for p in problems.found] == ["SM_v2.csv: row 3, column 'ScaledScore': 'abc' is not a number"]
    assert [s.student for s in found.scores] == ["100200"]
