"""The Set up tab's Staff & hours, Devices and Rules pages as a teacher uses them: each field read as the planning
workbook reads its column, the reader's words beside it, Apply one undoable step, the checker's verdict after it.

The demo school has one adult (T-RIVERA, Ms Rivera, the class teacher of 3A), one device pool (10 Chromebooks, every
class) and two rules: S04 and S09 apart (Rules row 2), S12 away Mon and Wed 09:25-09:45 for speech (row 3).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rotation.domain.school import DevicePool
from rotation.planning.edits import SetStation, verdict
from rotation.ui.setup import SetupTab
from tests.ui.conftest import plan
from tests.ui.test_setup import problems, type_into

C = "3A"


def page(window, form):
    window.tabs.setCurrentWidget(window.setup)
    window.setup.pages.setCurrentWidget(form.parentWidget().parentWidget())
    return form


@pytest.fixture
def staff(window):
    return page(window, window.setup.staff_form)


@pytest.fixture
def devices(window):
    return page(window, window.setup.devices_form)


@pytest.fixture
def rules(window):
    return page(window, window.setup.rules_form)


def two_of_a_group(window) -> tuple[str, str]:
    group = next(g for g in window.document.plan.groups if g.class_id == C)
    return group.members[0], group.members[1]


def pick(qtbot, rules, student_id: str) -> None:
    """Pick a student from the class's roster, as a teacher does with the keyboard."""
    rules.pick.setCurrentIndex(rules.pick.findData(student_id))
    rules.pick.activated.emit(rules.pick.currentIndex())


def add_apart(qtbot, window, rules, a: str, b: str) -> None:
    rules.new_button.click()
    assert rules.heading.text() == "New rule" and not rules.apply_button.isEnabled()
    rules.kind.setCurrentIndex(rules.kind.findData("apart"))
    pick(qtbot, rules, a)
    pick(qtbot, rules, b)
    assert rules.students.text() == f"{a}, {b}"
    type_into(qtbot, rules.note, "they chat")
    assert rules.apply_button.isEnabled() and not problems(rules)
    qtbot.keyClick(rules.note, Qt.Key.Key_Return)


def test_a_keep_apart_rule_for_two_of_a_group_breaks_apart_and_undo_takes_it_back(qtbot, window, rules):
    plan(qtbot, window, window.plan_action)
    assert window.banner.text().startswith("Meets every hard rule")
    a, b = two_of_a_group(window)
    add_apart(qtbot, window, rules, a, b)
    rule = window.document.school.rules[-1]
    assert (rule.rule, rule.students, rule.note, rule.row) == ("apart", (a, b), "they chat", 4)
    stack = window.document.undo_stack
    assert stack.count() == 2 and stack.text(1) == f"Add rule apart {a}, {b} (Rules row 4)"
    assert window.banner.text().startswith("Breaks 1 hard rule")
    said = [window.checks.item(i).text() for i in range(window.checks.count())]
    assert any(line.startswith(f"⚠ apart: apart {a}, {b} (Rules row 4)") for line in said), said
    # The new rule is the one selected, in words, and the form is the school's again.
    assert rules.table.currentIndex().row() == 2 and not rules.apply_button.isEnabled()
    names = {s.student_id: s.name for s in window.document.school.students}
    assert rules.model.data(rules.model.index(2, 1)) == f"{names[a]}, {names[b]}: never in the same group"
    stack.undo()
    assert len(window.document.school.rules) == 2 and rules.model.rowCount() == 2
    assert window.banner.text().startswith("Meets every hard rule")
    stack.redo()
    assert rules.model.rowCount() == 3


def test_planning_again_after_a_keep_apart_rule_keeps_the_two_apart(qtbot, window, rules):
    plan(qtbot, window, window.plan_action)
    a, b = two_of_a_group(window)
    add_apart(qtbot, window, rules, a, b)
    plan(qtbot, window, window.replan_action)
    assert all(not {a, b} <= set(g.members) for g in window.document.plan.groups)
    report = window.document.state.report
    assert report is not None and not report.violations
    assert not verdict(window.document.state.week).violations  # the checker, judging the plan afresh, accepts it
    assert window.banner.text().startswith("Meets every hard rule")


