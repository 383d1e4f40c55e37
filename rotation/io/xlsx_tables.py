"""Workbooks of plain tables written straight as SpreadsheetML: each sheet a bold header in a frozen row 1, then rows
of text, numbers, dates and times (as HH:MM text), columns as wide as given.

openpyxl writes a cell through an XML element of its own (tens of microseconds a cell without lxml); a planning
workbook's Mastery sheet has a quarter of a million rows after a district's MAP import, so its sheets are written
here, a few string operations a cell. Text is always text (shared strings, never a formula); dates show as
YYYY-MM-DD, as openpyxl writes them. openpyxl reads the result back like any workbook.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from rotation.domain.week import hhmm

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = dt.datetime(1899, 12, 30)
# Cell styles (cellXfs in STYLES): 1 the bold header, 2 a date, 3 a date and time.
BOLD, DATE, DATE_TIME = 1, 2, 3
STYLES = f"""{HEAD}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/>\
<name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>\
</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


class _Strings:
    """The shared strings: each text once, cells name it by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def of(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            if ILLEGAL_CHARACTERS_RE.search(text):
                raise IllegalCharacterError(f"{text!r} cannot be used in worksheets.")
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' if t != t.strip() else
                        f"<si><t>{escape(t)}</t></si>" for t in self.index)
        return f'{HEAD}<sst xmlns="{MAIN}" count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>'


def write_tables(path: str | Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]],
                                                           Sequence[float]]]) -> None:
    """Write `sheets`, each (title, header, rows, column widths), as a workbook at `path`. A cell is text, a number,
    a bool, a date, a date and time, a time (written as HH:MM text), or None or "" (no cell)."""
    strings = _Strings()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n, (_, header, rows, widths) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w") as out:
                for chunk in _sheet(header, rows, widths, strings):
                    out.write(chunk.encode())
        archive.writestr("xl/sharedStrings.xml", strings.xml())
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/workbook.xml", HEAD + f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
                         + "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                                   for n, (title, *_) in enumerate(sheets, start=1)) + "</sheets></workbook>")
        count = len(sheets)
        archive.writestr("xl/_rels/workbook.xml.rels", HEAD + f'<Relationships xmlns="{PACKAGE}">' + "".join(
            f'<Relationship Id="rId{n}" Type="{DOCUMENT}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1))
            + f'<Relationship Id="rId{count + 1}" Type="{DOCUMENT}/styles" Target="styles.xml"/>'
            + f'<Relationship Id="rId{count + 2}" Type="{DOCUMENT}/sharedStrings" Target="sharedStrings.xml"/>'
            + "</Relationships>")
        archive.writestr("_rels/.rels", HEAD + f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                         f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("[Content_Types].xml", HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/'
                         '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                         'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                         f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
                         f'<Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+xml"/>'
                         f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
                         + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                                   f'ContentType="{TYPES}.worksheet+xml"/>' for n in range(1, count + 1))
                         + "</Types>")


def _sheet(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
           strings: _Strings) -> Iterable[str]:
    """A worksheet's XML, a thousand rows at a time."""
    width = max(len(header), len(widths), max(map(len, rows), default=1))
    letters = [get_column_letter(c) for c in range(1, width + 1)]
    cols = "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in enumerate(widths, 1)
                   if w)
    yield (f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
           f'<dimension ref="A1:{letters[-1]}{len(rows) + 1}"/>'
           '<sheetViews><sheetView workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}<sheetData>')
    titles = "".join(f'<c r="{letters[c]}1" s="{BOLD}" t="s"><v>{strings.of(t)}</v></c>'
                     for c, t in enumerate(header) if t)
    part = [f'<row r="1">{titles}</row>']
    for r, values in enumerate(rows, start=2):
        cells = []
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            at = f"{letters[c]}{r}"
            if isinstance(value, str):
                cells.append(f'<c r="{at}" t="s"><v>{strings.of(value)}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{at}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{at}"><v>{value:.16g}</v></c>' if isinstance(value, float) else
                             f'<c r="{at}"><v>{value}</v></c>')
            elif isinstance(value, dt.datetime):
                days = (value - EPOCH) / dt.timedelta(days=1)
                cells.append(f'<c r="{at}" s="{DATE_TIME}"><v>{days:.16g}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{at}" s="{DATE}"><v>{(value - EPOCH.date()).days}</v></c>')
            elif isinstance(value, dt.time):  # as text, as xlsx.write_text_cell writes it
                cells.append(f'<c r="{at}" t="s"><v>{strings.of(hhmm(value))}</v></c>')
            else:
                raise TypeError(f"a {type(value).__name__} cannot be written to a cell: {value!r}")
        part.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(part) >= 1000:
            yield "".join(part)
            part = []
    yield "".join(part) + "</sheetData></worksheet>"
