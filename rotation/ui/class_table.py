"""The tables that show the class (the roster and the mastery data wall): read-only, and each
column sorts by what it means (a score as a number, a grade K before 1), and a cell with nothing in it sorts
last whichever way the teacher sorts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("ClassTable", text)


class Sortable(Protocol):
    def sort_key(self, row: int, column: int) -> Any:
        """What the cell sorts by (the same type down a column), or None when it holds nothing."""


def always(_: int) -> bool:
    return True


class SortFilter(QSortFilterProxyModel):
    """Sorts by the source's sort_key and shows the rows and columns its tests accept."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.row_test: Callable[[int], bool] = always
        self.column_test: Callable[[int], bool] = always

    def refilter(self) -> None:
        """The tests' inputs changed (a search typed, a toggle pressed): filter again."""
        self.beginFilterChange()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.row_test(source_row)

    def filterAcceptsColumn(self, source_column: int, source_parent: Index) -> bool:
        return self.column_test(source_column)

    def lessThan(self, left: Index, right: Index) -> bool:
        model = cast(Sortable, self.sourceModel())
        a, b = model.sort_key(left.row(), left.column()), model.sort_key(right.row(), right.column())
        if a is None or b is None:
            # Descending order asks lessThan(right, left): an empty cell is "less" then, so it stays last.
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return a is not b and (a is None) == descending
        return bool(a < b)


def class_table(view: QTableView) -> None:
    """A table of the class, read-only: whole rows selected, sorted from the header, the roster's order at first."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setSortingEnabled(True)


def search_box(parent: QWidget, name: str, placeholder: str) -> tuple[QLineEdit, QLabel]:
    """A box that finds students in a table of the class, and its label "Find:" (Alt+D), the box its buddy."""
    search = QLineEdit(parent)
    search.setAccessibleName(name)
    search.setPlaceholderText(placeholder)
    search.setClearButtonEnabled(True)
    label = QLabel(tr("Fin&d:"), parent)
    label.setBuddy(search)
    return search, label


def show_count(count: QLabel, proxy: QSortFilterProxyModel) -> None:
    """The count beside a table says, and says to a screen reader, how many students the table shows."""
    text = students_shown(proxy.rowCount(), proxy.sourceModel().rowCount())
    count.setText(text)
    count.setAccessibleName(text)


def students_shown(shown: int, total: int) -> str:
    """How many students a table shows, and of how many when a search or a filter leaves some out."""
    if shown == total:
        return tr("{n} students").format(n=total)
    return tr("{shown} of {n} students").format(shown=shown, n=total)


def fit_columns(view: QTableView, shown: object) -> None:
    """Each column as wide as its widest cell, and a little more: text is never hard against a cell's edge.
    Only when `shown` (what the table shows: its class, whether it is planned) or the columns change: a column
    a teacher widened stays so across edits, and an edit does not pay for measuring every cell."""
    shape = (shown, view.model().columnCount())
    if view.property("fitted for") == repr(shape):
        return
    view.setProperty("fitted for", repr(shape))
    view.resizeColumnsToContents()
    room = view.fontMetrics().horizontalAdvance("M")
    header = view.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, header.sectionSize(column) + room)