def test_a_staff_availability_typed_badly_is_told_in_the_readers_words_and_apply_waits(qtbot, window, staff):
    school = window.document.school
    assert staff.heading.text() == "Adult T-RIVERA" and staff.available.text() == ""
    type_into(qtbot, staff.available, "Mon-Fri 08:00-15:00; Wed 8-12")
    assert problems(staff) == {"available": "⚠ '8' is not a time (write HH:MM, e.g. 08:30)"}
    assert staff.available.accessibleDescription() == "'8' is not a time (write HH:MM, e.g. 08:30)"
    assert not staff.apply_button.isEnabled()
    qtbot.keyClick(staff.available, Qt.Key.Key_Return)
    assert window.document.school is school
    type_into(qtbot, staff.available, "Mon-Fri 08:00-15:00; Wed 13:00-12:00")
    assert problems(staff) == {"available": "⚠ '13:00-12:00' ends before it starts"}
    type_into(qtbot, staff.available, "Mon-Fri 08:00-15:00; Wed 08:00-12:00")
    assert not problems(staff) and staff.apply_button.isEnabled()
    staff.apply_button.click()
    assert window.document.undo_stack.text(0) == \
        "Set available to Mon,Tue,Wed,Thu,Fri 08:00-15:00; Wed 08:00-12:00 for T-RIVERA"
    assert staff.model.data(staff.model.index(0, 3)) == "Mon,Tue,Wed,Thu,Fri 08:00-15:00; Wed 08:00-12:00"
    window.document.undo_stack.undo()
    assert staff.available.text() == "" and staff.model.data(staff.model.index(0, 3)) == "always"


def test_a_teacher_there_only_on_monday_afternoon_leaves_the_teacher_table_without_her_on_monday_morning(
        qtbot, window, staff):
    plan(qtbot, window, window.plan_action)
    type_into(qtbot, staff.available, "Mon 13:00-15:00; Tue-Fri 08:00-15:00")
    staff.apply_button.click()
    assert window.banner.text().startswith("Breaks")  # 3A rotates at 09:08 on Monday: no teacher at the table
    said = [window.checks.item(i).text() for i in range(window.checks.count())]
    assert any("adult_available" in line for line in said), said


def test_an_adult_is_added_and_removed_and_one_a_station_names_stays(qtbot, window, staff):
    staff.new_button.click()
    assert staff.heading.text() == "New adult" and not staff.staff_id.isReadOnly()
    assert not problems(staff) and not staff.apply_button.isEnabled()
    type_into(qtbot, staff.staff_id, "AIDE-1")
    type_into(qtbot, staff.name, "Sam Lee")
    type_into(qtbot, staff.role, "AIDE")
    staff.apply_button.click()
    assert window.document.school.staff[-1].name == "Sam Lee"
    assert window.document.undo_stack.text(0) == "Add AIDE-1 to the staff"
    assert staff.heading.text() == "Adult AIDE-1" and staff.staff_id.isReadOnly()
    type_into(qtbot, staff.staff_id, "T-RIVERA")  # read-only: nothing changes
    assert staff.staff_id.text() == "AIDE-1"
    window.document.edit(SetStation(None, "Online", {"staff": "AIDE"}))
    staff.table.setFocus()
    qtbot.keyClick(staff.table, Qt.Key.Key_Delete)  # Delete on the table
    assert staff.general.text().startswith("⚠ station 'Online' of every class: 'AIDE' is not a staff_id or role")
    assert len(window.document.school.staff) == 2
    window.document.undo_stack.undo()  # the station runs itself again
    staff.remove_button.click()
    assert [a.staff_id for a in window.document.school.staff] == ["T-RIVERA"]
    assert window.document.undo_stack.text(window.document.undo_stack.count() - 1) == "Remove AIDE-1 from the staff"


def test_a_device_pools_count_applies_as_one_step_and_undo_restores_it(qtbot, window, devices):
    plan(qtbot, window, window.plan_action)
    assert devices.heading.text() == "Device pool Chromebooks" and devices.count.text() == "10"
    type_into(qtbot, devices.count, "0")
    assert problems(devices) == {"count": "⚠ '0' is too small: it must be at least 1"}
    assert not devices.apply_button.isEnabled()
    type_into(qtbot, devices.count, "4")
    devices.apply_button.click()
    stack = window.document.undo_stack
    assert window.document.school.devices == (DevicePool("Chromebooks", 4),)
    assert stack.count() == 2 and stack.text(1) == "Set count to 4 for device pool Chromebooks"
    assert window.banner.text().startswith("Breaks")  # groups of 7 at Online, 4 Chromebooks
    stack.undo()
    assert window.document.school.devices == (DevicePool("Chromebooks", 10),)
    assert devices.count.text() == "10" and devices.model.data(devices.model.index(0, 1)) == "10"
    assert window.banner.text().startswith("Meets every hard rule")


def test_a_pool_for_a_class_the_school_does_not_have_is_refused_beside_its_field(qtbot, window, devices):
    type_into(qtbot, devices.classes, "3B")
    assert problems(devices) == {"classes": "⚠ class '3B' is not on sheet Classes"}
    assert not devices.apply_button.isEnabled()
    devices.new_button.click()
    assert devices.heading.text() == "New device pool"
    assert not problems(devices) and not devices.apply_button.isEnabled()  # nothing typed: nothing wrong yet
    type_into(qtbot, devices.pool, "iPads")
    type_into(qtbot, devices.count, "")
    assert problems(devices) == {"count": "⚠ this is needed"}
    type_into(qtbot, devices.count, "6")
    devices.apply_button.click()
    assert window.document.school.devices[-1] == DevicePool("iPads", 6)


