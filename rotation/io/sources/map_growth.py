"""NWEA MAP Growth data exports: the Comprehensive Data File (AssessmentResults.csv, with StudentsBySchool.csv for
names) or the Combined Data File (ComboStudentAssessment.csv), as a ZIP, a folder or one file.

Each test's overall RIT is a skill named for its subject ("MAP Math"), each goal a skill of its own ("MAP Math:
Geometry"); every result is kept with its test date, since the newest test per student and skill is the one that
counts. Old (pre-2015: MeasurementScale, Discipline) and new (Subject) headers are both read.
"""

from __future__ import annotations

from dataclasses import dataclass

from rotation.domain.school import Skill
from rotation.io.problems import Problems
from rotation.io.sources.assessments import (
    CellProblem,
    date_at,
    grade_or_none,
    ordinal,
    place,
    score_at,
    skill_on,
    text_at,
)
from rotation.io.sources.found import Found, Kind, Learner, Score
from rotation.io.sources.tables import Table

NAME = "NWEA MAP Growth"
RIT_LOW, RIT_HIGH = 100.0, 350.0  # the RIT scale as reported, kindergarten to high school
MAX_GOALS = 12  # MAP reports up to 8 goals; a few more columns cost nothing
# A subject as the export writes it -> as a teacher says it.
SUBJECTS = {"mathematics": "Math", "math": "Math", "reading": "Reading", "language usage": "Language Usage",
            "language": "Language Usage", "science": "Science", "general science": "Science",
            "science - general science": "Science"}
# How a goal's score compares with students of the same grade, in words.
ADJECTIVES = {"low": "Low", "loavg": "Low Average", "avg": "Average", "hiavg": "High Average", "high": "High"}


@dataclass(frozen=True)
class _Goal:
    name: int | None
    rit: int
    adjective: int | None


@dataclass(frozen=True)
class _Columns:
    """Where an AssessmentResults table keeps what is read, looked up once."""

    student: int
    term: int | None
    subject: int | None
    rit: int
    percentile: int | None
    date: int | None
    goals: tuple[_Goal, ...]


def recognise(tables: list[Table]) -> bool:
    return any(table.has("testritscore") for table in tables)


def read(source: str, tables: list[Table], problems: Problems) -> Found:
    found = Found(source, NAME)
    skills: dict[str, Skill] = {}
    seen: set[str] = set()
    naming = _student_tables(tables)
    for table in naming:
        if not table.has("testritscore"):
            found.students.extend(_students(table, seen, problems))
    for table in tables:
        if table.has("testritscore"):  # its students read as its results are, the table parsed once
            learners = _Learners(table, seen, found.students) if table in naming else None
            found.scores.extend(_scores(table, skills, problems, learners))
    found.skills = list(skills.values())
    return found


def _names_students(table: Table) -> bool:
    """StudentsBySchool and the Combined file name students (newer AssessmentResults files do too)."""
    return table.has("studentid") and (table.has("studentfirstname") or table.has("studentlastname"))


def _student_tables(tables: list[Table]) -> list[Table]:
    """StudentsBySchool when given (it has the grade, and is short), else the Combined file."""
    naming = [table for table in tables if _names_students(table)]
    return [table for table in naming if not table.has("testritscore")] or naming


class _Learners:
    """The students a table names, each once (the Combined file repeats them on every test), with names and
    grade, added to `learners` row by row."""

    def __init__(self, table: Table, seen: set[str], learners: list[Learner]):
        self.table, self.seen, self.learners = table, seen, learners
        self.student = table.columns["studentid"]
        self.first, self.last = table.column("studentfirstname"), table.column("studentlastname")
        self.grade = table.column("grade", "studentgrade")

    def add(self, number: int, row: list[str]) -> None:
        student_id = row[self.student]
        if not student_id or student_id in self.seen:
            return
        self.seen.add(student_id)
        self.learners.append(Learner(student_id, text_at(row, self.first), text_at(row, self.last),
                                     grade_or_none(text_at(row, self.grade)),
                                     place=place(self.table, number, self.student)))


def _students(table: Table, seen: set[str], problems: Problems) -> list[Learner]:
    """Each student a table of students names, once."""
    learners: list[Learner] = []
    reader = _Learners(table, seen, learners)
    for number, row in table.rows(problems):
        reader.add(number, row)
    return learners


def _columns(table: Table, problems: Problems) -> _Columns | None:
    student = table.column("studentid")
    if student is None:
        table.problem(problems, "the column is missing", column="StudentID")
        return None
    goals = tuple(_Goal(table.column(f"goal{n}name"), table.columns[f"goal{n}ritscore"],
                        table.column(f"goal{n}adjective"))
                  for n in range(1, MAX_GOALS + 1) if table.has(f"goal{n}ritscore"))
    return _Columns(student, table.column("termname"), table.column("subject", "measurementscale", "discipline"),
                    table.columns["testritscore"], table.column("testpercentile"), table.column("teststartdate"),
                    goals)


def _scores(table: Table, skills: dict[str, Skill], problems: Problems, learners: _Learners | None = None
            ) -> list[Score]:
    """Each row's results; and, with `learners`, the students the rows name."""
    columns = _columns(table, problems)
    if columns is None:
        return []
    scores: list[Score] = []
    for number, row in table.rows(problems):
        if learners is not None:
            learners.add(number, row)
        try:
            scores.extend(_test(table, columns, number, row, skills))
        except CellProblem as bad:
            table.problem(problems, bad.message, number, bad.column)
    return scores


def _test(table: Table, columns: _Columns, number: int, row: list[str], skills: dict[str, Skill]) -> list[Score]:
    """One test event: its overall RIT and each goal's, all on the test's date."""
    student = row[columns.student]
    if not student:
        raise CellProblem("the student's id is blank", columns.student)
    subject = _subject(text_at(row, columns.subject))
    date = date_at(row, columns.date)
    term = text_at(row, columns.term)
    source = f"MAP Growth {term}" if term else "MAP Growth"
    overall = f"MAP {subject}" if subject else "MAP"
    scores = []
    rit = score_at(row, columns.rit)
    if rit is not None:
        percentile = text_at(row, columns.percentile)
        scores.append(Score(student, skill_on(skills, overall, RIT_LOW, RIT_HIGH), rit, date, source,
                            f"{ordinal(percentile)} percentile" if percentile else "",
                            place=place(table, number, columns.student, columns.rit)))
    for goal in columns.goals:
        goal_rit = score_at(row, goal.rit)
        name = text_at(row, goal.name)
        if goal_rit is None or not name:  # a goal not tested, or not named: nothing to plan on
            continue
        adjective = text_at(row, goal.adjective)
        scores.append(Score(student, skill_on(skills, f"{overall}: {name}", RIT_LOW, RIT_HIGH), goal_rit, date,
                            source, ADJECTIVES.get(adjective.lower(), adjective),
                            place=place(table, number, columns.student, goal.rit)))
    return scores


def _subject(written: str) -> str:
    return SUBJECTS.get(written.lower(), written)


KIND = Kind(NAME, recognise, read)
