"""When no plan meets the hard rules, the Conflicts panel names the clash and offers the ways out as buttons;
one press changes the school (one undoable step) and plans the week again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from rotation.ui.schools import DEMO, import_workbook
from tests.ui.conftest import PLAN_LIMIT_MS, plan


@pytest.fixture
def impossible(qtbot, home, settings):
    from rotation.ui.window import MainWindow

    opened = import_workbook(DEMO.with_name("impossible-apart.xlsx"), home / "impossible.db")
    window = MainWindow(opened, settings)
    window.seed = 1
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    opened.engine.dispose()


def buttons(window) -> dict[str, QPushButton]:
    return {b.text(): b for b in window.conflicts.findChildren(QPushButton)}


@pytest.mark.parametrize("way_out", ["set groups to 5 or more for class 3A", "remove apart S04, S09 (Rules row 2)"])
def test_a_way_out_pressed_lifts_the_conflict_and_plans_and_undo_brings_it_back(qtbot, impossible, way_out):
    window = impossible
    school = window.document.school
    plan(qtbot, window, window.plan_action)
    assert window.banner.text().startswith("The hard rules cannot all hold")
    assert window.conflicts_dock.isVisible()
    said = " ".join(label.text() for label in window.conflicts.findChildren(QLabel))
    assert "need 5 groups; the class has 4" in said and "S04" in said
    offered = buttons(window)
    assert "set groups to 5 or more for class 3A" in offered and len(offered) == 11  # more groups, or drop one of 10
    with qtbot.waitSignal(window.planner.finished, timeout=PLAN_LIMIT_MS):
        offered[way_out].click()
    assert window.banner.text().startswith("Meets every hard rule")
    assert not window.conflicts_dock.isVisible()
    window.document.undo_stack.undo()  # the plan
    window.document.undo_stack.undo()  # the way out
    assert window.document.school == school