@pytest.mark.parametrize(("kind", "typed", "where", "message"), [
    ("group", {"students": "S04", "group": "9"}, "group", "class '3A' has groups 1 to 4; there is no group 9"),
    ("group", {"students": "S04"}, "group", "a 'group' rule needs a group"),
    ("apart", {"students": "S04, S99"}, "students",
     "'S99' is neither a student on sheet Students nor a flag a student has"),
    ("needs", {"students": "IEP", "station": "Gym", "count": "2"}, "station",
     "station 'Gym' is not on sheet Stations"),
    ("away", {"students": "S04", "start": "10:00", "end": "9"}, "end", "'9' is not a time (write HH:MM, e.g. 08:30)"),
    ("apart", {"students": "S04", "days": "Mon-Someday"}, "days",
     "'Someday' is not a day (write Mon, Tue, Wed, Thu, Fri, Sat or Sun)"),
])
def test_a_rule_the_workbook_would_refuse_is_told_beside_its_field(qtbot, window, rules, kind, typed, where, message):
    school = window.document.school
    rules.new_button.click()
    rules.kind.setCurrentIndex(rules.kind.findData(kind))
    for name, value in typed.items():
        if name == "station":
            rules.station.setEditText(value)
        else:
            type_into(qtbot, getattr(rules, name), value)
    assert problems(rules) == {where: f"⚠ {message}"}
    assert not rules.apply_button.isEnabled()
    rules.apply()
    assert window.document.school is school


def test_a_rule_is_changed_in_place_and_removed_with_delete(qtbot, window, rules):
    assert rules.heading.text() == "Rule apart S04, S09 (Rules row 2)"
    rules.kind.setCurrentIndex(rules.kind.findData("prefer_apart"))
    rules.apply_button.click()
    assert window.document.school.rules[0].rule == "prefer_apart"
    assert window.document.undo_stack.text(0) == "Change rule apart S04, S09 (Rules row 2)"
    rules.table.selectRow(1)
    assert rules.heading.text() == "Rule away S12 (Rules row 3)"
    assert (rules.start.text(), rules.end.text(), rules.days.text()) == ("09:25", "09:45", "Mon,Wed")
    assert rules.start.isEnabled() and not rules.group.isEnabled()  # the fields an away rule uses
    rules.table.setFocus()
    qtbot.keyClick(rules.table, Qt.Key.Key_Delete)
    assert [r.row for r in window.document.school.rules] == [2]
    assert window.document.undo_stack.text(1) == "Remove rule away S12 (Rules row 3)"
    window.document.undo_stack.undo()
    assert rules.model.rowCount() == 2


def test_what_is_typed_for_a_new_rule_stays_while_the_plan_changes(qtbot, window, rules):
    rules.new_button.click()
    type_into(qtbot, rules.students, "S01, S02")
    plan(qtbot, window, window.plan_action)
    assert rules.students.text() == "S01, S02" and rules.heading.text() == "New rule"
    assert rules.apply_button.isEnabled()


def test_each_field_has_a_label_with_a_mnemonic_an_accessible_name_and_alt_reaches_it(qtbot, window, staff):
    for form in (window.setup.staff_form, window.setup.devices_form, window.setup.rules_form):
        for key, field in form.fields.items():
            assert "&" in field.label.text() and field.label.buddy() is not None, key
            assert field.widget.accessibleName(), key
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is staff.available
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # the Staff & hours page itself
    assert window.setup.pages.currentWidget().widget() is staff


def test_the_models_pass_qt_model_tester(qtbot, qtmodeltester, window, staff, devices, rules):
    for form in (staff, devices, rules):
        qtmodeltester.check(form.model)
    tab = SetupTab()
    qtbot.addWidget(tab)
    for form in (tab.staff_form, tab.devices_form, tab.rules_form):
        qtmodeltester.check(form.model)  # empty
    tab.show_class(window.document, C)
    for form in (tab.staff_form, tab.devices_form, tab.rules_form):
        qtmodeltester.check(form.model)


def test_staff_devices_and_rules_applied_are_saved_and_the_school_reopens_with_them(qtbot, window, demo, staff,
                                                                                   devices, rules):
    from rotation.ui.schools import open_school

    type_into(qtbot, staff.available, "Mon-Thu 08:00-15:00; Fri off")
    staff.apply_button.click()
    type_into(qtbot, devices.count, "12")
    devices.apply_button.click()
    add_apart(qtbot, window, rules, "S01", "S02")
    qtbot.waitUntil(lambda: not window.document.unsaved)
    again = open_school(demo.path)
    assert again.school == window.document.school
    assert again.school.rules[-1].row == 4
    again.engine.dispose()
