"""The Set up tab as a teacher uses it: the class's settings and its stations as forms, each field checked as it is
typed with the planning workbook's own words beside it, Apply one undoable step, the checker's verdict after it.

The demo's class 3A starts at 09:08 with 15-minute rotations and 2 minutes to change, Monday to Friday, in 4 groups
of 7 (sizes balanced), three stations (Teacher table, Online with the Chromebooks, Practice game) shared by every
class, and skills 3.NF.A.1 to 3.NF.A.3.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QTabBar, QWidget

from rotation.ui.setup import SetupTab
from tests.ui.conftest import plan

C = "3A"


@pytest.fixture
def form(window):
    window.tabs.setCurrentWidget(window.setup)
    window.setup.pages.setCurrentIndex(0)
    return window.setup.class_form


@pytest.fixture
def stations(window):
    window.tabs.setCurrentWidget(window.setup)
    window.setup.pages.setCurrentIndex(1)
    return window.setup.stations_form


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    """What a teacher does: select what the field says and type over it (nothing typed: delete it)."""
    edit.setFocus()
    edit.selectAll()
    if text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)


def the_class(window):
    return next(c for c in window.document.school.classes if c.class_id == C)


def problems(form) -> dict[str, str]:
    """Each field's problem as the teacher sees it beneath the field."""
    return {key: field.problem.text() for key, field in form.fields.items() if field.problem.isVisible()}


def test_five_groups_of_twenty_minutes_apply_as_one_step_and_undo_brings_back_four_of_fifteen(qtbot, window, form):
    assert (form.groups.text(), form.minutes.text()) == ("4", "15")
    assert not form.apply_button.isEnabled()  # nothing changed yet
    type_into(qtbot, form.groups, "5")
    type_into(qtbot, form.minutes, "20")
    assert form.apply_button.isEnabled() and not problems(form)
    qtbot.mouseClick(form.apply_button, Qt.MouseButton.LeftButton)
    assert (the_class(window).groups, the_class(window).rotation_minutes) == (5, 20)
    stack = window.document.undo_stack
    assert stack.count() == 1
    assert stack.text(0) == "Set rotation minutes to 20, groups to 5 for class 3A"
    assert not form.apply_button.isEnabled()  # the form is the school's again

    stack.undo()
    assert (the_class(window).groups, the_class(window).rotation_minutes) == (4, 15)
    assert (form.groups.text(), form.minutes.text()) == ("4", "15")  # the form follows undo
    stack.redo()
    assert (form.groups.text(), form.minutes.text()) == ("5", "20")


