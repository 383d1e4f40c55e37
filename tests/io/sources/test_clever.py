"""Clever SFTP rosters: students by their district Student_number, sections by Section_number with their teacher,
ELL and IEP from the status columns; every bad row told by file, row and column."""

from __future__ import annotations

from pathlib import Path

from rotation.io.problems import Problems
from rotation.io.sources import clever
from rotation.io.sources.found import Found
from rotation.io.sources.tables import read_source
from tests.io.sources import roster_samples
from tests.io.sources.roster_samples import write_csv


def read(folder: Path) -> tuple[Found, list[str]]:
    problems = Problems(folder.name)
    tables = read_source(folder, problems)
    found = clever.read(str(folder), tables, problems)
    return found, [str(p) for p in problems.found]


def test_students_come_in_by_student_number_with_names_grades_flags_and_sections(tmp_path: Path) -> None:
    found, problems = read(roster_samples.write_clever(tmp_path / "clever", students=6, sections=2))
    assert problems == []
    assert (found.kind, found.is_roster, found.flags_decided) == ("Clever", True, ("ELL", "IEP"))
    assert [(s.student_id, s.first_name, s.last_name, s.grade, s.flags, s.aliases) for s in found.students] == [
        ("S100000", "Samantha", "Okafor", "3", ("ELL", "IEP"), ("stu-00000",)),
        ("S100001", "Diego", "García", "K", (), ("stu-00001",)),  # Kindergarten
        ("S100002", "Aaliyah", "Nguyen", "3", ("ELL",), ("stu-00002",)),
        ("stu-00003", "Mateo", "O'Brien", "3", ("IEP",), ()),  # no Student_number: Clever's id names them
        ("S100004", "Priya", "Smith", "3", ("ELL",), ("stu-00004",)),
        ("S100005", "Liam", "Kowalski", "K", (), ("stu-00005",))]
    assert [s.classes for s in found.students[:2]] == [("MATH-000", "MATH-001"), ("MATH-001", "MATH-000")]


def test_sections_are_named_by_section_number_and_taught_by_the_teachers_number(tmp_path: Path) -> None:
    found, _ = read(roster_samples.write_clever(tmp_path / "clever", students=2, sections=2))
    assert [(c.class_id, c.title, c.teacher, c.aliases) for c in found.classes] == [
        ("MATH-000", "Math 0", "T000", ("sec-000",)), ("MATH-001", "Math 1", "T001", ("sec-001",))]
    assert [(a.staff_id, a.name, a.role, a.aliases) for a in found.staff] == [
        ("T000", "Teacher Number0", "teacher", ("tch-000",)), ("T001", "Teacher Number1", "teacher", ("tch-001",))]


def test_sections_sharing_a_number_each_carry_their_section_id(tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever", students=2, sections=2)
    write_csv(folder / "sections.csv", ["Section_id", "Teacher_id", "Name", "Section_number"],
              [["sec-000", "tch-000", "Math 3", "1"], ["sec-001", "tch-001", "Reading 3", "1"]])
    found, problems = read(folder)
    assert problems == []
    assert [c.class_id for c in found.classes] == ["1 (sec-000)", "1 (sec-001)"]
    assert found.students[0].classes == ("1 (sec-000)", "1 (sec-001)")


def test_without_status_columns_clever_decides_no_flags(tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever", students=1, sections=1)
    write_csv(folder / "students.csv", ["Student_id", "Student_number", "First_name", "Last_name", "Grade"],
              [["stu-00000", "S100000", "Ana", "Lee", "03"]])
    found, problems = read(folder)
    assert problems == []
    assert found.flags_decided == ()
    assert [(s.student_id, s.grade, s.flags, s.classes) for s in found.students] == [
        ("S100000", "3", (), ("MATH-000",))]


def test_unknown_students_sections_teachers_and_bad_grades_are_problems_naming_file_row_and_column(
        tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever", students=1, sections=1)
    with (folder / "enrollments.csv").open("a", encoding="utf-8") as file:
        file.write("sch-1,sec-000,stu-nobody\nsch-1,sec-nowhere,stu-00000\n")
    with (folder / "sections.csv").open("a", encoding="utf-8") as file:
        file.write("sch-1,sec-009,tch-nobody,Art,3,Art,4,art,ART-1\n")
    with (folder / "students.csv").open("a", encoding="utf-8") as file:
        file.write("sch-1,stu-00009,S100009,,Lee,,Ana,Third,N,N,N\n")
    found, problems = read(folder)
    assert problems == [
        "sections.csv: row 3, column 'Teacher_id': names teacher 'tch-nobody', who is not in teachers.csv",
        "students.csv: row 3, column 'Grade': 'Third' is not a grade (write K or 1 to 12)",
        "enrollments.csv: row 3, column 'Student_id': names student 'stu-nobody', who is not in students.csv",
        "enrollments.csv: row 4, column 'Section_id': names section 'sec-nowhere', which is not in sections.csv"]
    assert [(s.student_id, s.grade, s.classes) for s in found.students] == [("S100000", "3", ("MATH-000",)),
                                                                           ("S100009", None, ())]
    assert {c.class_id: c.teacher for c in found.classes} == {"MATH-000": "T000", "ART-1": ""}


def test_a_set_without_students_csv_is_one_problem_naming_the_source(tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever")
    (folder / "students.csv").unlink()
    found, problems = read(folder)
    assert problems == [f"{folder}: holds no students.csv with a Student_id column: a Clever roster lists its "
                        "students there"]
    assert found.students == []


def test_two_students_with_one_student_number_are_told_and_the_second_left_out(tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever", students=1, sections=1)
    write_csv(folder / "students.csv", ["Student_id", "Student_number", "First_name", "Last_name"],
              [["stu-00000", "S1", "Ana", "Lee"], ["stu-00001", "S1", "Ben", "Ho"]])
    found, problems = read(folder)
    assert problems == ["students.csv: row 3, column 'Student_number': 'S1' is already the student on row 2; "
                        "this row is left out"]
    assert [(s.student_id, s.first_name, s.classes) for s in found.students] == [("S1", "Ana", ("MATH-000",))]


def test_enrollments_without_sections_csv_are_one_problem(tmp_path: Path) -> None:
    folder = roster_samples.write_clever(tmp_path / "clever", students=3, sections=1)
    (folder / "sections.csv").unlink()
    found, problems = read(folder)
    assert problems == [f"{folder}: holds enrollments.csv but no sections.csv: the students come in without classes"]
    assert len(found.students) == 3
