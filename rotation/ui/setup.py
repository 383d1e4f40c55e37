"""The Set up tab: the selected class's settings and its stations, as forms. Each field is read as the planning
workbook reads its column (rotation.io.cells), and checked as it is typed, the reader's own words beside the field;
Apply makes the whole form one undoable step (edits.SetClass, SetStation), and the forms follow undo and redo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from rotation.domain.school import DAYS, GROUPINGS, STATION_KINDS, School, SchoolClass, Station
from rotation.domain.week import stations_of
from rotation.io import cells
from rotation.planning.edits import Edit, EditError, SetClass, SetStation, Week
from rotation.ui.colours import paint, verdict_colour
from rotation.ui.document import Document

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def tr(text: str) -> str:
    return QCoreApplication.translate("Setup", text)


def rows_table(model: QAbstractTableModel, select: Callable[[int], object], parent: QWidget) -> QTableView:
    """A read-only table of items, one row each, picked one at a time (`select` gets the row) to edit below it."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    # As tall as its rows, no taller: the item's settings follow right below.
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    table.selectionModel().currentRowChanged.connect(lambda current, _: select(current.row()))
    return table


class RowsModel(QAbstractTableModel, Generic[T]):
    """Items of the school, one row each, read-only (the form below edits the selected one): each column's words
    from `words`."""

    def __init__(self, columns: tuple[str, ...], words: Callable[[T], tuple[str, ...]], parent: QWidget | None = None):
        super().__init__(parent)
        self.columns = columns
        self.words = words
        self.items: tuple[T, ...] = ()
        self.texts: tuple[tuple[str, ...], ...] = ()  # each row's words, worked out once per refresh

    def set_items(self, items: tuple[T, ...], same: bool) -> None:
        """`same`: the same rows as before (only what they say changed), so the selection stays."""
        if same and len(items) == len(self.items):
            self.items, self.texts = items, tuple(self.words(item) for item in items)
            if items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, len(self.columns) - 1))
            return
        self.beginResetModel()
        self.items, self.texts = items, tuple(self.words(item) for item in items)
        self.endResetModel()

    def item_at(self, row: int) -> T | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self.item_at(index.row()) if index.isValid() else None
        if item is None or not 0 <= index.column() < len(self.columns):
            return None
        text = self.texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr("{column}: {value}").format(column=self.columns[index.column()], value=text or tr("blank"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.items):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def problem_colour(widget: QWidget) -> str:
    """Red text readable on the widget's window colour, light or dark: the verdict banner's."""
    return verdict_colour(widget, "broken")


# --- text to values, as the planning workbook reads its cells --------------------------------------------

def read_number(text: str, parse: Callable[[Any], int], blank: int | None, needed: bool = False) -> int | None:
    """A number field as its column of the workbook reads it (`parse`, e.g. cells.count); `blank` for an empty
    field, which a needed field may not be. Raises cells.Bad with the reader's words."""
    if not text.strip():
        if needed:
            raise cells.Bad(tr("this is needed"))
        return blank
    return parse(text.strip())


def read_visits(text: str) -> int | str | None:
    return None if not text.strip() else cells.visits(text.strip())


def number_text(value: int | None) -> str:
    return "" if value is None else str(value)


# --- a field of a form ---------------------------------------------------------------------------------

class Field:
    """A field: its label (with a mnemonic; the field is its buddy), the widget, and the problem told beneath it in
    red, which is also the widget's accessible description (what a screen reader says after its name)."""

    def __init__(self, form: QWidget, layout: QFormLayout, label: str, widget: QWidget, name: str,
                 focus: QWidget | None = None, described: tuple[QWidget, ...] = ()):
        self.form = form
        self.label = QLabel(label, form)
        self.widget = widget
        self.label.setBuddy(focus or widget)
        widget.setAccessibleName(name)
        self.described = described or (focus or widget,)
        self.problem = QLabel(form)
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setAccessibleName(tr("Problem with {name}").format(name=name))
        self.problem.hide()
        column = QWidget(form)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.problem)
        layout.addRow(self.label, column)

    def say(self, message: str) -> None:
        """The field's problem ("": none)."""
        self.problem.setText(f"⚠ {message}" if message else "")
        self.problem.setVisible(bool(message))
        self.colour()
        for widget in self.described:
            widget.setAccessibleDescription(message)

    def colour(self) -> None:
        paint(self.problem, problem_colour(self.form))


