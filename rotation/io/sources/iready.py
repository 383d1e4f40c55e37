"""i-Ready Diagnostic results (Curriculum Associates), one CSV per subject: a row per student and diagnostic with
the overall scale score and one per domain ("Geometry Scale Score"), each with its placement.

Skills are "i-Ready Math: Overall" and "i-Ready Math: Geometry"; the domains are whatever the header names, so a
domain added next year is read too. Placements are kept beside the score ("Grade 3; 1 Grade Level Below").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rotation.domain.school import Skill
from rotation.io.problems import Problems
from rotation.io.sources.assessments import CellProblem, date_at, grade_or_none, place, score_at, skill_on, text_at
from rotation.io.sources.found import Found, Kind, Learner, Score
from rotation.io.sources.tables import Table, key

NAME = "i-Ready Diagnostic"
SCALE_LOW, SCALE_HIGH = 100.0, 800.0  # i-Ready's scale score, K-12
SCALE_SCORE = "_scale_score"
MATH_DOMAINS = {"number_and_operations", "algebra_and_algebraic_thinking", "measurement_and_data", "geometry"}
READING_DOMAINS = {"phonological_awareness", "phonics", "high_frequency_words", "vocabulary",
                   "comprehension:_literature", "comprehension:_informational_text", "comprehension_overall"}
# A Subject cell as written -> as the skill names it.
SUBJECTS = {"math": "Math", "mathematics": "Math", "reading": "Reading", "ela": "Reading", "english": "Reading"}


@dataclass(frozen=True)
class _Area:
    """The overall score or one domain: where its score and placements are."""

    name: str  # "Overall", "Geometry"
    score: int
    placement: int | None
    relative: int | None


def recognise(tables: list[Table]) -> bool:
    return any(table.has("overall_scale_score") for table in tables)


def read(source: str, tables: list[Table], problems: Problems) -> Found:
    found = Found(source, NAME)
    skills: dict[str, Skill] = {}
    seen: set[str] = set()
    for table in tables:
        if table.has("overall_scale_score"):
            _read_table(table, found, skills, seen, problems)
    found.skills = list(skills.values())
    return found


def _areas(table: Table) -> list[_Area]:
    """Overall first, then every `<Domain> Scale Score` column the header has, in its order."""
    areas = []
    for position, written in enumerate(table.header):
        column = key(written)
        if not column.endswith(SCALE_SCORE) or table.columns.get(column) != position:
            continue
        domain = column[: -len(SCALE_SCORE)]
        name = written.strip()[: -len(" Scale Score")].strip() if column != "overall_scale_score" else "Overall"
        areas.append(_Area(name or domain, position, table.column(f"{domain}_placement"),
                           table.column(f"{domain}_relative_placement")))
    return sorted(areas, key=lambda area: area.name != "Overall")


def _subject(table: Table) -> str | None:
    """The subject the whole file is in, from its domains or its name; None when a Subject column says it."""
    if table.has("subject"):
        return None
    domains = {key(area.name) for area in _areas(table)}
    if domains & MATH_DOMAINS:
        return "Math"
    if domains & READING_DOMAINS:
        return "Reading"
    stem = table.stem
    return "Math" if "math" in stem else "Reading" if ("ela" in stem or "reading" in stem) else ""


def _read_table(table: Table, found: Found, skills: dict[str, Skill], seen: set[str], problems: Problems) -> None:
    student = table.column("student_id")
    if student is None:
        table.problem(problems, "the column is missing", column="Student ID")
        return
    first = table.column("first_name", "student_first_name")
    last = table.column("last_name", "student_last_name")
    grade = table.column("student_grade", "grade")
    completed = table.column("completion_date", "diagnostic_completion_date")
    subject_column = table.column("subject")
    whole_file = _subject(table)
    areas = _areas(table)
    for number, row in table.rows(problems):
        try:
            student_id = row[student]
            if not student_id:
                raise CellProblem("the student's id is blank", student)
            subject = whole_file if whole_file is not None else _written_subject(text_at(row, subject_column))
            found.scores.extend(_results(table, number, row, student, subject, date_at(row, completed), areas,
                                         skills))
        except CellProblem as bad:
            table.problem(problems, bad.message, number, bad.column)
            continue
        if student_id not in seen:
            seen.add(student_id)
            found.students.append(Learner(student_id, text_at(row, first), text_at(row, last),
                                          grade_or_none(text_at(row, grade)), place=place(table, number, student)))


def _written_subject(written: str) -> str:
    return SUBJECTS.get(written.lower(), written)


def _results(table: Table, number: int, row: list[str], student_column: int, subject: str, date: dt.date | None,
             areas: list[_Area], skills: dict[str, Skill]) -> list[Score]:
    """The overall score and each domain's, on the diagnostic's completion date."""
    test = f"i-Ready {subject}" if subject else "i-Ready"
    student = row[student_column]
    scores = []
    for area in areas:
        score = score_at(row, area.score)
        if score is None:  # a domain this diagnostic did not test
            continue
        detail = "; ".join(p for p in (text_at(row, area.placement), text_at(row, area.relative)) if p)
        scores.append(Score(student, skill_on(skills, f"{test}: {area.name}", SCALE_LOW, SCALE_HIGH), score,
                            date, NAME, detail, place=place(table, number, student_column, area.score)))
    return scores


KIND = Kind(NAME, recognise, read)
