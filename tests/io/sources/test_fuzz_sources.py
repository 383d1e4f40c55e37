"""Every importer fuzzed over mutated sample sets: real OneRoster exports from ../shared/data when that folder is
there, and the sets the tests write themselves (always, and in place of the real ones in a fresh clone).

The property: `reading.read` and `merge.combine` either succeed, or raise BadInput whose every problem names its
file, and whose every problem about a cell names its row and column. No other exception escapes, and no problem
is the last-resort "cannot be read (KeyError: ...)" that reading.py makes of a reader's own slip.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
import random
import re
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.utils.exceptions import IllegalCharacterError

from rotation.io.problems import BadInput, Problem
from rotation.io.sources import merge, reading
from rotation.io.sources.mapped import Mapping
from tests.io.sources import mapped_samples, roster_samples, score_samples

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "oneroster"
# FUZZ_N=2000 runs more examples, drawn afresh each run, to hunt for bugs; by default CI runs 60, the same each run.
HUNT = int(os.environ.get("FUZZ_N", "0"))
FUZZ = settings(max_examples=HUNT or 60, deadline=None, derandomize=not HUNT, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# How reading.py words a reader's own exception turned into a problem: a bug the fuzzing must show, not hide.
HIDDEN_BUG = re.compile(r"^cannot be read \([A-Za-z_][A-Za-z0-9_.]*: ")
# Problems about the file from a row on, not one cell: they name the row only (found by fuzzing: unreadable CSV,
# bytes that are no UTF-8, binary data). Every other problem below the header names its column too.
ROW_PROBLEMS = re.compile(r"^(cannot be read as CSV|is not UTF-8 text|is not a text file|more than \d+ rows)")


@dataclass(frozen=True)
class SampleSet:
    """A source as files: name -> bytes (one file when `single`, else a folder of them)."""

    name: str
    files: dict[str, bytes]
    single: bool = False
    mapping: Mapping | None = None

    def write(self, root: Path, files: dict[str, bytes]) -> Path:
        if self.single:
            ((name, data),) = files.items()
            path = root / name
            path.write_bytes(data)
            return path
        folder = root / self.name
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return folder


def _files_of(write: Callable[[Path], Path]) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "set")
        if path.is_file():
            return {path.name: path.read_bytes()}
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def _oneroster(real: str) -> SampleSet:
    folder = SHARED / real
    if folder.is_dir():  # a real export; a fresh clone has none and fuzzes the written set instead
        return SampleSet(real, {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))})
    return SampleSet(real, _files_of(lambda f: roster_samples.write_oneroster_12(f, students=5, classes=2)))


def _single(name: str, write: Callable[[Path], Path], mapping: Mapping | None = None) -> SampleSet:
    def written(folder: Path) -> Path:
        folder.mkdir(parents=True)
        return write(folder / name)

    files = _files_of(written)
    return SampleSet(name, files, single=True, mapping=mapping)


def _same_bytes(sample_set: SampleSet) -> SampleSet:
    return dataclasses.replace(sample_set, files={n: _same_bytes_each_time(d) for n, d in sample_set.files.items()})


SETS: dict[str, Callable[[], SampleSet]] = {
    "oneroster-1.1": lambda: _oneroster("moodle-1.1-full"),
    "oneroster-1.2": lambda: _oneroster("moodle-1.2"),
    "sds": lambda: _oneroster("sds-2.1"),
    "oneroster-written": lambda: SampleSet("written", _files_of(
        lambda f: roster_samples.write_oneroster_12(f, students=5, classes=2))),
    "clever": lambda: SampleSet("clever", _files_of(lambda f: roster_samples.write_clever(f, students=5))),
    "map": lambda: SampleSet("map", _files_of(lambda f: score_samples.write_map(f, students=4))),
    "iready": lambda: _single("iready.csv", lambda p: score_samples.write_iready(p, students=4)),
    "star": lambda: _single("star.csv", lambda p: score_samples.write_star(p, students=4)),
    "mapped": lambda: _single("exit tickets.csv", lambda p: mapped_samples.write_exit_tickets(p.parent),
                              mapped_samples.EXIT_TICKETS),
    # A workbook's bytes mutated: truncated, bytes spliced in, or its text (the ZIP read as CSV) rewritten.
    "mapped-xlsx": lambda: _same_bytes(_single("gradebook.xlsx", lambda p: mapped_samples.write_gradebook(p.parent),
                                               mapped_samples.GRADEBOOK)),
}
_cache: dict[str, SampleSet] = {}


def sample(kind: str) -> SampleSet:
    if kind not in _cache:
        _cache[kind] = SETS[kind]()
    return _cache[kind]


# ---- mutations -------------------------------------------------------------------------------------------------

JUNK = st.sampled_from(['"', ",", ";", "\t", "\n", "\r\n", "\x00", "\ufeff", "é", "Zoë", "名前", "🙂", "\u202e",
                        '""', '"a,b"', "=1+1", " ", "-1", "1e309", "nan", "9999999999999999999", "2025-13-45",
                        "0x1F", "\\", "tobedeleted"])
CELL_TEXT = st.one_of(JUNK, st.text(max_size=12), st.integers(-10**6, 10**6).map(str))
CELL_VALUE = st.one_of(CELL_TEXT, st.none(), st.booleans(), st.integers(-10**12, 10**12),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
                       st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)), st.times())


def _rows(data: bytes) -> tuple[list[list[str]], str]:
    text = data.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)], delimiter
    except csv.Error:
        return [line.split(delimiter) for line in text.splitlines()], delimiter


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    """The set with one to three random mutations, each to one file."""
    files = dict(files)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        what = draw(st.sampled_from(["delete row", "duplicate row", "swap rows", "blank cell", "junk cell",
                                     "insert in cell", "drop column", "rename column", "reorder columns",
                                     "long cell", "delimiter", "truncate", "bytes", "drop file", "empty file"]))
        note(f"{what} in {name}")
        data = files[name]
        if what == "drop file":
            if len(files) > 1:
                del files[name]
            continue
        if what == "empty file":
            files[name] = b""
            continue
        if what == "truncate":
            files[name] = data[: len(data) * draw(st.integers(0, 1000)) // 1000]  # a share: a saved workbook's
            # length changes with its timestamp, and hypothesis wants the same draws for the same choices
            continue
        if what == "bytes":
            at = len(data) * draw(st.integers(0, 1000)) // 1000
            files[name] = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
            continue
        sheet = _sheet_rows(data) if name.endswith(".xlsx") and what != "delimiter" and draw(st.booleans()) else None
        workbook = sheet is not None
        rows, delimiter = (sheet, ",") if sheet is not None else _rows(data)
        if not rows:
            continue
        r = draw(st.integers(0, len(rows) - 1))
        width = max(len(row) for row in rows) or 1
        c = draw(st.integers(0, width - 1))
        if what == "delete row":
            del rows[r]
        elif what == "duplicate row":
            rows.insert(r, list(rows[r]))
        elif what == "swap rows":
            s = draw(st.integers(0, len(rows) - 1))
            rows[r], rows[s] = rows[s], rows[r]
        elif what in ("blank cell", "junk cell", "insert in cell", "long cell"):
            row = rows[r]
            row.extend([""] * (c + 1 - len(row)))
            if what == "blank cell":
                row[c] = ""
            elif what == "junk cell":
                row[c] = draw(CELL_VALUE if workbook else CELL_TEXT)
            elif what == "insert in cell":
                text = "" if row[c] is None else str(row[c])
                at = draw(st.integers(0, len(text)))
                row[c] = text[:at] + draw(JUNK) + text[at:]
            else:
                row[c] = draw(st.sampled_from(["x", "1", "é"])) * draw(st.sampled_from([1000, 140_000]))
        elif what == "drop column":
            rows = [row[:c] + row[c + 1:] for row in rows]
        elif what == "rename column":
            rows[0] = list(rows[0])
            rows[0].extend([""] * (c + 1 - len(rows[0])))
            rows[0][c] = draw(CELL_TEXT)
        elif what == "reorder columns":
            order = draw(st.permutations(list(range(width))))
            rows = [[row[i] if i < len(row) else "" for i in order] for row in rows]
        elif what == "delimiter":
            delimiter = draw(st.sampled_from([";", "\t", "|", " "]))
        files[name] = _workbook(data, rows) if workbook else _csv(rows, delimiter)
    return files


def _sheet_rows(data: bytes) -> list[list[Any]] | None:
    """The values of a workbook's last sheet (the gradebook's scores), to mutate as typed cells; None when an
    earlier mutation left no workbook."""
    try:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[-1]
    except Exception:
        return None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _workbook(data: bytes, rows: list[list[Any]]) -> bytes:
    """The workbook with its last sheet's values replaced; a value a sheet cannot hold (a control character)
    written as '?'."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    old = workbook.worksheets[-1]
    title = old.title
    workbook.remove(old)
    sheet = workbook.create_sheet(title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            try:
                sheet.cell(r, c).value = value
            except IllegalCharacterError:
                sheet.cell(r, c).value = "?"
    saved = io.BytesIO()
    workbook.save(saved)
    return _same_bytes_each_time(saved.getvalue())


def _same_bytes_each_time(data: bytes) -> bytes:
    """A saved workbook without the time it was saved (in its ZIP entries and docProps/core.xml): hypothesis
    replays a test case by its draws, which must not hang on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            member = source.read(name)
            if name == "docProps/core.xml":
                member = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", member)
            target.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), member, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---- the property ----------------------------------------------------------------------------------------------

def _event(outcome: str) -> None:
    if currently_in_test_context():  # shown by --hypothesis-show-statistics: how many are read, how many refused
        event(outcome)


def check_read(sample_set: SampleSet, files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = sample_set.write(Path(tmp), files)
        try:
            found = reading.read(path, sample_set.mapping)
            merge.combine([found], skip_unknown=True)
            merge.combine([found])
            _event("read")
        except BadInput as bad:
            _event("refused")
            assert bad.problems, "BadInput without a problem"
            names = {path.name, "import", *files}
            for problem in bad.problems:
                check_problem(problem, names)


def check_problem(problem: Problem, names: set[str]) -> None:
    assert problem.file, f"a problem names no file: {problem}"
    assert problem.file in names, f"a problem names a file of no source: {problem} (files: {sorted(names)})"
    assert not HIDDEN_BUG.search(problem.message), f"a reader's own exception hidden as bad input: {problem}"
    assert "Traceback" not in problem.message, f"a traceback as a problem: {problem!r}"
    if problem.row is not None and problem.row > 1 and not ROW_PROBLEMS.search(problem.message):
        assert problem.column, f"a problem about a cell names no column: {problem}"


@pytest.mark.parametrize("kind", list(SETS))
@FUZZ
@given(data=st.data())
def test_a_mutated_source_is_read_or_refused_with_every_problem_placed(kind: str, data: st.DataObject) -> None:
    sample_set = sample(kind)
    check_read(sample_set, data.draw(mutated(sample_set.files), label="files"))


@pytest.mark.parametrize("kind", list(SETS))
def test_each_sample_set_reads_without_a_problem(kind: str) -> None:
    """The fuzzing starts from sets that are good: a mutation is what breaks them."""
    sample_set = sample(kind)
    with tempfile.TemporaryDirectory() as tmp:
        found = reading.read(sample_set.write(Path(tmp), sample_set.files), sample_set.mapping)
        merge.combine([found], skip_unknown=True)


def test_the_real_samples_are_fuzzed_when_shared_data_is_there() -> None:
    if not SHARED.is_dir():
        pytest.skip("no ../shared/data: the written sets stand in for the real ones (the test below)")
    for kind, folder in (("oneroster-1.1", "moodle-1.1-full"), ("oneroster-1.2", "moodle-1.2"), ("sds", "sds-2.1")):
        assert sample(kind).files == {p.name: p.read_bytes() for p in sorted((SHARED / folder).glob("*.csv"))}


def test_in_a_fresh_clone_the_written_sets_stand_in_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Without ../shared every OneRoster property still runs, on a set the tests write: never skipped."""
    monkeypatch.setattr(sys.modules[__name__], "SHARED", tmp_path / "no such folder")
    stand_in = SETS["sds"]()
    assert "users.csv" in stand_in.files and "enrollments.csv" in stand_in.files
    found = reading.read(stand_in.write(tmp_path, stand_in.files))
    assert found.kind.startswith("OneRoster") and len(found.students) == 5


def test_a_reader_bug_hidden_as_bad_input_fails_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    """reading.py turns a reader's own exception into "cannot be read (KeyError: ...)"; the property calls that a
    bug, so fuzzing shows it instead of passing it off as the user's bad file."""
    def slip(*args: object) -> NoReturn:
        raise KeyError("Overall Scale Score")

    monkeypatch.setattr(reading, "KINDS", tuple(dataclasses.replace(k, read=slip) for k in reading.KINDS))
    with pytest.raises(AssertionError, match="hidden as bad input"):
        check_read(sample("iready"), sample("iready").files)


# ---- hostile files: each refused in words naming the file -------------------------------------------------------

STAR_HEADER = ",".join(score_samples.STAR_HEADER)


def refused(path: Path, mapping: Mapping | None = None) -> str:
    """Every problem of reading `path`, one per line; the test fails when it is read."""
    with pytest.raises(BadInput) as bad:
        reading.read(path, mapping)
    for problem in bad.value.problems:
        assert problem.file.startswith(path.name), problem
        assert not HIDDEN_BUG.search(problem.message), problem
    return str(bad.value)


def iready_text() -> str:
    return next(iter(sample("iready").files.values())).decode("utf-8")


def _zip_of_repeated_csv(path: Path, megabytes: int) -> Path:
    """A ZIP of one CSV of `megabytes` MB of one row over and over, written a chunk at a time (never in memory)."""
    chunk = b"100200,Ava,Nguyen,3\n" * 50_000  # 1 MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("results.csv", "w") as out:
        out.write(b"Student ID,First Name,Last Name,Grade\n")
        for _ in range(megabytes):
            out.write(chunk)
    return path


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    """20 MB packed to a few dozen KB: under every size cap, refused by its ratio alone."""
    bomb = _zip_of_repeated_csv(tmp_path / "scores.zip", 20)
    assert bomb.stat().st_size < 200_000
    assert re.fullmatch(r"scores\.zip: the ZIP unpacks to 19 MB from \d+ KB: such files \(ZIP bombs\) are refused",
                        refused(bomb))


def test_a_zip_member_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    """A member of 51 MB is refused even when its ratio would pass (the bomb checks count stated sizes)."""
    archive_path = tmp_path / "big.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_STORED) as archive, archive.open("a.csv", "w") as out:
        out.write(b"Student ID,Score\n")
        for _ in range(51):
            out.write(b"1,2\n" * 262_144)
    text = refused(archive_path)
    assert text.startswith("big.zip"), text
    assert "MB" in text and ("refused" in text), text


def test_a_zip_whose_header_lies_about_a_members_size_is_refused(tmp_path: Path) -> None:
    """The headers say 1,000 bytes; the member unpacks to 12 MB. zipfile stops at the stated size and the
    checksum then fails: the ZIP is refused, never read in part."""
    path = _zip_of_repeated_csv(tmp_path / "lies.zip", 12)
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    data[local + 22:local + 26] = struct.pack("<I", 1000)
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = struct.pack("<I", 1000)
    path.write_bytes(bytes(data))
    assert refused(path) == "lies.zip: cannot be read as a ZIP (BadZipFile: Bad CRC-32 for file 'results.csv')"


def test_a_zip_inside_a_zip_is_refused_saying_to_unpack_it(tmp_path: Path) -> None:
    inner = _zip_of_repeated_csv(tmp_path / "inner.zip", 1)
    with zipfile.ZipFile(tmp_path / "outer.zip", "w") as archive:
        archive.write(inner, "inner.zip")
    assert refused(tmp_path / "outer.zip") == ("outer.zip: the ZIP holds no .csv files, only another ZIP: unpack "
                                               "that one and give it on its own")


def test_an_encrypted_zip_member_is_refused_by_name(tmp_path: Path) -> None:
    """zipfile cannot encrypt; the 'encrypted' flag set by hand is what a reader sees of a password-protected
    member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("users.csv", "sourcedId,givenName\n1,Ana\n")
    data = bytearray(buffer.getvalue())
    data[data.index(b"PK\x03\x04") + 6] |= 1
    data[data.index(b"PK\x01\x02") + 8] |= 1
    (tmp_path / "roster.zip").write_bytes(bytes(data))
    assert refused(tmp_path / "roster.zip") == ("roster.zip/users.csv: is encrypted (protected by a password): give "
                                                "the ZIP without one")


LAUGHS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_an_xlsx_xml_bomb_is_refused_in_one_line_naming_entities(tmp_path: Path, part: str) -> None:
    """Billion laughs in a workbook's XML: defusedxml refuses the entity declarations; the problem says so in one
    line (not openpyxl's three-line ValueError naming a temporary path)."""
    good = mapped_samples.write_gradebook(tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                text = data.decode("utf-8")
                body = text[text.index("?>") + 2:] if "?>" in text else text
                data = (LAUGHS + body.replace("<v>85</v>", "<v>&lol9;</v>")).encode("utf-8")
            out.writestr(name, data)
    assert refused(bomb, mapped_samples.GRADEBOOK) == (
        "bomb.xlsx: cannot be read as an .xlsx workbook: its XML declares entities (a DTD), as XML bombs do; such "
        "files are refused (save it again from your spreadsheet)")


def test_a_file_over_50_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:  # sparse: no 50 MB written
        out.write(STAR_HEADER.encode() + b"\n")
        out.truncate(51 * 2**20)
    assert refused(path) == "huge.csv: the file is 51 MB; files over 50 MB are refused"


def test_a_csv_over_200000_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    header = iready_text().splitlines()[0]
    path.write_text(header + "\n" + "100200,Nguyen,Ava\n" * 200_001, encoding="utf-8")
    assert refused(path) == "long.csv: more than 200000 rows; files that long are refused"


@pytest.mark.parametrize(("data", "message"), [
    (random.Random(3).randbytes(4000), "long.csv: row 1: is not a text file: it holds binary data (save it as CSV "
                                       "or .xlsx)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "long.csv: row 1: is a PNG image, not a table (save it "
                                                          "as CSV UTF-8 or .xlsx)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "long.csv: row 1: is a PDF "
                                                                            "document, not a table (save it as "
                                                                            "CSV UTF-8 or .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "long.csv: row 1: is an old Excel .xls workbook, or a "
                                                       "password-protected one, not a table (save it as CSV "
                                                       "UTF-8 or .xlsx)"),
], ids=["random", "png", "pdf", "xls"])
def test_binary_junk_is_refused_as_no_table(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "long.csv").write_bytes(data)
    assert refused(tmp_path / "long.csv") == message


@pytest.mark.parametrize(("encoding", "message"), [
    ("utf-16-le", "is UTF-16 or UTF-32 text without a byte-order mark"),
    ("utf-16-be", "is UTF-16 or UTF-32 text without a byte-order mark"),
    ("utf-32", "is UTF-32 text"),
    ("utf-32-le", "is UTF-16 or UTF-32 text without a byte-order mark"),
    ("shift_jis", "is not UTF-8 text (byte 0x96 cannot be read)"),
    ("iso8859_2", "is not UTF-8 text (byte 0xA3 cannot be read)"),
])
def test_text_in_an_encoding_not_read_is_refused_saying_to_save_as_csv_utf8(tmp_path: Path, encoding: str,
                                                                           message: str) -> None:
    text = iready_text().replace("Ava", "名前" if encoding == "shift_jis" else "Łódź Żółć")
    if encoding.startswith("utf"):
        text = iready_text()
    (tmp_path / "scores.csv").write_bytes(text.encode(encoding))
    said = refused(tmp_path / "scores.csv")
    assert said.startswith("scores.csv: row ") and message in said and "'CSV UTF-8'" in said, said


def test_a_cell_over_the_csv_field_limit_is_refused_naming_its_row(tmp_path: Path) -> None:
    text = iready_text().replace("Liam", "x" * 200_000)
    (tmp_path / "scores.csv").write_text(text, encoding="utf-8")
    assert refused(tmp_path / "scores.csv") == ("scores.csv: row 3: cannot be read as CSV: a cell holds more than "
                                                "131,072 characters (a quote left open, or not a table)")


def test_an_empty_file_a_folder_without_csvs_and_a_blank_header_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    assert refused(tmp_path / "empty.csv") == "empty.csv: the file is empty"
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "read me.docx").write_bytes(b"PK")
    assert refused(tmp_path / "notes") == "notes: the folder holds no .csv or .xlsx files"
    (tmp_path / "blank.csv").write_bytes(b"\r\n\r\nStudent ID\r\n")
    assert refused(tmp_path / "blank.csv") == "blank.csv: row 1: the first row is blank; it must name the columns"


def test_a_header_only_file_reads_as_nothing_to_import(tmp_path: Path) -> None:
    (tmp_path / "star.csv").write_text(STAR_HEADER + "\r\n", encoding="utf-8")
    found = reading.read(tmp_path / "star.csv")
    assert (found.kind, found.students, found.scores) == ("Renaissance Star", [], [])


def test_a_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert refused(tmp_path / "a.csv") == "a.csv: file or folder not found"
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "loop").symlink_to(folder)
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    assert refused(folder) == "set: the folder holds no .csv or .xlsx files"


# ---- the encodings and delimiters that are read ------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ","), ("utf-16", ","), ("cp1252", ","), ("utf-8", "\t"), ("utf-8", ";"), ("cp1252", ";"),
])
def test_accepted_encodings_and_delimiters_read_names_as_written(tmp_path: Path, encoding: str, delimiter: str
                                                                 ) -> None:
    rows = list(csv.reader(io.StringIO(iready_text())))
    rows[1][1:3] = ["Müller", "José"]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    (tmp_path / "scores.csv").write_bytes(out.getvalue().encode(encoding))
    found = reading.read(tmp_path / "scores.csv")
    assert (found.students[0].first_name, found.students[0].last_name) == ("José", "Müller")
    assert len(found.students) == len(rows) - 1


def test_a_stray_quote_never_swallows_the_rest_of_the_file_silently(tmp_path: Path) -> None:
    """csv reads an unclosed quote to the end of the file as one cell, without a word: every row after it would
    be lost. Found by fuzzing ("insert in cell" of a quote); refused naming the row it opens on."""
    lines = iready_text().split("\r\n")
    lines[2] = '"' + lines[2]
    (tmp_path / "scores.csv").write_text("\r\n".join(lines), encoding="utf-8")
    assert refused(tmp_path / "scores.csv") == (
        "scores.csv: row 3: cannot be read as CSV: a quote opened on this row never closes, so the rest of the file "
        "would be one cell (a stray \" or a file cut short)")


def test_a_quote_excel_reads_in_an_unquoted_cell_is_still_read(tmp_path: Path) -> None:
    lines = iready_text().split("\r\n")
    lines[2] = lines[2].replace("Liam", 'Liam "Li"', 1)
    (tmp_path / "scores.csv").write_text("\r\n".join(lines), encoding="utf-8")
    assert reading.read(tmp_path / "scores.csv").students[1].first_name == 'Liam "Li"'
