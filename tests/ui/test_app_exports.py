"""The app's exports of a plan: a Schedule CSV per class, calendars, and a pseudonymised copy, from the File menu,
the same files `rotation export` writes."""

from __future__ import annotations

import csv
from pathlib import Path

import icalendar
import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog

from rotation.planning.service import check_plan
from tests.ui.conftest import plan


@pytest.fixture
def planned(qtbot, window):
    plan(qtbot, window, window.plan_action)
    assert check_plan(window.document.school, window.document.plan).ok
    return window


def menu_export(monkeypatch, window, title: str, chosen: Path) -> None:
    """Press the File menu's export action named `title`, the file dialog answering `chosen`."""
    chosen.parent.mkdir(exist_ok=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(chosen))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(chosen), ""))
    action = next(a for a in window.export_actions if a.text().replace("&", "") == title)
    assert action.isEnabled()
    action.trigger()


def test_the_schedule_csvs_hold_the_plans_slots_with_names(qtbot, planned, monkeypatch, tmp_path):
    menu_export(monkeypatch, planned, "Export Schedule CSVs…", tmp_path / "out")
    with (tmp_path / "out" / "3A-schedule.csv").open(encoding="utf-8-sig") as written:
        rows = list(csv.DictReader(written))
    school, kept = planned.document.school, planned.document.plan_to_keep()
    slots = sum(len(c.days) for c in school.classes) * 3  # 3 rotations a day
    assert len(rows) == slots * len(school.students)
    first = {s.student_id: s.first_name for s in school.students}
    assert all(row["first_name"] == first[row["student_id"]] for row in rows)
    group_of = {m: g.number for g in kept.groups for m in g.members}
    assert all(int(row["group"]) == group_of[row["student_id"]] for row in rows)
    assert "Exported" in planned.statusBar().currentMessage()


def test_the_calendars_parse_back_with_the_teachers_weekly_blocks(qtbot, planned, monkeypatch, tmp_path):
    menu_export(monkeypatch, planned, "Export calendars…", tmp_path / "out")
    calendar = icalendar.Calendar.from_ical((tmp_path / "out" / "staff-T-RIVERA.ics").read_bytes())
    events = calendar.walk("VEVENT")
    kept = planned.document.plan_to_keep()
    teacher_slots = {(v.day, v.slot) for v in kept.visits if v.station == "Teacher table"}
    assert len(events) == len(teacher_slots)  # Ms Rivera at the teacher table: one weekly event per slot
    assert all(e["RRULE"]["FREQ"] == ["WEEKLY"] for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["room-Room_12.ics", "staff-T-RIVERA.ics"]


def test_the_pseudonymised_plan_names_no_student(qtbot, planned, monkeypatch, tmp_path):
    out = tmp_path / "shared.xlsx"
    menu_export(monkeypatch, planned, "Export pseudonymised plan…", out)
    names = {s.first_name for s in planned.document.school.students} | {
        s.student_id for s in planned.document.school.students}
    wb = openpyxl.load_workbook(out, read_only=True)
    seen = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    assert seen and not names & seen
