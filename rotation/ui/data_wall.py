"""The mastery data wall: a row per student and a column per skill, each cell the student's latest score,
coloured by how far it is from mastery on the skill's own scale. It sorts by any column and is narrowed to a
name, a skill, or the students below mastery. Scores stay on the teacher's screen: nothing here is printed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rotation.domain.plan import Plan
from rotation.domain.school import MasteryResult, School, Skill, Student
from rotation.domain.week import students_of
from rotation.io.cells import text as cell_text
from rotation.planning.need import focus_skills, latest_results
from rotation.ui.class_table import SortFilter, class_table, fit_columns, search_box, show_count

Index = QModelIndex | QPersistentModelIndex
MASTERED, BELOW, FAR_BELOW, NO_RESULT = "mastered", "below", "far below", "no result"
# The groups board's tints: light in a dark palette too, so the text on them is always dark.
BAND_COLOURS = {MASTERED: "#cdeccd", BELOW: "#fbe7b5", FAR_BELOW: "#f6c9c9", NO_RESULT: "#e0e0e0"}
TEXT_ON_BANDS = "#1a1a1a"


def tr(text: str) -> str:
    return QCoreApplication.translate("DataWall", text)


def mastery_line(skill: Skill | None) -> float:
    """The score from which a skill counts as mastered; without one, two thirds up its scale (where the groups
    board's need turns green)."""
    if skill is not None and skill.mastered_at is not None:
        return skill.mastered_at
    low, high = (skill.min, skill.max) if skill else (0.0, 100.0)
    return low + (high - low) * 2 / 3


def band(score: float | None, skill: Skill | None) -> str:
    """Mastered at or above the line; far below under half way from the bottom of the scale to the line."""
    if score is None:
        return NO_RESULT
    line = mastery_line(skill)
    if score >= line:
        return MASTERED
    low = skill.min if skill else 0.0
    return BELOW if score >= low + (line - low) / 2 else FAR_BELOW


def band_words(which: str, skill: Skill | None) -> str:
    line = cell_text(mastery_line(skill))
    return {MASTERED: tr("mastered (from {line})"), BELOW: tr("below mastery ({line})"),
            FAR_BELOW: tr("below half of mastery ({line})"), NO_RESULT: tr("no result")}[which].format(line=line)


def band_brush(which: str) -> QBrush:
    return QBrush(QColor(BAND_COLOURS[which]))


def result_words(result: MasteryResult) -> str:
    """A score as the teacher wrote it, with when and where it came from: "1 on 2026-11-20 (unit pre-test)"."""
    when = tr(" on {date}").format(date=result.date.isoformat()) if result.date else tr(", no date")
    return f"{cell_text(result.score)}{when}{origin(result)}"


def origin(result: MasteryResult) -> str:
    """Where a result came from and what came with it, in brackets: " (MAP Growth Fall 2025; percentile 45)"."""
    said = "; ".join(part for part in (result.source, result.detail) if part)
    return f" ({said})" if said else ""


def wall_skills(school: School, class_id: str) -> tuple[str, ...]:
    """The class's focus skills; if it names none, every skill one of its students has a result for."""
    cls = next((c for c in school.classes if c.class_id == class_id), None)
    if cls is None:
        return ()
    if cls.focus:
        return cls.focus
    ids = {s.student_id for s in students_of(school, class_id)}
    scored = {r.skill for r in school.mastery if r.student_id in ids}
    return tuple(k for k in focus_skills(school, cls) if k in scored)


@dataclass(frozen=True)
class Wall:
    """What the wall shows of one class."""

    students: tuple[Student, ...]
    skills: tuple[str, ...]
    scales: dict[str, Skill]
    latest: dict[tuple[str, str], MasteryResult]


class WallModel(QAbstractTableModel):
    """Students by skills, read-only: column 0 the student's name, then a column per skill."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.wall = Wall((), (), {}, {})

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        wall = Wall(students_of(school, class_id), wall_skills(school, class_id),
                    {s.skill: s for s in school.skills}, latest_results(school))
        # The same students and skills after an edit: cells change in place, so the current cell and sort stay.
        if (wall.students, wall.skills) == (self.wall.students, self.wall.skills):
            self.wall = wall
            if wall.students:
                self.dataChanged.emit(self.index(0, 0), self.index(len(wall.students) - 1, len(wall.skills)))
            return
        self.beginResetModel()
        self.wall = wall
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.wall.students)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.wall.skills)

    def skill_of(self, column: int) -> str | None:
        return self.wall.skills[column - 1] if 1 <= column <= len(self.wall.skills) else None

    def result(self, row: int, column: int) -> MasteryResult | None:
        skill = self.skill_of(column)
        return self.wall.latest.get((self.wall.students[row].student_id, skill)) if skill else None

    def band_at(self, row: int, column: int) -> str:
        skill = self.skill_of(column)
        result = self.result(row, column)
        return band(result.score if result else None, self.wall.scales.get(skill or ""))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.wall.students):
            return None
        row, column = index.row(), index.column()
        student, skill = self.wall.students[row], self.skill_of(column)
        if role == Qt.ItemDataRole.UserRole:
            return student.student_id
        if skill is None:
            return student.name if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole) \
                else None
        result = self.result(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(result.score) if result else "—"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            which = band_words(self.band_at(row, column), self.wall.scales.get(skill))
            if result is None:
                return tr("{name}, {skill}: no result").format(name=student.name, skill=skill)
            return tr("{name}, {skill}: {result}, {band}").format(
                name=student.name, skill=skill, result=result_words(result), band=which)
        if role == Qt.ItemDataRole.BackgroundRole:
            return band_brush(self.band_at(row, column))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(TEXT_ON_BANDS))  # the band tints are light in a dark palette too
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        skill = self.skill_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return skill if skill else tr("Student")
        if role == Qt.ItemDataRole.ToolTipRole and skill:
            scale = self.wall.scales.get(skill)
            low, high = (scale.min, scale.max) if scale else (0.0, 100.0)
            return tr("{skill}: scores {low} to {high}, mastered from {line}").format(
                skill=skill, low=cell_text(low), high=cell_text(high), line=cell_text(mastery_line(scale)))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort_key(self, row: int, column: int) -> Any:
        if self.skill_of(column) is None:
            return self.wall.students[row].name.casefold()
        result = self.result(row, column)
        return result.score if result else None

    def student_at(self, row: int) -> str:
        return self.wall.students[row].student_id

    def named(self, row: int, search: str) -> bool:
        return search.strip().casefold() in self.wall.students[row].name.casefold()

    def below_mastery(self, row: int, skill: str | None) -> bool:
        """Below mastery on the skill (or on any skill of the wall): a result under the line, not a missing one."""
        columns = range(1, self.columnCount()) if skill is None else [1 + self.wall.skills.index(skill)]
        return any(self.band_at(row, c) in (BELOW, FAR_BELOW) for c in columns)


class KeepBands(QStyledItemDelegate):
    """A selected cell keeps its band's colour inside a frame of the highlight colour: picking a student never
    hides how their scores stand."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if not selected or index.data(Qt.ItemDataRole.BackgroundRole) is None:
            super().paint(painter, option, index)
            return
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, plain, index)
        painter.save()
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), 3))
        painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.restore()


