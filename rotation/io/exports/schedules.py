"""A Schedule CSV per class: the plan workbook's Schedule rows of that class, with each student's name beside
their id, for a teacher's handout or a script."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.domain.week import hhmm
from rotation.io.exports.files import inert, unique_names
from rotation.io.plan_workbook import SCHEDULE_HEADER, schedule_rows

STUDENT = SCHEDULE_HEADER.index("student_id")
HEADER = (*SCHEDULE_HEADER[:STUDENT + 1], "first_name", "last_name", *SCHEDULE_HEADER[STUDENT + 1:])


def write_class_schedules(school: School, plan: Plan, folder: Path) -> list[Path]:
    """`<class>-schedule.csv` in `folder` for each class the plan has rows for; the files written."""
    by_class: dict[str, list[tuple[Any, ...]]] = {}
    for row in schedule_rows(school, plan):
        by_class.setdefault(row[0], []).append(row)
    names = unique_names(by_class)
    students = {s.student_id: (s.first_name, s.last_name) for s in school.students}
    written = []
    for class_id, rows in by_class.items():
        path = folder / f"{names[class_id]}-schedule.csv"
        write_csv(path, HEADER, (with_names(students, row) for row in rows))
        written.append(path)
    return written


def with_names(students: dict[str, tuple[str, str]], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A Schedule row with the student's first and last name after their id."""
    first, last = students.get(row[STUDENT], ("", ""))
    return (*row[:STUDENT + 1], first, last, *row[STUDENT + 1:])


def write_csv(path: Path, header: tuple[str, ...], rows: Any) -> None:
    """UTF-8 with a byte-order mark (so Excel reads accents right), CRLF line ends, every text cell inert."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows([cell(v) for v in row] for row in rows)


def cell(value: Any) -> Any:
    """A value as the Schedule sheet shows it: times as 09:00, text never a formula, blank for none."""
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return hhmm(value)
    return inert(value) if isinstance(value, str) else value
