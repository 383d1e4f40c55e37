"""`rotation export` end to end: a demo planned with `rotation plan --seed 1`, checked, then exported."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar

from rotation.cli import main
from rotation.io.exports import bundle, calendars
from rotation.io.plan_workbook import read_plan
from rotation.io.planning_workbook import read_planning_workbook, write_planning_workbook
from rotation.planning.service import check_plan

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
GRADE3 = DEMO / "grade3-math.xlsx"
SOFFICE = shutil.which("soffice")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pseudonym key goes to a test's own data folder, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("TZ", "Europe/Berlin")


@pytest.fixture
def planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    plan = tmp_path / "plan.xlsx"
    code, _, err = run(capsys, "plan", GRADE3, "--out", plan, "--seed", "1")
    assert code == 0, err
    school = read_planning_workbook(GRADE3)
    assert check_plan(school, read_plan(plan, school).plan).ok
    return plan


def export_all(capsys: pytest.CaptureFixture[str], plan: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "export", GRADE3, plan, "--schedules", out / "csv", "--calendars", out / "ics",
               "--from", "2026-03-02", "--pseudonymised", out / "anon.xlsx", *extra)


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))


def test_exports_every_kind_and_the_coded_pair_checks(planned: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, err = export_all(capsys, planned, out)
    assert code == 0, err
    assert sorted(p.name for p in (out / "csv").iterdir()) == ["3A-schedule.csv"]
    assert sorted(p.name for p in (out / "ics").iterdir()) == ["room-Room_12.ics", "staff-T-RIVERA.ics"]
    assert str(out / "anon.xlsx") in stdout and str(out / "anon-planning.xlsx") in stdout
    schedule = sheet_rows(planned, "Schedule")
    with (out / "csv" / "3A-schedule.csv").open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == len(schedule)
    event = next(iter(Calendar.from_ical((out / "ics" / "staff-T-RIVERA.ics").read_bytes()).walk("VEVENT")))
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"  # the machine's zone, from $TZ here
    code, stdout, _ = run(capsys, "check", out / "anon-planning.xlsx", out / "anon.xlsx")
    assert code == 0, stdout


def test_two_exports_give_the_same_files(planned: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_all(capsys, planned, tmp_path / "1")[0] == 0
    assert export_all(capsys, planned, tmp_path / "2")[0] == 0
    for name in ("csv/3A-schedule.csv", "ics/staff-T-RIVERA.ics", "ics/room-Room_12.ics"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
    for sheet in ("Groups", "Schedule", "Staff", "Checks"):  # the same codes: one key on this machine
        assert sheet_rows(tmp_path / "1" / "anon.xlsx", sheet) == sheet_rows(tmp_path / "2" / "anon.xlsx", sheet)


def test_into_an_existing_folder_only_its_files_are_replaced(planned: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "handouts"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "3A-schedule.csv").write_text("old")
    assert run(capsys, "export", GRADE3, planned, "--schedules", folder)[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["3A-schedule.csv", "notes.txt"]  # no temporary left
    assert (folder / "3A-schedule.csv").read_text(encoding="utf-8-sig").startswith("class,day")


def test_calendars_default_to_next_week_and_say_when_no_zone_is_found(
        planned: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendars, "machine_zone", lambda: None)
    code, _, err = run(capsys, "export", GRADE3, planned, "--calendars", tmp_path / "ics")
    assert code == 0
    assert "names no time zone, so the calendars use UTC; give --timezone ZONE" in err
    monday = calendars.next_monday(dt.date.today())
    for event in Calendar.from_ical((tmp_path / "ics" / "room-Room_12.ics").read_bytes()).walk("VEVENT"):
        assert monday <= event.decoded("dtstart").date() < monday + dt.timedelta(days=7)
        assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)  # written as UTC (`...Z`), no TZID needed


@pytest.mark.parametrize("argv, says", [
    ((), "at least one of"),
    (("--calendars", "c", "--timezone", "Mars/Base"), "'Mars/Base' is no IANA time zone"),
    (("--calendars", "c", "--from", "2026-13-01"), "'2026-13-01' is not a date"),
    (("--schedules", "s", "--timezone", "UTC"), "--timezone and --from are for --calendars"),
])
def test_bad_options_exit_2_writing_nothing(planned: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            argv: tuple[str, ...], says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(GRADE3), str(planned), *argv])
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_plan_of_another_school_is_bad_input_named_by_sheet_and_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.xlsx"
    assert run(capsys, "plan", DEMO / "middle-school-period.xlsx", "--out", other, "--seed", "1")[0] == 0
    code, _, err = export_all(capsys, other, tmp_path / "out")
    assert code == 2
    assert "other.xlsx: sheet 'Groups', row 2, column 'class': unknown class" in err
    assert not (tmp_path / "out").exists()


def test_targets_that_would_lose_a_file_are_bad_input(planned: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", GRADE3, planned, "--pseudonymised", planned)
    assert code == 2 and "plan.xlsx: is the plan" in err
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    code, _, err = run(capsys, "export", GRADE3, planned, "--schedules", a_file, "--calendars", a_file)
    assert code == 2 and err.count("taken: is a file; name a folder to write into") == 2
    code, _, err = run(capsys, "export", GRADE3, planned, "--pseudonymised", tmp_path / "anon.csv")
    assert code == 2 and "ends in .xlsx" in err


def test_a_failure_midway_leaves_nothing_half_written(planned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "anon.xlsx"))

    monkeypatch.setattr(bundle, "write_pseudonymised", full_disk)  # the last export, after the CSVs and calendars
    code, _, err = export_all(capsys, planned, tmp_path / "out")
    assert code == 2
    assert "anon.xlsx: cannot be written: No space left on device" in err
    assert not (tmp_path / "out").exists()  # no CSV, no calendar, no temporary folder


# --- LibreOffice opens what we write -----------------------------------------------------------------


def convert(source: Path, to: str, outdir: Path, profile: Path, *infilter: str) -> Path:
    """`source` converted by headless LibreOffice with a private profile; the converted file."""
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *infilter,
                    "--convert-to", to, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True)
    converted = outdir / f"{source.stem}.{to.split(':')[0]}"
    assert converted.is_file()
    return converted


@pytest.fixture
def formula_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """Grade 3 with two students whose names a spreadsheet would run as formulas, planned: (input, plan)."""
    school = read_planning_workbook(GRADE3)
    odd = {"S01": ("=1+2", "@SUM(1,2)"), "S02": ("+3", "-4")}
    students = tuple(dataclasses.replace(s, first_name=odd[s.student_id][0], last_name=odd[s.student_id][1])
                     if s.student_id in odd else s for s in school.students)
    source, plan = tmp_path / "odd.xlsx", tmp_path / "odd-plan.xlsx"
    write_planning_workbook(dataclasses.replace(school, students=students), source)
    assert run(capsys, "plan", source, "--out", plan, "--seed", "1")[0] == 0
    return source, plan


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_csv_as_text_never_formulas(formula_names: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    source, plan = formula_names
    assert run(capsys, "export", source, plan, "--schedules", tmp_path / "csv")[0] == 0
    written_csv = tmp_path / "csv" / "3A-schedule.csv"
    utf8_csv = "--infilter=Text - txt - csv (StarCalc):44,34,76,1"
    sheet = convert(written_csv, "xlsx", tmp_path / "lo", tmp_path / "profile", utf8_csv)
    with written_csv.open(encoding="utf-8-sig", newline="") as file:
        written = list(csv.reader(file))
    ws = openpyxl.load_workbook(sheet).active
    read = [[c.value for c in row] for row in ws.iter_rows()]
    assert len(read) == len(written) and read[0] == written[0]
    assert [(r[7], r[8], r[9]) for r in read[1:]] == [(r[7], r[8], r[9]) for r in written[1:]]  # ids and names
    assert ("S01", "'=1+2", "'@SUM(1,2)") in {(r[7], r[8], r[9]) for r in read}
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # nothing became a formula


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_pseudonymised_workbook_whole(planned: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "export", GRADE3, planned, "--pseudonymised", tmp_path / "anon.xlsx")[0] == 0
    book = convert(tmp_path / "anon.xlsx", "ods", tmp_path / "lo", tmp_path / "profile")
    back = convert(book, "xlsx", tmp_path / "lo2", tmp_path / "profile")  # and back, to read it here
    for name in ("Groups", "Schedule", "Staff", "Checks"):
        assert sheet_rows(back, name) == sheet_rows(tmp_path / "anon.xlsx", name)