class Form(QWidget):
    """What the class and station forms share: fields, Apply and Revert, a heading and a note; each field checked as
    it changes, Apply enabled only when every field is fine and something changed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document: Document | None = None
        self.fields: dict[str, Field] = {}
        self.outer = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.outer.addWidget(self.heading)
        self.layout_ = QFormLayout()
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general = QLabel(self)  # a problem no one field has
        self.general.setWordWrap(True)
        self.general.hide()
        self.apply_button = QPushButton(tr("&Apply"), self)
        self.revert_button = QPushButton(tr("&Revert"), self)
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)

    def finish(self, note: str) -> None:
        rows = QWidget(self)
        rows.setLayout(self.layout_)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        rows.setMaximumWidth(self.fontMetrics().averageCharWidth() * 100)  # fields a line, not a screen, wide
        self.outer.addWidget(rows)
        self.outer.addWidget(self.general)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        self.outer.addLayout(buttons)
        words = QLabel(note, self)
        words.setWordWrap(True)
        self.outer.addWidget(words)
        self.outer.addStretch(1)

    def field(self, key: str, label: str, widget: QWidget, name: str, **how: Any) -> QWidget:
        self.fields[key] = Field(self, self.layout_, label, widget, name, **how)
        return widget

    def line(self, key: str, label: str, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _: self.check())
        edit.returnPressed.connect(self.apply)
        self.field(key, label, edit, name)
        return edit

    def combo(self, key: str, label: str, name: str, choices: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox(self)
        for text, value in choices:
            box.addItem(text, value)
        box.currentIndexChanged.connect(lambda _: self.check())
        self.field(key, label, box, name)
        return box

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            for field in self.fields.values():
                field.colour()
            paint(self.general, problem_colour(self))
        super().changeEvent(event)

    @property
    def week(self) -> Week | None:
        """The week Apply's edit would apply to (Document.edit's), None without a school."""
        return self.document.editable if self.document is not None else None

    def check(self) -> bool:
        """Tell each field's problem and enable Apply when there is none and something changed; whether the form
        may be applied. The fields that can be read are checked together by the edit itself (the reader's checks
        across fields), those that cannot left as they were, so every problem there is shows at once."""
        problems: dict[str | None, str] = {}
        values = self.values(problems)
        edit, week = self.make(values), self.week
        if edit is not None and week is not None:
            try:
                edit.apply(week)
            except EditError as error:
                problems.setdefault(error.setting if error.setting in self.fields else None, str(error))
        for key, field in self.fields.items():
            field.say(problems.get(key, ""))
        general = problems.get(None, "")
        self.general.setText(f"⚠ {general}" if general else "")
        paint(self.general, problem_colour(self))
        self.general.setVisible(bool(general))
        ok = edit is not None and not problems
        self.apply_button.setEnabled(ok and bool(values))
        self.revert_button.setEnabled(bool(problems) or bool(values))
        return ok and bool(values)

    def apply(self) -> None:
        """The form as one undoable step; nothing when a field has a problem or nothing changed."""
        if self.document is None or not self.check():
            return
        edit = self.make(self.values({}))
        if edit is not None:
            self.document.edit(edit)

    # What each form fills in.
    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        """What the fields say that differs from the school, each field read as its column of the workbook is; a
        field that cannot be read is left out, its problem put in `problems`."""
        raise NotImplementedError

    def make(self, values: dict[str, Any]) -> Edit | None:
        """The edit that sets `values` (None: nothing to edit)."""
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


def read(problems: dict[str | None, str], key: str, how: Callable[[], Any]) -> Any:
    """What a field says, or None with its problem noted."""
    try:
        return how()
    except cells.Bad as bad:
        problems[key] = str(bad)
        return None


# --- the focus skills ----------------------------------------------------------------------------------

class SkillsModel(QAbstractListModel):
    """The school's skills, each ticked or not: a class's focus (none ticked: every skill)."""

    toggled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.skills: list[str] = []
        self.ticked: set[str] = set()

    def set_skills(self, skills: list[str], ticked: tuple[str, ...]) -> None:
        self.beginResetModel()
        self.skills = skills
        self.ticked = set(ticked)
        self.endResetModel()

    def focus(self, keep: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The ticked skills, in the order of `keep` (the focus as it was) where they are the same, else the list's."""
        if set(keep) == self.ticked:
            return keep
        return tuple(s for s in self.skills if s in self.ticked)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.skills)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.skills):
            return None
        skill = self.skills[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return skill
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if skill in self.ticked else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or not 0 <= index.row() < len(self.skills):
            return False
        skill = self.skills[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        (self.ticked.add if checked else self.ticked.discard)(skill)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.toggled.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable


def skills_of(school: School, cls: SchoolClass) -> list[str]:
    """The skills a focus may name (those of sheet Skills, else those with results), and any the focus names."""
    known = [s.skill for s in school.skills] or list(dict.fromkeys(m.skill for m in school.mastery))
    return known + [s for s in cls.focus if s not in known]


# --- the class form ------------------------------------------------------------------------------------

GROUPING_WORDS = {"similar": "similar: students of similar need together",
                  "mixed": "mixed: each group a mix of needs and flags",
                  "by skill": "by skill: a group per focus skill"}


class ClassForm(Form):
    """The selected class's settings (sheet Classes): when and how long it rotates, and how it is grouped."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("class form")
        self.cls: SchoolClass | None = None  # as the form last loaded it
        self.start = QTimeEdit(self)
        self.start.setDisplayFormat("HH:mm")
        self.start.timeChanged.connect(lambda _: self.check())
        self.field("start", tr("S&tart"), self.start, tr("Start of the first rotation"))
        self.minutes = self.line("rotation_minutes", tr("Rotation &minutes"), tr("Rotation minutes"))
        self.rotations = self.line("rotations", tr("R&otations a day"), tr("Rotations a day"))
        self.transition = self.line("transition_minutes", tr("Trans&ition minutes"), tr("Transition minutes"),
                                    tr("blank: 0"))
        days = QWidget(self)
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        self.days: dict[str, QCheckBox] = {}
        for day, name in cells.DAY_NAMES.items():
            box = QCheckBox(tr(day), days)
            box.setAccessibleName(tr(name))
            box.toggled.connect(lambda _: self.check())
            row.addWidget(box)
            self.days[day] = box
        row.addStretch(1)
        self.field("days", tr("Da&ys"), days, tr("Days"), focus=self.days["Mon"], described=tuple(self.days.values()))
        self.groups = self.line("groups", tr("Gro&ups"), tr("Groups"))
        self.min_size = self.line("min_group_size", tr("Min group si&ze"), tr("Smallest group"),
                                  tr("blank: groups as even as possible"))
        self.max_size = self.line("max_group_size", tr("Ma&x group size"), tr("Largest group"),
                                  tr("blank: groups as even as possible"))
        self.grouping = self.combo("grouping", tr("Grouping mo&de"), tr("Grouping mode"),
                                   [(tr(GROUPING_WORDS[g]), g) for g in GROUPINGS])
        self.skills = SkillsModel(self)
        self.skills.toggled.connect(self.check)
        self.focus = QListView(self)
        self.focus.setModel(self.skills)
        self.focus.setMaximumHeight(self.focus.fontMetrics().height() * 8)
        self.field("focus", tr("Focus s&kills"), self.focus, tr("Focus skills"))
        self.focus_hint = QLabel(tr("None ticked: every skill. Space ticks the selected skill."), self)
        self.focus_hint.setWordWrap(True)
        self.layout_.addRow("", self.focus_hint)
        self.finish(tr("Apply changes the class as one step: Undo (Ctrl+Z) takes it back. The plan stays as it is; "
                       "the Checks say what it now breaks, and Plan week (F5) plans again."))

    def show_class(self, document: Document | None, class_id: str) -> None:
        """Follow the window: another class, school, or a change of this class's settings (an Apply, undo or redo)
        loads the form afresh; anything else (a move, a plan) keeps what is typed and checks it again."""
        cls = next((c for c in document.school.classes if c.class_id == class_id), None) if document else None
        if document is not self.document or cls != self.cls:
            self.document = document
            self.load(cls)
        else:
            self.placeholders()
            self.check()

    def load(self, cls: SchoolClass | None) -> None:
        self.cls = cls
        self.setEnabled(cls is not None)
        if cls is None or self.document is None:
            self.heading.setText(tr("No class"))
            return
        self.heading.setText(tr("Settings of class {class_id}").format(class_id=cls.class_id))
        for widget in (self.start, self.grouping, *self.days.values()):
            widget.blockSignals(True)
        self.start.setTime(QTime(cls.start.hour, cls.start.minute))
        self.minutes.setText(str(cls.rotation_minutes))
        self.rotations.setText(number_text(cls.rotations))
        self.transition.setText(str(cls.transition_minutes) if cls.transition_minutes else "")
        for day, box in self.days.items():
            box.setChecked(day in cls.days)
        self.groups.setText(number_text(cls.groups))
        self.min_size.setText(number_text(cls.min_group_size))
        self.max_size.setText(number_text(cls.max_group_size))
        self.grouping.setCurrentIndex(max(0, self.grouping.findData(cls.grouping)))
        for widget in (self.start, self.grouping, *self.days.values()):
            widget.blockSignals(False)
        self.skills.set_skills(skills_of(self.document.school, cls), cls.focus)
        self.placeholders()
        self.check()

    def placeholders(self) -> None:
        """Blank means one per station: say how many that is now."""
        if self.document is None or self.cls is None:
            return
        stations = sum(1 for s in stations_of(self.document.school, self.cls.class_id) if not s.mirror_of)
        each = tr("blank: one per station ({n})").format(n=stations)
        self.rotations.setPlaceholderText(each)
        self.groups.setPlaceholderText(each)

    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        cls = self.cls
        if cls is None:
            return {}
        days = tuple(d for d in DAYS if self.days[d].isChecked())
        values = {
            "start": self.start.time().toPython(),
            "rotation_minutes": read(problems, "rotation_minutes",
                                     lambda: read_number(self.minutes.text(), cells.count, None, needed=True)),
            "rotations": read(problems, "rotations", lambda: read_number(self.rotations.text(), cells.count, None)),
            "transition_minutes": read(problems, "transition_minutes",
                                       lambda: read_number(self.transition.text(), cells.whole(0), 0)),
            "days": cls.days if set(days) == set(cls.days) else days,
            "groups": read(problems, "groups", lambda: read_number(self.groups.text(), cells.count, None)),
            "min_group_size": read(problems, "min_group_size",
                                   lambda: read_number(self.min_size.text(), cells.count, None)),
            "max_group_size": read(problems, "max_group_size",
                                   lambda: read_number(self.max_size.text(), cells.count, None)),
            "grouping": self.grouping.currentData(),
            "focus": self.skills.focus(cls.focus),
        }
        if not days:
            problems["days"] = tr("tick at least one day")
        assert isinstance(values["start"], dt.time)
        return {k: v for k, v in values.items() if k not in problems and getattr(cls, k) != v}

    def make(self, values: dict[str, Any]) -> SetClass | None:
        return SetClass(self.cls.class_id, values) if self.cls is not None else None

    def revert(self) -> None:
        self.load(self.cls)


# --- the stations --------------------------------------------------------------------------------------

STATION_COLUMNS = (("name", "Station"), ("class_id", "Class"), ("kind", "Kind"), ("capacity", "Capacity"),
                   ("staff", "Staff"), ("devices", "Devices"), ("must_do", "Must do"), ("visits", "Visits"),
                   ("mirror_of", "Mirror of"))


def setting_words(key: str, value: object) -> str:
    """A station's setting as the Stations table shows it: blank where the workbook's cell would be blank."""
    if key == "class_id":
        return tr("every class") if value is None else str(value)
    if key == "must_do":
        return "" if value is None else tr("yes") if value else tr("no")
    return "" if value is None else str(value)


def station_words(station: Station) -> tuple[str, ...]:
    """A row of the Stations table."""
    return tuple(setting_words(key, getattr(station, key)) for key, _ in STATION_COLUMNS)


class StationsForm(Form):
    """The class's stations (sheet Stations) in a table, and the selected one's settings below it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("stations form")
        self.class_id = ""
        self.station: Station | None = None  # as the form last loaded it
        self.model: RowsModel[Station] = RowsModel(tuple(tr(words) for _, words in STATION_COLUMNS), station_words,
                                                   self)
        self.table = rows_table(self.model, self.select, self)
        self.table_label = QLabel(tr("S&tations of the class"), self)
        self.table_label.setBuddy(self.table)
        self.table.setAccessibleName(tr("Stations of the class"))
        self.outer.insertWidget(0, self.table_label)
        self.outer.insertWidget(1, self.table)
        self.shared_note = QLabel(tr("This station is in every class: a change applies to each of them."), self)
        self.shared_note.setWordWrap(True)
        self.outer.addWidget(self.shared_note)
        self.kind = self.combo("kind", tr("&Kind"), tr("Kind"), [(tr(k), k) for k in STATION_KINDS])
        self.capacity = self.line("capacity", tr("Capacit&y"), tr("Capacity"), tr("blank: no limit"))
        self.staff = QComboBox(self)
        self.staff.setEditable(True)
        self.staff.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.staff.editTextChanged.connect(lambda _: self.check())
        line = self.staff.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("blank: the class teacher at a teacher station, else nobody"))
            line.returnPressed.connect(self.apply)
        self.field("staff", tr("Staff or r&ole"), self.staff, tr("Staff or role"))
        self.devices = self.combo("devices", tr("&Devices"), tr("Devices"), [])
        self.must_do = self.combo("must_do", tr("M&ust do"), tr("Must do"),
                                  [(tr("blank: the default"), None), (tr("yes"), True), (tr("no"), False)])
        self.visits = self.line("visits", tr("Vis&its"), tr("Visits a week"),
                                tr("a number, by need, or blank: fills the other slots"))
        self.mirror = self.combo("mirror_of", tr("&Mirror of"), tr("Mirror of"), [])
        self.finish(tr("Apply changes the station as one step: Undo (Ctrl+Z) takes it back. The plan stays as it "
                       "is; the Checks say what it now breaks."))

    def show_class(self, document: Document | None, class_id: str) -> None:
        """As ClassForm.show_class: the table follows the school; the station being edited is loaded afresh when
        its settings changed, else what is typed is kept."""
        self.document = document
        self.class_id = class_id
        stations = stations_of(document.school, class_id) if document else ()
        key = (self.station.class_id, self.station.name) if self.station else None
        keys = [(s.class_id, s.name) for s in stations]
        self.model.set_items(stations, same=keys == [(s.class_id, s.name) for s in self.model.items])
        row = keys.index(key) if key in keys else (0 if stations else -1)
        if self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, 0))  # loads it (currentRowChanged)
        station = self.model.item_at(row)
        if station != self.station:
            self.load(station)
        else:
            self.check()

    def select(self, row: int) -> None:
        self.load(self.model.item_at(row))

    def load(self, station: Station | None) -> None:
        self.station = station
        self.setEnabled(self.document is not None)
        for field in self.fields.values():
            field.widget.setEnabled(station is not None)
        if station is None or self.document is None:
            self.heading.setText(tr("No station"))
            self.shared_note.hide()
            self.check()
            return
        school = self.document.school
        self.heading.setText(tr("Settings of station {name}").format(name=station.name))
        self.shared_note.setVisible(station.class_id is None)
        for widget in (self.kind, self.staff, self.devices, self.must_do, self.mirror):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(station.kind)))
        self.capacity.setText(number_text(station.capacity))
        adults = list(dict.fromkeys([*(a.staff_id for a in school.staff), *(a.role for a in school.staff if a.role),
                                     *(c.teacher for c in school.classes if c.teacher)]))
        self.staff.clear()
        self.staff.addItems(["", *adults])
        self.staff.setEditText(station.staff)
        self.devices.clear()
        self.devices.addItem(tr("none"), "")
        for pool in school.devices:
            self.devices.addItem(pool.pool, pool.pool)
        if station.devices and self.devices.findData(station.devices) < 0:
            self.devices.addItem(station.devices, station.devices)
        self.devices.setCurrentIndex(max(0, self.devices.findData(station.devices)))
        self.must_do.setCurrentIndex(max(0, self.must_do.findData(station.must_do)))
        self.visits.setText(setting_words("visits", station.visits))
        self.mirror.clear()
        self.mirror.addItem(tr("none: a station of its own"), "")
        for other in stations_of(school, self.class_id):
            if other.name != station.name:
                self.mirror.addItem(other.name, other.name)
        if station.mirror_of and self.mirror.findData(station.mirror_of) < 0:
            self.mirror.addItem(station.mirror_of, station.mirror_of)
        self.mirror.setCurrentIndex(max(0, self.mirror.findData(station.mirror_of)))
        for widget in (self.kind, self.staff, self.devices, self.must_do, self.mirror):
            widget.blockSignals(False)
        self.check()

    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        station = self.station
        if station is None:
            return {}
        values = {
            "kind": self.kind.currentData(),
            "capacity": read(problems, "capacity", lambda: read_number(self.capacity.text(), cells.count, None)),
            "staff": self.staff.currentText().strip(),
            "devices": self.devices.currentData(),
            "must_do": self.must_do.currentData(),
            "visits": read(problems, "visits", lambda: read_visits(self.visits.text())),
            "mirror_of": self.mirror.currentData(),
        }
        return {k: v for k, v in values.items() if k not in problems and getattr(station, k) != v}

    def make(self, values: dict[str, Any]) -> SetStation | None:
        station = self.station
        return SetStation(station.class_id, station.name, values) if station is not None else None

    def revert(self) -> None:
        self.load(self.station)


