"""File → Import from school files: a wizard that takes rosters and results (OneRoster, Clever, MAP Growth,
i-Ready, Star, or any CSV or workbook through a column mapping), shows what importing them into the open school
would add, change and refuse, or every problem that stops it, and gives the school it makes on Finish. Nothing is
saved before Finish; the window applies the import as one undoable step."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from rotation.domain.school import School
from rotation.io.folders import mappings_folder
from rotation.io.problems import Problem, Problems
from rotation.io.sources import mapped
from rotation.io.sources.importing import Preview, Source, look_at, named, preview
from rotation.io.sources.mapped import Mapping
from rotation.io.sources.merge import ADDED, CHANGED, REFUSED
from rotation.io.sources.tables import Table, key

SOURCES, MAPPING, PREVIEW = range(3)
PREVIEW_ROWS = 8  # enough rows to see what each column holds
EXPANDED = 60  # a kind of thing with more changes than this starts folded: its line says how many
DEFAULT_START = dt.time(9, 0)
DEFAULT_MINUTES = 15
# What a mapped column is for: the Mapping's attribute and its label (with a mnemonic on this page).
FIELDS = (("student_id", "Student i&d"), ("first_name", "Fi&rst name"), ("last_name", "Last na&me"),
          ("grade", "&Grade"), ("class_", "&Class"), ("flags", "F&lags"), ("skill", "S&kill"),
          ("score", "Sc&ore"), ("date", "Da&te"), ("source", "So&urce"))
LONG_ONLY = ("skill", "score")  # the long layout's columns; the wide one ticks skill columns instead
# How the preview groups what changes, in order.
WHATS = (("student", "Students"), ("class", "Classes"), ("adult", "Staff"), ("skill", "Skills"),
         ("result", "Results"))
VERBS = {ADDED: "added", CHANGED: "changed", REFUSED: "refused"}
# The readers word their advice for `rotation import`; here it is this wizard's box or another menu item.
APP_WORDS = {"(--skip-unknown)": "(tick Skip results for students on no roster)",
             "give it with --into to import into it": "open it with File → Import planning workbook"}


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


def kind_words(source: Source) -> str:
    """What the sources list says of a source: its kind, that it needs a mapping, or that it cannot be read."""
    if source.problems:
        more = len(source.problems) - 1
        first = str(source.problems[0]).removeprefix(f"{source.path.name}: ")  # its own name is said already
        return (tr("cannot be read: {problem}").format(problem=in_app_words(first))
                + (tr(" (and {n} more problems)").format(n=more) if more else ""))
    if source.kind is None:
        return tr("needs a column mapping")
    found = source.found
    if found is None:
        return source.kind
    counts = [(len(found.students), "1 student", "{n} students"), (len(found.classes), "1 class", "{n} classes"),
              (len(found.staff), "1 adult", "{n} adults"), (len(found.scores), "1 result", "{n} results")]
    held = ", ".join(tr(one) if n == 1 else tr(many).format(n=f"{n:,}") for n, one, many in counts if n)
    held = held or tr("nothing to import")
    return tr("{kind}: {held}").format(kind=source.kind, held=held)


class ImportWizard(QWizard):
    def __init__(self, school: School, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import wizard")
        self.setWindowTitle(tr("Import from school files"))
        self.setAccessibleName(tr("Import from school files"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same look on every system, no side picture
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.school = school
        self.sources: list[Source] = []
        self.sources_page = SourcesPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.setPage(SOURCES, self.sources_page)
        self.setPage(MAPPING, self.mapping_page)
        self.setPage(PREVIEW, self.preview_page)
        self.resize(960, 720)

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Each file or folder read at once (it is quick), its kind shown; one already listed is not added twice."""
        listed = {s.path for s in self.sources}
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.sources += [look_at(p) for p in dict.fromkeys(paths) if p not in listed]
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.sources_page.show_sources()

    def remove_source(self, index: int) -> None:
        del self.sources[index]
        self.sources_page.show_sources()

    def needing_mapping(self) -> list[Source]:
        return [s for s in self.sources if s.needs_mapping]

    def imported_school(self) -> School | None:
        """The school the import makes, new classes given the start and rotation minutes asked for; None while
        the sources cannot be imported."""
        return self.preview_page.school()

    def words(self) -> str:
        return named(self.sources)


