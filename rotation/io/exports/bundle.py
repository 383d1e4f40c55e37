"""Every export asked for, written whole or not at all: each set goes to a private folder first and moves into
place only once all of them are written."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.io.exports.calendars import next_monday, write_calendars
from rotation.io.exports.files import staged
from rotation.io.exports.pseudonyms import Codes, write_pseudonymised
from rotation.io.exports.schedules import write_class_schedules


@dataclass(frozen=True)
class Asked:
    """Which exports to write, and where."""

    schedules: Path | None = None  # a folder
    calendars: Path | None = None  # a folder
    zone: str = "UTC"  # an IANA zone
    first: dt.date | None = None  # the calendars' first day; None: the Monday of next week
    pseudonymised: Path | None = None  # the plan's .xlsx; its planning workbook goes beside it
    codes: Codes | None = None  # needed with `pseudonymised`


def planning_beside(out: Path) -> Path:
    """`plan-anon.xlsx` -> `plan-anon-planning.xlsx`: the coded planning workbook `rotation check` needs."""
    return out.with_name(f"{out.stem}-planning{out.suffix}")


def export(school: School, plan: Plan, asked: Asked) -> list[Path]:
    """Write what `asked` names; the files written, where they end up."""
    written: list[Path] = []
    with ExitStack() as stack:
        if asked.schedules is not None:
            tmp = stack.enter_context(staged(asked.schedules))
            written += [asked.schedules / p.name for p in write_class_schedules(school, plan, tmp)]
        if asked.calendars is not None:
            tmp = stack.enter_context(staged(asked.calendars))
            first = asked.first or next_monday(dt.date.today())
            written += [asked.calendars / p.name for p in write_calendars(school, plan, tmp, asked.zone, first)]
        if asked.pseudonymised is not None:
            assert asked.codes is not None
            out, planning = asked.pseudonymised, planning_beside(asked.pseudonymised)
            tmp = stack.enter_context(staged(out.parent))
            write_pseudonymised(school, plan, asked.codes, tmp / out.name, tmp / planning.name)
            written += [out, planning]
    return written
