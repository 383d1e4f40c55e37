"""Renaissance Star exports (Data Exports v2, every field quoted): a row per completed Star Math, Star Reading or
Star Early Literacy test, with its scaled score, percentile rank and benchmark category.

A student is named by StudentIdentifier (the district's student number), else by StudentSourcedID, which is kept
as an alias so that a OneRoster roster matches. The skill is the test ("Star Math"); every test is kept with its
date, since the newest per student and skill is the one that counts.
"""

from __future__ import annotations

import functools

from rotation.domain.school import Skill
from rotation.io.problems import Problems
from rotation.io.sources.assessments import CellProblem, date_at, grade_or_none, place, score_at, skill_on, text_at
from rotation.io.sources.found import Found, Kind, Learner, Score
from rotation.io.sources.tables import Table

NAME = "Renaissance Star"
# Each test's scaled score range (Enterprise scale).
SCALES = {"Star Math": (0.0, 1400.0), "Star Reading": (0.0, 1400.0), "Star Early Literacy": (300.0, 900.0),
          "Star": (0.0, 1400.0)}
# Columns that may say which test a row is, most telling first.
TEST_COLUMNS = ("assessmentname", "assessmenttype", "productname", "testname", "subject", "assessmentsubject")


def recognise(tables: list[Table]) -> bool:
    return any(_is_star(table) for table in tables)


def _is_star(table: Table) -> bool:
    return table.has("scaledscore") and (table.has("renaissancebenchmarkcategoryname")
                                         or table.has("studentidentifier"))


def read(source: str, tables: list[Table], problems: Problems) -> Found:
    found = Found(source, NAME)
    skills: dict[str, Skill] = {}
    seen: set[str] = set()
    for table in tables:
        if _is_star(table):
            _read_table(table, found, skills, seen, problems)
    found.skills = list(skills.values())
    return found


@functools.lru_cache(maxsize=256)  # a file names a test or two, on every row
def which_test(written: str) -> str | None:
    """Which Star test a cell or file name means: "Star Math Enterprise", "SM_v2" -> "Star Math"."""
    words = written.lower().replace("_", " ").replace("-", " ")
    if "early" in words or words.startswith("sel ") or words == "sel":
        return "Star Early Literacy"
    if "math" in words or words.startswith("sm ") or words == "sm":
        return "Star Math"
    if "read" in words or words.startswith("sr ") or words == "sr":
        return "Star Reading"
    return None


def _read_table(table: Table, found: Found, skills: dict[str, Skill], seen: set[str], problems: Problems) -> None:
    identifier, sourced = table.column("studentidentifier"), table.column("studentsourcedid")
    if identifier is None and sourced is None:
        table.problem(problems, "the column is missing", column="StudentIdentifier")
        return
    first, last = table.column("studentfirstname", "firstname"), table.column("studentlastname", "lastname")
    grade = table.column("currentgrade", "grade")
    completed = table.column("completeddate", "completeddatelocal", "assessmentdate")
    score_column = table.columns["scaledscore"]
    percentile, benchmark = table.column("percentilerank"), table.column("renaissancebenchmarkcategoryname")
    test_column = table.column(*TEST_COLUMNS)
    file_test = which_test(table.stem) or "Star"
    for number, row in table.rows(problems):
        sourced_id = text_at(row, sourced)
        student = text_at(row, identifier) or sourced_id
        aliases = (sourced_id,) if sourced_id and student != sourced_id else ()
        try:
            if not student:
                raise CellProblem("the student's id is blank", identifier if identifier is not None else sourced)
            score = score_at(row, score_column)
            date = date_at(row, completed)
        except CellProblem as bad:
            table.problem(problems, bad.message, number, bad.column)
            continue
        where = place(table, number, identifier if identifier is not None else sourced, score_column)
        if student not in seen:
            seen.add(student)
            found.students.append(Learner(student, text_at(row, first), text_at(row, last),
                                          grade_or_none(text_at(row, grade)), aliases=aliases, place=where))
        if score is None:  # a test not finished has no score
            continue
        test = which_test(text_at(row, test_column)) or file_test
        detail = "; ".join(part for part in (_rank(text_at(row, percentile)), text_at(row, benchmark)) if part)
        found.scores.append(Score(student, skill_on(skills, test, *SCALES[test]), score, date, test, detail,
                                  aliases, where))


def _rank(written: str) -> str:
    return f"PR {written}" if written else ""


KIND = Kind(NAME, recognise, read)
