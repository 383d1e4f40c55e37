"""The tables a SOURCE holds, read safely: a CSV or tab-delimited file, an .xlsx workbook, or a folder or ZIP of
them. Files over the size cap, ZIP bombs, binary junk and text in an unknown encoding are refused with a problem
naming the file; nothing here raises on a user's file.

A table keeps its text and parses rows as they are asked for, so a 50,000-row export is never held twice.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import overload

from rotation.io import cells, xlsx
from rotation.io.problems import Problems

MAX_FILE_BYTES = xlsx.MAX_FILE_BYTES  # 50 MB, a file or a ZIP member unpacked
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES  # every member of a ZIP together
MAX_RATIO = 200  # unpacked / packed: real CSVs pack 5-20 times; a bomb packs thousands of times
MAX_MEMBERS = 2_000
MAX_ROWS = xlsx.MAX_ROWS
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")
# Characters a Windows-1252 file holds in names and titles; anything else means the encoding is not that one.
_WINDOWS_PUNCTUATION = set("’‘“”–—…·°€£©®™«»¿¡ºª")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # never in text; a NUL is binary data or UTF-16
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SIGNATURES = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook, or a password-protected one"),
               (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
               (b"%PDF-", "a PDF document"), (b"{\\rtf", "an RTF document"))


def key(header: str) -> str:
    """Headers match case-insensitively, with spaces, hyphens and underscores alike: `Student ID` = `student_id`,
    `StudentID` = `studentid` (a reader looks up both where a format is written both ways)."""
    return xlsx.norm(header)


@dataclass
class Table:
    """One CSV file or sheet: its header, and its rows on demand as (row number, cells as stripped text)."""

    file: str  # as messages name it: "roster.zip/users.csv", "scores.xlsx"
    sheet: str | None
    header: list[str]  # as written
    _text: str | None = None
    _rows: list[tuple[int, list[str]]] | None = None
    _delimiter: str = ","
    columns: dict[str, int] = field(default_factory=dict)  # key(header) -> position; the first of duplicates

    def __post_init__(self) -> None:
        for i, name in enumerate(self.header):
            if name and key(name) not in self.columns:
                self.columns[key(name)] = i

    @property
    def stem(self) -> str:
        """What the table is called, to recognise it: a file's name without folders or suffix, or a sheet's."""
        return key(self.sheet if self.sheet else PurePosixPath(self.file).stem)

    def has(self, *keys: str) -> bool:
        return all(k in self.columns for k in keys)

    def column(self, *names: str) -> int | None:
        """The position of the first of `names` (keys, in order of preference) the header has."""
        for name in names:
            if name in self.columns:
                return self.columns[name]
        return None

    @overload
    def written(self, position: int) -> str: ...
    @overload
    def written(self, position: None) -> None: ...
    def written(self, position: int | None) -> str | None:
        """A column's header as the file writes it, for messages (None for a column the file lacks)."""
        return None if position is None else self.header[position]

    def rows(self, problems: Problems) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank row below the header with its row number (the header is row 1), cells padded to the
        header's width; a row the CSV reader cannot read is a problem, and reading stops there."""
        if self._rows is not None:
            yield from self._rows
            return
        width = len(self.header)
        text = self._text or ""
        stream = io.StringIO(text)
        reader = csv.reader(stream, delimiter=self._delimiter)
        number = 1
        last = end = 0  # where the last record read starts in the text, and where it ends
        try:
            next(reader, None)
            end = stream.tell()
            for number, record in enumerate(reader, start=2):
                last, end = end, stream.tell()
                if number > MAX_ROWS + 1:
                    problems.add_in(self.file, f"more than {MAX_ROWS} rows; files that long are refused")
                    return
                cells_ = [c.strip() for c in record]
                if not any(cells_):
                    continue
                if len(cells_) < width:
                    cells_.extend([""] * (width - len(cells_)))
                yield number, cells_
        except csv.Error as error:
            problems.add_in(self.file, _csv_error(error), row=number + 1)
            return
        if _open_at_end(text, last, self._delimiter):
            problems.add_in(self.file, "cannot be read as CSV: a quote opened on this row never closes, so the rest "
                            "of the file would be one cell (a stray \" or a file cut short)", row=number)

    def problem(self, problems: Problems, message: str, row: int | None = None, column: int | str | None = None
                ) -> None:
        """A problem in this table, its column named as the file writes it."""
        name = self.written(column) if isinstance(column, int) else column
        problems.add_in(self.file, message, self.sheet, row, name)


