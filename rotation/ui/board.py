"""The groups board: one column per group, each student a card, a live summary per group, and an Unplaced
tray. Students move by drag and drop, or from the keyboard with "Move to group" (WCAG 2.5.7)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rotation.domain.plan import Plan, PlannedGroup
from rotation.domain.school import School, Student
from rotation.domain.week import locked_in, students_of
from rotation.io.rotation_chart import group_label

MIME = "application/x-rotation-student"
UNPLACED = 0  # the tray's number: groups count from 1
Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("GroupsBoard", text)


@dataclass(frozen=True)
class Card:
    """A student as the board shows them."""

    student_id: str
    name: str
    flags: tuple[str, ...]
    need: float | None  # 0..1, higher needs more support
    locked: bool


def need_colour(need: float | None) -> QColor:
    """Light enough for dark text in either palette: green (little support) through amber to rose (most)."""
    if need is None:
        return QColor("#e0e0e0")
    return QColor("#cdeccd") if need < 1 / 3 else QColor("#fbe7b5") if need < 2 / 3 else QColor("#f6c9c9")


def percent(need: float | None) -> str:
    return "?" if need is None else f"{round(need * 100)}%"


class MembersModel(QAbstractListModel):
    """The cards of one group (or of the Unplaced tray), read-only: a drop asks for a move, and the board is
    rebuilt from the plan the move makes."""

    move_asked = Signal(str, int)  # student_id, group number

    def __init__(self, group: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.group = group
        self.cards: list[Card] = []

    def set_cards(self, cards: list[Card]) -> None:
        self.beginResetModel()
        self.cards = cards
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.cards):
            return None
        card = self.cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            flags = f"  [{', '.join(card.flags)}]" if card.flags else ""
            return f"{card.name}{flags}{'  ' + tr('(locked)') if card.locked else ''}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("{name}: need {need}{locked}").format(
                name=card.name, need=percent(card.need), locked=tr(", locked in this group") if card.locked else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr("{name}, need {need}{flags}{locked}").format(
                name=card.name, need=percent(card.need), flags="".join(", " + f for f in card.flags),
                locked=tr(", locked") if card.locked else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(need_colour(card.need))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1a1a1a"))  # the card colours are light in a dark palette too
        if role == Qt.ItemDataRole.FontRole and card.locked:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return card.student_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        ids = [self.cards[i.row()].student_id for i in indexes if i.isValid()]
        data.setData(MIME, QByteArray("\n".join(ids).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return self.group != UNPLACED and data.hasFormat(MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        for student_id in bytes(data.data(MIME).data()).decode().split("\n"):
            if student_id and all(c.student_id != student_id for c in self.cards):
                self.move_asked.emit(student_id, self.group)
        return False  # the view must not remove the source rows: the move rebuilds every column


def summary(cards: list[Card]) -> str:
    """A group's live summary: size, need range and flags, as the placement tools schools use show it."""
    needs = [c.need for c in cards if c.need is not None]
    flags = Counter(f for c in cards for f in c.flags)
    parts = [tr("{n} students").format(n=len(cards))]
    if needs:
        parts.append(tr("need {low}–{high}").format(low=percent(min(needs)), high=percent(max(needs))))
    parts += [f"{flag} {n}" for flag, n in sorted(flags.items())]
    return " · ".join(parts)


class GroupColumn(QFrame):
    """One group: its name, its summary and its cards."""

    def __init__(self, group: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = MembersModel(group, self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSpacing(2)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.title.setBuddy(self.view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.setMinimumWidth(190)

    def show_group(self, name: str, cards: list[Card]) -> None:
        said = summary(cards)
        self.title.setText(name)
        self.summary.setText(said)
        self.model.set_cards(cards)
        self.view.setAccessibleName(name)
        self.view.setAccessibleDescription(said)


class GroupsBoard(QScrollArea):
    """Every group of one class side by side, then the Unplaced tray."""

    move_asked = Signal(str, int)  # student_id, group number
    menu_asked = Signal(object, object)  # the column's view, the position
    student_asked = Signal(str)  # a card double-clicked (or Enter pressed on it): the student's card is wanted

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(tr("Groups board"))
        self.setWidgetResizable(True)
        self.inner = QWidget(self)
        self.row = QHBoxLayout(self.inner)
        self.row.addStretch(1)
        self.setWidget(self.inner)
        self.columns: list[GroupColumn] = []

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        groups = [g for g in (plan.groups if plan else ()) if g.class_id == class_id]
        placed = {m for g in groups for m in g.members}
        roster = students_of(school, class_id)
        unplaced = [Card(s.student_id, s.name, s.flags, None, False) for s in roster if s.student_id not in placed]
        locked = locked_in(school, class_id)
        by_id = {s.student_id: s for s in roster}
        # Labelled as the Rotation chart and the Checks name them: "Group 2 · Foxes".
        shown = [(group_label(g), _cards(g, by_id, locked)) for g in groups] + [(tr("Unplaced"), unplaced)]
        numbers = [g.number for g in groups] + [UNPLACED]
        self._columns(numbers)
        for column, (name, cards) in zip(self.columns, shown, strict=True):
            column.show_group(name, cards)

    def _columns(self, numbers: list[int]) -> None:
        """Keep a column per group (rebuilt only when the groups change, so focus stays where it was)."""
        if [c.model.group for c in self.columns] == numbers:
            return
        for column in self.columns:
            column.setParent(None)
            column.deleteLater()
        self.columns = []
        for i, number in enumerate(numbers):
            column = GroupColumn(number, self.inner)
            column.model.move_asked.connect(self.move_asked)
            column.view.customContextMenuRequested.connect(
                lambda pos, view=column.view: self.menu_asked.emit(view, pos))
            column.view.activated.connect(
                lambda index, model=column.model: self.student_asked.emit(model.cards[index.row()].student_id))
            self.row.insertWidget(i, column)
            self.columns.append(column)

    def selected_students(self) -> list[str]:
        """The students selected in the column that has focus (or any column with a selection)."""
        focused = [c for c in self.columns if c.view.hasFocus()] or self.columns
        for column in focused:
            rows = column.view.selectionModel().selectedIndexes()
            if rows:
                return [column.model.cards[i.row()].student_id for i in rows]
        return []

    def group_of_focus(self) -> int | None:
        """The group whose column has focus, for "Lock group"."""
        for column in self.columns:
            if column.view.hasFocus() and column.model.group != UNPLACED:
                return column.model.group
        return None


def _cards(group: PlannedGroup, by_id: dict[str, Student], locked: set[str]) -> list[Card]:
    out = []
    for sid, need in zip(group.members, group.need, strict=True):
        student = by_id.get(sid)
        out.append(Card(sid, student.name if student else sid, student.flags if student else (), need,
                        sid in locked))
    return out
