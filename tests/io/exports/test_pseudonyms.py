"""A pseudonymised plan: no student or adult of the original anywhere, the same codes on every export here."""

from __future__ import annotations

import dataclasses
import re
import stat
from pathlib import Path

import openpyxl
import pytest

from rotation.domain.plan import Check
from rotation.domain.school import School, Staff, Student
from rotation.io.exports.pseudonyms import (
    KEY_FILE,
    Codes,
    Pseudonymiser,
    load_key,
    read_checks,
    write_pseudonymised,
)
from rotation.io.plan_workbook import read_plan, write_plan_workbook
from rotation.io.planning_workbook import read_planning_workbook
from rotation.planning.service import check_plan
from tests.io.exports.conftest import Planned

KEY = b"k" * 32


def identifying(planned: Planned) -> set[str]:
    """Every student's and adult's name and id, and what a rule note says (free text may name anyone)."""
    school = planned.school
    words = {s.student_id for s in school.students} | {s.name for s in school.students}
    words |= {a.staff_id for a in school.staff} | {a.name for a in school.staff} | {c.teacher for c in school.classes}
    words |= {r.note for r in school.rules}
    return {w for w in words if w}


def cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def found(words: set[str], texts: list[str]) -> set[str]:
    """The words that stand whole in some text ('Kim' in 'Ms Kim', not 'E01' in 'E012')."""
    return {w for w in words if any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", t) for t in texts)}


def pseudonymise(planned: Planned, folder: Path, key: bytes = KEY) -> tuple[Path, Path]:
    out, planning = folder / "anon.xlsx", folder / "anon-planning.xlsx"
    write_pseudonymised(planned.school, planned.plan, Codes(key), out, planning)
    return out, planning


@pytest.mark.parametrize("demo", ["grade3", "cotaught", "team"])
def test_no_name_or_id_of_the_original_anywhere(demo: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    planned: Planned = request.getfixturevalue(demo)
    out, planning = pseudonymise(planned, tmp_path)
    words = identifying(planned)
    original = tmp_path / "original.xlsx"
    write_plan_workbook(planned.school, planned.plan, original)
    assert found(words, cells(original))  # the scan finds them where they are
    assert found(words, cells(out) + cells(planning)) == set()


def test_checks_keep_their_lines_in_codes(cotaught: Planned, tmp_path: Path) -> None:
    out, _ = pseudonymise(cotaught, tmp_path)
    checks = read_checks(out)
    assert [(c.kind, c.rule, c.cost) for c in checks] == [(c.kind, c.rule, c.cost) for c in cotaught.plan.checks]
    coded = {Codes(KEY).student(s.student_id) for s in cotaught.school.students}
    assert any(c.who in coded for c in checks)  # students named by their code


def test_the_coded_pair_is_a_valid_plan_of_the_coded_school(cotaught: Planned, tmp_path: Path) -> None:
    out, planning = pseudonymise(cotaught, tmp_path)
    school = read_planning_workbook(planning)
    read = read_plan(out, school)
    assert check_plan(school, read.plan).ok
    assert read.stale_schedule == ""
    assert len(school.students) == len(cotaught.school.students)


def test_codes_are_stable_and_need_the_key(grade3: Planned, tmp_path: Path) -> None:
    (tmp_path / "1").mkdir(), (tmp_path / "2").mkdir(), (tmp_path / "3").mkdir()
    first, second = pseudonymise(grade3, tmp_path / "1"), pseudonymise(grade3, tmp_path / "2")
    assert cells(first[0]) == cells(second[0]) and cells(first[1]) == cells(second[1])
    other = pseudonymise(grade3, tmp_path / "3", key=b"x" * 32)
    assert Codes(KEY).student("S01") in cells(first[0])
    assert Codes(KEY).student("S01") not in cells(other[0])


def test_codes_do_not_collide_and_look_alike() -> None:
    codes = Codes(KEY)
    students = {codes.student(f"S{n:04d}") for n in range(5000)}
    assert len(students) == 5000
    assert all(re.fullmatch(r"S-[A-Z2-7]{8}", c) for c in students)
    assert codes.adult("S0001") != codes.student("S0001")


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    key = load_key(folder)
    assert len(key) == 32 and load_key(folder) == key
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    assert load_key(tmp_path / "elsewhere") != key  # random, not derived


def test_a_student_who_left_is_coded_too(grade3: Planned, tmp_path: Path) -> None:
    left = Check("left", "", "X99", "", 0, "3A: Pat Gone (in group 2 last week) is no longer in the class: dropped")
    plan = dataclasses.replace(grade3.plan, checks=(left, *grade3.plan.checks))
    out, _ = pseudonymise(dataclasses.replace(grade3, plan=plan), tmp_path)
    line = next(c for c in read_checks(out) if c.kind == "left")
    code = Codes(KEY).student("X99")
    assert line.who == code
    assert line.detail == f"3A: {code} (in group 2 last week) is no longer in the class: dropped"


def test_checks_words_are_replaced_only_where_they_stand_whole() -> None:
    school = School(students=(Student("E01", "Ava", "Kim"), Student("1", "Bo")), staff=(Staff("S-KIM", "Ms Kim"),))
    coded = Pseudonymiser(school, Codes(KEY))
    ava, bo, kim = Codes(KEY).student("E01"), Codes(KEY).student("1"), Codes(KEY).adult("S-KIM")
    assert coded.text("Ava Kim and Bo preferred apart") == f"{ava} and {bo} preferred apart"
    assert coded.text("group 1 with Ms Kim (S-KIM), E01") == f"group 1 with {kim} ({kim}), {ava}"
    assert coded.text("Kimberly, XE01, E012, Ava Kimball") == "Kimberly, XE01, E012, Ava Kimball"
