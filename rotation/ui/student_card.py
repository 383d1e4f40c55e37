"""The student card: who a student is (id, grade, flags, classes), every mastery result they have, newest
first, and each rule and lock that names them, in words. On the teacher's screen only, never printed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rotation.domain.plan import Plan
from rotation.domain.school import MasteryResult, Rule, School, Skill, Student, StudentLock
from rotation.domain.week import class_ids_of, hhmm, rule_students
from rotation.io.cells import text as cell_text
from rotation.io.rotation_chart import group_label
from rotation.planning.instance import rule_label
from rotation.ui.data_wall import TEXT_ON_BANDS, band, band_brush, band_words, origin

Index = QModelIndex | QPersistentModelIndex
SKILL, SCORE, DATE, SOURCE = range(4)


def tr(text: str) -> str:
    return QCoreApplication.translate("StudentCard", text)


def headers() -> tuple[str, ...]:
    return tr("Skill"), tr("Score"), tr("Date"), tr("Source")


def results_newest_first(school: School, student_id: str) -> list[MasteryResult]:
    """Newest first as the need counts them: an undated result is the oldest, and on one date the lower row
    is the newer."""
    mine = [(row, r) for row, r in enumerate(school.mastery) if r.student_id == student_id]
    mine.sort(key=lambda pair: (pair[1].date or dt.date.min, pair[0]), reverse=True)
    return [r for _, r in mine]


def rules_naming(school: School, student: Student) -> list[Rule]:
    """The rules that name the student, by id or by one of their flags."""
    return [rule for rule in school.rules if student.student_id in rule.students
            or any(flag in rule.students for flag in student.flags)]


def others_named(school: School, rule: Rule, student: Student) -> str:
    """The other students a rule names in the student's classes, by name."""
    names = {s.student_id: s.name for s in school.students}
    ids = dict.fromkeys(sid for cls in class_ids_of(school, student) for sid in rule_students(school, rule, cls))
    others = [names.get(sid, sid) for sid in ids if sid != student.student_id]
    return ", ".join(others) if others else tr("no one else in the class")


def rule_words(school: School, rule: Rule, student: Student) -> str:
    """A rule as it bears on the student, then the rule as the Rules sheet has it (kind, students, row)."""
    others = others_named(school, rule, student)
    days = ", ".join(rule.days) if rule.days else tr("every class day")
    what = {
        "apart": tr("Never in a group with {others}"),
        "together": tr("Always in a group with {others}"),
        "prefer_apart": tr("Not in a group with {others} when the plan can"),
        "prefer_together": tr("In a group with {others} when the plan can"),
        "group": tr("Always in group {group}"),
        "away": tr("Away {days} {start}–{end}"),
        "needs": tr("At {station} at least {count} times a week"),
    }.get(rule.rule, rule.rule).format(
        others=others, group=rule.group, days=days, station=rule.station, count=rule.count,
        start=hhmm(rule.start) if rule.start else "", end=hhmm(rule.end) if rule.end else "")
    if rule.days and rule.rule != "away":
        what += tr(" on {days}").format(days=days)
    note = f" ({rule.note})" if rule.note else ""
    return f"{what}{note} — {rule_label(rule)}"


def lock_words(lock: StudentLock, plan: Plan | None) -> str:
    group = next((g for g in (plan.groups if plan else ()) if g.class_id == lock.class_id and g.number == lock.group),
                 None)
    return tr("Locked in {group} of class {cls}").format(
        group=group_label(group) if group else tr("group {n}").format(n=lock.group), cls=lock.class_id)


