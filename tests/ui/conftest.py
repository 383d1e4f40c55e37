"""The app on a school of its own: data, logs and settings in a temporary folder, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from rotation.ui.schools import Opened, demo_school

PLAN_LIMIT_MS = 300_000  # only a hang guard: planning the grade-3 demo takes about a second


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


@pytest.fixture
def settings(home: Path) -> QSettings:
    return QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def demo(home: Path) -> Iterator[Opened]:
    opened = demo_school()
    yield opened
    opened.engine.dispose()


@pytest.fixture
def window(qtbot, demo: Opened, settings: QSettings):
    from rotation.ui.window import MainWindow

    window = MainWindow(demo, settings)
    window.seed = 1  # one worker: the same plan on every run
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def plan(qtbot, window, action) -> None:
    """Trigger a planning action and wait until its plan is on screen."""
    with qtbot.waitSignal(window.planner.finished, timeout=PLAN_LIMIT_MS):
        action.trigger()


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal message box would wait for a click that never comes: each one is noted here instead."""
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *rest, said=said: said.append(text))
    return said