# ---------------------------------------------------------------------------------------------- sources


class SourcesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(tr("Files to import"))
        self.setSubTitle(tr("Rosters (OneRoster, Clever) and results (MAP Growth, i-Ready, Star) are recognised "
                            "by their content; any other CSV or workbook is read through a column mapping."))
        label = QLabel(tr("&Files and folders:"), self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(tr("Files and folders to import"))
        self.list.setWordWrap(True)
        label.setBuddy(self.list)
        self.add_files = QPushButton(tr("&Add files…"), self)
        self.add_files.setAccessibleName(tr("Add files"))
        self.add_files.clicked.connect(self._choose_files)
        self.add_folder = QPushButton(tr("Add a f&older…"), self)
        self.add_folder.setAccessibleName(tr("Add a folder"))
        self.add_folder.clicked.connect(self._choose_folder)
        self.remove = QPushButton(tr("&Remove"), self)
        self.remove.setAccessibleName(tr("Remove the selected file"))
        self.remove.clicked.connect(self._remove_selected)
        buttons = QVBoxLayout()
        for button in (self.add_files, self.add_folder, self.remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        self.show_sources()

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Add files"), "", tr(
            "School files (*.csv *.tsv *.txt *.xlsx *.zip);;All files (*)"))
        self.owner.add_paths([Path(p) for p in paths])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Add a folder"))
        if folder:
            self.owner.add_paths([Path(folder)])

    def _remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.owner.remove_source(row)

    def show_sources(self) -> None:
        self.list.clear()
        for source in self.owner.sources:
            item = QListWidgetItem(tr("{name} — {kind}").format(name=source.path.name, kind=kind_words(source)))
            item.setToolTip(str(source.path))
            self.list.addItem(item)
        self.list.setCurrentRow(self.list.count() - 1)
        self.remove.setEnabled(bool(self.owner.sources))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.owner.sources)

    def nextId(self) -> int:
        return MAPPING if self.owner.needing_mapping() else PREVIEW


