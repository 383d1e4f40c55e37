"""Clever SFTP rosters: schools.csv, students.csv, teachers.csv, sections.csv and enrollments.csv.

A student's `student_id` is the district's Student_number (Clever's Student_id when it is blank, kept as an alias);
a teacher's `staff_id` is their Teacher_number, else Teacher_id. A section is named by its Section_number, else
its Name, made unique with Clever's Section_id when two share it. Ell_status and IEP_status decide ELL and IEP.
"""

from __future__ import annotations

import re

from rotation.io import cells
from rotation.io.problems import Problems
from rotation.io.sources.found import Adult, Found, Kind, Learner, Place, Section
from rotation.io.sources.oneroster import other_ids, unique_class_ids, unique_student
from rotation.io.sources.tables import Table

NAME = "Clever"
# Clever's grades beside 1-12: Kindergarten is K; pre-school, post-graduate and ungraded are no grade the plan uses.
_OTHER_GRADES = re.compile(r"^(PreKindergarten|TransitionalKindergarten|InfantToddler|Preschool|PostGraduate|"
                           r"Ungraded|Other|PK|TK|13)$", re.I)
_YES = {"y", "yes", "true", "1"}
FLAG_COLUMNS = (("ell_status", "ELL"), ("iep_status", "IEP"))


def recognise(tables: list[Table]) -> bool:
    """students, sections and enrollments with Clever's Student_id and Section_id headers."""
    by_stem = {t.stem: t for t in tables}
    return ({"students", "sections", "enrollments"} <= by_stem.keys()
            and by_stem["students"].has("student_id") and by_stem["sections"].has("section_id")
            and by_stem["enrollments"].has("section_id", "student_id"))


def cell(row: list[str], position: int | None) -> str:
    return row[position] if position is not None else ""


def read(source: str, tables: list[Table], problems: Problems) -> Found:
    by_stem = {t.stem: t for t in tables}
    found = Found(source, NAME, is_roster=True)
    students = by_stem.get("students")
    if students is None or not students.has("student_id"):
        problems.add_in(source, "holds no students.csv with a Student_id column: a Clever roster lists its "
                        "students there")
        return found
    teachers = read_teachers(by_stem.get("teachers"), problems)
    sections = read_sections(by_stem.get("sections"), teachers, problems)
    learners = read_students(students, problems)
    found.flags_decided = tuple(flag for column, flag in FLAG_COLUMNS if students.has(column))
    classes: dict[str, list[str]] = {student: [] for student in learners}
    if "enrollments" in by_stem and "sections" not in by_stem:
        problems.add_in(source, "holds enrollments.csv but no sections.csv: the students come in without classes")
    elif "enrollments" in by_stem:
        read_enrollments(by_stem["enrollments"], classes, sections, problems)
    class_ids = unique_class_ids([(section_id, s.class_id) for section_id, s in sections.items()])
    found.classes = [Section(class_ids[i], s.title, s.teacher, s.room, other_ids(class_ids[i], i), s.place)
                     for i, s in sections.items()]
    found.students = [Learner(s.student_id, s.first_name, s.last_name, s.grade,
                              tuple(dict.fromkeys(class_ids[c] for c in classes[clever_id])), s.flags, s.aliases,
                              s.place) for clever_id, s in learners.items()]
    found.staff = list(teachers.values())
    return found


def read_teachers(table: Table | None, problems: Problems) -> dict[str, Adult]:
    """Clever Teacher_id -> the teacher, named by their Teacher_number when they have one."""
    if table is None:
        return {}
    ids = table.column("teacher_id")
    if ids is None:
        table.problem(problems, "has no Teacher_id column", 1)
        return {}
    number_, first, last = table.column("teacher_number"), table.column("first_name"), table.column("last_name")
    found: dict[str, Adult] = {}
    for number, row in table.rows(problems):
        clever_id = row[ids]
        if not clever_id:
            table.problem(problems, "has no Teacher_id: the teacher cannot be told apart", number, ids)
            continue
        if clever_id in found:
            table.problem(problems, f"Teacher_id '{clever_id}' is already on row {found[clever_id].place.row}; "
                          "this row is left out", number, ids)
            continue
        staff_id = cell(row, number_) or clever_id
        name = " ".join(n for n in (cell(row, first), cell(row, last)) if n)
        # Everyone in teachers.csv teaches; its Title is a courtesy or job title, not a role.
        found[clever_id] = Adult(staff_id, name, "teacher", other_ids(staff_id, clever_id),
                                 Place(table.file, number, table.sheet))
    return found


