"""The plain-table writer: what it writes, openpyxl reads back as it would have written it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.exceptions import IllegalCharacterError

from rotation.io.xlsx_tables import write_tables


def test_every_kind_of_cell_reads_back(tmp_path: Path) -> None:
    rows = [(" padded ", 1.5, 3, True), ("=cmd", dt.date(2025, 9, 10), dt.datetime(2025, 9, 10, 14, 30), None),
            ("a & <b>", "", dt.time(9, 5), False)]
    write_tables(tmp_path / "t.xlsx", [("Sheet & one", ["a", "b", "c", "d"], rows, [12, 14, 0, 8]),
                                       ("Empty", ["x"], [], [3])])
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["Sheet & one", "Empty"]
    ws = wb["Sheet & one"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "b", "c", "d"],
        [" padded ", 1.5, 3, True],
        ["=cmd", dt.datetime(2025, 9, 10), dt.datetime(2025, 9, 10, 14, 30), None],
        ["a & <b>", None, "09:05", False]]
    assert ws["A3"].data_type == "s"  # text, never a formula
    assert ws["B3"].number_format == "yyyy-mm-dd"
    assert all(c.font.bold for c in ws[1]) and not ws["A2"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 12 and ws.column_dimensions["B"].width == 14
    read_only = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert (read_only["Sheet & one"].max_row, read_only["Sheet & one"].max_column) == (4, 4)
    assert [[c.value for c in row] for row in wb["Empty"].iter_rows()] == [["x"]]


def test_text_a_worksheet_cannot_hold_is_refused_as_openpyxl_refuses_it(tmp_path: Path) -> None:
    with pytest.raises(IllegalCharacterError):
        write_tables(tmp_path / "t.xlsx", [("S", ["a"], [("bell\x07",)], [5])])
