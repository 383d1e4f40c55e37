"""What the assessment exports (MAP Growth, i-Ready, Star) share: their cells read as scores and US dates, a bad
cell told as a problem naming its column, and the skills their scores are on."""

from __future__ import annotations

import datetime as dt
import functools

from rotation.domain.school import Skill
from rotation.io import cells
from rotation.io.sources.found import Place
from rotation.io.sources.tables import Table, text_at


class CellProblem(Exception):
    """A cell a row cannot be read without; the row is skipped and the cell named."""

    def __init__(self, message: str, column: int | None):
        super().__init__(message)
        self.message = message
        self.column = column


def score_at(row: list[str], position: int | None) -> float | None:
    """A score, or None for a blank cell (a goal or domain not tested)."""
    written = text_at(row, position)
    if not written or position is None:
        return None
    try:
        return cells.number(written)
    except cells.Bad as bad:
        raise CellProblem(str(bad), position) from None


def date_at(row: list[str], position: int | None) -> dt.date | None:
    """A test date, or None for a blank cell."""
    written = text_at(row, position)
    if not written or position is None:
        return None
    found = us_date(written)
    if found is None:
        raise CellProblem(f"'{written}' is not a date (write e.g. 9/10/2025 or 2025-09-10)", position)
    return found


@functools.lru_cache(maxsize=4096)  # a school's tests fall on a few hundred days: each is read once
def us_date(written: str) -> dt.date | None:
    """A date as US exports write it: 9/10/25, 09/10/2025 (month first; a two-digit year is 20YY) or 2025-09-10,
    with or without a time after it; None when it is no date."""
    day = written.strip().split(" ", 1)[0].split("T", 1)[0]
    try:
        if "/" in day:
            month, day_of_month, year = (int(part) for part in day.split("/"))
            return dt.date(year + 2000 if year < 100 else year, month, day_of_month)
        return dt.date.fromisoformat(day)
    except ValueError:
        return None


def place(table: Table, row: int, student: int | None = None, score: int | None = None) -> Place:
    """Where a record is: its row, and the columns of its student and its score as the file writes them."""
    return Place(table.file, row, table.sheet, None if student is None else table.written(student),
                 None if score is None else table.written(score))


def ordinal(written: str) -> str:
    """45 -> 45th, 62 -> 62nd: a percentile as a teacher says it."""
    if not written.isdigit():
        return written
    number = int(written)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def skill_on(skills: dict[str, Skill], name: str, low: float, high: float) -> str:
    """The skill `name`, added with its scale the first time a score is on it."""
    if name not in skills:
        skills[name] = Skill(name, low, high)
    return name


def grade_or_none(written: str) -> str | None:
    """A student's grade when it is K to 12; a vendor's other grades (PK, 13) are left out, not refused."""
    if written in ("0", "00"):
        return "K"
    return cells.value_or_none(cells.grade, written) if written else None
