"""Teachers' own spreadsheets, as they come: an exit-ticket log in CSV (one row per result, CCSS codes written
several ways, US and ISO dates) and a gradebook workbook (one row per student, one column per skill). Written by
the tests of column mappings, and kept here for fuzz tests to start from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from rotation.io.sources.mapped import Mapping, Scale

EXIT_TICKET_HEADER = ["Student ID", "First", "Last", "Grade", "Period", "Standard", "Points", "Date", "Quiz"]
# The same standards as three tools write them; dates as Excel (US), as a form and as typed.
EXIT_TICKET_ROWS = [
    ["1001", "Ana", "Lopez", "3", "P1", "CCSS.Math.Content.3.NF.A.1", "3", "9/10/25", "Ticket 1"],
    ["1001", "Ana", "Lopez", "3", "P1", "3.nf.a.2", "2", "2025-09-12", "Ticket 2"],
    ["1002", "Ben", "Okafor", "3", "P1", "3.NF.1", "4", "01/14/2026", "Ticket 1"],
    ["1002", "Ben", "Okafor", "3", "P1", "CCSS.MATH.CONTENT.3.NF.A.2", "1", "9/12/2025", "Ticket 2"],
    ["1003", "Chloé", "Nguyen", "3", "P2", "Fractions on a number line", "2", "", "Ticket 3"],
]
EXIT_TICKETS = Mapping(name="Exit tickets", student_id="Student ID", first_name="First", last_name="Last",
                       grade="Grade", class_="Period", skill="Standard", score="Points", date="Date", source="Quiz",
                       scale=Scale(0, 4, 3))

GRADEBOOK_HEADER = ["ID", "First Name", "Last Name", "Email", "3.NF.A.1", "3.NF.A.3", "3.MD.A.1"]
GRADEBOOK_ROWS: list[list[object]] = [
    [1001, "Ana", "Lopez", "ana@school.org", 85, 72.5, None],
    [1002, "Ben", "Okafor", "ben@school.org", 90, None, 64],
    [1003, "Chloé", "Nguyen", "chloe@school.org", None, 100, "88%"],
]
GRADEBOOK = Mapping(name="Gradebook", student_id="id", first_name="first name", last_name="LAST_NAME",
                    skills=("3.NF.A.1", "3.NF.A.3", "3.MD.A.1"), date_value=dt.date(2025, 10, 3),
                    source_value="Unit 2 test", sheet="Q1")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A CSV as Excel saves 'CSV UTF-8': with a BOM, CRLF line ends, quotes only where needed."""
    def quoted(cell: str) -> str:
        return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\n') else cell
    lines = [",".join(quoted(c) for c in line) for line in [header, *rows]]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def write_exit_tickets(folder: Path) -> Path:
    return write_csv(folder / "exit tickets.csv", EXIT_TICKET_HEADER, EXIT_TICKET_ROWS)


def write_gradebook(folder: Path, header: list[str] | None = None, rows: list[list[object]] | None = None) -> Path:
    """A gradebook workbook: a cover sheet of notes, then sheet 'Q1' with one column per skill."""
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Mrs. Patel's Grade 3 gradebook"])
    sheet = workbook.create_sheet("Q1")
    sheet.append(header or GRADEBOOK_HEADER)
    for row in rows if rows is not None else GRADEBOOK_ROWS:
        sheet.append(row)
    path = folder / "gradebook.xlsx"
    workbook.save(path)
    return path
