"""Builds the demo school's planning workbooks (the USERS.md scenarios) and the blank template.

Run `python -m resources.demo.build` from the repository root after changing a scenario.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import replace
from pathlib import Path

from rotation.domain.school import (
    BY_NEED,
    AvailabilityClause,
    DevicePool,
    MasteryResult,
    Rule,
    School,
    SchoolClass,
    Skill,
    Staff,
    Station,
    Student,
    Window,
)
from rotation.io.planning_sheets import instructions_markdown
from rotation.io.planning_writer import write_blank_template, write_planning_workbook

HERE = Path(__file__).parent
FIRST = ("Ava", "Ben", "Chloe", "Diego", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kira", "Liam", "Maya",
         "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wes", "Ximena", "Yusuf",
         "Zoe", "Amir", "Bea", "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jade")
LAST = ("Nguyen", "Smith", "Garcia", "Okafor", "Kim", "Patel", "Brown", "Lopez", "Haddad", "Novak", "Silva",
        "Chen", "Murphy", "Rossi", "Ali", "Jensen")


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def roster(n: int, prefix: str, grade: str, seed: int, flags: dict[int, tuple[str, ...]] | None = None):
    rng = random.Random(seed)
    return tuple(Student(f"{prefix}{i + 1:02d}", FIRST[i % len(FIRST)], rng.choice(LAST), grade,
                         flags=(flags or {}).get(i + 1, ())) for i in range(n))


def mastery(students, skills: tuple[Skill, ...], seed: int, date: dt.date) -> tuple[MasteryResult, ...]:
    """Two rounds of results: the newer one wins, as it would in a teacher's gradebook."""
    rng = random.Random(seed)
    out = []
    for s in students:
        ability = rng.random()
        for k in skills:
            for when, drift in ((date - dt.timedelta(days=14), -0.1), (date, 0.0)):
                share = min(1.0, max(0.0, ability + drift + rng.uniform(-0.15, 0.15)))
                out.append(MasteryResult(s.student_id, k.skill, round(k.min + share * (k.max - k.min)), when,
                                         "unit pre-test"))
    return tuple(out)


def grade3_math() -> School:
    """28 students, 3 rotations of 15 min after an 8-min mini-lesson; teacher table by need."""
    skills = (Skill("3.NF.A.1", 0, 4, 3), Skill("3.NF.A.2", 0, 4, 3), Skill("3.NF.A.3", 0, 4, 3))
    students = roster(28, "S", "3", 3, {5: ("IEP",), 11: ("ELL",)})
    return School(
        students=students, skills=skills, mastery=mastery(students, skills, 30, dt.date(2026, 11, 20)),
        classes=(SchoolClass("3A", t("09:08"), 15, teacher="T-RIVERA", room="Room 12", transition_minutes=2,
                             groups=4),),
        stations=(Station("Teacher table", kind="teacher", visits=BY_NEED),
                  Station("Online", kind="online", devices="Chromebooks", must_do=False),
                  Station("Practice game", kind="collaborative", must_do=False)),
        staff=(Staff("T-RIVERA", "Ms Rivera", "teacher"),),
        devices=(DevicePool("Chromebooks", 10),),
        rules=(Rule("apart", ("S04", "S09"), note="do not group", row=2),
               Rule("away", ("S12",), days=("Mon", "Wed"), start=t("09:25"), end=t("09:45"), note="speech",
                    row=3)),
    )