class ResultsModel(QAbstractTableModel):
    """One student's results, newest first, each score in its band's colour."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.results: list[MasteryResult] = []
        self.scales: dict[str, Skill] = {}

    def set_results(self, results: list[MasteryResult], scales: dict[str, Skill]) -> None:
        self.beginResetModel()
        self.results, self.scales = results, scales
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self.results)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.results):
            return None
        result, column = self.results[index.row()], index.column()
        which = band(result.score, self.scales.get(result.skill))
        if role == Qt.ItemDataRole.DisplayRole:
            return (result.skill, cell_text(result.score),
                    result.date.isoformat() if result.date else tr("no date"), result.source)[column]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return tr("{skill}: {score}, {band}, {date}{source}").format(
                skill=result.skill, score=cell_text(result.score),
                band=band_words(which, self.scales.get(result.skill)),
                date=result.date.isoformat() if result.date else tr("no date"),
                source=origin(result))
        if role == Qt.ItemDataRole.BackgroundRole and column == SCORE:
            return band_brush(which)
        if role == Qt.ItemDataRole.ForegroundRole and column == SCORE:
            return QBrush(QColor(TEXT_ON_BANDS))  # the band tints are light in a dark palette too
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SCORE:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(headers()):
            return headers()[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class StudentCard(QWidget):
    """A student's card; before one is asked for, how to ask."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(tr("Student card"))
        self.student_id: str | None = None
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.facts = {key: QLabel(self) for key in ("id", "grade", "flags", "classes")}
        form = QFormLayout()
        for key, words in (("id", tr("Student id:")), ("grade", tr("Grade:")), ("flags", tr("Flags:")),
                           ("classes", tr("Classes:"))):
            self.facts[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                    | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            form.addRow(words, self.facts[key])
        self.results = ResultsModel(self)
        self.results_view = QTableView(self)
        self.results_view.setModel(self.results)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setWordWrap(False)
        self.results_view.verticalHeader().hide()
        self.results_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results_view.horizontalHeader().setStretchLastSection(True)
        self.results_label = QLabel(tr("&Results, newest first"), self)
        self.results_label.setBuddy(self.results_view)
        self.rules = QListWidget(self)
        self.rules.setWordWrap(True)
        self.rules_label = QLabel(tr("R&ules and locks"), self)
        self.rules_label.setBuddy(self.rules)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        body.addWidget(self.results_label)
        body.addWidget(self.results_view, 2)
        body.addWidget(self.rules_label)
        body.addWidget(self.rules, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        self.show_student(School(), None, None)

    def show_student(self, school: School, plan: Plan | None, student_id: str | None) -> None:
        student = next((s for s in school.students if s.student_id == student_id), None)
        self.student_id = student.student_id if student else None
        self.body.setVisible(student is not None)
        if student is None:
            self.title.setText(tr("Double-click a student on the roster, the mastery wall or the groups board, "
                                  "or select one and press Ctrl+Shift+S."))
            self.title.setAccessibleName(self.title.text())
            self.results.set_results([], {})
            self.rules.clear()
            return
        self.title.setText(student.name)
        self.title.setAccessibleName(tr("Student card of {name}").format(name=student.name))
        facts = {"id": student.student_id, "grade": student.grade or tr("not given"),
                 "flags": ", ".join(student.flags) or tr("none"), "classes": ", ".join(class_ids_of(school, student))}
        for key, value in facts.items():
            self.facts[key].setText(value)
        self.facts["id"].setAccessibleName(tr("Student id: {id}").format(id=student.student_id))
        self.facts["grade"].setAccessibleName(tr("Grade: {grade}").format(grade=facts["grade"]))
        self.facts["flags"].setAccessibleName(tr("Flags: {flags}").format(flags=facts["flags"]))
        self.facts["classes"].setAccessibleName(tr("Classes: {classes}").format(classes=facts["classes"]))
        self.results.set_results(results_newest_first(school, student.student_id), {s.skill: s for s in school.skills})
        self.results_view.setAccessibleName(tr("Results of {name}, newest first").format(name=student.name))
        self.rules.setAccessibleName(tr("Rules and locks naming {name}").format(name=student.name))
        self.rules.clear()
        lines = [rule_words(school, rule, student) for rule in rules_naming(school, student)]
        lines += [lock_words(lock, plan) for lock in school.student_locks if lock.student_id == student.student_id]
        self.rules.addItems(lines or [tr("No rule or lock names {name}").format(name=student.name)])


class StudentCardDialog(QDialog):
    """The card in a window of its own, beside the view it was asked from: it takes the focus, so a screen
    reader reads it out, and Esc goes back to the view. One card at a time: asking for another student's card
    shows it in the same window."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("student card")
        self.setWindowTitle(tr("Student card"))
        self.card = StudentCard(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card, 1)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def show_student(self, school: School, plan: Plan | None, student_id: str | None) -> None:
        self.card.show_student(school, plan, student_id)
        name = self.card.title.text() if self.card.student_id else ""
        self.setWindowTitle(tr("Student card: {name}").format(name=name) if name else tr("Student card"))