# ---------------------------------------------------------------------------------------------- mapping


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.owner = wizard
        self._filling = False
        self.setTitle(tr("Column mapping"))
        self.setSubTitle(tr("Say which column holds what. Save the mapping to use it again, here or with "
                            "rotation import --mapping NAME."))
        self.file_box = QComboBox(self)
        self.file_box.setAccessibleName(tr("File to map"))
        self.file_box.currentIndexChanged.connect(lambda _: self._show_source())
        self.saved_box = QComboBox(self)
        self.saved_box.setAccessibleName(tr("Saved mappings"))
        self.use_saved = QPushButton(tr("Appl&y"), self)
        self.use_saved.setAccessibleName(tr("Apply the saved mapping"))
        self.use_saved.clicked.connect(self._apply_saved)
        self.save_as = QPushButton(tr("Save mapping &as…"), self)
        self.save_as.setAccessibleName(tr("Save mapping as"))
        self.save_as.clicked.connect(self._ask_name)
        top = QFormLayout()
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_box, 1)
        saved_row.addWidget(self.use_saved)
        saved_row.addWidget(self.save_as)
        top.addRow(self._label(tr("F&ile:"), self.file_box), self.file_box)
        top.addRow(self._label(tr("Sa&ved mappings:"), self.saved_box), saved_row)

        self.long = QRadioButton(tr("One ro&w per result (a skill column and a score column)"), self)
        self.wide = QRadioButton(tr("One column &per skill"), self)
        self.layouts = QButtonGroup(self)
        self.layouts.addButton(self.long)
        self.layouts.addButton(self.wide)
        self.long.toggled.connect(lambda _: self._changed())
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for attribute, words in FIELDS:
            combo = QComboBox(self)
            combo.setAccessibleName(tr(words).replace("&", ""))
            combo.currentIndexChanged.connect(lambda _: self._changed())
            self.combos[attribute] = combo
            form.addRow(self._label(tr(words + ":"), combo), combo)
        self.skill_columns = QListWidget(self)
        self.skill_columns.setAccessibleName(tr("Skill columns"))
        self.skill_columns.itemChanged.connect(lambda _: self._changed())
        skills_label = self._label(tr("&Skill columns:"), self.skill_columns)
        columns = QVBoxLayout()
        columns.addWidget(self.long)
        columns.addWidget(self.wide)
        columns.addWidget(skills_label)
        columns.addWidget(self.skill_columns, 1)
        self.skill_columns.setMinimumHeight(self.fontMetrics().height() * 4)
        middle = QHBoxLayout()
        middle.addLayout(form, 1)
        middle.addLayout(columns, 1)

        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("mapping problems")
        self.table = QTableWidget(self)
        self.table.setAccessibleName(tr("The file's first rows"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)  # rows as tall as text
        rows_label = self._label(tr("First rows of t&he file:"), self.table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.hint)
        layout.addWidget(rows_label)
        layout.addWidget(self.table, 1)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    @property
    def source(self) -> Source | None:
        needing = self.owner.needing_mapping()
        index = self.file_box.currentIndex()
        return needing[index] if 0 <= index < len(needing) else None

    def initializePage(self) -> None:
        self.file_box.blockSignals(True)
        self.file_box.clear()
        for source in self.owner.needing_mapping():
            self.file_box.addItem(source.path.name)
        self.file_box.blockSignals(False)
        self.show_saved()
        self._show_source()

    def show_saved(self, chosen: str | None = None) -> None:
        self.saved_box.clear()
        for name, path in mapped.saved_mappings(mappings_folder()).items():
            self.saved_box.addItem(name, str(path))
        if chosen is not None:
            self.saved_box.setCurrentIndex(max(0, self.saved_box.findText(chosen)))
        self.use_saved.setEnabled(self.saved_box.count() > 0)

    def _show_source(self) -> None:
        """The current file's columns in every combo and list, set as its mapping says, and its first rows."""
        source = self.source
        table = source.table if source else None
        if source is None or table is None or source.mapping is None:
            return
        self._filling = True
        try:
            self.show_mapping(table, source.mapping)
            self._show_rows(table)
        finally:
            self._filling = False
        self._changed()

    def show_mapping(self, table: Table, mapping: Mapping) -> None:
        headers = [h for h in table.header if h]
        for attribute, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("(none)"), None)
            for header in headers:
                combo.addItem(header, header)
            chosen = getattr(mapping, attribute)
            combo.setCurrentIndex(_position(headers, chosen) + 1 if chosen else 0)
            combo.blockSignals(False)
        self.skill_columns.blockSignals(True)
        self.skill_columns.clear()
        ticked = {key(s) for s in mapping.skills}
        for header in headers:
            item = QListWidgetItem(header)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key(header) in ticked else Qt.CheckState.Unchecked)
            self.skill_columns.addItem(item)
        self.skill_columns.blockSignals(False)
        self.long.blockSignals(True)
        (self.wide if mapping.is_wide or not mapping.is_long else self.long).setChecked(True)
        self.long.blockSignals(False)

    def _show_rows(self, table: Table) -> None:
        rows = []
        for _number, line in table.rows(Problems(table.file)):
            rows.append(line)
            if len(rows) == PREVIEW_ROWS:
                break
        self.table.clear()
        self.table.setColumnCount(len(table.header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(table.header)
        for r, line in enumerate(rows):
            for c, text in enumerate(line[:len(table.header)]):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def mapping(self) -> Mapping | None:
        """The mapping the page shows, named as the current one is."""
        source = self.source
        if source is None or source.mapping is None:
            return None
        wide = self.wide.isChecked()
        chosen = {a: c.currentData() for a, c in self.combos.items() if not (wide and a in LONG_ONLY)}
        skills = tuple(self.skill_columns.item(i).text() for i in range(self.skill_columns.count())
                       if self.skill_columns.item(i).checkState() == Qt.CheckState.Checked) if wide else ()
        if wide:  # one layout only: the other's columns are dropped
            chosen |= {"skill": None, "score": None}
        # What the page does not show (a scale, one date or source for the whole file) stays as it was.
        return dataclasses.replace(source.mapping, student_id=chosen.pop("student_id") or "", skills=skills,
                                   every_other_column=False, sheet=source.table.sheet if source.table else None,
                                   **chosen)

    def _changed(self) -> None:
        if self._filling:
            return
        wide = self.wide.isChecked()
        for attribute in LONG_ONLY:
            self.combos[attribute].setEnabled(not wide)
        self.skill_columns.setEnabled(wide)
        source, mapping = self.source, self.mapping()
        if source is not None and mapping is not None:
            source.mapping = mapping
        self._mark_columns(mapping)
        said = self.problems()
        self.hint.setText("\n".join(said))
        self.hint.setVisible(bool(said))
        self.completeChanged.emit()

    def _mark_columns(self, mapping: Mapping | None) -> None:
        """Each column's header in the first rows says what it is mapped to."""
        source = self.source
        if mapping is None or source is None or source.table is None:
            return
        used = {key(column): what for what, column in mapping.columns().items()}
        for position, header in enumerate(source.table.header):
            what = used.get(key(header)) if header else None
            self.table.setHorizontalHeaderItem(position, QTableWidgetItem(f"{header}\n→ {what}" if what else header))

    def problems(self) -> list[str]:
        """What keeps each file's mapping from reading it, in the mapping reader's own words."""
        said = []
        for source in self.owner.needing_mapping():
            if source.mapping is None:
                continue
            problems = Problems(source.path.name)
            mapped.from_json(mapped.to_json(source.mapping), source.path.name, problems)
            said += [tr("{file}: {problem}").format(file=source.path.name, problem=p.message)
                     for p in problems.found]
        return said

    def isComplete(self) -> bool:
        return not self.problems()

    def _ask_name(self) -> None:
        current = self.source.mapping.name if self.source and self.source.mapping else ""
        name, ok = QInputDialog.getText(self, tr("Save mapping as"), tr("&Name of the mapping:"), text=current)
        if ok and name.strip():
            self.save_mapping(name.strip())

    def save_mapping(self, name: str) -> Path | None:
        """The current mapping kept by `name` in the mappings folder (replacing one of that name)."""
        source = self.source
        if source is None or source.mapping is None:
            return None
        source.mapping = dataclasses.replace(source.mapping, name=name)
        path = mapped.mapping_path(mappings_folder(), name)
        try:
            source.mapping.save(path)
        except OSError as error:
            self.hint.setText(tr("{path} cannot be written: {why}").format(path=path, why=error.strerror or error))
            self.hint.show()
            return None
        self.show_saved(name)
        return path

    def _apply_saved(self) -> None:
        path = self.saved_box.currentData()
        if path:
            self.apply_saved(Path(path))

    def apply_saved(self, path: Path) -> None:
        source = self.source
        problems = Problems.of(path)
        mapping = Mapping.load(path, problems)
        if source is None or source.table is None:
            return
        if mapping is None:
            self.hint.setText("\n".join(str(p) for p in problems.found))
            self.hint.show()
            return
        source.mapping = mapping
        self._show_source()


def _position(headers: list[str], column: str) -> int:
    """Where the column a mapping names is among the headers (any case, spaces and underscores alike)."""
    return next((i for i, h in enumerate(headers) if key(h) == key(column)), -1)


# ---------------------------------------------------------------------------------------------- preview


def in_app_words(message: str) -> str:
    for said, words in APP_WORDS.items():
        message = message.replace(said, tr(words))
    return message


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__(wizard)
        self.owner = wizard
        self.seen: Preview | None = None
        self.setTitle(tr("What the import does"))
        self.setSubTitle(tr("Nothing is saved until Finish, and Undo takes the whole import back."))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("import summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = QTreeWidget(self)
        self.changes.setAccessibleName(tr("What is added, changed and refused"))
        self.changes.setHeaderLabels([tr("What"), tr("Name"), tr("Detail")])
        self.changes.setWordWrap(True)
        self.changes.setUniformRowHeights(False)
        self.changes.header().setStretchLastSection(True)
        self.problems = QTableWidget(0, 5, self)
        self.problems.setAccessibleName(tr("Problems"))
        self.problems.setHorizontalHeaderLabels([tr("File"), tr("Sheet"), tr("Row"), tr("Column"), tr("Problem")])
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setWordWrap(True)
        self.problems.verticalHeader().hide()
        header = self.problems.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.details_label = QLabel(tr("&Details:"), self)
        self.skip = QCheckBox(tr("S&kip results for students on no roster"), self)
        self.skip.setAccessibleName(tr("Skip results for students on no roster"))
        self.skip.toggled.connect(lambda _: self.show_preview())

        self.new_classes = QGroupBox(tr("New classes"), self)
        self.new_classes.setAccessibleName(tr("New classes"))
        self.new_names = QLabel(self.new_classes)
        self.new_names.setWordWrap(True)
        self.start = QTimeEdit(QTime(DEFAULT_START.hour, DEFAULT_START.minute), self.new_classes)
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName(tr("Start of the new classes"))
        self.minutes = QSpinBox(self.new_classes)
        self.minutes.setRange(1, 240)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(tr(" min"))
        self.minutes.setAccessibleName(tr("Rotation minutes of the new classes"))
        start_label = QLabel(tr("S&tart:"), self.new_classes)
        start_label.setBuddy(self.start)
        minutes_label = QLabel(tr("Rotation &minutes:"), self.new_classes)
        minutes_label.setBuddy(self.minutes)
        settings = QHBoxLayout()
        for widget in (start_label, self.start, minutes_label, self.minutes):
            settings.addWidget(widget)
        settings.addStretch(1)
        later = QLabel(tr("You can change them later, class by class, in Set up; give each its stations there "
                          "before planning."), self.new_classes)
        later.setWordWrap(True)
        box = QVBoxLayout(self.new_classes)
        box.addWidget(self.new_names)
        box.addLayout(settings)
        box.addWidget(later)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.skip)
        layout.addWidget(self.details_label)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.new_classes)

    def initializePage(self) -> None:
        self.show_preview()

    def show_preview(self) -> None:
        """The sources merged into the school again (a change of files, mapping or the skip box)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.seen = preview(self.owner.sources, self.owner.school, skip_unknown=self.skip.isChecked())
        finally:
            QGuiApplication.restoreOverrideCursor()
        imported = self.seen.imported
        self.changes.setVisible(imported is not None)
        self.problems.setVisible(imported is None)
        self.details_label.setBuddy(self.changes if imported is not None else self.problems)
        if imported is None:
            self._show_problems(self.seen.problems)
        else:
            self._show_changes()
        new = imported.new_classes if imported is not None else ()
        self.new_classes.setVisible(bool(new))
        self.new_names.setText(tr("{names}: their start and rotation minutes, for now:").format(
            names=", ".join(s.class_id + (f" ({s.title})" if s.title and s.title != s.class_id else "")
                            for s in new)))
        self.completeChanged.emit()

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        self.summary.setText(tr("These files cannot be imported as they are: {n} problem(s) below, each with its "
                                "file, row and column. Fix the files, then remove them and add them again (Back); "
                                "results for students on no roster can be skipped instead.").format(n=len(problems)))
        self.problems.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            cells = (problem.file, problem.sheet or "", "" if problem.row is None else str(problem.row),
                     problem.column or "", in_app_words(problem.message))
            for column, text in enumerate(cells):
                self.problems.setItem(row, column, QTableWidgetItem(text))

    def _show_changes(self) -> None:
        """A line per kind of thing with its counts, and under it each student, class, adult or skill with what
        happens to it (results are many: counted, and listed only when refused)."""
        assert self.seen is not None and self.seen.imported is not None
        imported = self.seen.imported
        self.changes.clear()
        lines = []
        for what, words in WHATS:
            counts = {verb: imported.count(verb, what) for verb in VERBS}
            said = ", ".join(tr("{n} {verb}").format(n=n, verb=tr(VERBS[v])) for v, n in counts.items() if n)
            if not said:
                continue
            line = tr("{what}: {counts}").format(what=tr(words), counts=said)
            lines.append(line)
            top = QTreeWidgetItem([line, "", ""])
            self.changes.addTopLevelItem(top)
            mine = [c for c in imported.changes if c.what == what]
            for change in sorted(mine, key=lambda c: list(VERBS).index(c.verb)):  # added, changed, refused
                top.addChild(QTreeWidgetItem([tr(VERBS[change.verb]), change.name, change.detail]))
            top.setExpanded(top.childCount() <= EXPANDED)
        self.summary.setText(tr("Importing {files} into this school: {lines}.").format(
            files=self.owner.words(), lines="; ".join(lines) if lines else tr("nothing new")))
        for column in (0, 1):
            self.changes.resizeColumnToContents(column)

    def school(self) -> School | None:
        if self.seen is None or self.seen.imported is None:
            return None
        start = self.start.time()
        return self.seen.imported.with_settings(dt.time(start.hour(), start.minute()), self.minutes.value())

    def isComplete(self) -> bool:
        return self.seen is not None and self.seen.imported is not None
