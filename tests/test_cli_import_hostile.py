"""`rotation import` with a broken or hostile source among good ones: exit 2, every problem named on stderr, and
no partial import: no --out written, an existing --out and the --into workbook left byte for byte as they were."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from resources.demo.build import grade3_math
from rotation.cli import main
from rotation.io.planning_workbook import write_planning_workbook
from tests.io.sources import roster_samples, score_samples


def _binary(folder: Path) -> Path:
    path = folder / "scores.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return path


def _truncated_star(folder: Path) -> Path:
    """A Star export cut short inside a quoted cell: the CSV cannot be read past it."""
    path = score_samples.write_star(folder / "star.csv", students=4)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b',"', 0, len(data) - 40) + 4])
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("results.csv", "w") as out:
        out.write(b"Student ID,Score\n")
        for _ in range(12):
            out.write(b"100200,3\n" * 116_509)  # 1 MB a time, never all in memory
    return path


def _xml_bomb(folder: Path) -> Path:
    from tests.io.sources.mapped_samples import write_gradebook

    good = write_gradebook(folder)
    path = folder / "laughs.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY a{i} "{("&a;" if i == 1 else f"&a{i - 1};") * 10}">' for i in range(1, 9))
              + "]>")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                text = data.decode("utf-8")
                data = (laughs + (text[text.index("?>") + 2:] if "?>" in text else text)).encode("utf-8")
            out.writestr(name, data)
    good.unlink()
    return path


def _empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _unknown_students(folder: Path) -> Path:
    """Read fine, refused when merged: its students are on no roster."""
    return score_samples.write_iready(folder / "iready.csv", students=3)


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "binary": (_binary, "scores.csv: row 1: is a PNG image, not a table"),
    "truncated": (_truncated_star, "star.csv: row 5: cannot be read as CSV: a quote opened on this row never closes"),
    "zip bomb": (_zip_bomb, "bomb.zip: the ZIP unpacks to 12 MB from "),
    "xml bomb": (_xml_bomb, "laughs.xlsx: cannot be read as an .xlsx workbook: its XML declares entities"),
    "empty": (_empty, "empty.csv: the file is empty"),
    "unknown students": (_unknown_students, "iready.csv: row 2, column 'Student ID': student '100200' is not on "
                                            "the roster"),
}


@pytest.fixture
def good(tmp_path: Path) -> list[Path]:
    """Two good sources: a Clever roster and a MAP export of its own students (MAP's ids made the roster's)."""
    roster = roster_samples.write_clever(tmp_path / "clever", students=4)
    scores = score_samples.write_map(tmp_path / "map", students=3, with_students=False)
    results = scores / "AssessmentResults.csv"
    text = results.read_text(encoding="utf-8")
    for n in range(3):
        text = text.replace(f",1002{n:02d},", f",S10000{n},")
    results.write_text(text, encoding="utf-8")
    return [roster, scores]


def test_the_good_sources_alone_import(tmp_path: Path, good: list[Path], capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    """What the tests below break: without the broken source the same command writes the workbook."""
    out = tmp_path / "plan.xlsx"
    assert main(["import", *map(str, good), "--out", str(out)]) == 0, capsys.readouterr().err
    wb = openpyxl.load_workbook(out, read_only=True)
    students = [row[0] for row in wb["Students"].iter_rows(min_row=2, values_only=True)]
    scored = {row[0] for row in wb["Mastery"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    # The roster's four students, and MAP's results for the three MAP names in the roster's own ids.
    assert students == ["S100000", "S100001", "S100002", "stu-00003"]
    assert scored == {"S100000", "S100001", "S100002"}


@pytest.mark.parametrize("broken", list(BROKEN))
def test_a_broken_source_among_good_ones_writes_nothing(tmp_path: Path, good: list[Path], broken: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    make, said = BROKEN[broken]
    bad = make(tmp_path)
    out = tmp_path / "new.xlsx"
    assert main(["import", str(good[0]), str(bad), str(good[1]), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert said in err, err
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind


@pytest.mark.parametrize("broken", list(BROKEN))
def test_an_existing_out_and_the_into_workbook_are_left_byte_for_byte(tmp_path: Path, good: list[Path],
                                                                      broken: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "school.xlsx"
    write_planning_workbook(grade3_math(), into)
    assert main(["import", *map(str, good), "--into", str(into), "--out", str(tmp_path / "ok.xlsx")]) == 0, \
        capsys.readouterr().err
    out = tmp_path / "plan.xlsx"
    assert main(["import", str(good[0]), "--out", str(out)]) == 0, capsys.readouterr().err
    before = {p: p.read_bytes() for p in (into, out)}
    stamps = {p: p.stat().st_mtime_ns for p in (into, out)}
    bad = BROKEN[broken][0](tmp_path)
    assert main(["import", str(bad), *map(str, good), "--into", str(into), "--out", str(out)]) == 2
    assert BROKEN[broken][1] in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (into, out)} == before
    assert {p: p.stat().st_mtime_ns for p in (into, out)} == stamps


def test_every_broken_source_is_named_at_once(tmp_path: Path, good: list[Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """All the sources' problems are told together, so one run shows the teacher every file to fix."""
    folders = []
    for n, (make, _) in enumerate(BROKEN.values()):
        folder = tmp_path / f"b{n}"
        folder.mkdir()
        folders.append(make(folder))
    out = tmp_path / "plan.xlsx"
    assert main(["import", *map(str, good), *map(str, folders), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    read_refusals = [said for key, (_, said) in BROKEN.items() if key != "unknown students"]
    assert all(said in err for said in read_refusals), err
    assert not out.exists()