def read_sections(table: Table | None, teachers: dict[str, Adult], problems: Problems) -> dict[str, Section]:
    """Clever Section_id -> the section, its class_id as written (made unique later); a Teacher_id not in
    teachers.csv is a problem."""
    if table is None:
        return {}
    ids = table.column("section_id")
    if ids is None:
        table.problem(problems, "has no Section_id column", 1)
        return {}
    section_number, name, course = table.column("section_number"), table.column("name"), table.column("course_name")
    teacher, room = table.column("teacher_id"), table.column("room", "classroom")
    found: dict[str, Section] = {}
    for number, row in table.rows(problems):
        clever_id = row[ids]
        if not clever_id:
            table.problem(problems, "has no Section_id: the section cannot be told apart", number, ids)
            continue
        if clever_id in found:
            table.problem(problems, f"Section_id '{clever_id}' is already on row {found[clever_id].place.row}; "
                          "this row is left out", number, ids)
            continue
        teacher_id = cell(row, teacher)
        if teacher_id and teacher_id not in teachers:
            table.problem(problems, f"names teacher '{teacher_id}', who is not in teachers.csv", number, teacher)
        staff_id = teachers[teacher_id].staff_id if teacher_id in teachers else ""
        title = cell(row, name) or cell(row, course)
        found[clever_id] = Section(cell(row, section_number) or title or clever_id, title, staff_id, cell(row, room),
                                   place=Place(table.file, number, table.sheet))
    return found


def read_students(table: Table, problems: Problems) -> dict[str, Learner]:
    """Clever Student_id -> the student, named by their Student_number when they have one."""
    ids = table.column("student_id")
    if ids is None:  # read() has told it
        return {}
    student_number, first, last = table.column("student_number"), table.column("first_name"), table.column(
        "last_name")
    grade = table.column("grade")
    found: dict[str, Learner] = {}
    numbers: dict[str, int] = {}  # student_id -> its row
    for number, row in table.rows(problems):
        clever_id = row[ids]
        if not clever_id:
            table.problem(problems, "has no Student_id: the student cannot be told apart", number, ids)
            continue
        if clever_id in found:
            table.problem(problems, f"Student_id '{clever_id}' is already on row {found[clever_id].place.row}; "
                          "this row is left out", number, ids)
            continue
        student_id = cell(row, student_number) or clever_id
        if not unique_student(table, student_id, numbers, number, student_number, problems):
            continue
        found[clever_id] = Learner(student_id, cell(row, first), cell(row, last),
                                   student_grade(table, cell(row, grade), number, grade, problems),
                                   flags=flags(table, row), aliases=other_ids(student_id, clever_id),
                                   place=Place(table.file, number, table.sheet))
    return found


def student_grade(table: Table, written: str, number: int, column: int | None, problems: Problems) -> str | None:
    if not written or _OTHER_GRADES.match(written):
        return None
    if written.lower() == "kindergarten":
        return "K"
    try:
        return cells.grade(written)
    except cells.Bad as bad:
        table.problem(problems, str(bad), number, column if column is not None else "Grade")
        return None


def flags(table: Table, row: list[str]) -> tuple[str, ...]:
    """ELL and IEP where Ell_status or IEP_status says Y, Yes or true."""
    return tuple(flag for column, flag in FLAG_COLUMNS if cell(row, table.column(column)).lower() in _YES)


def read_enrollments(table: Table, classes: dict[str, list[str]], sections: dict[str, Section],
                     problems: Problems) -> None:
    """Each student's sections; a Student_id or Section_id that the other files do not have is a problem."""
    student, section = table.column("student_id"), table.column("section_id")
    if student is None or section is None:
        table.problem(problems, "needs columns Section_id and Student_id", 1)
        return
    for number, row in table.rows(problems):
        who, where = row[student], row[section]
        if who not in classes:
            table.problem(problems, f"names student '{who}', who is not in students.csv", number, student)
        elif where not in sections:
            table.problem(problems, f"names section '{where}', which is not in sections.csv", number, section)
        else:
            classes[who].append(where)


KIND = Kind(NAME, recognise, read)
