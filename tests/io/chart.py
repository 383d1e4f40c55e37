"""Finding and editing a Rotation chart's cells as a person does: by class title, day, slot and group label."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def chart_cell(ws, class_id: str, day: str, slot: int, group: int) -> tuple[int, int]:
    """(row, column) of a group's station in a slot (`day` as the chart spells it, e.g. "Monday")."""
    rows = list(ws.iter_rows())
    title = next(i for i, r in enumerate(rows) if r[0].value == f"Class {class_id}")
    header = next(r for r in rows[title:] if r[0].value == day)
    label = next(r for r in rows[header[0].row:] if str(r[0].value).startswith(f"Group {group} "))
    column = next(c.column for c in header if str(c.value).startswith(f"{slot}  "))
    return label[0].row, column


def edit_chart(path: Path, *changes: tuple[tuple[str, str, int, int], str | None]) -> list[tuple[int, int]]:
    """Type stations into chart cells by hand, ((class, day, slot, group), station) each; returns the cells."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Rotation"]
    places = []
    for where, station in changes:
        row, column = chart_cell(ws, *where)
        ws.cell(row, column).value = station
        places.append((row, column))
    wb.save(path)
    return places
