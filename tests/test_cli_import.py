"""`rotation import` end to end, on the files a school has: the demo district's roster, MAP results and a
teacher's exit tickets into the grade 3 planning workbook, then planned and checked."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from rotation.cli import main
from rotation.io.plan_workbook import read_plan
from rotation.io.planning_workbook import read_planning_workbook, write_planning_workbook
from rotation.planning.service import check_plan, plan_week

REPO = Path(__file__).resolve().parents[1]
GRADE3 = REPO / "resources" / "demo" / "grade3-math.xlsx"
DISTRICT = REPO / "resources" / "demo" / "district"
SHARED = REPO.parent / "shared" / "data" / "oneroster"
SOURCES = (DISTRICT / "oneroster", DISTRICT / "map-assessment-results.csv", DISTRICT / "exit-tickets.csv",
           "--mapping", DISTRICT / "exit-tickets.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_districts_files_come_into_the_grade_3_workbook_and_it_plans(tmp_path, capsys):
    out = tmp_path / "grade3-week2.xlsx"
    code, stdout, stderr = run(capsys, "import", *SOURCES, "--into", GRADE3, "--out", out)
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[:3] == [
        "oneroster: OneRoster 1.2: 29 students, 1 class, 1 adult",
        "map-assessment-results.csv: NWEA MAP Growth: 145 results, 5 skills",
        "exit-tickets.csv: column mapping 'Exit tickets': 87 results"]
    before, school = read_planning_workbook(GRADE3), read_planning_workbook(out)
    students = {s.student_id: s for s in school.students}
    assert students["S29"].name == "Mira Haddad" and students["S29"].classes == ("3A",)  # the newcomer
    assert {s.student_id: s for s in before.students}.items() <= students.items()  # the others as they were
    # The workbook's own settings are kept whole.
    assert (school.classes, school.stations, school.rules, school.devices) == (
        before.classes, before.stations, before.rules, before.devices)
    # MAP: the overall RIT and each goal, on the test date, with the percentile kept as a detail.
    rit = [m for m in school.mastery if m.student_id == "S01" and m.skill == "MAP Math"]
    assert len(rit) == 1 and rit[0].date == dt.date(2026, 1, 14) and rit[0].source == "MAP Growth Winter 2025-2026"
    assert rit[0].detail.endswith("percentile") and 176 <= rit[0].score <= 224
    assert {m.skill for m in school.mastery if m.student_id == "S29"} >= {"MAP Math: Geometry", "3.NF.A.1"}
    # Exit tickets: CCSS.Math.Content.3.NF.A.1 is the workbook's 3.NF.A.1, the newest result of the day.
    ticket = [m for m in school.mastery if m.student_id == "S01" and m.source == "Exit ticket"]
    assert {m.skill for m in ticket} == {"3.NF.A.1", "3.NF.A.2", "3.NF.A.3"}
    assert {m.date for m in ticket} == {dt.date(2026, 11, 23)}
    assert len(school.mastery) == len(before.mastery) + 145 + 87
    planned = plan_week(school, seed=1)
    assert planned.plan is not None and check_plan(school, planned.plan).ok
    assert "S29" in {s for g in planned.plan.groups for s in g.members}


def test_importing_again_adds_nothing_and_the_plan_still_holds(tmp_path, capsys):
    first, again, plan = tmp_path / "first.xlsx", tmp_path / "again.xlsx", tmp_path / "plan.xlsx"
    assert run(capsys, "import", *SOURCES, "--into", GRADE3, "--out", first)[0] == 0
    assert run(capsys, "plan", first, "--out", plan, "--seed", "1")[0] == 0
    code, stdout, _ = run(capsys, "import", *SOURCES, "--into", first, "--out", again)
    assert code == 0 and "added" not in stdout and stdout.splitlines()[-1].endswith("skills 8, results 400")
    assert read_planning_workbook(again) == read_planning_workbook(first)
    school = read_planning_workbook(again)
    assert check_plan(school, read_plan(plan, school).plan).ok


def test_a_result_for_a_student_on_no_roster_stops_the_import_and_names_the_row(tmp_path, capsys):
    tickets = tmp_path / "exit-tickets.csv"
    tickets.write_text((DISTRICT / "exit-tickets.csv").read_text() + "Stranger Danger,S77,3.NF.A.1,2,11/23/2026\n")
    out = tmp_path / "out.xlsx"
    code, _, stderr = run(capsys, "import", DISTRICT / "oneroster", tickets, "--mapping",
                          DISTRICT / "exit-tickets.json", "--into", GRADE3, "--out", out)
    assert code == 2 and not out.exists()
    assert stderr == ("exit-tickets.csv: row 89, column 'ID': student 'S77' is not on the roster or sheet Students; "
                      "add them, or skip such students (--skip-unknown)\n")
    code, stdout, _ = run(capsys, "import", DISTRICT / "oneroster", tickets, "--mapping",
                          DISTRICT / "exit-tickets.json", "--into", GRADE3, "--out", out, "--skip-unknown")
    assert code == 0 and "  skipped: student 'S77': 1 result(s): not a student of the school, skipped" in stdout
    assert "S77" not in {m.student_id for m in read_planning_workbook(out).mastery}


def test_a_roster_alone_makes_a_workbook_whose_new_classes_wait_for_their_settings(tmp_path, capsys):
    out = tmp_path / "school.xlsx"
    code, stdout, _ = run(capsys, "import", DISTRICT / "oneroster", "--out", out)
    assert code == 0
    assert stdout.splitlines()[-1].startswith("New classes (3A): fill in their start and rotation_minutes")
    code, _, stderr = run(capsys, "plan", out, "--out", tmp_path / "plan.xlsx")
    assert code == 2 and "sheet 'Classes', row 2, column 'start'" in stderr


def test_a_file_of_no_known_kind_asks_for_a_mapping(tmp_path, capsys):
    code, _, stderr = run(capsys, "import", DISTRICT / "exit-tickets.csv", "--out", tmp_path / "out.xlsx")
    assert code == 2
    assert stderr.startswith("exit-tickets.csv: cannot tell what kind of file this is")
    assert "give a --mapping that names its columns (its columns: Student, ID, Standard, Points, Date)" in stderr


def test_a_mapping_saved_by_name_in_the_app_is_found_by_its_name(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "data"
    (folder / "mappings").mkdir(parents=True)
    shutil.copy(DISTRICT / "exit-tickets.json", folder / "mappings" / "Exit tickets.json")
    monkeypatch.setattr("rotation.io.folders.user_data_dir", lambda *args, **kwargs: str(folder))
    code, stdout, _ = run(capsys, "import", DISTRICT / "oneroster", DISTRICT / "exit-tickets.csv", "--mapping",
                          "Exit tickets", "--out", tmp_path / "out.xlsx")
    assert code == 0 and "exit-tickets.csv: column mapping 'Exit tickets': 87 results" in stdout


def test_a_broken_mapping_file_is_bad_input_naming_it(tmp_path, capsys):
    mapping = tmp_path / "broken.json"
    mapping.write_text(json.dumps({"name": "x", "score": "Points"}))
    code, _, stderr = run(capsys, "import", DISTRICT / "exit-tickets.csv", "--mapping", mapping,
                          "--out", tmp_path / "out.xlsx")
    assert code == 2 and stderr.startswith("broken.json: ")


def test_the_workbook_imported_into_is_never_written_over(tmp_path, capsys):
    into = tmp_path / "mine.xlsx"
    write_planning_workbook(read_planning_workbook(GRADE3), into)
    before = into.read_bytes()
    code, _, stderr = run(capsys, "import", DISTRICT / "oneroster", "--into", into, "--out", into)
    assert code == 2 and "writing the plan there would replace it" in stderr
    assert into.read_bytes() == before


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared OneRoster samples (../shared/data) are absent")
def test_the_shared_oneroster_samples_import(tmp_path, capsys):
    out = tmp_path / "school.xlsx"
    code, _, _ = run(capsys, "import", SHARED / "moodle-1.2", SHARED / "moodle-1.1-full", SHARED / "sds-2.1",
                          "--out", out)
    assert code == 0
    # Read as sheets: the workbook lacks its classes' settings until the teacher fills them in.
    wb = openpyxl.load_workbook(out, read_only=True)
    students = {row[0]: row[1:3] for row in wb["Students"].iter_rows(min_row=2, values_only=True)}
    assert students["bruce.wayne"] == ("Bruce", "Wayne")  # 1.2: identifier is the student number
    assert students["114001"] == ("Jack", "Craig")  # School Data Sync: no identifier, so the sourcedId
    assert {row[0] for row in wb["Classes"].iter_rows(min_row=2, values_only=True)} >= {"Basic Detection"}


def test_import_plan_export_and_import_again_lose_nothing(tmp_path, capsys):
    """District files -> workbook -> the app's database -> plan -> exported -> imported again: every student,
    class, score, date, source and detail survives, and the plan holds on what comes back."""
    from rotation.storage.database import open_database
    from rotation.storage.repository import load_school, save_school

    first, plan, exported, again = (tmp_path / n for n in ("first.xlsx", "plan.xlsx", "exported.xlsx", "again.xlsx"))
    assert run(capsys, "import", *SOURCES, "--into", GRADE3, "--out", first)[0] == 0
    imported = read_planning_workbook(first)
    engine = open_database(f"sqlite:///{tmp_path / 'school.db'}")
    save_school(engine, imported)
    kept = load_school(engine)
    engine.dispose()
    assert kept == imported and any(m.detail for m in kept.mastery)
    assert run(capsys, "plan", first, "--out", plan, "--seed", "1")[0] == 0
    assert run(capsys, "export", first, plan, "--schedules", tmp_path / "csv")[0] == 0
    write_planning_workbook(kept, exported)
    assert run(capsys, "import", *SOURCES, "--into", exported, "--out", again)[0] == 0
    back = read_planning_workbook(again)
    assert back == imported
    assert check_plan(back, read_plan(plan, back).plan).ok
    schedule = (tmp_path / "csv" / "3A-schedule.csv").read_text(encoding="utf-8-sig")
    assert all(s.student_id in schedule for s in back.students)


def test_a_district_export_too_big_for_one_workbook_is_refused_saying_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("rotation.io.xlsx.MAX_ROWS", 300)  # 145 MAP results and 87 tickets over the demo's 168
    out = tmp_path / "out.xlsx"
    code, _, stderr = run(capsys, "import", *SOURCES, "--into", GRADE3, "--out", out)
    assert code == 2 and not out.exists()
    assert stderr.startswith("out.xlsx: sheet 'Mastery' would hold 400 results, more than the 300 rows a sheet may")
