"""Nothing a teacher does is lost: each edit reaches the school's database at once, with its history."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from rotation.storage.repository import load_plan, plan_history
from rotation.ui.schools import open_school
from tests.ui.conftest import plan


def test_an_edit_is_saved_and_the_school_reopens_as_it_was_left(qtbot, window, demo):
    plan(qtbot, window, window.plan_action)
    column = window.board.columns[0]
    student = column.model.cards[0].student_id
    data = column.model.mimeData([column.model.index(0)])
    window.board.columns[1].model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, QModelIndex())
    qtbot.waitUntil(lambda: not window.document.unsaved)
    history = plan_history(demo.engine)
    assert len(history) == 2 and history[0].parent_id == history[1].id  # the edit's parent is the plan
    saved = load_plan(demo.engine, history[0].id)
    assert student in next(g.members for g in saved.groups if g.number == 2)
    assert not saved.optimal  # an edited plan is not the planner's proven one
    assert any(c.kind == "hard rule broken" and c.rule == "group_size" for c in saved.checks)

    again = open_school(demo.path)
    assert again.plan == saved
    again.engine.dispose()
