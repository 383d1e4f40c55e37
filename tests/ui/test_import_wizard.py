"""File → Import from school files, driven through its real widgets on the demo school: a roster set and a MAP
file come in as one undoable step; a bad file names its problems and changes nothing; a teacher's own CSV goes
through the column mapping page, its mapping saved by name and offered again; results for students on no roster
are skipped when asked."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QInputDialog,
    QLabel,
    QWidget,
    QWizard,
)

from rotation.io.folders import mappings_folder
from rotation.ui.import_wizard import MAPPING, PREVIEW, SOURCES, ImportWizard
from rotation.ui.schools import DEMO
from tests.io.sources import mapped_samples, roster_samples, score_samples
from tests.ui.conftest import plan

STUDENTS = 6


def write_map_of_roster(folder: Path, students: int = STUDENTS, unknown: int = 0) -> Path:
    """A MAP Growth AssessmentResults file for the roster's students (one Mathematics test each), and for
    `unknown` students no roster lists."""
    header, rows = score_samples.map_results(students + unknown, ("Fall 2025-2026",), ("Mathematics",),
                                             old_headers=False)
    at = header.index("StudentID")
    for n, row in enumerate(rows):
        row[at] = roster_samples.student_id(n) if n < students else f"X{n}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "AssessmentResults.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([header, *rows])
    return path


def open_wizard(window) -> ImportWizard:
    action = next(a for m in window.menuBar().actions() for a in m.menu().actions()
                  if a.shortcut().toString() == "Ctrl+Shift+I")
    action.trigger()
    wizard = window.wizard
    assert wizard is not None and wizard.isVisible() and wizard.currentId() == SOURCES
    return wizard


def finish(wizard: ImportWizard) -> None:
    button = wizard.button(QWizard.WizardButton.FinishButton)
    assert button.isVisible() and button.isEnabled()
    button.click()


def listed(wizard: ImportWizard) -> list[str]:
    return [wizard.sources_page.list.item(i).text() for i in range(wizard.sources_page.list.count())]


def tree_texts(wizard: ImportWizard) -> list[str]:
    tree = wizard.preview_page.changes
    texts: list[str] = []

    def walk(item) -> None:
        texts.append(" ".join(item.text(c) for c in range(tree.columnCount())).strip())
        for i in range(item.childCount()):
            walk(item.child(i))
    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return texts


def test_a_roster_set_and_a_map_file_come_into_the_open_school_as_one_step_that_undo_takes_back(
        qtbot, window, tmp_path: Path) -> None:
    plan(qtbot, window, window.plan_action)
    before, planned = window.document.school, window.document.plan
    roster = roster_samples.write_oneroster_12(tmp_path / "roster", students=STUDENTS, gradebook=False)
    scores = write_map_of_roster(tmp_path / "map")
    wizard = open_wizard(window)
    wizard.add_paths([roster, scores])
    assert listed(wizard) == [f"roster — OneRoster 1.2: {STUDENTS} students, 2 classes, 3 adults",
                              f"AssessmentResults.csv — NWEA MAP Growth: {STUDENTS} students, {STUDENTS * 5} results"]
    wizard.next()
    assert wizard.currentId() == PREVIEW  # no file needs a column mapping
    page = wizard.preview_page
    assert f"Students: {STUDENTS} added" in page.summary.text()
    assert "Classes: 2 added" in page.summary.text()
    assert f"added {roster_samples.student_id(0)} Sam Okafor" in tree_texts(wizard)
    assert page.new_classes.isVisible()
    page.start.setTime(page.start.time().addSecs(30 * 60))  # 09:30
    page.minutes.setValue(20)
    assert window.document.school is before  # nothing before Finish
    finish(wizard)

    school = window.document.school
    ids = {s.student_id for s in school.students}
    assert {roster_samples.student_id(i) for i in range(STUDENTS)} <= ids
    assert {s.student_id for s in before.students} <= ids  # nobody the roster leaves out is dropped
    new = {c.class_id: c for c in school.classes if c.class_id.startswith("MATH-")}
    assert sorted(new) == ["MATH-000", "MATH-001"]
    assert all(c.start == dt.time(9, 30) and c.rotation_minutes == 20 for c in new.values())
    results = [m for m in school.mastery if m.student_id.startswith("S1000")]
    assert {m.student_id for m in results} == {roster_samples.student_id(i) for i in range(STUDENTS)}
    assert set(before.mastery) <= set(school.mastery)
    assert window.document.plan is planned  # the plan stays: the checker says who is in no group
    assert any("S100000" in str(v.students) for v in window.document.state.report.violations)
    assert [window.class_box.itemText(i) for i in range(window.class_box.count())][-2:] == ["MATH-000", "MATH-001"]
    assert window.undo_group.activeStack().count() == 2  # the plan, then the import
    assert window.undo_group.activeStack().text(1).startswith("Import roster, AssessmentResults.csv")
    with qtbot.waitSignal(window.document.saved):
        pass  # the autosave
    from rotation.storage.repository import load_school
    assert load_school(window.document.opened.engine) == school

    window.undo_action.trigger()
    assert window.document.school == before and window.document.plan is planned
    assert window.class_box.count() == len(before.classes)


def test_a_bad_file_names_each_problem_by_file_row_and_column_finish_stays_off_and_nothing_changes(
        window, tmp_path: Path) -> None:
    before = window.document.school
    scores = write_map_of_roster(tmp_path / "map")
    text = scores.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = text[2].split(",")  # row 3 of the file
    row[header.index("TestRITScore")] = "lots"
    text[2] = ",".join(row)
    scores.write_text("\n".join(text) + "\n", encoding="utf-8")
    wizard = open_wizard(window)
    wizard.add_paths([DEMO])
    assert listed(wizard) == ["grade3-math.xlsx — cannot be read: is a planning workbook: open it with File → "
                              "Import planning workbook"]
    wizard.sources_page.remove.click()
    wizard.add_paths([scores])
    wizard.next()
    page = wizard.preview_page
    assert page.problems.isVisible() and not page.changes.isVisible()
    shown = [[page.problems.item(r, c).text() for c in range(5)] for r in range(page.problems.rowCount())]
    assert ["AssessmentResults.csv", "", "3", "TestRITScore"] in [line[:4] for line in shown]
    assert "cannot be imported" in page.summary.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.reject()
    assert window.document.school is before and window.undo_group.activeStack().count() == 0


def test_a_teachers_csv_goes_through_the_mapping_page_and_its_mapping_saved_by_name_is_offered_again(
        window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tickets = mapped_samples.write_exit_tickets(tmp_path)
    wizard = open_wizard(window)
    wizard.add_paths([tickets])
    assert listed(wizard) == ["exit tickets.csv — needs a column mapping"]
    wizard.next()
    assert wizard.currentId() == MAPPING
    page = wizard.mapping_page
    # The first guess, from the header.
    assert {a: c.currentText() for a, c in page.combos.items()} == {
        "student_id": "Student ID", "first_name": "First", "last_name": "Last", "grade": "Grade", "class_": "Period",
        "flags": "(none)", "skill": "Standard", "score": "Points", "date": "Date", "source": "Quiz"}
    assert page.long.isChecked()
    assert page.table.rowCount() == len(mapped_samples.EXIT_TICKET_ROWS)
    assert page.table.horizontalHeaderItem(0).text() == "Student ID\n→ student_id"
    # No score column: the page says so, in the mapping reader's words, and Next waits.
    page.combos["score"].setCurrentIndex(0)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "needs both 'skill' and 'score'" in page.hint.text()
    page.combos["score"].setCurrentText("Points")
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kw: ("Exit tickets", True))
    page.save_as.click()
    saved = mappings_folder() / "Exit tickets.json"
    assert saved.is_file() and page.saved_box.currentText() == "Exit tickets"
    from rotation.cli import _mapping
    assert _mapping("Exit tickets") == wizard.sources[0].mapping  # what `rotation import --mapping` reads

    wizard.next()
    assert wizard.currentId() == PREVIEW
    assert "Students: 3 added" in wizard.preview_page.summary.text()
    finish(wizard)
    school = window.document.school
    assert {"1001", "1002", "1003"} <= {s.student_id for s in school.students}
    assert {("1001", "3.NF.A.1", 3.0), ("1002", "3.NF.A.2", 1.0)} <= {(m.student_id, m.skill, m.score)
                                                                      for m in school.mastery}

    # Next time the saved mapping is offered, and applying it puts back what was changed.
    again = open_wizard(window)
    again.add_paths([tickets])
    again.next()
    page = again.mapping_page
    assert [page.saved_box.itemText(i) for i in range(page.saved_box.count())] == ["Exit tickets"]
    page.combos["first_name"].setCurrentIndex(0)
    assert again.sources[0].mapping.first_name is None
    page.use_saved.click()
    assert page.combos["first_name"].currentText() == "First"
    assert again.sources[0].mapping.name == "Exit tickets"


def test_a_gradebook_with_one_column_per_skill_is_mapped_by_ticking_its_skill_columns(window, tmp_path) -> None:
    book = mapped_samples.write_gradebook(tmp_path)
    wizard = open_wizard(window)
    wizard.add_paths([book])
    wizard.next()
    page = wizard.mapping_page
    assert page.wide.isChecked() and not page.combos["score"].isEnabled()
    ticked = [page.skill_columns.item(i).text() for i in range(page.skill_columns.count())
              if page.skill_columns.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == ["3.NF.A.1", "3.NF.A.3", "3.MD.A.1"]
    page.skill_columns.item(6).setCheckState(Qt.CheckState.Unchecked)  # 3.MD.A.1 left out
    assert wizard.sources[0].mapping.skills == ("3.NF.A.1", "3.NF.A.3")
    assert wizard.sources[0].mapping.sheet == "Q1"


def test_results_for_students_on_no_roster_stop_the_import_unless_skipped(window, tmp_path: Path) -> None:
    before = window.document.school
    roster = roster_samples.write_oneroster_12(tmp_path / "roster", students=STUDENTS, gradebook=False)
    scores = write_map_of_roster(tmp_path / "map", unknown=2)
    wizard = open_wizard(window)
    wizard.add_paths([roster, scores])
    wizard.next()
    page = wizard.preview_page
    finish_button = wizard.button(QWizard.WizardButton.FinishButton)
    problems = [page.problems.item(r, 4).text() for r in range(page.problems.rowCount())]
    assert len(problems) == 2 and all("is not on the roster" in p for p in problems)
    assert all("tick Skip results" in p and "--skip-unknown" not in p for p in problems)  # this box, not the CLI's
    assert not finish_button.isEnabled()
    page.skip.click()
    assert finish_button.isEnabled() and page.changes.isVisible()
    assert "Results:" in page.summary.text() and "2 refused" in page.summary.text()
    assert any(t.startswith("refused X6 ") and "skipped" in t for t in tree_texts(wizard))
    page.skip.click()
    assert not finish_button.isEnabled()
    page.skip.click()
    finish(wizard)
    school = window.document.school
    assert not any(m.student_id.startswith("X") for m in school.mastery)
    added = set(school.mastery) - set(before.mastery)
    assert {m.student_id for m in added} == {roster_samples.student_id(i) for i in range(STUDENTS)}


def test_removing_a_file_takes_it_out_of_the_import(window, tmp_path: Path) -> None:
    roster = roster_samples.write_oneroster_12(tmp_path / "roster", students=STUDENTS, gradebook=False)
    tickets = mapped_samples.write_exit_tickets(tmp_path)
    wizard = open_wizard(window)
    wizard.add_paths([tickets, roster, roster])  # a file added twice is listed once
    assert len(listed(wizard)) == 2
    wizard.sources_page.list.setCurrentRow(0)
    wizard.sources_page.remove.click()
    assert [line.split(":")[0] for line in listed(wizard)] == ["roster — OneRoster 1.2"]
    wizard.next()
    assert wizard.currentId() == PREVIEW  # the file needing a mapping is gone, and its page with it


def test_every_control_of_every_page_has_a_name_for_a_screen_reader_and_keys(window, tmp_path: Path) -> None:
    tickets = mapped_samples.write_exit_tickets(tmp_path)
    roster = roster_samples.write_oneroster_12(tmp_path / "roster", students=STUDENTS, gradebook=False)
    wizard = open_wizard(window)
    wizard.add_paths([tickets, roster])
    for page in (wizard.sources_page, wizard.mapping_page, wizard.preview_page):
        if page is not wizard.sources_page:
            wizard.next()
        assert wizard.currentPage() is page
        buddies = {label.buddy() for label in page.findChildren(QLabel) if label.buddy() is not None}
        owners = (page, *page.findChildren(QGroupBox))
        for widget in page.findChildren(QWidget):
            if not widget.isVisibleTo(page) or widget.parent() not in owners:
                continue
            if isinstance(widget, QAbstractButton):
                assert "&" in widget.text(), widget.text()  # a mnemonic: Alt reaches it
                assert widget.accessibleName() or widget.text()
            elif isinstance(widget, QComboBox | QAbstractItemView):
                assert widget.accessibleName(), widget
                assert widget in buddies or widget is wizard.preview_page.problems, widget.accessibleName()


def test_the_demo_districts_files_come_in_with_their_mapping_written_for_rotation_import(window) -> None:
    """The district files shipped with the demo (resources/demo/district): their exit tickets' mapping, put in the
    mappings folder as `rotation import --mapping` finds it, is offered by name and applied."""
    district = DEMO.parent / "district"
    mappings_folder().mkdir(parents=True)
    shutil.copy(district / "exit-tickets.json", mappings_folder())
    before = window.document.school
    wizard = open_wizard(window)
    wizard.add_paths([district / "oneroster", district / "map-assessment-results.csv",
                      district / "exit-tickets.csv"])
    assert listed(wizard)[0] == "oneroster — OneRoster 1.2: 29 students, 1 class, 1 adult"
    wizard.next()
    page = wizard.mapping_page
    assert page.saved_box.currentText() == "Exit tickets"
    page.use_saved.click()
    assert wizard.sources[2].mapping.source_value == "Exit ticket"  # kept, though the page does not show it
    wizard.next()
    finish(wizard)
    added = set(window.document.school.mastery) - set(before.mastery)
    assert {m.source for m in added if m.student_id == "S01"} >= {"Exit ticket"}
    assert "S29" in {s.student_id for s in window.document.school.students}
