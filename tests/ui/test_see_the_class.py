"""Seeing the class (issue 7 §2), as a teacher would on the grade-3 demo: the roster with flags and groups, the
mastery data wall with the latest scores in their bands, and a student's card with every result and the
rules that name them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QBrush

from rotation.domain.school import Rule
from rotation.io.rotation_chart import group_label
from rotation.ui.board import percent
from rotation.ui.data_wall import BAND_COLOURS, BELOW, FAR_BELOW, MASTERED, DataWall
from rotation.ui.roster import FLAGS, GRADE, GROUP, NAME, NEED, STUDENT_ID, Roster
from rotation.ui.student_card import StudentCard
from tests.ui.conftest import plan
from tests.ui.test_week import select


def shown(proxy, column: int) -> list[str]:
    """A column of a table as the teacher sees it: sorted and filtered."""
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def row_of(window, student: str) -> dict[int, str]:
    roster = window.see.roster
    row = [r.student_id for r in roster.model.rows].index(student)
    return {column: roster.model.index(row, column).data() for column in range(roster.model.columnCount())}


def wall_cell(wall, student: str, skill: str) -> QModelIndex:
    row = [s.student_id for s in wall.model.wall.students].index(student)
    return wall.proxy.mapFromSource(wall.model.index(row, 1 + wall.model.wall.skills.index(skill)))


def colour(index: QModelIndex) -> str:
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush)
    return brush.color().name()


def test_the_roster_lists_the_class_with_flags_and_after_planning_each_students_group(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentWidget() is window.see.roster
    school = window.document.school
    assert shown(window.see.roster.proxy, STUDENT_ID) == [s.student_id for s in school.students]
    assert row_of(window, "S05")[NAME] == "Ella Garcia" and row_of(window, "S05")[FLAGS] == "IEP"
    assert row_of(window, "S05")[GROUP] == "" and row_of(window, "S05")[NEED] == ""  # no plan yet

    plan(qtbot, window, window.plan_action)
    for group in window.document.plan.groups:
        for student, need in zip(group.members, group.need, strict=True):
            assert row_of(window, student)[GROUP] == group_label(group)
            assert row_of(window, student)[NEED] == percent(need)
    assert window.see.roster.count.text() == "28 students"


def test_finding_a_flag_shows_only_the_students_with_it(qtbot, window):
    plan(qtbot, window, window.plan_action)
    roster = window.see.roster
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Find
    assert roster.search.hasFocus()
    qtbot.keyClicks(roster.search, "IEP")
    assert shown(roster.proxy, NAME) == ["Ella Garcia"]
    assert roster.count.text() == "1 of 28 students"
    roster.search.clear()
    qtbot.keyClicks(roster.search, "ELL")
    assert shown(roster.proxy, NAME) == ["Kira Jensen"]  # the ELL student, not Ella by her name
    roster.search.setText("jensen")
    assert shown(roster.proxy, NAME) == ["Diego Jensen", "Grace Jensen", "Kira Jensen", "Liam Jensen",
                                         "Yusuf Jensen"]
    roster.search.clear()
    assert roster.proxy.rowCount() == 28


def test_sorting_the_roster_by_grade_puts_k_first_and_10_after_2(qtbot, window):
    school = window.document.school
    grades = {"S01": "10", "S02": "K", "S03": "2"}
    school = dataclasses.replace(school, students=tuple(dataclasses.replace(s, grade=grades.get(s.student_id, "3"))
                                                       for s in school.students))
    roster = Roster()
    qtbot.addWidget(roster)
    roster.show_class(school, None, "3A")
    roster.view.sortByColumn(GRADE, Qt.SortOrder.AscendingOrder)
    assert shown(roster.proxy, GRADE) == ["K", "2", *["3"] * 25, "10"]
    roster.view.sortByColumn(GRADE, Qt.SortOrder.DescendingOrder)
    assert shown(roster.proxy, GRADE) == ["10", *["3"] * 25, "2", "K"]


def test_the_walls_cell_is_the_latest_score_with_its_date_and_coloured_by_its_band(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    wall = window.see.wall
    assert window.tabs.currentWidget() is wall
    assert [wall.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(wall.proxy.columnCount())] == [
        "Student", "3.NF.A.1", "3.NF.A.2", "3.NF.A.3"]
    # Ella mastered 3.NF.A.1 on 2026-11-06 (3 of 4) and slipped to 2 on 2026-11-20: the wall shows the 2.
    cell = wall_cell(wall, "S05", "3.NF.A.1")
    assert cell.data() == "2"
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "Ella Garcia" in tip and "2 on 2026-11-20" in tip and "2026-11-06" not in tip
    assert "below mastery (3)" in tip
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == tip
    assert colour(cell) == BAND_COLOURS[BELOW]
    # On the scale 0 to 4 with mastery at 3: 3 is mastered, 1 below half of mastery.
    assert wall_cell(wall, "S05", "3.NF.A.3").data() == "3"
    assert colour(wall_cell(wall, "S05", "3.NF.A.3")) == BAND_COLOURS[MASTERED]
    assert wall_cell(wall, "S04", "3.NF.A.1").data() == "1"
    assert colour(wall_cell(wall, "S04", "3.NF.A.1")) == BAND_COLOURS[FAR_BELOW]


def test_sorting_the_wall_by_a_skill_orders_the_students_by_score_and_no_result_stays_last(qtbot, window):
    wall = window.see.wall
    window.tabs.setCurrentWidget(wall)
    header = wall.view.horizontalHeader()
    click = header.sectionViewportPosition(3) + header.sectionSize(3) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(click, header.height() // 2))
    scores = shown(wall.proxy, 3)
    assert scores == sorted(scores) and (scores[0], scores[-1]) == ("0", "4")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(click, header.height() // 2))
    assert shown(wall.proxy, 3) == sorted(scores, reverse=True)

    # Picking a skill keeps the wall sorted by a skill it shows, the one picked; then another.
    wall.skill_box.setCurrentIndex(wall.skill_box.findData("3.NF.A.1"))
    left = shown(wall.proxy, 1)
    assert wall.proxy.columnCount() == 2 and left == sorted(left, reverse=True)
    wall.skill_box.setCurrentIndex(wall.skill_box.findData("3.NF.A.2"))
    assert wall.proxy.headerData(1, Qt.Orientation.Horizontal) == "3.NF.A.2"
    assert shown(wall.proxy, 1) == sorted(shown(wall.proxy, 1), reverse=True)
    # Only those below mastery on it are left.
    wall.below.setChecked(True)
    left = shown(wall.proxy, 1)
    assert wall.proxy.columnCount() == 2 and left == sorted(left, reverse=True)
    assert left and all(float(score) < 3 for score in left)
    assert len(left) == sum(1 for row in range(wall.model.rowCount()) if float(wall.model.index(row, 2).data()) < 3)

    # A student with no result on the skill is last whichever way the wall is sorted.
    school = window.document.school
    school = dataclasses.replace(school, mastery=tuple(r for r in school.mastery
                                                       if (r.student_id, r.skill) != ("S13", "3.NF.A.1")))
    alone = DataWall()
    qtbot.addWidget(alone)
    alone.show_class(school, None, "3A")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        alone.view.sortByColumn(1, order)
        assert shown(alone.proxy, 0)[-1] == "Maya Murphy" and shown(alone.proxy, 1)[-1] == "—"
        assert colour(alone.proxy.index(alone.proxy.rowCount() - 1, 1)) == BAND_COLOURS["no result"]


def double_click(qtbot, view, index: QModelIndex) -> None:
    """What a double-click sends: a click, then the second press as a double-click."""
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


def card_results(window) -> list[tuple[str, str, str, str]]:
    model = window.see.card.card.results
    return [tuple(model.index(row, c).data() for c in range(4)) for row in range(model.rowCount())]


def card_rules(window) -> list[str]:
    rules = window.see.card.card.rules
    return [rules.item(i).text() for i in range(rules.count())]


def test_the_student_card_lists_every_result_newest_first_and_the_rules_and_locks_naming_them(qtbot, window):
    plan(qtbot, window, window.plan_action)
    roster = window.see.roster
    window.tabs.setCurrentWidget(roster)
    diego = roster.proxy.mapFromSource(roster.model.index(3, NAME))
    double_click(qtbot, roster.view, diego)
    card = window.see.card
    assert card.isVisible() and card.card.title.text() == "Diego Jensen"
    assert [card.card.facts[k].text() for k in ("id", "grade", "flags", "classes")] == ["S04", "3", "none", "3A"]
    results = card_results(window)
    assert len(results) == 6 == sum(1 for r in window.document.school.mastery if r.student_id == "S04")
    assert results[:3] == [("3.NF.A.3", "0", "2026-11-20", "unit pre-test"),
                           ("3.NF.A.2", "1", "2026-11-20", "unit pre-test"),
                           ("3.NF.A.1", "1", "2026-11-20", "unit pre-test")]
    assert [r[2] for r in results[3:]] == ["2026-11-06"] * 3
    assert card_rules(window) == ["Never in a group with Isla Lopez (do not group) — apart S04, S09 (Rules row 2)"]

    # Enter on the wall: Liam's card, with his speech pull-out.
    wall = window.see.wall
    window.tabs.setCurrentWidget(wall)
    wall.view.setFocus()
    wall.view.setCurrentIndex(wall_cell(wall, "S12", "3.NF.A.2"))
    qtbot.keyClick(wall.view, Qt.Key.Key_Return)
    assert card.card.title.text() == "Liam Jensen"
    assert card_rules(window) == ["Away Mon, Wed 09:25–09:45 (speech) — away S12 (Rules row 3)"]

    # From the groups board with the keyboard: Isla's card names Diego, and her lock once she is locked.
    window.tabs.setCurrentWidget(window.board)
    select(qtbot, window, "S09")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert card.card.title.text() == "Isla Lopez" and "Never in a group with Diego Jensen" in card_rules(window)[0]
    window.lock_student_action.trigger()
    group = next(g for g in window.document.plan.groups if "S09" in g.members)
    assert card_rules(window)[1] == f"Locked in {group_label(group)} of class 3A"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(card_rules(window)) == 1  # the undone lock leaves the card at once

    # A card double-clicked on the board.
    column = next(c for c in window.board.columns if "S04" in [k.student_id for k in c.model.cards])
    double_click(qtbot, column.view, column.model.index([k.student_id for k in column.model.cards].index("S04")))
    assert card.card.title.text() == "Diego Jensen"
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    assert not card.isVisible()


def test_a_rule_that_names_a_flag_names_every_student_with_it_on_their_card(qtbot, window):
    school = window.document.school
    school = dataclasses.replace(school, rules=(*school.rules, Rule("needs", ("IEP",), station="Teacher table",
                                                                    count=3, row=4)))
    card = StudentCard()
    qtbot.addWidget(card)
    card.show_student(school, None, "S05")
    lines = [card.rules.item(i).text() for i in range(card.rules.count())]
    assert lines == ["At Teacher table at least 3 times a week — needs IEP (Rules row 4)"]
    card.show_student(school, None, "S01")
    assert [card.rules.item(i).text() for i in range(card.rules.count())] == ["No rule or lock names Ava Lopez"]


def test_a_results_detail_from_a_district_export_shows_beside_its_source():
    from rotation.domain.school import MasteryResult
    from rotation.ui.data_wall import result_words

    result = MasteryResult("S1", "MAP Math", 201, dt.date(2026, 1, 14), "MAP Growth Winter 2025-2026", "percentile 45")
    assert result_words(result) == "201 on 2026-01-14 (MAP Growth Winter 2025-2026; percentile 45)"
    assert result_words(MasteryResult("S1", "MAP Math", 201)) == "201, no date"
