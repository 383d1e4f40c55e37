"""Seeing the class: the roster and the mastery data wall (tabs of the window) and the student card (a window),
kept up to date with the class the window shows. A student double-clicked, or Enter pressed on them, on the
roster, the wall or the groups board opens their card."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from rotation.domain.plan import Plan
from rotation.domain.school import School
from rotation.ui.board import GroupsBoard
from rotation.ui.data_wall import DataWall
from rotation.ui.roster import Roster
from rotation.ui.student_card import StudentCardDialog


class ClassViews(QObject):
    def __init__(self, board: GroupsBoard, parent: QWidget):
        super().__init__(parent)
        self.board = board
        self.school: School = School()
        self.plan: Plan | None = None
        self.roster = Roster(parent)
        self.wall = DataWall(parent)
        self.card = StudentCardDialog(parent)
        self.roster.view.activated.connect(lambda index: self._asked(self.roster.student_of(index)))
        self.wall.view.activated.connect(lambda index: self._asked(self.wall.student_of(index)))
        board.student_asked.connect(self.show_card)

    def show_class(self, school: School, plan: Plan | None, class_id: str) -> None:
        self.school, self.plan = school, plan
        self.roster.show_class(school, plan, class_id)
        self.wall.show_class(school, plan, class_id)
        if self.card.isVisible():  # a lock or an undo shows on it at once; a hidden card is filled as it opens
            self.card.show_student(school, plan, self.card.card.student_id)

    def student_in(self, view: QWidget | None) -> str | None:
        """The student current in a view: the roster's or the wall's current row, the board's selected card."""
        if view is self.roster:
            return self.roster.current_student()
        if view is self.wall:
            return self.wall.current_student()
        if view is self.board:
            return next(iter(self.board.selected_students()), None)
        return None

    def show_card_of(self, view: QWidget | None) -> bool:
        """Show the card of the student current in a view; False when no student is."""
        student = self.student_in(view)
        if student is not None:
            self.show_card(student)
        return student is not None

    def show_card(self, student_id: str) -> None:
        self.card.show_student(self.school, self.plan, student_id)
        self.card.show()
        self.card.raise_()
        self.card.activateWindow()

    def _asked(self, student_id: str | None) -> None:
        if student_id is not None:
            self.show_card(student_id)

