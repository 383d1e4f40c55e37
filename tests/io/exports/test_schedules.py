"""A Schedule CSV per class: exactly the plan workbook's Schedule rows of that class, names beside ids."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import openpyxl

from rotation.domain.school import Student
from rotation.io.exports.files import inert, safe_name, unique_names
from rotation.io.exports.schedules import HEADER, write_class_schedules
from rotation.io.plan_workbook import write_plan_workbook
from tests.io.exports.conftest import Planned


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def schedule_sheet(planned: Planned, tmp_path: Path) -> list[list[str]]:
    """The Schedule sheet as the plan workbook writes it, every cell as text."""
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(planned.school, planned.plan, path)
    ws = openpyxl.load_workbook(path, read_only=True)["Schedule"]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def without_names(row: list[str]) -> list[str]:
    return row[:8] + row[10:]


def test_each_class_csv_holds_exactly_its_schedule_rows(team: Planned, tmp_path: Path) -> None:
    sheet = schedule_sheet(team, tmp_path)
    written = write_class_schedules(team.school, team.plan, tmp_path)
    assert sorted(p.name for p in written) == [f"{c}-schedule.csv" for c in ("3A", "3B", "3C", "3D")]
    for path in written:
        class_id = path.name.removesuffix("-schedule.csv")
        rows = read_csv(path)
        assert rows[0] == list(HEADER)
        assert [without_names(r) for r in rows[1:]] == [r for r in sheet[1:] if r[0] == class_id]


def test_each_row_names_its_student(cotaught: Planned, tmp_path: Path) -> None:
    names = {s.student_id: [s.first_name, s.last_name] for s in cotaught.school.students}
    (path,) = write_class_schedules(cotaught.school, cotaught.plan, tmp_path)
    rows = read_csv(path)[1:]
    assert rows and all(r[8:10] == names[r[7]] for r in rows)
    assert any(r[5] == "away" for r in rows)  # pull-outs stay as the Schedule says them


def test_text_that_starts_a_formula_is_written_inert(grade3: Planned, tmp_path: Path) -> None:
    odd = {"S01": ("=1+2", "@SUM(A1)"), "S02": ("+cmd", "-2"), "S03": ("Zoë", "Ñúñez")}

    def renamed(s: Student) -> Student:
        first, last = odd.get(s.student_id, (s.first_name, s.last_name))
        return dataclasses.replace(s, first_name=first, last_name=last)

    school = dataclasses.replace(grade3.school, students=tuple(renamed(s) for s in grade3.school.students))
    (path,) = write_class_schedules(school, grade3.plan, tmp_path)
    names = {r[7]: (r[8], r[9]) for r in read_csv(path)[1:]}
    assert names["S01"] == ("'=1+2", "'@SUM(A1)")
    assert names["S02"] == ("'+cmd", "'-2")
    assert names["S03"] == ("Zoë", "Ñúñez")  # UTF-8 kept, nothing prefixed
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8


def test_inert_prefixes_only_formula_starts() -> None:
    assert [inert(t) for t in ("=A1", "+1", "-1", "@x", "\tx", "a=b", "", "3A")] == [
        "'=A1", "'+1", "'-1", "'@x", "'\tx", "a=b", "", "3A"]


def test_file_names_are_safe_and_distinct() -> None:
    assert safe_name("3A") == "3A"
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("Room 12 / Lab") == "Room_12_Lab"
    assert safe_name("CON") == "_CON"
    assert safe_name("") == "_"
    names = unique_names(["3/A", "3_A", "4B"])
    assert names["4B"] == "4B"
    assert names["3/A"] != names["3_A"]
    assert all(n.startswith("3_A-") for n in (names["3/A"], names["3_A"]))