def test_every_setting_of_the_form_reaches_the_class(qtbot, window, form):
    form.start.setTime(QTime(10, 30))
    type_into(qtbot, form.rotations, "2")
    type_into(qtbot, form.transition, "")
    form.days["Fri"].click()
    form.days["Sat"].click()
    type_into(qtbot, form.min_size, "6")
    type_into(qtbot, form.max_size, "8")
    form.grouping.setCurrentIndex(form.grouping.findData("by skill"))
    form.focus.setCurrentIndex(form.skills.index(1))
    qtbot.keyClick(form.focus, Qt.Key.Key_Space)  # ticks 3.NF.A.2
    assert form.skills.data(form.skills.index(1), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtbot.keyClick(form.max_size, Qt.Key.Key_Return)  # Enter applies
    cls = the_class(window)
    assert (cls.start, cls.rotations, cls.transition_minutes, cls.days, cls.min_group_size, cls.max_group_size,
            cls.grouping, cls.focus) == (dt.time(10, 30), 2, 0, ("Mon", "Tue", "Wed", "Thu", "Sat"), 6, 8,
                                         "by skill", ("3.NF.A.2",))
    assert window.document.undo_stack.count() == 1


@pytest.mark.parametrize(("typed", "where", "message"), [
    ({"minutes": "0"}, "rotation_minutes", "'0' is too small: it must be at least 1"),
    ({"minutes": ""}, "rotation_minutes", "this is needed"),
    ({"groups": "four"}, "groups", "'four' is not a number"),
    ({"rotations": "2.5"}, "rotations", "'2.5' is not a whole number"),
    ({"transition": "-1"}, "transition_minutes", "'-1' is too small: it must be at least 0"),
    ({"min_size": "8", "max_size": "6"}, "max_group_size", "min_group_size 8 is more than max_group_size 6"),
    ({"start": QTime(23, 30)}, "start", "3 rotations of 15 minutes from 23:30 would end at or after midnight"),
    ({"rotations": "4", "start": QTime(23, 0)}, "rotations",
     "4 rotations of 15 minutes from 23:00 would end at or after midnight"),
    ({"days": ()}, "days", "tick at least one day"),
])
def test_a_value_the_workbook_would_refuse_is_told_beside_its_field_and_changes_nothing(qtbot, window, form, typed,
                                                                                          where, message):
    school = window.document.school
    type_into(qtbot, form.groups, "5")  # a good change beside the bad one
    for name, value in typed.items():
        if name == "start":
            form.start.setTime(value)
        elif name == "days":
            for box in form.days.values():
                box.setChecked(False)
        else:
            type_into(qtbot, getattr(form, name), value)
    assert problems(form) == {where: f"⚠ {message}"}
    field = form.fields[where]
    assert field.described[0].accessibleDescription() == message  # what a screen reader says after the name
    assert not form.apply_button.isEnabled()
    assert form.revert_button.isEnabled()
    form.apply()  # Enter in a field, or the button some other way: still nothing
    qtbot.keyClick(form.groups, Qt.Key.Key_Return)
    assert window.document.school is school and window.document.undo_stack.count() == 0
    form.revert_button.click()
    assert not problems(form) and form.groups.text() == "4" and not form.revert_button.isEnabled()


def test_days_and_focus_written_in_another_order_are_no_change(qtbot, window, form):
    from rotation.planning.edits import SetClass

    window.document.edit(SetClass(C, {"days": ("Thu", "Mon"), "focus": ("3.NF.A.3", "3.NF.A.1")}))
    assert form.days["Mon"].isChecked() and form.days["Thu"].isChecked() and not form.days["Tue"].isChecked()
    assert form.skills.focus() == ("3.NF.A.1", "3.NF.A.3")
    assert not form.apply_button.isEnabled() and not form.revert_button.isEnabled()
    type_into(qtbot, form.groups, "5")
    form.apply_button.click()
    assert window.document.undo_stack.text(1) == "Set groups to 5 for class 3A"


def test_every_problem_shows_at_once(qtbot, form):
    type_into(qtbot, form.minutes, "0")
    type_into(qtbot, form.min_size, "8")
    type_into(qtbot, form.max_size, "6")
    assert set(problems(form)) == {"rotation_minutes", "max_group_size"}


def test_a_max_group_size_below_the_planned_groups_breaks_group_size_and_undo_mends_it(qtbot, window, form):
    plan(qtbot, window, window.plan_action)
    assert window.banner.text().startswith("Meets every hard rule")
    type_into(qtbot, form.max_size, "6")
    form.apply_button.click()
    assert window.banner.text().startswith("Breaks 4 hard rules")  # four groups of 7
    said = [window.checks.item(i).text() for i in range(window.checks.count())]
    assert sum(line.startswith("⚠ group_size:") for line in said) == 4
    assert window.document.plan is not None  # the plan stays; the checker judges it
    window.document.undo_stack.undo()
    assert form.max_size.text() == ""
    assert window.banner.text().startswith("Meets every hard rule")


def test_before_the_first_plan_the_form_changes_the_school_and_planning_uses_it(qtbot, window, form):
    type_into(qtbot, form.groups, "5")
    form.apply_button.click()
    assert window.document.plan is None
    plan(qtbot, window, window.plan_action)
    assert sum(1 for g in window.document.plan.groups if g.class_id == C) == 5


def test_what_is_typed_stays_while_the_plan_changes_and_a_changed_class_loads_afresh(qtbot, window, form):
    type_into(qtbot, form.groups, "5")
    plan(qtbot, window, window.plan_action)  # the class's settings did not change
    assert form.groups.text() == "5" and form.apply_button.isEnabled()
    window.document.undo_stack.undo()  # nor here
    assert form.groups.text() == "5"


def test_each_field_has_a_label_with_a_mnemonic_and_an_accessible_name(qtbot, window, form, stations):
    for each in (form, stations):
        window.setup.pages.setCurrentWidget(each.parentWidget().parentWidget())
        for key, field in each.fields.items():
            assert "&" in field.label.text() and field.label.buddy() is not None, key
            assert field.widget.accessibleName(), key


@pytest.mark.parametrize("page", [0, 1, 2, 3, 4])
def test_no_two_mnemonics_on_screen_share_a_letter(qtbot, window, page):
    """Alt and a letter reaches one control: the menus, the view tabs, the toolbar and the page shown."""
    window.tabs.setCurrentWidget(window.setup)
    window.setup.pages.setCurrentIndex(page)
    letters: list[str] = [a.text() for a in window.menuBar().actions()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if (isinstance(widget, QLabel) and widget.buddy() is not None) or isinstance(widget, QAbstractButton):
            letters.append(widget.text())
        if isinstance(widget, QTabBar):
            letters += [widget.tabText(i) for i in range(widget.count())]
    keys = [text[text.index("&") + 1].lower() for text in letters if "&" in text.replace("&&", "")]
    twice = sorted(t for t in letters if "&" in t and keys.count(t[t.index("&") + 1].lower()) > 1)
    assert len(keys) == len(set(keys)), twice


def test_alt_and_a_letter_puts_the_cursor_in_the_field(qtbot, window, form):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.minutes
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is form.days["Mon"]


def test_problems_are_red_and_readable_in_a_dark_palette(qtbot, form):
    type_into(qtbot, form.minutes, "0")
    assert "#b71c1c" in form.fields["rotation_minutes"].problem.styleSheet()
    dark = form.palette()
    dark.setColor(dark.ColorRole.Window, Qt.GlobalColor.black)
    form.setPalette(dark)
    assert "#ff8a80" in form.fields["rotation_minutes"].problem.styleSheet()


# --- stations ------------------------------------------------------------------------------------------

def station(window, name):
    return next(s for s in window.document.school.stations if s.name == name)


def test_a_stations_capacity_and_visits_apply_as_one_step_and_undo_restores_them(qtbot, window, stations):
    assert [s.name for s in stations.model.items] == ["Teacher table", "Online", "Practice game"]
    stations.table.selectRow(1)
    assert stations.heading.text() == "Settings of station Online"
    assert stations.shared_note.isVisible()  # a station of every class
    type_into(qtbot, stations.capacity, "8")
    type_into(qtbot, stations.visits, "2")
    stations.apply_button.click()
    assert (station(window, "Online").capacity, station(window, "Online").visits) == (8, 2)
    assert window.document.undo_stack.text(0) == "Set capacity to 8, visits to 2 for station Online"
    assert stations.model.data(stations.model.index(1, 3)) == "8"
    window.document.undo_stack.undo()
    assert station(window, "Online").capacity is None
    assert (stations.heading.text(), stations.capacity.text()) == ("Settings of station Online", "")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("capacity", "0", "'0' is too small: it must be at least 1"),
    ("visits", "often", "'often' is not a number of visits or 'by need'"),
    ("staff", "NOBODY", "'NOBODY' is not a staff_id or role on sheet Staff, nor a class teacher"),
    ("mirror", "Online", "station 'Online' is itself a mirror; name the station it copies"),
])
def test_a_station_value_the_workbook_would_refuse_is_told_beside_its_field(qtbot, window, stations, field, value,
                                                                              message):
    school = window.document.school
    if field == "mirror":  # Practice game copies Online, which copies Teacher table: a mirror of a mirror
        stations.table.selectRow(1)
        stations.mirror.setCurrentIndex(stations.mirror.findData("Teacher table"))
        stations.apply_button.click()
        school = window.document.school
        stations.table.selectRow(2)
        stations.mirror.setCurrentIndex(stations.mirror.findData(value))
        key = "mirror_of"
    elif field == "staff":
        stations.staff.setEditText(value)
        key = "staff"
    else:
        type_into(qtbot, getattr(stations, field), value)
        key = field
    assert problems(stations) == {key: f"⚠ {message}"}
    assert not stations.apply_button.isEnabled()
    stations.apply()
    assert window.document.school is school


def test_the_models_pass_qt_model_tester(qtbot, qtmodeltester, window, form, stations):
    qtmodeltester.check(form.skills)
    qtmodeltester.check(stations.model)
    tab = SetupTab()
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.class_form.skills)  # empty
    qtmodeltester.check(tab.stations_form.model)
    tab.show_class(window.document, C)
    qtmodeltester.check(tab.stations_form.model)


def test_a_form_applied_is_saved_and_the_school_reopens_with_it(qtbot, window, demo, form, stations):
    from rotation.ui.schools import open_school

    type_into(qtbot, form.groups, "5")
    form.days["Wed"].click()
    form.apply_button.click()
    stations.table.selectRow(0)
    stations.must_do.setCurrentIndex(stations.must_do.findData(True))
    type_into(qtbot, stations.visits, "")
    stations.apply_button.click()
    qtbot.waitUntil(lambda: not window.document.unsaved)
    again = open_school(demo.path)
    assert again.school == window.document.school
    assert next(s for s in again.school.stations if s.name == "Teacher table").must_do is True
    assert next(c for c in again.school.classes if c.class_id == C).days == ("Mon", "Tue", "Thu", "Fri")
    again.engine.dispose()
