"""The planning workbook written: a school's data that reads back equal, or the blank template with its
Instructions sheet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rotation.domain.school import School
from rotation.domain.week import availability_text
from rotation.io import cells, xlsx
from rotation.io.planning_sheets import COLUMNS, INSTRUCTIONS, INTRO
from rotation.io.xlsx_tables import write_tables


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _day_list(days: Iterable[str]) -> str:
    return ",".join(days)


def _yes_no_text(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _sheet_rows(school: School) -> dict[str, Iterable[tuple[Any, ...]]]:
    """Each sheet's rows, their cells in the order of COLUMNS."""
    return {
        "Students": ((s.student_id, s.first_name, s.last_name, s.grade, _join(s.classes), _join(s.flags))
                     for s in school.students),
        "Mastery": ((m.student_id, m.skill, m.score, m.date, m.source, m.detail) for m in school.mastery),
        "Skills": ((s.skill, s.min, s.max, s.mastered_at) for s in school.skills),
        "Classes": ((c.class_id, c.teacher, c.room, _day_list(c.days), c.start, c.rotations,
                     c.rotation_minutes, c.transition_minutes, c.groups, c.min_group_size,
                     c.max_group_size, c.grouping, _join(c.focus)) for c in school.classes),
        "Stations": ((s.class_id, s.name, s.kind, s.capacity, s.staff, s.devices, _yes_no_text(s.must_do),
                      s.visits, s.mirror_of) for s in school.stations),
        "Staff": ((a.staff_id, a.name, a.role, availability_text(a.available)) for a in school.staff),
        "Devices": ((p.pool, p.count, _join(p.classes)) for p in school.devices),
        # In order, so rule i comes back from row i + 2.
        "Rules": ((r.rule, _join(r.students), r.group, r.station, r.count, _day_list(r.days), r.start, r.end,
                   r.note) for r in school.rules),
        "Locks": chain(((k.class_id, k.student_id, k.group, None, None, None) for k in school.student_locks),
                       ((k.class_id, None, k.group, k.day, k.slot, k.station) for k in school.visit_locks)),
    }


def _write_header(ws: Worksheet, header: Sequence[str]) -> None:
    """A sheet of the blank template: its bold header in a frozen row 1, each column as wide as its name."""
    for c, name in enumerate(header, start=1):
        xlsx.write_text_cell(ws, 1, c, name)
        ws.cell(1, c).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = min(len(name), 40) + 2
    ws.freeze_panes = "A2"


def write_planning_workbook(school: School, path: str | Path,
                            unfinished_classes: Iterable[tuple[str, str, str]] = ()) -> None:
    """Write `school` as a planning workbook that reads back equal (atomically: never half a file).
    `unfinished_classes` (class, teacher, room) are written after the school's classes with their settings
    blank, for the teacher to fill in (an import's new classes). Written as plain tables (xlsx_tables), fast
    enough for a district's Mastery sheet."""
    rows = _sheet_rows(school)
    rows["Classes"] = chain(rows["Classes"], unfinished_classes)
    sheets = []
    for title, sheet_rows in rows.items():
        table = [tuple(values) for values in sheet_rows]
        sheets.append((title, COLUMNS[title], table, _widths(COLUMNS[title], table)))
    xlsx.write_atomically(path, lambda written: write_tables(written, sheets))


def _widths(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column as wide as its text (within reason); each distinct value measured
    once (a Mastery column of a quarter of a million cells holds a few hundred)."""
    widest = [len(h) for h in header]
    for c, column in enumerate(zip_longest(*rows)):  # an unfinished class's row is shorter
        widest[c] = max(widest[c], max((len(cells.text(v)) for v in set(column) if v is not None), default=0))
    return [min(width, 40) + 2 for width in widest]


def write_blank_template(path: str | Path) -> None:
    """A planning workbook with no data: an Instructions sheet first, then every sheet with its header."""
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Instructions"
    for r, line in enumerate(INTRO, start=1):
        xlsx.write_text_cell(guide, r, 1, line)
    guide["A1"].font = Font(bold=True, size=14)
    top = len(INTRO) + 1
    for r, values in enumerate(chain([("sheet", "column", "needed", "what to write", "example")], INSTRUCTIONS),
                               start=top):
        for c, value in enumerate(values, start=1):
            if value:
                xlsx.write_text_cell(guide, r, c, value)
            guide.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
            guide.cell(r, c).font = Font(bold=r == top)
    for letter, width in zip("ABCDE", (12, 20, 16, 70, 36), strict=True):
        guide.column_dimensions[letter].width = width
    for title, header in COLUMNS.items():
        _write_header(wb.create_sheet(title), header)
    xlsx.save_atomically(wb, path)
