"""The roster: the class's students, a row each, with their flags, their group in the plan and their need,
sortable by any column and narrowed by a search for a name or a flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from rotation.domain.plan import Plan, PlannedGroup
from rotation.domain.school import School
from rotation.domain.week import students_of
from rotation.io.rotation_chart import group_label
from rotation.ui.board import percent
from rotation.ui.class_table import SortFilter, class_table, fit_columns, search_box, show_count

Index = QModelIndex | QPersistentModelIndex
NAME, STUDENT_ID, GRADE, FLAGS, GROUP, NEED = range(6)


def tr(text: str) -> str:
    return QCoreApplication.translate("Roster", text)


def headers() -> tuple[str, ...]:
    return tr("Name"), tr("Student id"), tr("Grade"), tr("Flags"), tr("Group"), tr("Need")


@dataclass(frozen=True)
class RosterRow:
    """A student as the roster shows them."""

    student_id: str
    name: str
    grade: str | None
    flags: tuple[str, ...]
    group: PlannedGroup | None  # their group in the plan; None before a plan, or when unplaced
    need: float | None  # 0..1 as the plan has it


def roster_rows(school: School, plan: Plan | None, class_id: str) -> list[RosterRow]:
    groups = [g for g in (plan.groups if plan else ()) if g.class_id == class_id]
    placed = {sid: (g, need) for g in groups for sid, need in zip(g.members, g.need, strict=True)}
    return [RosterRow(s.student_id, s.name, s.grade, s.flags, *placed.get(s.student_id, (None, None)))
            for s in students_of(school, class_id)]


def grade_key(grade: str | None) -> tuple[int, int | str] | None:
    """K before 1 before 12 (as numbers, not as text, where 12 would come before 2)."""
    if grade is None:
        return None
    if grade.upper() == "K":
        return 0, 0
    return (0, int(grade)) if grade.isdigit() else (1, grade)


class RosterModel(QAbstractTableModel):
    """One class's students, read-only."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[RosterRow] = []
        self.flags_known: set[str] = set()  # every flag of the class, as a search would write it

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        rows = roster_rows(school, plan, class_id)
        self.flags_known = {flag.casefold() for row in rows for flag in row.flags}
        # The same students after an edit: cells change in place, so the current row and the sort stay.
        if [r.student_id for r in rows] == [r.student_id for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, NEED))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return tr("{what}: {text}").format(what=headers()[column], text=self.text(row, column) or tr("none"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NEED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # numbers line up by place
        if role == Qt.ItemDataRole.UserRole:
            return row.student_id
        return None

    def text(self, row: RosterRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == STUDENT_ID:
            return row.student_id
        if column == GRADE:
            return row.grade or ""
        if column == FLAGS:
            return ", ".join(row.flags)
        if column == GROUP:
            return group_label(row.group) if row.group else ""
        return percent(row.need) if row.need is not None else ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(headers()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == NEED:
            return tr("The plan's need: 0% every focus skill at the top of its scale, 100% at the bottom")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort_key(self, row: int, column: int) -> Any:
        student = self.rows[row]
        if column == GRADE:
            return grade_key(student.grade)
        if column == GROUP:
            return student.group.number if student.group else None
        if column == NEED:
            return student.need
        return self.text(student, column).casefold() or None

    def matches(self, row: int, search: str) -> bool:
        """A search finds a student by a part of their name or id, or by the start of a flag they have. A flag
        written out finds only the students with it: "ELL" is not Ella."""
        student, words = self.rows[row], search.strip().casefold()
        flags = [flag.casefold() for flag in student.flags]
        if words in self.flags_known:
            return words in flags
        return (words in student.name.casefold() or words in student.student_id.casefold()
                or any(flag.startswith(words) for flag in flags))


class Roster(QWidget):
    """The roster tab: a search box, the count of students shown, and the table."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(tr("Roster"))
        self.search, label = search_box(self, tr("Find students by name or flag"), tr("A name or a flag (IEP, ELL …)"))
        self.search.textChanged.connect(lambda _: self._filter())
        self.count = QLabel(self)
        self.model = RosterModel(self)
        self.proxy = SortFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.row_test = lambda row: self.model.matches(row, self.search.text())
        self.view = QTableView(self)
        self.view.setAccessibleName(tr("Roster"))
        self.view.setModel(self.proxy)
        class_table(self.view)
        self.model.modelReset.connect(self._counted)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self._counted()

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        self.model.show_class(school, plan, class_id)
        fit_columns(self.view, (class_id, plan is not None))

    def current_student(self) -> str | None:
        return self.student_of(self.view.currentIndex())

    def student_of(self, index: QModelIndex) -> str | None:
        """The student on a row of the table as shown (sorted and filtered)."""
        return self.model.rows[self.proxy.mapToSource(index).row()].student_id if index.isValid() else None

    def _filter(self) -> None:
        self.proxy.refilter()
        self._counted()

    def _counted(self) -> None:
        show_count(self.count, self.proxy)
