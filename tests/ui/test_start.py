"""Starting: the demo the first time, the last school after that, the window as it was left; and an
unexpected error is logged, never shown as a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QMessageBox

from rotation.cli import main as rotation
from rotation.io.problems import BadInput
from rotation.ui import app as rotation_app
from rotation.ui.document import Document
from rotation.ui.schools import DEMO, import_workbook


def test_the_first_start_opens_the_demo_and_the_next_the_last_school_in_its_window_size(qtbot, home, settings):
    from rotation.ui.window import MainWindow

    first = rotation_app.first_school(None, settings)
    assert first.path.name == "demo-school.db" and first.school.classes
    team = import_workbook(DEMO.with_name("grade3-team-shared-staff.xlsx"), home / "team.db")
    window = MainWindow(first, settings)
    qtbot.addWidget(window)
    window.open(team)
    window.resize(700, 520)  # within the offscreen screen (800 x 600): restoring clamps to it
    window.close()
    again = rotation_app.first_school(None, settings)
    assert again.path == home / "team.db"
    reopened = MainWindow(again, settings)
    qtbot.addWidget(reopened)
    assert (reopened.width(), reopened.height()) == (700, 520)
    assert reopened.class_box.count() == 4
    assert [a.text() for a in reopened.recent_menu.actions()][:2] == ["team", "demo-school"]
    reopened.close()


def test_an_unexpected_error_is_logged_and_the_user_told_where_the_log_is(home, monkeypatch, caplog):
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    try:
        raise RuntimeError("a bug")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR, logger="rotation"):
            rotation_app._unexpected(type(error), error, error.__traceback__)
    assert "RuntimeError: a bug" in caplog.text and "Traceback" in caplog.text
    assert len(told) == 1 and str(rotation_app.log_path()) in told[0] and "Traceback" not in told[0]
    assert Path(rotation_app.log_path()).parent.exists()


def test_a_school_database_that_is_not_there_is_named_and_not_made(home):
    missing = home / "mistyped.db"
    with pytest.raises(BadInput, match=r"mistyped\.db: there is no school database here"):
        rotation_app.first_school(missing, QSettings(str(home / "s.ini"), QSettings.Format.IniFormat))
    assert not missing.exists()


def test_a_new_school_starts_empty_and_an_imported_workbook_fills_it(qtbot, home, settings, dialogs):
    from rotation.ui.window import MainWindow

    window = MainWindow(rotation_app.first_school(None, settings), settings)
    qtbot.addWidget(window)
    school = home / "ours.db"
    assert window.new_school(school)
    assert window.class_box.count() == 0 and window.banner.text().startswith("This school is empty")
    assert not window.new_school(school)  # never over a school that is there
    assert dialogs and "there is a file here already" in dialogs[0]
    broken = home / "broken.xlsx"
    broken.write_text("not a workbook")
    assert not window.import_path(broken)
    assert "broken.xlsx" in dialogs[1] and window.document.opened.path == school and window.class_box.count() == 0
    assert window.import_path(DEMO)
    assert window.document.opened.path == school and window.class_box.count() == 1
    assert window.banner.text().startswith("No plan yet")
    window.close()


def test_a_workbook_opened_again_makes_a_school_of_its_own_and_never_replaces_the_first(home):
    first = rotation_app.open_school(DEMO)
    again = rotation_app.open_school(DEMO)
    assert (first.path.name, again.path.name) == ("grade3-math.db", "grade3-math (2).db")
    first.engine.dispose()
    again.engine.dispose()


def test_a_file_that_is_no_school_and_a_plan_workbook_are_each_named_in_one_line(home, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list")
    with pytest.raises(BadInput, match="is not a school database") as error:
        rotation_app.open_school(junk)
    assert len(error.value.problems) == 1
    plan = tmp_path / "plan.xlsx"
    assert rotation(["plan", str(DEMO), "--out", str(plan), "--seed", "1"]) == 0
    with pytest.raises(BadInput, match="is a plan workbook") as error:
        rotation_app.open_school(plan)
    assert len(error.value.problems) == 1


def test_a_school_opened_in_place_of_another_lets_the_other_and_its_history_go(qtbot, window):
    for _ in range(3):
        assert window.open_path(window.document.opened.path)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(Document) == [window.document]
    assert window.undo_group.stacks() == [window.document.undo_stack]