class DataWall(QWidget):
    """The data wall tab: find a student, pick a skill, keep only those below mastery; the table; a legend."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(tr("Mastery data wall"))
        self.search, find = search_box(self, tr("Find students by name"), tr("A student's name"))
        self.skill_box = QComboBox(self)
        self.skill_box.setAccessibleName(tr("Skill shown"))
        skill = QLabel(tr("S&kill:"), self)
        skill.setBuddy(self.skill_box)
        self.below = QCheckBox(tr("Only students &below mastery"), self)
        self.below.setAccessibleName(tr("Only students below mastery"))
        self.count = QLabel(self)
        self.model = WallModel(self)
        self.proxy = SortFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.row_test = self._shows_row
        self.proxy.column_test = lambda column: column == 0 or self.skill() in (None, self.model.skill_of(column))
        self.view = QTableView(self)
        self.view.setAccessibleName(tr("Mastery data wall"))
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(KeepBands(self.view))
        class_table(self.view)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)  # one score, kept in its colour
        # A column per skill wide enough to read as a wall of colour, even for a one-digit score.
        self.view.horizontalHeader().setMinimumSectionSize(self.fontMetrics().horizontalAdvance("0") * 10)
        self.search.textChanged.connect(lambda _: self._filter())
        self.skill_box.currentIndexChanged.connect(lambda _: self._skill_picked())
        self.sorted_by: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)  # a column of the model
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.below.toggled.connect(lambda _: self._filter())
        self.model.modelReset.connect(self._counted)
        top = QHBoxLayout()
        for widget, stretch in ((find, 0), (self.search, 1), (skill, 0), (self.skill_box, 0), (self.below, 0),
                                (self.count, 0)):
            top.addWidget(widget, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(legend(self))
        self._shown: tuple[School | None, str] = (None, "")
        self._counted()

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        if self._shown[0] is school and self._shown[1] == class_id:
            return  # the wall reads the school's mastery, not the plan: an edit of the plan changes nothing here
        self._shown = (school, class_id)
        self.model.show_class(school, plan, class_id)
        self._skills(self.model.wall.skills)
        fit_columns(self.view, class_id)

    def _skills(self, skills: tuple[str, ...]) -> None:
        """The skill filter offers the wall's skills, keeping the one picked if the wall still has it."""
        picked = self.skill()
        self.skill_box.blockSignals(True)
        self.skill_box.clear()
        self.skill_box.addItem(tr("Every skill"), None)
        for skill in skills:
            self.skill_box.addItem(skill, skill)
        self.skill_box.setCurrentIndex(max(0, self.skill_box.findData(picked)) if picked else 0)
        self.skill_box.blockSignals(False)
        if self.sorted_by[0] >= self.model.columnCount():
            self.sorted_by = (-1, Qt.SortOrder.AscendingOrder)  # another class, with fewer skills
        self._skill_picked()

    def _skill_picked(self) -> None:
        """Sorted by a skill, the wall stays sorted by a skill it shows: the one picked, once one is."""
        column, order = self.sorted_by
        skill = self.skill()
        if skill is not None and column > 0:
            column = 1 + self.model.wall.skills.index(skill)
        self._filter()
        self.proxy.sort(-1)  # the proxy skips sorting by the column it sorts by already, now another skill's
        self.view.sortByColumn(column if column <= 0 or skill is None else 1, order)

    def _sorted(self, section: int, order: Qt.SortOrder) -> None:
        skill = self.skill()
        column = 1 + self.model.wall.skills.index(skill) if skill is not None and section == 1 else section
        self.sorted_by = (column, order)

    def skill(self) -> str | None:
        picked = self.skill_box.currentData()
        return picked if isinstance(picked, str) else None

    def current_student(self) -> str | None:
        return self.student_of(self.view.currentIndex())

    def student_of(self, index: QModelIndex) -> str | None:
        """The student on a row of the table as shown (sorted and filtered)."""
        return self.model.student_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def _shows_row(self, row: int) -> bool:
        return self.model.named(row, self.search.text()) and (
            not self.below.isChecked() or self.model.below_mastery(row, self.skill()))

    def _filter(self) -> None:
        self.proxy.refilter()
        self._counted()

    def _counted(self) -> None:
        show_count(self.count, self.proxy)


def legend(parent: QWidget) -> QHBoxLayout:
    """What each colour means, in words beside it: colour is never the only way to tell."""
    row = QHBoxLayout()
    for which, words in ((MASTERED, tr("Mastered")), (BELOW, tr("Below mastery")),
                         (FAR_BELOW, tr("Below half of mastery")), (NO_RESULT, tr("No result"))):
        chip = QLabel(words, parent)
        chip.setStyleSheet(f"QLabel {{ background: {BAND_COLOURS[which]}; color: {TEXT_ON_BANDS};"
                           " padding: 2px 8px; border-radius: 3px; }")
        row.addWidget(chip)
    row.addStretch(1)
    return row
