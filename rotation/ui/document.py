"""The open school and its plan being edited: every change is one undoable step, checked at once by the
independent checker and saved to the school's database within a moment."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.planning.edits import Edit, EditError, Week, rechecked, verdict
from rotation.storage.repository import save_week
from rotation.ui.schools import Opened
from solver.check import Report

log = logging.getLogger(__name__)
SAVE_AFTER_MS = 300  # a burst of edits is saved once; well inside the second a teacher may lose


def tr(text: str) -> str:
    return QCoreApplication.translate("Document", text)


@dataclass(frozen=True)
class State:
    """What the window shows: the school, its plan (None before the first), and the checker's verdict."""

    school: School
    plan: Plan | None
    report: Report | None  # None when there is no plan to check
    edited: bool = False  # changed by hand since it was planned: its Checks must be worked out again

    @property
    def week(self) -> Week:
        assert self.plan is not None
        return Week(self.school, self.plan)

    @cached_property
    def kept(self) -> Plan:
        """The plan as saved and exported: after a hand edit its Checks are the checker's, and unproven. Worked
        out once per state: the window shows its Checks and the autosave writes it."""
        assert self.plan is not None
        if not self.edited or self.report is None:
            return self.plan
        return rechecked(self.week, self.report)


class _Step(QUndoCommand):
    """One undoable step: the state before and after it (states are immutable, so undo restores one)."""

    def __init__(self, document: Document, before: State, after: State, label: str):
        super().__init__(label)
        self.document, self.before, self.after = document, before, after

    def redo(self) -> None:
        self.document._show(self.after)

    def undo(self) -> None:
        self.document._show(self.before)


class Document(QObject):
    changed = Signal()  # the state shown changed (an edit, undo, redo or a new plan)
    refused = Signal(str)  # an edit that cannot be made, in words
    saved = Signal()  # what is shown is in the database

    def __init__(self, opened: Opened, parent: QObject | None = None):
        super().__init__(parent)
        self.opened = opened
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undo stack")
        self.state = State(opened.school, opened.plan, _checked(opened.school, opened.plan))
        self._saved_school, self._saved_plan, self._plan_id = opened.school, opened.plan, opened.plan_id
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self.save)

    @property
    def school(self) -> School:
        return self.state.school

    @property
    def plan(self) -> Plan | None:
        return self.state.plan

    @property
    def editable(self) -> Week:
        """The week an edit applies to: before the first plan, the school with an empty plan."""
        return Week(self.school, self.plan or Plan((), ()))

    def edit(self, edit: Edit) -> bool:
        """Make one hand edit as an undoable step; False (and `refused`) when it cannot be made. Before the
        first plan only the school can change (a setting, a rule)."""
        before = self.editable
        try:
            week = edit.apply(before)
        except EditError as error:
            self.refused.emit(str(error))
            return False
        if week == before:
            return False  # nothing moved: no step to undo
        label = edit.label(before)
        plan = week.plan if self.plan is not None else None
        report = verdict(week) if plan is not None else None
        self._push(State(week.school, plan, report, edited=plan is not None), tr(label.text).format(**label.args))
        return True

    def take_plan(self, plan: Plan, label: str) -> None:
        """A plan from the planner, applied as one undoable step."""
        self._push(State(self.school, plan, _checked(self.school, plan)), label)
        self.save()  # each plan the planner makes is kept in the history, not only the edits after it

    def _push(self, after: State, label: str) -> None:
        self.undo_stack.push(_Step(self, self.state, after, label))

    def _show(self, state: State) -> None:
        self.state = state
        self._save_timer.start()
        self.changed.emit()

    def save(self) -> None:
        """Write what changed since the last save in one transaction (a crash keeps the school and its plan
        together); a plan is added to the history with the plan it came from as its parent, never overwriting one."""
        self._save_timer.stop()
        school = self.school if self.school is not self._saved_school else None
        plan = self.plan_to_keep() if self.plan is not None and self.plan is not self._saved_plan else None
        if school is not None or plan is not None:
            saved = save_week(self.opened.engine, school, plan, parent_id=self._plan_id)
            self._plan_id = saved if saved is not None else self._plan_id
            self._saved_school, self._saved_plan = self.school, self.plan
        self.saved.emit()

    def plan_to_keep(self) -> Plan:
        return self.state.kept

    @property
    def unsaved(self) -> bool:
        return self._save_timer.isActive()

    def close(self) -> None:
        self.save()
        self.opened.engine.dispose()


def _checked(school: School, plan: Plan | None) -> Report | None:
    return verdict(Week(school, plan)) if plan is not None else None