def kindergarten() -> School:
    """22 students, four 10-minute centres out of five, groups of 4-5, a para at one centre, 5 iPads."""
    skills = (Skill("letter sounds", 0, 26), Skill("sight words", 0, 20))
    students = roster(22, "K", "K", 5)
    return School(
        students=students, skills=skills, mastery=mastery(students, skills, 50, dt.date(2026, 11, 18)),
        classes=(SchoolClass("K-Blue", t("09:30"), 10, teacher="T-OKAFOR", rotations=4, groups=5,
                             transition_minutes=1),),
        stations=(Station("Teacher table", kind="teacher", visits=BY_NEED),
                  Station("Para centre", kind="other", staff="para"),
                  Station("iPads", kind="online", devices="iPads"),
                  Station("Blocks", kind="collaborative"),
                  Station("Writing", kind="independent")),
        staff=(Staff("T-OKAFOR", "Mrs Okafor", "teacher"),
               Staff("P-LEE", "Mr Lee", "para", (AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"),
                                                                    (Window(t("08:00"), t("12:00")),)),))),
        devices=(DevicePool("iPads", 5),),
        rules=(Rule("prefer_together", ("K03", "K07"), note="buddies", row=2),),
    )


def grade5_cotaught() -> School:
    """30 students, 3 x 22 min rotations from 9:15, general-education and SPED teacher stations."""
    flags = {2: ("IEP",), 6: ("IEP",), 9: ("IEP",), 14: ("IEP",), 20: ("IEP",), 27: ("IEP",),
             4: ("ELL", "newcomer"), 17: ("ELL", "newcomer"), 11: ("ELL",), 23: ("ELL",)}
    skills = (Skill("RL.5.1"), Skill("RI.5.2"), Skill("L.5.4"))
    students = roster(30, "E", "5", 7, flags)
    return School(
        students=students, skills=skills, mastery=mastery(students, skills, 70, dt.date(2026, 11, 19)),
        classes=(SchoolClass("5-ELA", t("09:15"), 22, teacher="T-HADDAD", transition_minutes=2, groups=5,
                             rotations=3),),
        stations=(Station("Teacher table", kind="teacher", visits=BY_NEED),
                  Station("SPED table", kind="teacher", staff="S-KIM"),
                  Station("Online", kind="online", devices="Laptops"),
                  Station("Independent reading", kind="independent")),
        staff=(Staff("T-HADDAD", "Mr Haddad", "teacher"),
               Staff("S-KIM", "Ms Kim", "SPED", (AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"),
                                                                    (Window(t("08:30"), t("11:30")),)),))),
        devices=(DevicePool("Laptops", 15),),
        rules=(Rule("needs", ("IEP",), station="SPED table", count=3, note="IEP service minutes", row=2),
               Rule("away", ("newcomer",), start=t("09:00"), end=t("10:00"), note="ESL with Ms Silva", row=3)),
    )


def hs_algebra() -> School:
    """32 students in 6 groups of 5-6; two halves of the room each run a copy of the 3 stations."""
    skills = (Skill("A-SSE.1"), Skill("A-CED.1"), Skill("A-REI.3"))
    students = roster(32, "H", "9", 9)
    return School(
        students=students, skills=skills, mastery=mastery(students, skills, 90, dt.date(2026, 11, 17)),
        classes=(SchoolClass("ALG1-P3", t("10:10"), 25, teacher="T-NOVAK", transition_minutes=2, groups=6,
                             min_group_size=5, max_group_size=6),),
        stations=(Station("Teacher table", kind="teacher"),
                  Station("Online", kind="online", devices="Chromebooks"),
                  Station("Practice", kind="collaborative"),
                  Station("Co-teacher table", kind="teacher", staff="C-SILVA", mirror_of="Teacher table"),
                  Station("Online 2", kind="online", devices="Chromebooks", mirror_of="Online"),
                  Station("Practice 2", kind="collaborative", mirror_of="Practice")),
        staff=(Staff("T-NOVAK", "Ms Novak", "teacher"), Staff("C-SILVA", "Mr Silva", "co-teacher")),
        devices=(DevicePool("Chromebooks", 16),),
    )


