"""Assessment exports as schools get them, written for tests, fuzzing and benchmarks: NWEA MAP Growth data files,
i-Ready Diagnostic results and Renaissance Star exports, with realistic names, scores, goals and dates."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

FIRST = ["Ava", "Liam", "Maya", "Noah", "Sofia", "Mateo", "Zoe", "Ethan", "Aaliyah", "Kenji", "Priya", "Omar",
         "Chloe", "Diego", "Hannah", "Isaac", "Leila", "Marcus", "Nora", "Sam"]
LAST = ["Nguyen", "Garcia", "Smith", "Johnson", "Okafor", "Kim", "Patel", "Rossi", "Brown", "Lopez", "O'Neil",
        "Müller", "Chen", "Davis", "Haddad", "Wilson"]
MAP_GOALS = {
    "Mathematics": ["Operations and Algebraic Thinking", "Number and Operations", "Measurement and Data",
                    "Geometry"],
    "Reading": ["Literature and Informational: Key Ideas and Details", "Vocabulary: Acquisition and Use",
                "Literary Text: Language, Craft, and Structure", "Informational Text: Language, Craft, and Structure"],
}
ADJECTIVES = ["Low", "LoAvg", "Avg", "HiAvg", "High"]
# Term name -> the day its tests began.
TERMS = {"Fall 2025-2026": dt.date(2025, 9, 10), "Winter 2025-2026": dt.date(2026, 1, 14),
         "Spring 2025-2026": dt.date(2026, 5, 4)}
NEW_RESULTS = ["TermName", "DistrictName", "SchoolName", "StudentLastName", "StudentFirstName", "StudentID",
               "Subject", "Course", "TestType", "TestName", "TestID", "TestStartDate", "TestDurationMinutes",
               "TestRITScore", "TestStandardError", "TestPercentile", "AchievementQuintile"]
OLD_RESULTS = ["TermName", "StudentID", "SchoolName", "MeasurementScale", "Discipline", "GrowthMeasureYN",
               "TestType", "TestName", "TestID", "TestStartDate", "TestDurationMinutes", "TestRITScore",
               "TestStandardError", "TestPercentile"]
GOAL_COLUMNS = ["Name", "RitScore", "StdErr", "Range", "Adjective"]
STUDENTS_BY_SCHOOL = ["DistrictName", "SchoolName", "StudentLastName", "StudentFirstName", "StudentMI", "StudentID",
                      "StudentDateOfBirth", "StudentEthnicGroup", "StudentGender", "Grade"]


def student_ids(count: int) -> list[str]:
    return [f"{100200 + n}" for n in range(count)]


def name_of(n: int) -> tuple[str, str]:
    return FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]


def us(day: dt.date, short: bool = False) -> str:
    """A date as MAP writes it: 9/10/2025, or 9/10/25 in older files."""
    return f"{day.month}/{day.day}/{day.year % 100 if short else day.year}"


def _write(path: Path, header: Sequence[str], rows: list[list[str]], tabs: bool = False, lower: bool = False,
           quote_all: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter="\t" if tabs else ",",
                            quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow([h.lower() for h in header] if lower else header)
        writer.writerows(rows)
    return path


def map_results(students: int, terms: Sequence[str], subjects: Sequence[str], old_headers: bool,
                goals: int = 4, seed: int = 1) -> tuple[list[str], list[list[str]]]:
    """AssessmentResults rows: one test per student, term and subject, with RITs of 150-260 and their goals."""
    rng = random.Random(seed)
    goal_header = [f"Goal{g}{c}" for g in range(1, 9) for c in GOAL_COLUMNS]
    header = (OLD_RESULTS if old_headers else NEW_RESULTS) + goal_header
    rows = []
    for n, student in enumerate(student_ids(students)):
        first, last = name_of(n)
        for t, term in enumerate(terms):
            day = TERMS.get(term, dt.date(2025, 9, 10)) + dt.timedelta(days=n % 9)
            for subject in subjects:
                rit = rng.randint(150, 250) + 3 * t
                cells = {"TermName": term, "DistrictName": "Maple Valley SD", "SchoolName": "Maple Elementary",
                         "StudentLastName": last, "StudentFirstName": first, "StudentID": student,
                         "Subject": subject, "MeasurementScale": subject, "Discipline": subject,
                         "Course": "Math K-12" if subject == "Mathematics" else "Reading (Spanish)",
                         "GrowthMeasureYN": "TRUE", "TestType": "Survey With Goals",
                         "TestName": f"Growth: {subject} 2-5 CCSS 2010", "TestID": str(rng.randint(10**8, 10**9)),
                         "TestStartDate": us(day, short=old_headers), "TestDurationMinutes": str(rng.randint(25, 70)),
                         "TestRITScore": str(rit), "TestStandardError": "3.2",
                         "TestPercentile": str(rng.randint(1, 99)), "AchievementQuintile": rng.choice(ADJECTIVES)}
                for g, goal in enumerate(MAP_GOALS.get(subject, MAP_GOALS["Mathematics"])[:goals], start=1):
                    goal_rit = rit + rng.randint(-10, 10)
                    cells |= {f"Goal{g}Name": goal, f"Goal{g}RitScore": str(goal_rit), f"Goal{g}StdErr": "6.8",
                              f"Goal{g}Range": f"{goal_rit - 3}-{goal_rit + 3}",
                              f"Goal{g}Adjective": rng.choice(ADJECTIVES)}
                rows.append([cells.get(h, "") for h in header])
    return header, rows


def write_map(path: Path, students: int = 4, terms: Sequence[str] = ("Fall 2025-2026",),
              subjects: Sequence[str] = ("Mathematics", "Reading"), old_headers: bool = False, tabs: bool = False,
              lower: bool = False, with_students: bool = True, goals: int = 4, seed: int = 1) -> Path:
    """A Comprehensive Data File as a folder at `path`: AssessmentResults.csv and StudentsBySchool.csv."""
    header, rows = map_results(students, terms, subjects, old_headers, goals, seed)
    _write(path / "AssessmentResults.csv", header, rows, tabs, lower)
    if with_students:
        people = []
        for n, student in enumerate(student_ids(students)):
            first, last = name_of(n)
            people.append(["Maple Valley SD", "Maple Elementary", last, first, "", student, "3/14/2016",
                           "Hispanic or Latino", "F" if n % 2 else "M", "K" if n % 5 == 4 else str(3 + n % 3)])
        _write(path / "StudentsBySchool.csv", STUDENTS_BY_SCHOOL, people, tabs, lower)
    return path


def write_map_combo(path: Path, students: int = 4, terms: Sequence[str] = ("Fall 2025-2026",)) -> Path:
    """A Combined Data File: one ComboStudentAssessment.csv with names, grade and results on every row."""
    header, rows = map_results(students, terms, ("Mathematics",), old_headers=False)
    header = [*header, "Grade"]
    for row in rows:
        row.append(str(3 + int(row[header.index("StudentID")]) % 3))
    return _write(path, header, rows)


IREADY_DOMAINS = {
    "Math": ["Number and Operations", "Algebra and Algebraic Thinking", "Measurement and Data", "Geometry"],
    "Reading": ["Phonological Awareness", "Phonics", "High-Frequency Words", "Vocabulary",
                "Comprehension: Literature", "Comprehension: Informational Text"],
}
RELATIVE = ["3 or More Grade Levels Below", "2 Grade Levels Below", "1 Grade Level Below", "Early On Grade Level",
            "Mid or Above Grade Level"]


def write_iready(path: Path, students: int = 4, subject: str = "Math", with_subject_column: bool = False,
                 dates: Sequence[str] = ("09/15/2025",), seed: int = 2) -> Path:
    """i-Ready Diagnostic results: a row per student and diagnostic, overall and per domain."""
    rng = random.Random(seed)
    domains = IREADY_DOMAINS[subject]
    header = ["Student ID", "Last Name", "First Name", "Student Grade", "Academic Year", "School",
              *(["Subject"] if with_subject_column else []), "Start Date", "Completion Date", "Duration (min)",
              "Overall Scale Score", "Overall Placement", "Overall Relative Placement", "Grouping"]
    for domain in domains:
        header += [f"{domain} Scale Score", f"{domain} Placement", f"{domain} Relative Placement"]
    rows = []
    for n, student in enumerate(student_ids(students)):
        first, last = name_of(n)
        grade = 3 + n % 3
        for written in dates:
            cells = {"Student ID": student, "Last Name": last, "First Name": first, "Student Grade": str(grade),
                     "Academic Year": "2025-2026", "School": "Maple Elementary", "Subject": subject,
                     "Start Date": written, "Completion Date": written, "Duration (min)": str(rng.randint(30, 90)),
                     "Overall Scale Score": str(rng.randint(380, 520)), "Overall Placement": f"Grade {grade - 1}",
                     "Overall Relative Placement": rng.choice(RELATIVE), "Grouping": str(rng.randint(1, 4))}
            for domain in domains:
                cells |= {f"{domain} Scale Score": str(rng.randint(350, 560)),
                          f"{domain} Placement": f"Grade {grade}", f"{domain} Relative Placement": rng.choice(RELATIVE)}
            rows.append([cells.get(h, "") for h in header])
    return _write(path, header, rows)


STAR_HEADER = ["SchoolYear", "StudentRenaissanceID", "StudentSourcedID", "StudentIdentifier", "StudentStateID",
               "StudentFirstName", "StudentMiddleName", "StudentLastName", "CurrentGrade", "SchoolName",
               "TeacherDisplayID", "AssessmentID", "AssessmentType", "LaunchDate", "CompletedDate",
               "CompletedDateLocal", "GradePlacement", "ScaledScore", "UnifiedScore", "PercentileRank",
               "GradeEquivalent", "ScreeningPeriodWindowName", "RenaissanceBenchmarkCategoryName",
               "RenaissanceBenchmarkCategoryLevel"]
BENCHMARKS = ["At/Above Benchmark", "On Watch", "Intervention", "Urgent Intervention"]
STAR_RANGES = {"Star Math": (300, 1100), "Star Reading": (200, 1200), "Star Early Literacy": (400, 850)}


def write_star(path: Path, students: int = 4, assessment: str = "Star Math", with_identifier: bool = True,
               dates: Sequence[str] = ("2025-09-12 10:41:07",), seed: int = 3) -> Path:
    """A Renaissance Star export (v2): every field quoted, a row per completed test."""
    rng = random.Random(seed)
    low, high = STAR_RANGES[assessment]
    rows = []
    for n, student in enumerate(student_ids(students)):
        first, last = name_of(n)
        for written in dates:
            cells = {"SchoolYear": "2025-2026", "StudentRenaissanceID": f"RN{n:05}",
                     "StudentSourcedID": f"6f1c2a{n:04}-e2b1-4d1e-9a55-1b2c3d4e5f60",
                     "StudentIdentifier": student if with_identifier else "", "StudentFirstName": first,
                     "StudentLastName": last, "CurrentGrade": str(3 + n % 3), "SchoolName": "Maple Elementary",
                     "AssessmentID": f"a{rng.randint(10**6, 10**7)}", "AssessmentType": assessment,
                     "LaunchDate": written, "CompletedDate": written, "CompletedDateLocal": written,
                     "ScaledScore": str(rng.randint(low, high)), "UnifiedScore": str(rng.randint(700, 1000)),
                     "PercentileRank": str(rng.randint(1, 99)), "GradeEquivalent": "3.4",
                     "ScreeningPeriodWindowName": "Fall", "RenaissanceBenchmarkCategoryName": rng.choice(BENCHMARKS),
                     "RenaissanceBenchmarkCategoryLevel": "2"}
            rows.append([cells.get(h, "") for h in STAR_HEADER])
    return _write(path, STAR_HEADER, rows, quote_all=True)
