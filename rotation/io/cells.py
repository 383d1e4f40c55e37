"""What a cell may say, read the same way in every workbook: numbers, whole numbers, times, dates, days, yes or
no, names and lists of them; and a sheet whose cells are read with each problem named by sheet, row and column.

A parser takes a cell's value (never blank: a blank cell is the sheet's to judge) and returns what it means, or
raises Bad saying why it cannot, in plain words.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from openpyxl.cell.cell import ERROR_CODES

from rotation.domain.school import BY_NEED, DAYS, AvailabilityClause, Window
from rotation.domain.week import hhmm
from rotation.io.problems import Problems
from rotation.io.xlsx import Row, norm

T = TypeVar("T")


class Bad(ValueError):
    """A cell value that cannot mean what its column asks for; the message says why in plain words."""


def text(value: Any) -> str:
    """A cell as the teacher sees it: 12 not 12.0, times as HH:MM, dates as YYYY-MM-DD."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return hhmm(value)
    return str(value).strip()


def cell_text(value: Any) -> str | None:
    """A cell as `text` has it, or None for a blank one."""
    return None if value is None else text(value) or None


def items(value: Any) -> tuple[str, ...]:
    """The items of a comma list cell, each once, in the order written; none for a blank cell."""
    return () if value is None else tuple(dict.fromkeys(p.strip() for p in text(value).split(",") if p.strip()))


def names(value: Any) -> tuple[str, ...]:
    """A comma list that names at least one thing, each once, in the order written."""
    found = items(value)
    if not found:
        raise Bad(f"'{text(value)}' names nothing")
    return found


def value_or_none(parse: Callable[[Any], T], value: Any) -> T | None:
    """What `parse` makes of a cell, or None where it is blank or cannot mean that: for a cell that is only
    compared, its problems being told elsewhere or not at all."""
    try:
        return None if value is None else parse(value)
    except Bad:
        return None


def number(value: Any) -> float:
    try:
        found = float(value) if not isinstance(value, bool | dt.date | dt.time | dt.timedelta) else math.nan
    except (ValueError, TypeError, OverflowError):
        found = math.nan
    if not math.isfinite(found):
        raise Bad(f"'{text(value)}' is not a number")
    return found


def whole(least: int) -> Callable[[Any], int]:
    """A whole number of at least `least`: 3, 3.0 or ' 3 ', typed or written."""
    def parse(value: Any) -> int:
        found = number(value)
        if not found.is_integer():
            raise Bad(f"'{text(value)}' is not a whole number")
        if found < least:
            raise Bad(f"'{text(value)}' is too small: it must be at least {least}")
        return int(found)
    return parse


count = whole(1)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?")


def time(value: Any) -> dt.time:
    """A clock time, typed (an Excel time, or a fraction of a day) or written as HH:MM (or 8:30 am, or with
    seconds), to the nearest minute."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
        value = (dt.datetime.min + value).time()
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        value = (dt.datetime.min + dt.timedelta(days=value)).time()
    if not isinstance(value, dt.time):
        value = _written_time(value)
    # Excel stores times as fractions of a day, so 08:30 may come back as 08:29:59.999.
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return _clock(min(round(seconds / 60), 24 * 60 - 1))


def _written_time(value: Any) -> dt.time:
    match = _TIME.fullmatch(text(value).lower().replace(".", ""))
    if match:
        hour, minute, second, half = int(match[1]), int(match[2]), int(match[3] or 0), match[4]
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
        elif half:
            hour = 99
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise Bad(f"'{text(value)}' is not a time (write HH:MM, e.g. 08:30)")


def _clock(total_minutes: int) -> dt.time:
    return dt.time(total_minutes // 60, total_minutes % 60)


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, lambda written: dt.datetime.fromisoformat(written).date()):
            try:
                return parse(value)
            except ValueError:
                pass
    raise Bad(f"'{text(value)}' is not a date (write YYYY-MM-DD, e.g. 2024-09-30)")


DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                     strict=True))
# Every beginning of a day's name of two letters or more: Mo, Mon, Tues, Thurs, Friday...
_DAY_INDEX = {name.lower()[:k]: i for i, name in enumerate(DAY_NAMES.values()) for k in range(2, len(name) + 1)}


def day_number(word: str) -> int | None:
    """A day written as the start of its name (Mo, Mon, Tues, Thurs, Friday; any case): 0 for Monday to 6 for
    Sunday, the order of `DAYS`; None for anything else. Both workbooks' Day cells read days this way."""
    return _DAY_INDEX.get(word.strip().lower())


