"""Every Qt model of the app passes Qt's own model tester, empty and holding a planned class, and those of the
Set up tab holding the demo school."""

from __future__ import annotations

from PySide6.QtCore import Qt

from rotation.ui.board import MembersModel
from rotation.ui.data_wall import WallModel
from rotation.ui.roster import RosterModel
from rotation.ui.student_card import ResultsModel
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


def test_the_roster_wall_and_student_card_models_pass_qt_model_tester(qtbot, qtmodeltester, window):
    see = window.see
    empty = (RosterModel(), WallModel(), ResultsModel())
    for model in (*empty, see.roster.model, see.roster.proxy, see.wall.model, see.wall.proxy, see.card.card.results):
        qtmodeltester.check(model)
    plan(qtbot, window, window.plan_action)
    see.show_card("S04")
    assert see.roster.model.rowCount() == see.wall.model.rowCount() == 28
    assert see.wall.model.columnCount() == 4 and see.card.card.results.rowCount() == 6
    see.roster.search.setText("Jensen")
    see.wall.skill_box.setCurrentIndex(2)
    see.wall.below.setChecked(True)
    see.wall.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    for model in (see.roster.model, see.roster.proxy, see.wall.model, see.wall.proxy, see.card.card.results):
        qtmodeltester.check(model)


def test_the_set_up_tables_pass_qt_model_tester(qtbot, qtmodeltester, window):
    setup = window.setup
    forms = (setup.stations_form, setup.staff_form, setup.devices_form, setup.rules_form)
    assert setup.stations_form.model.rowCount() == 3 and setup.class_form.skills.rowCount() > 0
    for model in (setup.class_form.skills, *(form.model for form in forms)):
        qtmodeltester.check(model)
