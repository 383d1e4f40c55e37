"""OneRoster 1.1, 1.2 and School Data Sync rosters: the students, classes, teachers and scores a district's export
holds come in named as the school names them; every bad row is told by file, row and column."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from rotation.domain.school import Skill
from rotation.io.problems import Problems
from rotation.io.sources import clever, oneroster
from rotation.io.sources.found import Found
from rotation.io.sources.tables import read_source
from tests.io.sources import roster_samples
from tests.io.sources.roster_samples import write_csv

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "oneroster"


def read(folder: Path) -> tuple[Found, list[str]]:
    problems = Problems(folder.name)
    tables = read_source(folder, problems)
    found = oneroster.read(str(folder), tables, problems)
    return found, [str(p) for p in problems.found]


def shared(name: str) -> Path:
    folder = SHARED / name
    if not folder.is_dir():
        pytest.skip(f"no {folder} (a fresh clone has no ../shared)")
    return folder


def test_moodle_11_sample_gives_its_students_by_identifier_and_their_class_with_its_teacher() -> None:
    found, problems = read(shared("moodle-1.1-full"))
    assert problems == []
    assert found.kind == "OneRoster 1.1" and found.is_roster
    assert [(s.student_id, s.first_name, s.last_name, s.grade, s.aliases) for s in found.students] == [
        ("mary.jones", "Mary", "Jones", "12", ("usr-222-66778899",)),  # a blank status is active
        ("mmichel.jones", "mmichel", "Jones", "12", ("usr-222-1234561232",)),
        ("anna.brown", "Anna", "Brown", "11", ("usr-222-567891",))]
    assert found.students[1].classes == ("Phys 100 - 1",)
    # The tobedeleted class is dropped, and the enrollments naming it with it, without a problem.
    assert [(c.class_id, c.title, c.teacher, c.room, c.aliases) for c in found.classes] == [
        ("Phys 100 - 1", "Introduction to Physics", "john.doe", "Room 2-B", ("cls-222-123456",))]
    assert [(a.staff_id, a.name, a.role) for a in found.staff] == [("john.doe", "John Doe", "teacher"),
                                                                    ("jim.smith", "Jim Smith", "teacher")]


def test_moodle_12_sample_reads_roles_from_roles_csv() -> None:
    found, problems = read(shared("moodle-1.2"))
    assert problems == []
    assert found.kind == "OneRoster 1.2"
    [bruce] = found.students
    assert (bruce.student_id, bruce.first_name, bruce.last_name, bruce.aliases, bruce.classes) == (
        "bruce.wayne", "Bruce", "Wayne", ("USER_0",), ("Basic Detection",))


def test_school_data_sync_sample_gives_flags_grades_and_teachers() -> None:
    found, problems = read(shared("sds-2.1"))
    assert problems == []
    assert found.kind == "School Data Sync"
    assert found.flags_decided == ("IEP", "ELL", "504")
    students = {s.student_id: s for s in found.students}
    assert sorted(students) == ["114001", "114003", "114004", "114008"]  # parents are not students
    assert (students["114001"].first_name, students["114001"].grade, students["114001"].flags,
            students["114001"].classes) == ("Jack", "10", ("IEP",), ("Biology 10",))
    assert students["114003"].flags == ("freeLunch",)  # a flag the planning workbook does not name is kept
    assert students["114008"].grade is None  # "ps1": post-secondary, no grade the plan uses, no problem
    assert {c.class_id: c.teacher for c in found.classes} == {"Computer Science 101": "jjonzer@classrmtest31.org",
                                                              "Biology 10": "kfein@classrmtest31.org"}
    assert sorted(a.name for a in found.staff) == ["Jason Jonzer", "Kristen Fein"]  # parents are not staff


def test_a_realistic_12_set_reads_every_student_with_names_ids_grades_and_classes(tmp_path: Path) -> None:
    found, problems = read(roster_samples.write_oneroster_12(tmp_path / "set", students=6, classes=2))
    assert problems == []
    assert found.kind == "OneRoster 1.2"
    assert [s.student_id for s in found.students] == [f"S{100000 + i}" for i in range(6)]  # S999999 tobedeleted
    sam = found.students[0]
    assert (sam.first_name, sam.last_name, sam.grade, sam.aliases) == ("Sam", "Okafor", "3", ("stu-00000",))
    assert found.students[1].first_name == "Diego"  # blank status: still a student
    assert [s.classes for s in found.students[:2]] == [("MATH-000", "MATH-001"), ("MATH-001", "MATH-000")]


def test_a_class_is_named_by_its_code_with_its_room_and_its_primary_teacher(tmp_path: Path) -> None:
    found, _ = read(roster_samples.write_oneroster_12(tmp_path / "set", students=3, classes=2))
    assert [(c.class_id, c.title, c.teacher, c.room, c.aliases) for c in found.classes] == [
        ("MATH-000", "Math 0", "T000", "Room 100", ("cls-000",)),  # the aide is enrolled first, not primary
        ("MATH-001", "Math 1", "T001", "Room 101", ("cls-001",))]
    staff = {a.staff_id: a for a in found.staff}
    assert (staff["T000"].name, staff["T000"].role, staff["T000"].aliases) == ("Teacher Number0", "teacher",
                                                                               ("tch-000", "teacher0"))
    # An adult with no identifier is named by their username.
    assert (staff["rdiaz"].name, staff["rdiaz"].role, staff["rdiaz"].aliases) == ("Rosa Díaz", "aide", ("aide-1",))


def test_the_gradebook_gives_scores_per_line_item_and_per_standard_on_its_scale(tmp_path: Path) -> None:
    found, _ = read(roster_samples.write_oneroster_12(tmp_path / "set", students=3, classes=1))
    assert Skill("3.NF.A.1", 0, 4) in found.skills
    assert Skill("Fractions quiz", 0, 20) in found.skills
    assert Skill("3.NF.A.2", 0, 20) in found.skills
    scores = {(s.student, s.skill): s for s in found.scores}
    first = scores[("stu-00001", "3.NF.A.1")]
    assert (first.score, first.date.isoformat() if first.date else None, first.source, first.aliases) == (
        1.0, "2025-10-02", "OneRoster gradebook", ("S100001",))
    assert ("stu-00002", "3.NF.A.1") not in scores  # not submitted: a blank score is no score
    assert scores[("stu-00002", "3.NF.A.2")].score == 7.0
    assert scores[("stu-00000", "Fractions quiz")].score == 10.0
    assert len(found.scores) == 3 + 2 + 3


def test_two_classes_with_one_code_both_carry_their_sourced_id(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=2, classes=3, gradebook=False)
    write_csv(folder / "classes.csv", ["sourcedId", "title", "classCode"],
              [["cls-000", "Math 3", "3A"], ["cls-001", "Math 3", "3a"], ["cls-002", "Science", ""]])
    found, problems = read(folder)
    assert problems == []
    assert [c.class_id for c in found.classes] == ["3A (cls-000)", "3a (cls-001)", "Science"]
    assert found.students[0].classes == ("3A (cls-000)", "3a (cls-001)", "Science")


def test_without_a_manifest_the_version_is_told_by_roles_csv(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", gradebook=False)
    (folder / "manifest.csv").unlink()
    assert read(folder)[0].kind == "OneRoster 1.2"
    (folder / "roles.csv").unlink()
    write_csv(folder / "users.csv", ["sourcedId", "status", "role", "givenName", "familyName", "identifier", "grades"],
              [["u1", "Active", "student", "Ana", "Lee", "S1", "KG"]])
    write_csv(folder / "enrollments.csv", ["sourcedId", "classSourcedId", "userSourcedId", "role"],
              [["e1", "cls-000", "u1", "student"]])
    found, problems = read(folder)
    assert problems == []
    assert found.kind == "OneRoster 1.1"
    assert [(s.student_id, s.grade, s.classes) for s in found.students] == [("S1", "K", ("MATH-000",))]


def test_an_enrollment_naming_an_unknown_user_or_class_is_a_problem_naming_file_row_and_column(tmp_path: Path
                                                                                              ) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=1, classes=1, gradebook=False)
    with (folder / "enrollments.csv").open("a", encoding="utf-8") as file:
        file.write("enr-x,active,2025-09-02,cls-000,org-1,nobody,student,false\n"
                   "enr-y,active,2025-09-02,cls-nowhere,org-1,stu-00000,student,false\n")
    found, problems = read(folder)
    rows = len((folder / "enrollments.csv").read_text().splitlines())
    assert problems == [
        f"enrollments.csv: row {rows - 1}, column 'userSourcedId': names user 'nobody', who is not in users.csv",
        f"enrollments.csv: row {rows}, column 'classSourcedId': names class 'cls-nowhere', which is not in "
        "classes.csv"]
    assert found.students[0].classes == ("MATH-000",)  # the good rows still count


def test_bad_grades_scores_dates_and_missing_ids_are_problems_naming_file_row_and_column(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=2, classes=1)
    write_csv(folder / "users.csv", ["sourcedId", "givenName", "familyName", "identifier", "grades", "status"],
              [["stu-00000", "Ana", "Lee", "S1", "third", ""], ["", "No", "Id", "S2", "03", ""],
               ["stu-00001", "Ben", "Ho", "S3", "03", ""], ["aide-1", "R", "D", "", "", ""],
               ["tch-000", "T", "N", "T000", "", ""], ["stu-gone", "G", "A", "S9", "03", "TOBEDELETED"]])
    write_csv(folder / "results.csv", ["sourcedId", "lineItemSourcedId", "studentSourcedId", "score", "scoreDate"],
              [["r1", "li-nf1", "stu-00000", "three", "2025-10-01"], ["r2", "li-nf1", "stu-00001", "3", "10/01"],
               ["r3", "li-none", "stu-00001", "3", "2025-10-01"]])
    write_csv(folder / "resultLearningObjectiveIds.csv", ["resultSourcedId", "learningObjectiveId", "score"],
              [["r-none", "3.NF.A.2", "1"]])
    found, problems = read(folder)
    assert problems == [
        "users.csv: row 2, column 'grades': 'third' is not a grade (write K or 1 to 12)",
        "users.csv: row 3, column 'sourcedId': has no sourcedId: the user cannot be told apart",
        "results.csv: row 2, column 'score': 'three' is not a number",
        "results.csv: row 3, column 'scoreDate': '10/01' is not a date (write YYYY-MM-DD, e.g. 2024-09-30)",
        "results.csv: row 4, column 'lineItemSourcedId': names line item 'li-none', which is not in lineItems.csv",
        "resultLearningObjectiveIds.csv: row 2, column 'resultSourcedId': names result 'r-none', which is not in "
        "results.csv"]
    assert [(s.student_id, s.grade) for s in found.students] == [("S1", None), ("S3", "3")]
    assert [(s.student, s.score, s.date) for s in found.scores] == [("stu-00001", 3.0, None)]


def test_a_set_without_users_csv_is_one_problem_naming_the_source(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", gradebook=False)
    (folder / "users.csv").unlink()
    found, problems = read(folder)
    assert problems == [f"{folder}: holds no users.csv: a OneRoster 1.2 roster lists its students there"]
    assert found.students == []


def test_recognised_by_its_files_and_not_confused_with_clever(tmp_path: Path) -> None:
    problems = Problems("x")
    one = read_source(roster_samples.write_oneroster_12(tmp_path / "one", gradebook=False), problems)
    other = read_source(roster_samples.write_clever(tmp_path / "clever"), problems)
    assert oneroster.recognise(one) and not oneroster.recognise(other)
    assert clever.recognise(other) and not clever.recognise(one)
    manifest_only = [t for t in one if t.stem == "manifest"]
    assert oneroster.recognise(manifest_only)


def test_a_district_of_5000_students_comes_in_whole(tmp_path: Path) -> None:
    # How fast is for `make bench` (tests/bench/imports.py), never a wall-clock limit here.
    folder = roster_samples.write_oneroster_12(tmp_path / "big", students=5000, classes=200, per_student=5)
    found, problems = read(folder)
    assert problems == []
    assert len(found.students) == 5000 and len(found.classes) == 200
    assert sum(len(s.classes) for s in found.students) == 25_000


def test_a_zip_of_the_set_reads_alike_and_its_problems_name_the_member(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=3, classes=1)
    with (folder / "enrollments.csv").open("a", encoding="utf-8") as file:
        file.write("enr-x,active,2025-09-02,cls-000,org-1,nobody,student,false\n")
    archive = tmp_path / "roster.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for member in sorted(folder.iterdir()):
            zipped.write(member, f"export/{member.name}")
    problems = Problems(archive.name)
    found = oneroster.read(str(archive), read_source(archive, problems), problems)
    assert [s.student_id for s in found.students] == ["S100000", "S100001", "S100002"]
    assert [str(p) for p in problems.found] == [
        "roster.zip/enrollments.csv: row 9, column 'userSourcedId': names user 'nobody', who is not in users.csv"]


def test_two_students_with_one_identifier_are_told_and_the_second_left_out(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=1, classes=1, gradebook=False)
    write_csv(folder / "users.csv", ["sourcedId", "role", "givenName", "familyName", "identifier"],
              [["u1", "student", "Ana", "Lee", "S1"], ["u2", "student", "Ben", "Ho", "S1"]])
    (folder / "roles.csv").unlink()
    write_csv(folder / "enrollments.csv", ["classSourcedId", "userSourcedId", "role"],
              [["cls-000", "u1", "student"], ["cls-000", "u2", "student"]])
    found, problems = read(folder)
    assert problems == ["users.csv: row 3, column 'identifier': 'S1' is already the student on row 2; "
                        "this row is left out"]
    assert [(s.student_id, s.first_name, s.classes) for s in found.students] == [("S1", "Ana", ("MATH-000",))]


def test_enrollments_without_classes_csv_are_one_problem_not_one_per_row(tmp_path: Path) -> None:
    folder = roster_samples.write_oneroster_12(tmp_path / "set", students=4, classes=2, gradebook=False)
    (folder / "classes.csv").unlink()
    found, problems = read(folder)
    assert problems == [f"{folder}: holds enrollments.csv but no classes.csv: the students come in without classes"]
    assert len(found.students) == 4 and all(s.classes == () for s in found.students)
