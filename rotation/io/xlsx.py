"""Safe reading and writing of .xlsx files: size limits, header matching, typed cells, atomic saves."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml.common import DefusedXmlException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from rotation.io.problems import Problems

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 10 * MAX_FILE_BYTES  # a small file that inflates hugely is a zip bomb
MAX_ROWS = 200_000


def norm(name: object) -> str:
    """Sheet and header names match case-insensitively, with spaces, hyphens and underscores alike."""
    return re.sub(r"[\s_\-]+", "_", str(name).strip().lower())


def open_workbook(path: str | Path, problems: Problems) -> Workbook | None:
    """Open a workbook for reading values, or add a problem and return None."""
    path = Path(path)
    if not path.is_file():
        problems.add("file not found" if not path.exists() else "not a file")
        return None
    size = path.stat().st_size
    if size == 0:
        problems.add("the file is empty")
        return None
    if size > MAX_FILE_BYTES:
        problems.add(f"the file is {size // (1024 * 1024)} MB; files over 50 MB are refused")
        return None
    if not zipfile.is_zipfile(path):
        problems.add("not an .xlsx workbook (save it from your spreadsheet as Excel .xlsx)")
        return None
    if _unpacked_bytes(path) > MAX_UNPACKED_BYTES:
        problems.add(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB; such files are refused")
        return None
    try:
        # openpyxl parses XML through defusedxml when it is installed (it is a dependency).
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # any broken archive or XML is bad input, never a traceback
        problems.add(unreadable(error))
        return None


def unreadable(error: BaseException) -> str:
    """One line saying why a workbook cannot be read: an XML bomb named as such, else what openpyxl's own error
    wraps (its ValueError spans three lines and names a temporary path), first line only."""
    chain = [error]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and cause not in chain:
        chain.append(cause)
    if any(isinstance(e, DefusedXmlException) for e in chain):
        return ("cannot be read as an .xlsx workbook: its XML declares entities (a DTD), as XML bombs do; such "
                "files are refused (save it again from your spreadsheet)")
    inner = chain[-1]
    first = (str(inner).strip().splitlines() or [""])[0][:200]
    return f"cannot be read as an .xlsx workbook ({type(inner).__name__}: {first})" if first else \
        f"cannot be read as an .xlsx workbook ({type(inner).__name__})"


def _unpacked_bytes(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0  # openpyxl will report the broken archive


def find_sheet(wb: Workbook, name: str) -> Worksheet | None:
    wanted = norm(name)
    for ws in wb.worksheets:
        if norm(ws.title) == wanted:
            return ws
    return None


@dataclass(frozen=True)
class Row:
    """One data row of a sheet: values by normalised header, with the header as the user wrote it."""

    number: int
    values: dict[str, Any]
    headers: dict[str, str]

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def column(self, key: str) -> str:
        return self.headers.get(key, key)


def read_rows(ws: Worksheet, problems: Problems) -> tuple[dict[str, str], list[Row]]:
    """The header (normalised -> as written) and the non-blank rows below it."""
    if (ws.max_row or 0) > MAX_ROWS + 1:
        problems.add(f"{ws.max_row - 1} rows; sheets over {MAX_ROWS} rows are refused", sheet=ws.title)
        return {}, []
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # read-only mode trusts the file's stated size, which some tools get wrong
    rows = ws.iter_rows(values_only=True)
    header_cells = next(rows, None) or ()
    headers: dict[str, str] = {}
    positions: list[str | None] = []
    for cell in header_cells:
        text = "" if cell is None else str(cell).strip()
        key = norm(text) if text else None
        if key in headers:
            problems.add(f"column '{text}' appears twice", sheet=ws.title, row=1, column=text)
            key = None
        if key:
            headers[key] = text
        positions.append(key)
    out: list[Row] = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            problems.add(f"more than {MAX_ROWS} rows; sheets that long are refused", sheet=ws.title)
            break
        values = {key: _clean(value) for key, value in zip(positions, cells, strict=False) if key}
        if all(v is None for v in values.values()):
            continue
        out.append(Row(number, values, headers))
    return headers, out


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def write_text_cell(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; text is always stored as text, so "=", "+", "-" or "@" never start a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, dt.time):
        cell.value = f"{value.hour:02d}:{value.minute:02d}"
        cell.data_type = "s"
    else:
        cell.value = value


def refuse_unsafe_target(path: str | Path, sources: dict[str, Path]) -> None:
    """Refuse to write where a teacher's file would be lost: a folder, a non-.xlsx name, or one of `sources`
    (what each is, by path) however it is spelt: relative, absolute, through links or in another case."""
    path = Path(path)
    problems = Problems.of(path)
    if path.is_dir():
        problems.add("is a folder; name the plan file to write, e.g. " + str(path / "plan.xlsx"))
    elif path.suffix.lower() != ".xlsx":
        problems.add("a plan is written as an .xlsx workbook; give a file name that ends in .xlsx")
    elif path.exists():
        for what, source in sources.items():
            if source.exists() and os.path.samefile(path, source):
                problems.add(f"is {what} ({source}); writing the plan there would replace it: "
                             "give the plan another file name")
    if path.parent.exists() and not path.parent.is_dir():
        problems.add(f"cannot be written: {path.parent} is a file, not a folder")
    problems.raise_if_any()


def save_atomically(wb: Workbook, path: str | Path) -> None:
    """Save `wb` to a temporary file beside the target, then rename: a crash never leaves half a file."""
    write_atomically(path, wb.save)


def write_atomically(path: str | Path, write: Callable[[str], None]) -> None:
    """`write` a temporary file beside the target, then rename it to the target: never half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes the file private; a plan is an ordinary document
        write(tmp)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's umask, which os.umask only tells by setting it: the permissions an ordinary file gets."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
