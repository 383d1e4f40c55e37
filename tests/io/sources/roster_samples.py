"""Realistic roster sets written into a folder, as a district's export would write them: a OneRoster 1.2 set (with
the quirks real exports have: a BOM, `ext_` columns, columns out of order, a blank status, a `tobedeleted` row,
date-times with a space, preferred names, a gradebook) and a Clever SFTP set. The tests and fuzz tests share them.

Student i (from 0) is named the same way in both: OneRoster identifier / Clever Student_number `S{100000 + i}`,
sourcedId / Student_id `stu-{i:05d}`; class c has classCode / Section_number `MATH-{c:03d}`, taught by
`T{c:03d}`; student i is in classes i, i+1, ... (mod the number of classes), up to `per_student` of them.
"""

from __future__ import annotations

import csv
from pathlib import Path

GIVEN = ("Samantha", "Diego", "Aaliyah", "Mateo", "Priya", "Liam", "Zoë", "Kwame", "Ana Sofía", "Noah")
FAMILY = ("Okafor", "García", "Nguyen", "O'Brien", "Smith", "Kowalski", "Haddad", "Lee", "Martínez", "Brown")
STAMP = "2025-09-02T08:00:00.000Z"


def student_id(i: int) -> str:
    return f"S{100000 + i}"


def sourced_id(i: int) -> str:
    return f"stu-{i:05d}"


def class_code(c: int) -> str:
    return f"MATH-{c:03d}"


def classes_of(i: int, classes: int, per_student: int) -> list[int]:
    return [(i + k) % classes for k in range(min(per_student, classes))]


