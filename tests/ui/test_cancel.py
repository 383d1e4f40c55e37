"""Cancel while the four classes sharing staff plan: the window keeps the best plan found so far."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation.ui.schools import DEMO, import_workbook
from solver.watch import Phase
from tests.ui.conftest import PLAN_LIMIT_MS

TEAM = DEMO.with_name("grade3-team-shared-staff.xlsx")


@pytest.fixture
def team_window(qtbot, home: Path, settings):
    from rotation.ui.window import MainWindow

    opened = import_workbook(TEAM, home / "team.db")
    window = MainWindow(opened, settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    opened.engine.dispose()


def test_cancel_keeps_the_best_plan_found_and_the_checker_accepts_it(qtbot, team_window):
    window = team_window
    window.planner.progressed.connect(
        lambda p: window.cancel_action.trigger() if p.phase == Phase.ROTATION and p.cost is not None else None)
    with qtbot.waitSignal(window.planner.finished, timeout=PLAN_LIMIT_MS) as finished:
        window.plan_action.trigger()
        assert window.cancel_action.isEnabled() and not window.plan_action.isEnabled()
    planned = finished.args[1]
    assert planned.cancelled and planned.plan is not None
    assert window.banner.text().startswith("Meets every hard rule")
    assert "cancelled, best plan kept" in window.statusBar().currentMessage()
    assert window.plan_action.isEnabled() and not window.cancel_action.isEnabled()
    assert window.class_box.count() == 4 and all(c.model.cards for c in window.board.columns[:-1])


def test_cancel_never_swaps_a_better_plan_for_a_worse_one(qtbot, team_window):
    window = team_window
    window.seed = 1
    with qtbot.waitSignal(window.planner.finished, timeout=PLAN_LIMIT_MS):
        window.plan_action.trigger()
    best, steps = window.document.plan, window.document.undo_stack.count()
    assert best.optimal  # proven: no plan the search finds can cost less
    window.planner.progressed.connect(
        lambda p: window.cancel_action.trigger() if p.phase == Phase.ROTATION and p.cost is not None else None)
    with qtbot.waitSignal(window.planner.finished, timeout=PLAN_LIMIT_MS) as finished:
        window.plan_action.trigger()
    assert finished.args[1].cancelled
    assert window.document.plan is best and window.document.undo_stack.count() == steps
    assert "the plan you had costs no more" in window.statusBar().currentMessage()
