"""The week grid: the Rotation chart on screen. A row per group, a column per slot of each day, each cell the
station the group is at (a colour per station) with the adults working it. A visit is dragged onto another
group's cell in the same slot to swap their stations, or sent from the keyboard with "Send to station"."""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from rotation.domain.plan import Plan, PlannedGroup, Visit
from rotation.domain.school import School
from rotation.domain.week import adult_names, hhmm, slot_times, stations_of
from rotation.io.rotation_chart import group_label

MIME = "application/x-rotation-visit"
Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("WeekGrid", text)


@dataclass(frozen=True)
class Column:
    day: str
    slot: int
    times: str  # "9:00-9:20"


def station_colour(position: int) -> QColor:
    """Light, well-spread hues (the golden angle), dark text readable on each in either palette."""
    hue = (position * 0.618034) % 1.0
    r, g, b = colorsys.hls_to_rgb(hue, 0.85, 0.55)
    return QColor.fromRgbF(r, g, b)


class WeekModel(QAbstractTableModel):
    """One class's week, read-only: a drop asks for a visit to be set, and the grid is rebuilt from the plan."""

    visit_asked = Signal(int, str, int, str)  # group, day, slot, station

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.groups: list[PlannedGroup] = []
        self.columns: list[Column] = []
        self.visits: dict[tuple[int, str, int], Visit] = {}
        self.locked: set[tuple[int, str, int]] = set()
        self.colours: dict[str, QColor] = {}
        self.names: dict[str, str] = {}  # staff_id -> name

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        cls = next((c for c in school.classes if c.class_id == class_id), None)
        groups = [g for g in (plan.groups if plan else ()) if g.class_id == class_id]
        columns = [Column(t.day, t.slot, f"{hhmm(t.start)}-{hhmm(t.end)}")
                   for t in (slot_times(school, cls) if cls else ())]
        # The same shape after an edit: cells change in place, so the current cell and the focus stay.
        same = [g.number for g in groups] == [g.number for g in self.groups] and columns == self.columns
        if not same:
            self.beginResetModel()
        self.groups, self.columns = groups, columns
        self.visits = {(v.group, v.day, v.slot): v for v in (plan.visits if plan else ()) if v.class_id == class_id}
        self.locked = {(lock.group, lock.day, lock.slot) for lock in school.visit_locks if lock.class_id == class_id}
        self.colours = {st.name: station_colour(i) for i, st in enumerate(stations_of(school, class_id))}
        self.names = adult_names(school)
        if not same:
            self.endResetModel()
        elif groups and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(groups) - 1, len(columns) - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(groups) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def visit_at(self, index: Index) -> Visit | None:
        if not index.isValid() or index.row() >= len(self.groups) or index.column() >= len(self.columns):
            return None
        column = self.columns[index.column()]
        return self.visits.get((self.groups[index.row()].number, column.day, column.slot))

    def is_locked(self, index: Index) -> bool:
        column = self.columns[index.column()]
        return (self.groups[index.row()].number, column.day, column.slot) in self.locked

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.groups) or index.column() >= len(self.columns):
            return None
        visit = self.visit_at(index)
        locked = self.is_locked(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if visit is None:
                return ""
            staff = ", ".join(self.names.get(s, s) for s in visit.staff)
            return visit.station + (f"\n{staff}" if staff else "") + ("\n" + tr("(locked)") if locked else "")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            column = self.columns[index.column()]
            where = visit.station if visit else tr("no station")
            staff = ", ".join(self.names.get(s, s) for s in visit.staff) if visit else ""
            return tr("{group}, {day} slot {slot} ({times}): {where}{staff}{locked}").format(
                group=self.groups[index.row()].name, day=column.day, slot=column.slot, times=column.times,
                where=where, staff=tr(", with {staff}").format(staff=staff) if staff else "",
                locked=tr(", locked") if locked else "")
        if role == Qt.ItemDataRole.BackgroundRole and visit is not None:
            return QBrush(self.colours.get(visit.station, QColor("#e0e0e0")))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.FontRole and locked:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.times
            return f"{column.day} {column.slot}\n{column.times}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.groups):
            return group_label(self.groups[section])  # as the board and the Checks name it
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemIsDropEnabled)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        if indexes and (visit := self.visit_at(indexes[0])) is not None:
            data.setData(MIME, QByteArray(f"{visit.group}\t{visit.day}\t{visit.slot}".encode()))
        return data

    def _dragged(self, data: QMimeData) -> tuple[int, str, int] | None:
        if not data.hasFormat(MIME):
            return None
        group, day, slot = bytes(data.data(MIME).data()).decode().split("\t")
        return int(group), day, int(slot)

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        dragged = self._dragged(data)
        target = self.visit_at(parent)
        # A visit moves within its slot: onto another group's cell of the same day and slot.
        return dragged is not None and target is not None and (target.day, target.slot) == dragged[1:]

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        dragged = self._dragged(data)
        target = self.visit_at(parent)
        assert dragged is not None and target is not None
        if dragged[0] != target.group:
            self.visit_asked.emit(dragged[0], target.day, target.slot, target.station)
        return False