def write_csv(path: Path, header: list[str], rows: list[list[str]], bom: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def write_oneroster_12(folder: Path, students: int = 6, classes: int = 2, per_student: int = 5,
                       gradebook: bool = True) -> Path:
    """A whole OneRoster 1.2 set of `students` live students (and one more marked tobedeleted), `classes`
    classes each with a primary teacher, enrolled after a co-teacher (the next class's teacher; class 0 also has an
    aide enrolled as a teacher)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "manifest.csv", ["propertyName", "value"], [
        ["manifest.version", "1.0"], ["oneroster.version", "1.2"], ["file.users", "bulk"], ["file.roles", "bulk"],
        ["file.classes", "bulk"], ["file.enrollments", "bulk"], ["file.courses", "bulk"],
        ["file.lineItems", "bulk" if gradebook else "absent"], ["file.results", "bulk" if gradebook else "absent"],
        ["source.systemName", "Sample SIS"]])
    write_csv(folder / "orgs.csv", ["sourcedId", "status", "dateLastModified", "name", "type"],
              [["org-1", "active", STAMP, "Maple Elementary", "school"]])
    write_csv(folder / "courses.csv",
              ["sourcedId", "status", "dateLastModified", "title", "courseCode", "orgSourcedId"],
              [["crs-math3", "active", STAMP, "Grade 3 Math", "M3", "org-1"]])
    # Columns out of order, ext_ and metadata columns, and a BOM, as some SIS exports write them.
    users_header = ["givenName", "familyName", "sourcedId", "status", "dateLastModified", "enabledUser", "username",
                    "identifier", "grades", "preferredGivenName", "preferredFamilyName", "email", "ext_lunch_code",
                    "metadata.house"]
    users, roles, enrollments = [], [], []
    for i in range(students):
        status = "" if i == 1 else "active"  # a blank status is active
        preferred = "Sam" if i == 0 else ""
        users.append([GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)], sourced_id(i), status, STAMP,
                      "true", f"student{i}", student_id(i), "03", preferred, "", f"s{i}@maple.example", "L7", "Red"])
        roles.append([f"role-s{i}", "active", STAMP, sourced_id(i), "primary", "student", "org-1"])
        for c in classes_of(i, classes, per_student):
            enrollments.append([f"enr-{i}-{c}", "active", STAMP, f"cls-{c:03d}", "org-1", sourced_id(i), "student",
                                "false"])
    users.append(["Gone", "Away", "stu-gone", "tobedeleted", STAMP, "false", "gone", "S999999", "03", "", "", "",
                  "", ""])
    roles.append(["role-gone", "active", STAMP, "stu-gone", "primary", "student", "org-1"])
    enrollments.append(["enr-gone", "active", STAMP, "cls-000", "org-1", "stu-gone", "student", "false"])
    enrollments.insert(0, ["enr-aide", "active", STAMP, "cls-000", "org-1", "aide-1", "teacher", "false"])
    users.append(["Rosa", "Díaz", "aide-1", "active", STAMP, "TRUE", "rdiaz", "", "", "", "", "", "", ""])
    roles.append(["role-aide", "active", STAMP, "aide-1", "primary", "aide", "org-1"])
    class_rows = []
    for c in range(classes):
        users.append(["Teacher", f"Number{c}", f"tch-{c:03d}", "active", STAMP, "TRUE", f"teacher{c}", f"T{c:03d}",
                      "", "", "", "", "", ""])
        roles.append([f"role-t{c}", "active", STAMP, f"tch-{c:03d}", "primary", "teacher", "org-1"])
        # The next class's teacher co-teaches, enrolled first and not primary.
        enrollments.append([f"enr-co{c}", "active", STAMP, f"cls-{c:03d}", "org-1", f"tch-{(c + 1) % classes:03d}",
                            "teacher", "false"])
        enrollments.append([f"enr-t{c}", "active", STAMP, f"cls-{c:03d}", "org-1", f"tch-{c:03d}", "teacher", "TRUE"])
        class_rows.append([f"cls-{c:03d}", "active", STAMP, f"Math {c}", "03", "crs-math3", class_code(c), "scheduled",
                           f"Room {100 + c}", "org-1", "term-1"])
    write_csv(folder / "users.csv", users_header, users, bom=True)
    write_csv(folder / "roles.csv", ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
                                     "orgSourcedId"], roles)
    write_csv(folder / "classes.csv", ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
                                       "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds"],
              class_rows)
    write_csv(folder / "enrollments.csv", ["sourcedId", "status", "dateLastModified", "classSourcedId",
                                           "schoolSourcedId", "userSourcedId", "role", "primary"], enrollments)
    if gradebook:
        write_gradebook(folder, students)
    return folder


def write_gradebook(folder: Path, students: int) -> None:
    """Two line items: a CCSS standard scored 0-4, and a quiz scored 0-20 with a score per standard it covers.
    Student i scores i % 5 on the standard (student 2's is not submitted yet: blank) on 2025-10-0(1 + i % 9)."""
    write_csv(folder / "lineItems.csv", ["sourcedId", "status", "dateLastModified", "title", "description",
                                         "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
                                         "gradingPeriodSourcedId", "resultValueMin", "resultValueMax"], [
        ["li-nf1", "active", STAMP, "CCSS.Math.Content.3.NF.A.1", "", "2025-09-15", "2025-10-15", "cls-000", "cat-1",
         "term-1", "0", "4"],
        ["li-quiz", "active", STAMP, "Fractions quiz", "", "2025-09-15", "2025-10-15", "cls-000", "cat-1", "term-1",
         "0.0", "20.0"]])
    results, objectives = [], []
    for i in range(students):
        day = f"2025-10-0{1 + i % 9} 14:30:00"  # a space for the T, as some exports write it
        results.append([f"res-nf1-{i}", "active", STAMP, "li-nf1", sourced_id(i), "fully graded",
                        "" if i == 2 else str(i % 5), day, ""])
        results.append([f"res-quiz-{i}", "active", STAMP, "li-quiz", sourced_id(i), "fully graded", str(10 + i % 10),
                        day, ""])
        objectives.append([f"rlo-{i}", "active", STAMP, f"res-quiz-{i}", "unknown", "CCSS.MATH.CONTENT.3.NF.A.2",
                           str(5 + i % 10), ""])
    write_csv(folder / "results.csv", ["sourcedId", "status", "dateLastModified", "lineItemSourcedId",
                                       "studentSourcedId", "scoreStatus", "score", "scoreDate", "comment"], results)
    write_csv(folder / "resultLearningObjectiveIds.csv", ["sourcedId", "status", "dateLastModified",
                                                          "resultSourcedId", "source", "learningObjectiveId", "score",
                                                          "textScore"], objectives)


def write_clever(folder: Path, students: int = 6, sections: int = 2, per_student: int = 2) -> Path:
    """A Clever SFTP set: student i has Student_number `S{100000 + i}` (student 3 has none, so Clever's
    Student_id names them), is in Kindergarten when i % 4 == 1, ELL when i is even and IEP when i % 3 == 0."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "schools.csv", ["School_id", "School_name", "School_number"],
              [["sch-1", "Maple Elementary", "101"]])
    rows, enrollments = [], []
    for i in range(students):
        rows.append(["sch-1", sourced_id(i), "" if i == 3 else student_id(i), f"ST{i}", FAMILY[i % len(FAMILY)],
                     "", GIVEN[i % len(GIVEN)], "Kindergarten" if i % 4 == 1 else "3", "Y" if i % 2 == 0 else "N",
                     "Yes" if i % 3 == 0 else "", "N"])
        enrollments.extend(["sch-1", f"sec-{c:03d}", sourced_id(i)] for c in classes_of(i, sections, per_student))
    write_csv(folder / "students.csv", ["School_id", "Student_id", "Student_number", "State_id", "Last_name",
                                        "Middle_name", "First_name", "Grade", "Ell_status", "IEP_status",
                                        "Frl_status"], rows)
    write_csv(folder / "teachers.csv", ["School_id", "Teacher_id", "Teacher_number", "State_teacher_id",
                                        "Teacher_email", "First_name", "Last_name", "Title"],
              [["sch-1", f"tch-{c:03d}", f"T{c:03d}", "", f"t{c}@maple.example", "Teacher", f"Number{c}", "Ms."]
               for c in range(sections)])
    write_csv(folder / "sections.csv", ["School_id", "Section_id", "Teacher_id", "Name", "Grade", "Course_name",
                                        "Period", "Subject", "Section_number"],
              [["sch-1", f"sec-{c:03d}", f"tch-{c:03d}", f"Math {c}", "3", "Grade 3 Math", str(c + 1), "math",
                class_code(c)] for c in range(sections)])
    write_csv(folder / "enrollments.csv", ["School_id", "Section_id", "Student_id"], enrollments)
    return folder
