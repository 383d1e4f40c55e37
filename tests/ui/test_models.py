"""Every Qt model of the app passes Qt's own model tester, empty and holding a planned class."""

from __future__ import annotations

from rotation.ui.board import MembersModel
from tests.ui.conftest import plan


def test_the_groups_and_week_models_pass_qt_model_tester(qtbot, qtmodeltester, window):
    qtmodeltester.check(window.week)
    qtmodeltester.check(MembersModel(1))
    plan(qtbot, window, window.plan_action)
    assert window.week.rowCount() == 4 and window.week.columnCount() > 0
    qtmodeltester.check(window.week)
    for column in window.board.columns:
        assert column.model.rowCount() or column.model.group == 0
        qtmodeltester.check(column.model)
