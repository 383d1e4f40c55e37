"""The week grid: a group's visit sent to another station from the menu or by a drop swaps with the group
there, a visit locks, and the checker judges each change."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import plan


def station(window, row: int, column: int) -> str:
    visit = window.week.visit_at(window.week.index(row, column))
    assert visit is not None
    return visit.station


def alone(window, column: int) -> tuple[int, int]:
    """Two groups of a slot: the second alone at its station (so a group sent there swaps with it)."""
    stations = [station(window, row, column) for row in range(window.week.rowCount())]
    other = next(r for r, s in enumerate(stations) if stations.count(s) == 1 and r)
    return next(r for r, s in enumerate(stations) if s != stations[other]), other


def test_send_to_station_from_the_menu_swaps_with_the_group_there(qtbot, window):
    plan(qtbot, window, window.plan_action)
    window.tabs.setCurrentIndex(1)
    me, other = alone(window, 0)
    mine, theirs = station(window, me, 0), station(window, other, 0)
    window.grid.setCurrentIndex(window.week.index(me, 0))
    target = next(a for a in window.station_menu.actions() if a.text() == theirs)
    assert not next(a for a in window.station_menu.actions() if a.text() == mine).isEnabled()
    target.trigger()
    assert (station(window, me, 0), station(window, other, 0)) == (theirs, mine)
    assert window.document.undo_stack.undoText().startswith(f"Put {window.week.groups[me].name} at {theirs}")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (station(window, me, 0), station(window, other, 0)) == (mine, theirs)


def test_a_visit_dropped_on_another_groups_cell_in_the_same_slot_swaps_and_elsewhere_is_refused(qtbot, window):
    plan(qtbot, window, window.plan_action)
    model = window.week
    me, other = alone(window, 1)
    mine, theirs = station(window, me, 1), station(window, other, 1)
    data = model.mimeData([model.index(me, 1)])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(other, 2))  # another slot
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(other, 1))
    assert (station(window, me, 1), station(window, other, 1)) == (theirs, mine)


def test_a_locked_visit_is_marked_and_kept_when_the_week_is_planned_around_it(qtbot, window):
    plan(qtbot, window, window.plan_action)
    window.grid.setCurrentIndex(window.week.index(0, 0))
    next(a for a in window.station_menu.actions() if a.isEnabled()).trigger()
    moved = station(window, 0, 0)
    qtbot.keyClick(window.grid, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Lock visit
    assert window.week.is_locked(window.week.index(0, 0))
    assert "locked" in window.week.data(window.week.index(0, 0), Qt.ItemDataRole.AccessibleTextRole)
    plan(qtbot, window, window.replan_action)
    assert station(window, 0, 0) == moved
    assert window.banner.text().startswith("Meets every hard rule")