def text_at(row: list[str], position: int | None) -> str:
    """A cell's text, or "" where the file has no such column."""
    return row[position] if position is not None else ""


def read_source(path: Path, problems: Problems) -> list[Table]:
    """Every table of a SOURCE: a file, a folder (its files, not its subfolders) or a ZIP; [] with problems when
    it cannot be read."""
    if not path.exists():
        problems.add("file or folder not found")
        return []
    if path.is_dir():
        members = sorted(p for p in path.iterdir() if p.is_file() and _wanted(p.name))
        if not members:
            problems.add("the folder holds no .csv or .xlsx files")
        return [t for p in members for t in _read_file(p, p.name, problems)]
    return _read_file(path, path.name, problems)


def _wanted(name: str) -> bool:
    return not name.startswith((".", "~$")) and name.lower().endswith((*TEXT_SUFFIXES, ".xlsx"))


def _read_file(path: Path, name: str, problems: Problems) -> list[Table]:
    try:
        size = path.stat().st_size
    except OSError as error:
        problems.add_in(name, f"cannot be read ({error.strerror or error})")
        return []
    if size == 0:
        problems.add_in(name, "the file is empty")
        return []
    if size > MAX_FILE_BYTES:
        problems.add_in(name, f"the file is {size // 2**20} MB; files over {MAX_FILE_BYTES // 2**20} MB are refused")
        return []
    if zipfile.is_zipfile(path):
        return _read_zip(path, name, problems) if not _is_workbook(path) else _read_workbook(path, name, problems)
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.add_in(name, f"cannot be read ({error.strerror or error})")
        return []
    table = text_table(data, name, problems)
    return [table] if table else []


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _read_zip(path: Path, name: str, problems: Problems) -> list[Table]:
    """The CSV files of a ZIP (folders inside it flattened), refusing bombs before unpacking anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and _wanted(PurePosixPath(i.filename).name)]
            if len(infos) > MAX_MEMBERS:
                problems.add_in(name, f"the ZIP holds {len(infos)} files; more than {MAX_MEMBERS} are refused")
                return []
            stated = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if stated > MAX_UNPACKED_BYTES or (stated > MAX_FILE_BYTES // 10 and stated / packed > MAX_RATIO):
                problems.add_in(name, f"the ZIP unpacks to {stated // 2**20} MB from {_size(packed)}: "
                                "such files (ZIP bombs) are refused")
                return []
            if not infos:
                inner = any(i.filename.lower().endswith(".zip") for i in archive.infolist())
                problems.add_in(name, "the ZIP holds no .csv files" + (
                    ", only another ZIP: unpack that one and give it on its own" if inner else ""))
                return []
            tables = []
            for info in infos:
                member = f"{name}/{PurePosixPath(info.filename).name}"
                if info.filename.lower().endswith(".xlsx"):
                    problems.add_in(member, "a workbook inside a ZIP is not read: unpack it and give it on its own")
                    continue
                if info.flag_bits & 0x1:
                    problems.add_in(member, "is encrypted (protected by a password): give the ZIP without one")
                    continue
                with archive.open(info) as stream:
                    data = stream.read(MAX_FILE_BYTES + 1)  # never trust the stated size
                if len(data) > MAX_FILE_BYTES:
                    problems.add_in(member, f"unpacks to more than {MAX_FILE_BYTES // 2**20} MB; files that big "
                                    "are refused")
                    continue
                table = text_table(data, member, problems)
                if table:
                    tables.append(table)
            return tables
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as error:
        problems.add_in(name, f"cannot be read as a ZIP ({type(error).__name__}: {error})")
        return []
    except RuntimeError as error:  # an encrypted member
        problems.add_in(name, f"cannot be read as a ZIP ({error}); give it without a password")
        return []


def _size(count: int) -> str:
    return f"{count // 2**20} MB" if count >= 2**20 else f"{max(1, count // 2**10)} KB"


def _read_workbook(path: Path, name: str, problems: Problems) -> list[Table]:
    """Every sheet of a workbook, its cells as the teacher sees them (dates as YYYY-MM-DD)."""
    wb = xlsx.open_workbook(path, problems)
    if wb is None:
        return []
    tables = []
    try:
        for ws in wb.worksheets:
            if (ws.max_row or 0) > MAX_ROWS + 1:
                problems.add_in(name, f"{ws.max_row - 1} rows; sheets over {MAX_ROWS} rows are refused", ws.title)
                continue
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # read-only mode trusts the file's stated size, which some tools get wrong
            values = ws.iter_rows(values_only=True)
            header = [cells.text(v) if v is not None else "" for v in next(values, None) or ()]
            rows = []
            for number, record in enumerate(values, start=2):
                texts = [cells.text(v) if v is not None else "" for v in record]
                if any(texts):
                    texts.extend([""] * (len(header) - len(texts)))
                    rows.append((number, texts))
            if any(header):
                tables.append(Table(name, ws.title, header, _rows=rows))
    except Exception as error:  # whatever a strange file trips in openpyxl is bad input, never a traceback
        problems.add_in(name, xlsx.unreadable(error))
        return []
    finally:
        wb.close()
    if not tables:
        problems.add_in(name, "the workbook has no sheet with a header row")
    return tables


def _open_at_end(text: str, last: int, delimiter: str) -> bool:
    """Whether the text ends inside a quoted cell, which csv's lenient reading takes without a word (strict
    reading says so, but also refuses stray quotes that Excel reads: it stops there and this says no).

    `last` is where the lenient reading's last record starts. Only that record can be open at the end, and the
    two readings split records alike up to the first stray quote, so the strict reading looks at it alone; only
    when it is open is the whole text read strictly, for a stray quote before it (then this says no)."""
    return '"' in text[last:] and _strict_open(text[last:], delimiter) and (last == 0 or _strict_open(text, delimiter))


def _strict_open(text: str, delimiter: str) -> bool:
    try:
        for _ in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _csv_error(error: csv.Error) -> str:
    if "field limit" in str(error):
        return (f"cannot be read as CSV: a cell holds more than {csv.field_size_limit():,} characters (a quote "
                "left open, or not a table)")
    return f"cannot be read as CSV ({error})"


def text_table(data: bytes, name: str, problems: Problems) -> Table | None:
    """A CSV or tab-delimited file's table: UTF-8 (with or without a BOM), UTF-16 with a BOM, or Windows-1252
    names; None with a problem for binary data or another encoding."""
    text = decode(data, name, problems)
    if text is None:
        return None
    first = text[:end] if (end := text.find("\n")) >= 0 else text  # not split(): that copies the rest of the file
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
    except csv.Error as error:
        problems.add_in(name, _csv_error(error), row=1)
        return None
    header = [h.strip() for h in header]
    if not any(header):
        problems.add_in(name, "the first row is blank; it must name the columns", row=1)
        return None
    return Table(name, None, header, _text=text, _delimiter=delimiter)


def decode(data: bytes, name: str, problems: Problems) -> str | None:
    refused = _not_text(data)
    if refused is not None:
        message, at = refused
        problems.add_in(name, message, row=data[:at].count(b"\n") + 1)
        return None
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"  # the BOM says which
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        windows = _windows_names(data)
        if windows is None:
            row = data[: error.start].count(b"\n") + 1
            problems.add_in(name, f"is not UTF-8 text (byte 0x{data[error.start]:02X} cannot be read); save it "
                            "from your spreadsheet as 'CSV UTF-8'", row=row)
            return None
        text = windows
    junk = _CONTROL.search(text)
    if junk:
        problems.add_in(name, "is not a text file: it holds binary data (save it as CSV or .xlsx)",
                        row=text.count("\n", 0, junk.start()) + 1)
        return None
    return text


def _not_text(data: bytes) -> tuple[str, int] | None:
    """Why bytes are no text this reads, and where (a byte offset), before any decoding: a known binary format by
    its signature, UTF-32, UTF-16 without its byte-order mark, or other binary data (control bytes, which UTF-8 and
    Windows-1252 text never holds)."""
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            return f"is {what}, not a table (save it as CSV UTF-8 or .xlsx)", 0
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "is UTF-32 text; save it from your spreadsheet as 'CSV UTF-8'", 0
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with its BOM: NULs are half its bytes
    junk = _CONTROL_BYTES.search(data)
    if junk is None:
        return None
    head = data[:4096]
    if head.count(0) * 3 >= len(head):  # ASCII letters with NULs between them
        return ("is UTF-16 or UTF-32 text without a byte-order mark; save it from your spreadsheet as "
                "'CSV UTF-8'"), junk.start()
    return "is not a text file: it holds binary data (save it as CSV or .xlsx)", junk.start()


def _windows_names(data: bytes) -> str | None:
    """The text of a Windows-1252 file (Excel's plain 'CSV' in the US and Western Europe), when every character
    outside ASCII is a letter or common punctuation; None when it is some other encoding."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all(c.isalpha() or c in _WINDOWS_PUNCTUATION for c in _NOT_ASCII.findall(text)):
        return text
    return None