def _day_index(word: str) -> int:
    found = day_number(word)
    if found is None:
        raise Bad(f"'{word}' is not a day (write Mon, Tue, Wed, Thu, Fri, Sat or Sun)")
    return found


def days(value: Any) -> tuple[str, ...]:
    """Days as `Mon,Tue,Thu`, `Mon-Fri`, `Monday` or a mix, in the order written."""
    out: list[str] = []
    for part in re.split(r"[,;\s]+", re.sub(r"\s*[-–]\s*", "-", text(value))):
        if not part:
            continue
        first, dash, last = part.partition("-")
        a = _day_index(first)
        b = _day_index(last) if dash else a
        if b < a:
            raise Bad(f"'{part}' is not a range of days (write the earlier day first, e.g. Mon-Fri)")
        out.extend(d for d in DAYS[a:b + 1] if d not in out)
    if not out:
        raise Bad(f"'{text(value)}' names no day")
    return tuple(out)


def day(value: Any) -> str:
    found = days(value)
    if len(found) != 1:
        raise Bad(f"'{text(value)}' is not one day")
    return found[0]


def grade(value: Any) -> str:
    written = text(value).upper()
    if written in ("K", "KG"):
        return "K"
    if written.isdigit() and 1 <= int(written) <= 12:
        return str(int(written))
    raise Bad(f"'{text(value)}' is not a grade (write K or 1 to 12)")


_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def yes_no(value: Any) -> bool:
    try:
        return _YES[text(value).lower()]
    except KeyError:
        raise Bad(f"'{text(value)}' is not yes or no") from None


def choice(options: tuple[str, ...], what: str) -> Callable[[Any], str]:
    by_norm = {norm(option): option for option in options}

    def parse(value: Any) -> str:
        try:
            return by_norm[norm(text(value))]
        except KeyError:
            raise Bad(f"'{text(value)}' is not a {what} (write one of: {', '.join(options)})") from None
    return parse


def visits(value: Any) -> int | str:
    if norm(text(value)) == norm(BY_NEED):
        return BY_NEED
    try:
        return count(value)
    except Bad:
        raise Bad(f"'{text(value)}' is not a number of visits or 'by need'") from None


def _window(written: str) -> Window:
    start, dash, end = written.partition("-")
    if not dash:
        raise Bad(f"'{written.strip()}' is not a time window (write e.g. 08:00-15:00)")
    window = Window(time(start.strip()), time(end.strip()))
    if window.end <= window.start:
        raise Bad(f"'{written.strip()}' ends before it starts")
    return window


def availability(value: Any) -> tuple[AvailabilityClause, ...]:
    """Clauses like `Mon-Fri 08:00-15:00; Wed 08:00-12:00, 13:00-15:00; Fri off`, kept in order."""
    clauses = []
    for clause in text(value).replace("–", "-").split(";"):
        if not clause.strip():
            continue
        # The days end where the first time (or `off`) begins; no days means every day.
        times = re.search(r"\d|\boff\b", clause, re.IGNORECASE)
        if times is None:
            raise Bad(f"'{clause.strip()}' gives no times (write e.g. 'Mon-Fri 08:00-15:00' or 'Wed off')")
        day_text, rest = clause[:times.start()], clause[times.start():].strip()
        on = days(day_text) if day_text.strip() else DAYS
        windows = () if rest.lower() == "off" else tuple(_window(part) for part in rest.split(","))
        clauses.append(AvailabilityClause(on, windows))
    return tuple(clauses)


@dataclass
class Sheet:
    """One sheet's rows, and a place to tell what is wrong in them by sheet, row and column."""

    title: str
    problems: Problems
    present: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def add(self, message: str, row: Row | None = None, key: str | None = None) -> None:
        column = (row.column(key) if row else self.headers.get(key, key)) if key else None
        self.problems.add(message, self.title, row.number if row else None, column)

    def require(self, *keys: str) -> None:
        for key in keys:
            if self.present and key not in self.headers:
                self.add("the column is missing", key=key)

    def get(self, row: Row, key: str, parse: Callable[[Any], Any] = text, default: Any = None,
            required: bool = False) -> Any:
        # A formula without a cached value reads as blank (data_only); telling them apart would need a
        # second, slow load of the file, so it is reported as an empty cell where a value is required.
        value = row.get(key)
        if value is None:
            if required and key in self.headers:
                self.add("this cell is empty", row, key)
            return default
        try:
            if isinstance(value, str) and value in ERROR_CODES:
                raise Bad(f"the cell shows the spreadsheet error {value}")
            return parse(value)
        except Bad as bad:
            self.add(str(bad), row, key)
            return default
