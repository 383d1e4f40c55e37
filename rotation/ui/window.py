"""The main window: a class's groups board and week grid, the checker's verdict beside them, and the plan,
edit, undo and export actions, every one in a menu with a shortcut."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from rotation.domain.plan import Check, Plan
from rotation.domain.week import locked_in, names_of, stations_of
from rotation.io.exports.bundle import Asked, export
from rotation.io.exports.calendars import UTC, machine_zone
from rotation.io.exports.pseudonyms import Codes, load_key
from rotation.io.folders import user_data
from rotation.io.plan_workbook import write_plan_workbook
from rotation.io.problems import BadInput
from rotation.planning.edits import (
    Edit,
    ImportSchool,
    LockGroup,
    LockStudent,
    LockVisit,
    MoveStudent,
    SetVisit,
    Week,
    fix_edit,
    verdict,
)
from rotation.planning.messages import explain, fix_words, violation_words
from rotation.ui.board import GroupsBoard
from rotation.ui.class_views import ClassViews
from rotation.ui.colours import verdict_colour
from rotation.ui.document import Document
from rotation.ui.import_wizard import ImportWizard
from rotation.ui.planner import Ask, Planner
from rotation.ui.printing import PAGES, landscape_printer, print_pages
from rotation.ui.schools import Opened, demo_school, import_workbook, new_school, open_school, schools_folder
from rotation.ui.setup import SetupTab
from rotation.ui.week_grid import WeekModel
from solver.plan import Conflict, Status

if TYPE_CHECKING:  # OR-Tools loads after the window shows (rotation.ui.planner.warm_up)
    from rotation.planning.service import Planned
    from solver.watch import Progress

log = logging.getLogger(__name__)
RECENT = 8


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    def __init__(self, opened: Opened, settings: QSettings | None = None):
        super().__init__()
        self.setObjectName("main window")
        self.settings = settings or QSettings()
        self.document: Document | None = None
        self.planner = Planner(self)
        self.planner.progressed.connect(self._progressed)
        self.planner.finished.connect(self._planned)
        self.planner.failed.connect(self._plan_failed)
        self._asked_label = ""
        self.seed: int | None = None  # a seed plans with one worker, the same plan every time
        self.wizard: ImportWizard | None = None
        self._build()
        self.open(opened)
        self._restore()

    # --- building -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.class_box = QComboBox(self)
        self.class_box.setAccessibleName(tr("Class"))
        self.class_box.currentIndexChanged.connect(lambda _: self._refresh())
        self.banner = QLabel(self)
        self.banner.setObjectName("verdict")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.board = GroupsBoard(self)
        self.board.move_asked.connect(self._move)
        self.board.menu_asked.connect(self._student_menu)
        self.week = WeekModel(self)
        self.week.visit_asked.connect(self._set_visit)
        self.grid = QTableView(self)
        self.grid.setAccessibleName(tr("Week grid"))
        self.grid.setModel(self.week)
        self.grid.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.grid.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._visit_menu)
        # Filled as the current cell moves, not only when shown: a screen reader finds its items in place.
        self.grid.selectionModel().currentChanged.connect(lambda *_: self._fill_station_menu())
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(tr("Views"))
        self.tabs.addTab(self.board, tr("&Groups"))
        self.tabs.addTab(self.grid, tr("&Week"))
        self.setup = SetupTab(self)
        self.tabs.addTab(self.setup, tr("&Set up"))
        self.see = ClassViews(self.board, self)  # the roster, the mastery data wall and the student card
        # No mnemonics: every letter of theirs is taken on the Set up tab; View → Alt+4 and Alt+5 reach them.
        self.tabs.addTab(self.see.roster, tr("Roster"))
        self.tabs.addTab(self.see.wall, tr("Mastery wall"))
        centre = QWidget(self)
        layout = QVBoxLayout(centre)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        self.setCentralWidget(centre)

        self.checks = QListWidget(self)
        self.checks.setAccessibleName(tr("Checks"))
        self.checks.setWordWrap(True)
        self.checks.setObjectName("checks")
        self.checks_dock = self._dock(tr("Checks"), self.checks, Qt.DockWidgetArea.RightDockWidgetArea)
        self.undo_group = QUndoGroup(self)
        self.conflicts = QWidget(self)
        self.conflicts.setAccessibleName(tr("Conflicts"))
        self.conflicts_layout = QVBoxLayout(self.conflicts)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the words wrap to the panel
        scroll.setWidget(self.conflicts)
        self.conflicts_dock = self._dock(tr("Conflicts"), scroll, Qt.DockWidgetArea.RightDockWidgetArea)
        self.conflicts_dock.hide()
        self.history = QUndoView(self.undo_group, self)
        self.history.setAccessibleName(tr("Undo history"))
        self.history.setEmptyLabel(tr("As opened"))
        self.history_dock = self._dock(tr("History"), self.history, Qt.DockWidgetArea.RightDockWidgetArea)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(tr("Planning progress"))
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.progress_text = QLabel(self)
        self.statusBar().addPermanentWidget(self.progress_text)
        self.statusBar().addPermanentWidget(self.progress)
        self._actions()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _actions(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(tr("&File"))
        self._action(file, tr("&Open school…"), self._open_file, QKeySequence.StandardKey.Open)
        self._action(file, tr("&New school…"), self._new_file, QKeySequence.StandardKey.New)
        self._action(file, tr("&Import planning workbook…"), self._import_file, "Ctrl+I")
        self._action(file, tr("Import from &school files…"), self.import_school_files, "Ctrl+Shift+I")
        self._action(file, tr("Open the &demo school"), lambda: self.open(demo_school()))
        self.recent_menu = file.addMenu(tr("&Recent"))
        file.addSeparator()
        self.export_action = self._action(file, tr("&Export plan workbook…"), self._export, "Ctrl+E")
        self.export_actions = [
            self._action(file, tr("Export Sc&hedule CSVs…"), partial(self._export_folder, "schedules")),
            self._action(file, tr("Export ca&lendars…"), partial(self._export_folder, "calendars")),
            self._action(file, tr("Export pseudon&ymised plan…"), self._export_pseudonymised),
        ]
        self.print_actions = [
            self._action(file, tr("&Print Rotation chart…"), partial(self._print, "chart"),
                         QKeySequence.StandardKey.Print),
            self._action(file, tr("Print group &cards…"), partial(self._print, "cards")),
            self._action(file, tr("Rotation chart as P&DF…"), partial(self._pdf, "chart")),
            self._action(file, tr("Group cards as PD&F…"), partial(self._pdf, "cards")),
        ]
        file.addSeparator()
        self._action(file, tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu(tr("&Edit"))
        self.undo_action = self.undo_group.createUndoAction(self, tr("&Undo"))
        self.redo_action = self.undo_group.createRedoAction(self, tr("&Redo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        self.move_menu = edit.addMenu(tr("&Move to group"))
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.lock_student_action = self._action(edit, tr("&Lock student in group"), self._lock_students, "Ctrl+L")
        self._action(edit, tr("Lock &whole group"), self._lock_group, "Ctrl+Shift+L")
        edit.addSeparator()
        self.station_menu = edit.addMenu(tr("&Send to station"))
        self.station_menu.aboutToShow.connect(self._fill_station_menu)
        self._action(edit, tr("Lock &visit"), self._lock_visit, "Ctrl+K")
        self._move_shortcuts()

        plan = bar.addMenu(tr("&Plan"))
        self.plan_action = self._action(plan, tr("&Plan week"), lambda: self._plan(regroup=False, keep=False), "F5")
        self.replan_action = self._action(plan, tr("&Re-plan around my edits"),
                                          lambda: self._plan(regroup=False, keep=True), "Shift+F5")
        self.regroup_action = self._action(plan, tr("&Next week from new mastery"),
                                           lambda: self._plan(regroup=True, keep=True), "Ctrl+F5")
        self.cancel_action = self._action(plan, tr("&Cancel planning (keep the best plan)"), self.planner.cancel,
                                          "Esc")
        self.cancel_action.setEnabled(False)

        view = bar.addMenu(tr("&View"))
        self._action(view, tr("&Groups board"), lambda: self._show_tab(0), "Alt+1")
        self._action(view, tr("&Week grid"), lambda: self._show_tab(1), "Alt+2")
        self._action(view, tr("&Set up the class"), lambda: self._show_tab(2), "Alt+3")
        self._action(view, tr("&Roster"), lambda: self._show_tab(self.tabs.indexOf(self.see.roster)), "Alt+4")
        self._action(view, tr("&Mastery data wall"), lambda: self._show_tab(self.tabs.indexOf(self.see.wall)), "Alt+5")
        self.card_action = self._action(view, tr("Show s&tudent card"), self._show_card, "Ctrl+Shift+S")
        view.addAction(self.checks_dock.toggleViewAction())
        view.addAction(self.history_dock.toggleViewAction())

        tools = QToolBar(tr("Plan"), self)
        tools.setObjectName("plan toolbar")
        label = QLabel(tr("C&lass:"), self)
        label.setBuddy(self.class_box)
        tools.addWidget(label)
        tools.addWidget(self.class_box)
        tools.addSeparator()
        for action in (self.plan_action, self.replan_action, self.cancel_action):
            tools.addAction(action)
        self.addToolBar(tools)

    def _move_shortcuts(self) -> None:
        """Ctrl+1 .. Ctrl+9 move the selected students to that group: the keyboard's drag."""
        for n in range(1, 10):
            action = QAction(tr("Move to group {n}").format(n=n), self)
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, n=n: self._move_selected(n))
            self.addAction(action)

    def _show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus()

    # --- a school -------------------------------------------------------------------------------------

    def open(self, opened: Opened) -> None:
        if self.planner.running:
            self.planner.cancel()
            self.planner.wait()
        self._close_document()
        self.document = Document(opened, self)
        self.document.changed.connect(self._refresh)
        self.document.refused.connect(lambda why: self.statusBar().showMessage(why, 8000))
        self.undo_group.addStack(self.document.undo_stack)
        self.undo_group.setActiveStack(self.document.undo_stack)
        self.class_box.blockSignals(True)
        self.class_box.clear()  # filled by _refresh, with the new school's classes
        self.class_box.blockSignals(False)
        self.setWindowTitle(tr("{school} — Rotation").format(school=opened.path.stem))
        self._remember(opened.path)
        self._refresh()

    def import_school_files(self) -> None:
        """The import wizard on the open school; Finish applies its school as one undoable step."""
        if self.document is None:
            return
        if self.wizard is not None:
            self.wizard.deleteLater()  # the last one's files and preview are not kept
        self.wizard = ImportWizard(self.document.school, self)
        self.wizard.accepted.connect(self._imported)
        self.wizard.open()  # window-modal; the tests drive it without waiting on exec()

    def _imported(self) -> None:
        school = self.wizard.imported_school() if self.wizard is not None else None
        if self.document is not None and self.wizard is not None and school is not None:
            self.document.edit(ImportSchool(school, self.wizard.words()))

    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open school"), "", tr(
            "Schools and planning workbooks (*.db *.sqlite *.rotation *.xlsx);;All files (*)"))
        if path:
            self.open_path(Path(path))

    def _new_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("New school"), str(schools_folder() / tr("new-school.db")),
                                              tr("Schools (*.db)"))
        if path:
            self.new_school(Path(path))

    def new_school(self, path: Path) -> bool:
        """An empty school of its own, opened; importing a planning workbook then fills it."""
        try:
            self.open(new_school(path))
        except BadInput as error:
            QMessageBox.warning(self, tr("Cannot make {name}").format(name=path.name), str(error))
            return False
        return True

    def _import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import planning workbook"), "",
                                              tr("Planning workbooks (*.xlsx)"))
        if path:
            self.import_path(Path(path))

    def import_path(self, workbook: Path) -> bool:
        """A planning workbook into the open school if it is empty (a new school), else as a school of its own."""
        if self.document is None or self.document.school.classes or self.document.school.students:
            return self.open_path(workbook)
        target = self.document.opened.path
        self._close_document()
        try:
            self.open(import_workbook(workbook, target))
        except BadInput as error:
            QMessageBox.warning(self, tr("Cannot import {name}").format(name=workbook.name), str(error))
            self.open(open_school(target))  # the empty school again, unchanged
            return False
        return True

    def _close_document(self) -> None:
        """Save the open school and let it go, its undo history out of Edit and History with it. The Document is
        the window's child: deleted, or every school opened since the start would stay in memory with its history."""
        if self.document is not None:
            self.document.close()
            self.undo_group.removeStack(self.document.undo_stack)
            self.document.deleteLater()
            self.document = None

    def open_path(self, path: Path) -> bool:
        try:
            self.open(open_school(path))
        except BadInput as error:
            QMessageBox.warning(self, tr("Cannot open {name}").format(name=path.name), str(error))
            return False
        return True

    def _remember(self, path: Path) -> None:
        recent = [p for p in _strings(self.settings.value("recent")) if p != str(path)]
        recent.insert(0, str(path))
        self.settings.setValue("recent", recent[:RECENT])
        self.settings.setValue("last school", str(path))
        self.recent_menu.clear()
        for item in recent[:RECENT]:
            self.recent_menu.addAction(Path(item).stem, partial(self.open_path, Path(item)))

    # --- showing ----------------------------------------------------------------------------------------

    @property
    def class_id(self) -> str:
        return self.class_box.currentText()

    def _fill_classes(self) -> None:
        """The class box lists the school's classes, the one shown kept: an import or its undo changes them."""
        assert self.document is not None
        ids = [c.class_id for c in self.document.school.classes]
        if ids == [self.class_box.itemText(i) for i in range(self.class_box.count())]:
            return
        shown = self.class_id
        self.class_box.blockSignals(True)
        self.class_box.clear()
        self.class_box.addItems(ids)
        self.class_box.setCurrentIndex(max(0, self.class_box.findText(shown)))
        self.class_box.blockSignals(False)

    def _refresh(self) -> None:
        if self.document is None:
            return
        self._fill_classes()
        school, plan, report = self.document.school, self.document.plan, self.document.state.report
        self.board.show_class(school, plan, self.class_id)
        self.week.show_class(school, plan, self.class_id)
        self.setup.show_class(self.document, self.class_id)
        self.see.show_class(school, plan, self.class_id)
        self.checks.clear()
        if plan is None:
            self._say(tr("No plan yet: Plan week (F5) makes one.") if school.classes else
                      tr("This school is empty: Import planning workbook (Ctrl+I) fills it. "
                         "resources/blank-planning-workbook.xlsx explains every sheet and column."), "")
        elif report is None or report.ok:
            cost = sum(c.cost for c in report.costs) if report else 0
            proven = tr(", proven optimal") if plan.optimal else ""
            self._say(tr("Meets every hard rule · cost {cost}{proven}").format(cost=cost, proven=proven), "ok")
        else:
            broken = len(report.violations)
            self._say((tr("Breaks 1 hard rule") if broken == 1 else tr("Breaks {n} hard rules").format(n=broken))
                      + tr(": fix it by hand, undo, or re-plan"), "broken")
        if report is not None:
            names = names_of(school)
            for v in report.violations:
                where = f"{v.class_id}: " if v.class_id and len(school.classes) > 1 else ""  # which of several
                words = violation_words(v, names, tr)
                self._check_line(tr("{rule}: {where}{detail}").format(rule=v.rule, where=where, detail=words),
                                 broken=True)
        if plan is not None:
            for check in self.document.plan_to_keep().checks:
                if check.kind != "hard rule broken":
                    self._check_line(check_words(check, tuple(c.class_id for c in school.classes)), broken=False)
        self.checks.scrollToTop()  # the broken rules come first: never left scrolled out of sight
        for action in (self.export_action, *self.export_actions, *self.print_actions):
            action.setEnabled(plan is not None)
        self._fill_move_menu()  # filled now, not only when shown: a screen reader finds its items in place

    def _say(self, text: str, kind: str) -> None:
        colour = verdict_colour(self, kind)
        self.banner.setText(text)
        self.banner.setStyleSheet(f"QLabel {{ font-weight: bold; color: {colour}; }}" if colour else
                                  "QLabel { font-weight: bold; }")
        self.banner.setAccessibleName(tr("Verdict: {text}").format(text=text))  # what a screen reader says

    def _check_line(self, text: str, broken: bool) -> None:
        item = QListWidgetItem(("⚠ " if broken else "") + text)
        if broken:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.checks.addItem(item)

    def _show_card(self) -> None:
        if not self.see.show_card_of(self.tabs.currentWidget()):
            self.statusBar().showMessage(tr("Select a student on the roster, the mastery wall or the groups board "
                                            "first"), 5000)

    # --- editing ----------------------------------------------------------------------------------------

    def _move(self, student_id: str, group: int) -> None:
        if self.document is not None:
            self.document.edit(MoveStudent(self.class_id, student_id, group))

    def _move_selected(self, group: int) -> None:
        students = self.board.selected_students()
        if self.document is None or not students:
            self.statusBar().showMessage(tr("Select a student on the groups board first"), 5000)
            return
        if self.document.plan is not None and group > sum(1 for g in self.document.plan.groups
                                                          if g.class_id == self.class_id):
            return
        for student_id in students:
            self._move(student_id, group)

    def _groups(self) -> list[tuple[int, str]]:
        plan = self.document.plan if self.document else None
        return [(g.number, g.name) for g in (plan.groups if plan else ()) if g.class_id == self.class_id]

    def _fill_move_menu(self, menu: QMenu | None = None) -> None:
        menu = menu or self.move_menu
        menu.clear()
        for number, name in self._groups():
            menu.addAction(f"&{number} {name}" if number < 10 else name, partial(self._move_selected, number))

    def _student_menu(self, view: QListView, pos: QPoint) -> None:
        menu = QMenu(self)
        self._fill_move_menu(menu.addMenu(tr("&Move to group")))
        menu.addAction(tr("&Lock student in group"), self._lock_students)
        menu.addAction(tr("Lock &whole group"), self._lock_group)
        menu.exec(view.viewport().mapToGlobal(pos))

    def _lock_students(self) -> None:
        if self.document is None:
            return
        locked = locked_in(self.document.school, self.class_id)
        for student_id in self.board.selected_students():
            self.document.edit(LockStudent(self.class_id, student_id, student_id not in locked))

    def _lock_group(self) -> None:
        group = self.board.group_of_focus()
        if self.document is None or group is None:
            self.statusBar().showMessage(tr("Put the focus in a group's column first"), 5000)
            return
        plan = self.document.plan
        members = next((g.members for g in plan.groups if g.class_id == self.class_id and g.number == group), ()) \
            if plan else ()
        locked = locked_in(self.document.school, self.class_id)
        self.document.edit(LockGroup(self.class_id, group, not set(members) <= locked))

    def _set_visit(self, group: int, day: str, slot: int, station: str) -> None:
        if self.document is not None:
            self.document.edit(SetVisit(self.class_id, day, slot, group, station))

    def _fill_station_menu(self, menu: QMenu | None = None) -> None:
        menu = menu or self.station_menu
        menu.clear()
        visit = self.week.visit_at(self.grid.currentIndex())
        if visit is None or self.document is None:
            menu.addAction(tr("Select a visit on the week grid first")).setEnabled(False)
            return
        for station in stations_of(self.document.school, self.class_id):
            action = menu.addAction(station.name, partial(self._set_visit, visit.group, visit.day, visit.slot,
                                                          station.name))
            action.setEnabled(station.name != visit.station)

    def _visit_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        self._fill_station_menu(menu.addMenu(tr("&Send to station")))
        menu.addAction(tr("Lock &visit"), self._lock_visit)
        menu.exec(self.grid.viewport().mapToGlobal(pos))

    def _lock_visit(self) -> None:
        index = self.grid.currentIndex()
        visit = self.week.visit_at(index)
        if self.document is None or visit is None:
            self.statusBar().showMessage(tr("Select a visit on the week grid first"), 5000)
            return
        self.document.edit(LockVisit(self.class_id, visit.day, visit.slot, visit.group,
                                     not self.week.is_locked(index)))

    # --- planning ---------------------------------------------------------------------------------------

    def _plan(self, regroup: bool, keep: bool) -> None:
        if self.document is None or self.planner.running:
            return
        previous = self.document.plan if keep else None
        if keep and previous is None:
            self.statusBar().showMessage(tr("There is no plan yet to keep: use Plan week"), 5000)
            return
        self._asked_label = (tr("Next week from new mastery") if regroup else
                             tr("Re-plan around my edits") if keep else tr("Plan week"))
        self.planner.start(Ask(self.document.school, previous, regroup, seed=self.seed))
        self._running(True)
        self.progress_text.setText(tr("Planning…"))

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_action.setEnabled(running)
        for action in (self.plan_action, self.replan_action, self.regroup_action):
            action.setEnabled(not running)

    def _progressed(self, progress: Progress) -> None:
        best = tr(", best cost so far {cost}").format(cost=progress.cost) if progress.cost is not None else ""
        self.progress_text.setText(tr("Planning: {phase}{best}").format(phase=tr(str(progress.phase)), best=best))

    def _planned(self, ask: Ask, planned: Planned) -> None:
        self._running(False)
        self.progress_text.setText("")
        if self.document is None or ask.school is not self.document.school:
            return  # the school changed while planning: this plan is for another
        self._show_conflicts(())
        if planned.cancelled and planned.plan is not None and self._costs_less_than(planned.plan):
            self.statusBar().showMessage(tr("Cancelled: the plan you had costs no more than the one found, so it "
                                            "is kept"), 8000)
            return
        if planned.plan is not None and (planned.report is None or planned.report.ok):
            self.document.take_plan(planned.plan, self._asked_label)  # shown by its changed signal
            how = tr("cancelled, best plan kept") if planned.cancelled else str(planned.status)
            self.statusBar().showMessage(tr("Planned in {s:.2f} s ({how})").format(s=planned.seconds, how=how), 8000)
            return
        self.checks.clear()
        if planned.status == Status.INFEASIBLE:
            self._say(tr("The hard rules cannot all hold: Conflicts names what clashes, and the ways out"), "broken")
            self._show_conflicts(planned.conflicts)
        elif planned.report is not None and not planned.report.ok:
            self._say(tr("Internal error: the planner's plan broke a hard rule; nothing was changed"), "broken")
        else:
            self._say(tr("Cancelled before any plan was found") if planned.cancelled else
                      tr("No plan found within the time limit"), "broken")

    def _costs_less_than(self, plan: Plan) -> bool:
        """Whether the plan shown meets every hard rule and costs no more than `plan`, by the same checker: a
        cancelled search must not swap a better plan for a worse one."""
        assert self.document is not None
        state = self.document.state
        if state.report is None or not state.report.ok:
            return False
        found = verdict(Week(state.school, plan))
        return sum(c.cost for c in state.report.costs) <= sum(c.cost for c in found.costs)

    def _show_conflicts(self, conflicts: tuple[Conflict, ...]) -> None:
        """Each conflict in words, and each way out the app can make as a button: applying it re-plans."""
        layout = self.conflicts_layout
        while layout.count():
            item = layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for conflict in conflicts:
            words = QLabel(explain(conflict), self.conflicts)
            words.setWordWrap(True)
            words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(words)
            for fix in conflict.fixes:
                edit = fix_edit(fix)
                if edit is not None:
                    button = QPushButton(fix_words(fix), self.conflicts)
                    button.setAccessibleName(tr("Fix: {how}").format(how=fix_words(fix)))
                    button.clicked.connect(partial(self._apply_fix, edit))
                    layout.addWidget(button)
        layout.addStretch(1)
        self.conflicts_dock.setVisible(bool(conflicts))
        if conflicts:
            self.conflicts_dock.raise_()

    def _apply_fix(self, edit: Edit) -> None:
        """A way out, as one undoable step on the school; then the week is planned again."""
        if self.document is None or self.planner.running or not self.document.edit(edit):
            return
        self._show_conflicts(())
        self._plan(regroup=False, keep=self.document.plan is not None)

    def _plan_failed(self, why: str) -> None:
        self._running(False)
        self.progress_text.setText("")
        QMessageBox.critical(self, tr("Planning failed"), tr(
            "Something went wrong while planning ({why}). Your plan is unchanged. The details are in {log}."
        ).format(why=why, log=log_file_hint()))

    # --- keeping ----------------------------------------------------------------------------------------

    def _export(self) -> None:
        if self.document is None or self.document.plan is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export plan workbook"),
                                              str(Path.home() / f"{self.windowTitle().split(' — ')[0]}-plan.xlsx"),
                                              tr("Plan workbooks (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        assert self.document is not None and self.document.plan is not None
        plan = self.document.plan_to_keep()
        try:
            write_plan_workbook(self.document.school, plan, path)
        except OSError as error:
            QMessageBox.warning(self, tr("Cannot export"), tr("{path} cannot be written: {why}").format(
                path=path, why=error.strerror or error))
            return False
        self.statusBar().showMessage(tr("Exported {path}").format(path=path), 8000)
        return True

    def _export_folder(self, what: str) -> None:
        """A Schedule CSV per class, or an .ics calendar per adult and room (weekly from next Monday, in this
        machine's time zone), into a folder the teacher picks."""
        if self.document is None or self.document.plan is None:
            return
        title = {"schedules": tr("Export Schedule CSVs into"), "calendars": tr("Export calendars into")}[what]
        folder = QFileDialog.getExistingDirectory(self, title, str(Path.home()))
        if folder:
            asked = Asked(schedules=Path(folder)) if what == "schedules" else Asked(
                calendars=Path(folder), zone=machine_zone() or UTC)
            self.export_with(asked)

    def _export_pseudonymised(self) -> None:
        if self.document is None or self.document.plan is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Export pseudonymised plan"),
                                              str(Path.home() / "plan-pseudonymised.xlsx"),
                                              tr("Plan workbooks (*.xlsx)"))
        if path:
            self.export_with(Asked(pseudonymised=Path(path), codes=Codes(load_key(user_data()))))

    def export_with(self, asked: Asked) -> list[Path]:
        """Write the exports `asked` names (rotation export's own); the files written, none when it fails."""
        assert self.document is not None and self.document.plan is not None
        try:
            written = export(self.document.school, self.document.plan_to_keep(), asked)
        except OSError as error:
            QMessageBox.warning(self, tr("Cannot export"), tr("{path} cannot be written: {why}").format(
                path=error.filename or "", why=error.strerror or error))
            return []
        folder = written[0].parent if written else ""
        self.statusBar().showMessage(tr("Exported {count} file(s) into {folder}").format(
            count=len(written), folder=folder), 8000)
        return written

    def _print(self, what: str) -> None:
        if self.document is None or self.document.plan is None:
            return
        printer = landscape_printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_pages(printer, PAGES[what](self.document.school, self.document.plan))

    def _pdf(self, what: str) -> None:
        if self.document is None or self.document.plan is None:
            return
        name = {"chart": tr("rotation-chart"), "cards": tr("group-cards")}[what]
        path, _ = QFileDialog.getSaveFileName(self, tr("Save as PDF"), f"{name}.pdf", tr("PDF files (*.pdf)"))
        if path:
            self.save_pdf(what, Path(path))

    def save_pdf(self, what: str, path: Path) -> bool:
        """The Rotation chart ("chart") or the group cards ("cards"), one class to a landscape page."""
        assert self.document is not None and self.document.plan is not None
        try:
            print_pages(landscape_printer(path), PAGES[what](self.document.school, self.document.plan))
        except OSError as error:
            QMessageBox.warning(self, tr("Cannot save"), tr("{path} cannot be written: {why}").format(
                path=path, why=error))
            return False
        self.statusBar().showMessage(tr("Saved {path}").format(path=path), 8000)
        return True

    # --- closing ----------------------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self.settings.value("window state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.planner.running:
            self.planner.cancel()
            self.planner.wait()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window state", self.saveState())
        if self.document is not None:
            self.document.close()
            self.document = None
        super().closeEvent(event)


def check_words(check: Check, class_ids: tuple[str, ...] = ()) -> str:
    """One line of the Checks panel, as the plan workbook's Checks sheet words it: whom and when it is about,
    then what. A soft rule's words already name its group, so with several classes only the class is added."""
    soft = check.kind == "soft rule"
    cost = tr(" (cost {cost})").format(cost=check.cost) if check.cost and soft else ""
    if soft:  # the Checks sheet's "who" starts with the class's id ("3A group 1"): the class, not the group again
        about = [c for c in class_ids if len(class_ids) > 1 and (check.who + " ").startswith(c + " ")][:1]
    else:
        about = [x for x in (check.who, check.when) if x]
    return ("; ".join(about) + ": " if about else "") + check.detail + cost


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def log_file_hint() -> str:
    from rotation.ui.app import log_path

    return str(log_path())