# --- the tab -------------------------------------------------------------------------------------------

def scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class SetupTab(QWidget):
    """The Set up tab: the class's settings, its stations, the school's staff, device pools and rules, a page each."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("set up")
        self.class_form = ClassForm(self)
        self.stations_form = StationsForm(self)
        self.pages = QTabWidget(self)
        self.pages.setAccessibleName(tr("Set up"))
        self.pages.addTab(scrolled(self.class_form, self), tr("&Class"))
        self.pages.addTab(scrolled(self.stations_form, self), tr("Statio&ns"))
        from rotation.ui.setup_people import DevicesForm, RulesForm, StaffForm  # they build on this module's Form

        self.staff_form, self.devices_form, self.rules_form = StaffForm(self), DevicesForm(self), RulesForm(self)
        self.pages.addTab(scrolled(self.staff_form, self), tr("Staff && &hours"))
        self.pages.addTab(scrolled(self.devices_form, self), tr("Devices"))
        self.pages.addTab(scrolled(self.rules_form, self), tr("Rules"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def show_class(self, document: Document | None, class_id: str) -> None:
        self.class_form.show_class(document, class_id)
        self.stations_form.show_class(document, class_id)
        for form in (self.staff_form, self.devices_form, self.rules_form):
            form.show_class(document, class_id)