def middle_school() -> School:
    """A 44-minute period: whole class on Monday, one station a day Tuesday to Friday."""
    skills = (Skill("7.RP.A.1"), Skill("7.RP.A.2"))
    students = roster(26, "M", "7", 11)
    return School(
        students=students, skills=skills, mastery=mastery(students, skills, 110, dt.date(2026, 11, 16)),
        classes=(SchoolClass("7-Math-P2", t("09:50"), 40, teacher="T-CHEN", days=("Tue", "Wed", "Thu", "Fri"),
                             rotations=1, groups=4),),
        stations=(Station("Teacher table", kind="teacher", visits=1),
                  Station("Online", kind="online", visits=1),
                  Station("Collaborative", kind="collaborative", visits=1),
                  Station("Independent", kind="independent", visits=1)),
        staff=(Staff("T-CHEN", "Mr Chen", "teacher"),),
    )


def grade3_team() -> School:
    """Four grade 3 classes, half an hour apart, sharing one Chromebook cart and one interventionist."""
    skills = (Skill("3.OA.A.1", 0, 4, 3), Skill("3.NBT.A.2", 0, 4, 3))
    classes, stations, students, staff = [], [], [], []
    for i, name in enumerate(("3A", "3B", "3C", "3D")):
        teacher = f"T-3{name[-1]}"
        start = dt.time(9 + (30 * i) // 60, (30 * i) % 60)
        classes.append(SchoolClass(name, start, 15, teacher=teacher, transition_minutes=2, rotations=3, groups=4))
        students += [replace(s, classes=(name,)) for s in roster(24, f"{name}-", "3", 20 + i)]
        staff.append(Staff(teacher, f"Teacher {name}", "teacher"))
    stations = [Station("Teacher table", kind="teacher", visits=BY_NEED),
                Station("Intervention", kind="teacher", staff="interventionist", visits=2),
                Station("Online", kind="online", devices="Cart"),
                Station("Practice", kind="collaborative")]
    weekdays = (AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"), (Window(t("08:00"), t("12:00")),)),)
    staff.append(Staff("I-ALI", "Mr Ali", "interventionist", weekdays))
    return School(
        students=tuple(students), skills=skills, mastery=mastery(students, skills, 40, dt.date(2026, 11, 20)),
        classes=tuple(classes), stations=tuple(stations), staff=tuple(staff), devices=(DevicePool("Cart", 15),),
    )


def impossible() -> School:
    """Five students who must each be apart from all the others, in a class of four groups."""
    web = ("S04", "S09", "S12", "S17", "S20")
    base = grade3_math()
    pairs = [(a, b) for i, a in enumerate(web) for b in web[i + 1:]]
    return School(
        students=base.students, skills=base.skills, mastery=base.mastery, classes=base.classes,
        stations=base.stations, staff=base.staff, devices=base.devices,
        rules=tuple(Rule("apart", pair, note="do not group", row=i + 2) for i, pair in enumerate(pairs)),
    )


DEMOS = {
    "grade3-math.xlsx": grade3_math,
    "kindergarten-centres.xlsx": kindergarten,
    "grade5-cotaught-ela.xlsx": grade5_cotaught,
    "hs-algebra-mirrors.xlsx": hs_algebra,
    "middle-school-period.xlsx": middle_school,
    "grade3-team-shared-staff.xlsx": grade3_team,
    "impossible-apart.xlsx": impossible,
}


STAMP = "2026-11-20T07:00:00.000Z"
MAP_GOALS = ("Operations and Algebraic Thinking", "Number and Operations", "Measurement and Data", "Geometry")
NEWCOMER = Student("S29", "Mira", "Haddad", "3", ("3A",))


def _csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def district(school: School, folder: Path) -> None:
    """Grade 3's files as the district and the teacher have them, for `rotation import` (docs/import.md): the
    OneRoster roster (with one newcomer), the winter MAP Growth results, and an exit-ticket spreadsheet read
    through a column mapping (its CCSS codes in the long form)."""
    rng = random.Random(8)
    folder.mkdir(exist_ok=True)
    roster_folder = folder / "oneroster"
    roster_folder.mkdir(exist_ok=True)
    students = (*school.students, NEWCOMER)
    _csv(roster_folder / "manifest.csv", ("propertyName", "value"), [
        ("manifest.version", "1.0"), ("oneroster.version", "1.2"), ("source.systemName", "Demo SIS")])
    _csv(roster_folder / "orgs.csv", ("sourcedId", "status", "dateLastModified", "name", "type"),
         [("org-maple", "active", STAMP, "Maple Elementary", "school")])
    _csv(roster_folder / "users.csv", ("sourcedId", "status", "dateLastModified", "enabledUser", "username",
                                       "identifier", "givenName", "familyName", "grades"),
         [(f"usr-{s.student_id.lower()}", "active", STAMP, "true", f"{s.first_name}.{s.last_name}".lower(),
           s.student_id, s.first_name, s.last_name, "03") for s in students]
         + [("usr-rivera", "active", STAMP, "true", "mrivera", "T-RIVERA", "Marta", "Rivera", "")])
    _csv(roster_folder / "roles.csv", ("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType",
                                       "role", "orgSourcedId"),
         [(f"role-{s.student_id.lower()}", "active", STAMP, f"usr-{s.student_id.lower()}", "primary", "student",
           "org-maple") for s in students]
         + [("role-rivera", "active", STAMP, "usr-rivera", "primary", "teacher", "org-maple")])
    _csv(roster_folder / "classes.csv", ("sourcedId", "status", "dateLastModified", "title", "grades", "classCode",
                                         "classType", "location", "schoolSourcedId"),
         [("cls-3a", "active", STAMP, "Grade 3 Math", "03", "3A", "scheduled", "Room 12", "org-maple")])
    _csv(roster_folder / "enrollments.csv", ("sourcedId", "status", "dateLastModified", "classSourcedId",
                                             "schoolSourcedId", "userSourcedId", "role", "primary"),
         [(f"enr-{s.student_id.lower()}", "active", STAMP, "cls-3a", "org-maple", f"usr-{s.student_id.lower()}",
           "student", "false") for s in students]
         + [("enr-rivera", "active", STAMP, "cls-3a", "org-maple", "usr-rivera", "teacher", "true")])
    goals = tuple(f"Goal{n}{part}" for n in range(1, 5) for part in ("Name", "RitScore", "Adjective"))
    _csv(folder / "map-assessment-results.csv",
         ("TermName", "StudentID", "SchoolName", "Subject", "TestType", "TestStartDate", "TestRITScore",
          "TestPercentile", *goals),
         [("Winter 2025-2026", s.student_id, "Maple Elementary", "Mathematics", "Survey With Goals", "1/14/2026",
           rit, rng.randint(10, 95),
           *(cell for name in MAP_GOALS for cell in (name, rit + rng.randint(-8, 8),
                                                     rng.choice(("Low", "LoAvg", "Avg", "HiAvg", "High")))))
          for s in students for rit in (rng.randint(176, 224),)])
    _csv(folder / "exit-tickets.csv", ("Student", "ID", "Standard", "Points", "Date"),
         [(s.name, s.student_id, f"CCSS.Math.Content.{skill.skill}", rng.randint(0, 4), "11/23/2026")
          for s in students for skill in school.skills])
    mapping = {"name": "Exit tickets", "student_id": "ID", "skill": "Standard", "score": "Points", "date": "Date",
               "source_value": "Exit ticket"}
    (folder / "exit-tickets.json").write_text(json.dumps(mapping, indent=2) + "\n")


def main() -> None:
    for name, make in DEMOS.items():
        write_planning_workbook(make(), HERE / name)
    district(grade3_math(), HERE / "district")
    write_blank_template(HERE.parent / "blank-planning-workbook.xlsx")
    (HERE.parents[1] / "docs" / "workbook.md").write_text(instructions_markdown())


if __name__ == "__main__":
    main()
