"""More pages of the Set up tab: the school's staff and when they are there, its device pools, and its rules (apart,
together, group, away, needs). Each page is a table and a form under it, built as setup.py builds the class and
station forms: every field read as its column of the planning workbook reads it (rotation.io.cells), the reader's own
words beside it, Apply one undoable step (rotation.planning.edits), the form following undo and redo. With nothing
selected (New), Apply adds one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from rotation.domain.school import RULE_KINDS, DevicePool, Rule, School, Staff
from rotation.domain.week import availability_text, hhmm, stations_of, students_of
from rotation.io import cells
from rotation.planning.edits import (
    AddDevicePool,
    AddRule,
    AddStaff,
    DropRule,
    Edit,
    EditError,
    RemoveDevicePool,
    RemoveStaff,
    SetDevicePool,
    SetRule,
    SetStaff,
)
from rotation.planning.instance import rule_label
from rotation.ui.document import Document
from rotation.ui.setup import Form, RowsModel, read, read_number, rows_table, tr

T = TypeVar("T")


class TableForm(Form, Generic[T]):
    """A table of the school's items and a form for the selected one; New (no item selected) makes the form add one,
    Remove takes the selected one away. Each is one undoable step."""

    what = ""  # the item's name in headings: "adult", "device pool", "rule"

    def __init__(self, columns: tuple[str, ...], table_label: str, table_name: str, new: str, remove: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.class_id = ""
        self.item: T | None = None  # as the form last loaded it; None: a new one
        self.model: RowsModel[T] = RowsModel(columns, self.words, self)
        self.table = rows_table(self.model, self.select, self)
        self.table.setAccessibleName(table_name)
        label = QLabel(table_label, self)
        label.setBuddy(self.table)
        self.new_button = QPushButton(new, self)
        self.remove_button = QPushButton(remove, self)
        self.new_button.clicked.connect(self.new)
        self.remove_button.clicked.connect(self.remove)
        # On the table, Insert starts a new one and Delete removes the selected one.
        for key, slot, button in ((QKeySequence.StandardKey.Delete, self.remove, self.remove_button),
                                  (Qt.Key.Key_Insert, self.new, self.new_button)):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
            button.setToolTip(tr("{key} on the table").format(
                key=QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)))
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.outer.insertWidget(0, label)
        self.outer.insertWidget(1, self.table)
        self.outer.insertLayout(2, row)

    # What each page fills in.
    def items(self, school: School) -> tuple[T, ...]:
        raise NotImplementedError

    def key(self, item: T) -> object:
        raise NotImplementedError

    def words(self, item: T) -> tuple[str, ...]:
        raise NotImplementedError

    def fill(self, item: T | None) -> None:
        """Put the item's values (None: a new one's) in the fields."""
        raise NotImplementedError

    def removal(self, item: T) -> Edit:
        raise NotImplementedError

    def show_class(self, document: Document | None, class_id: str) -> None:
        """As StationsForm.show_class: the table follows the school; the item being edited is loaded afresh when it
        changed (or went), else what is typed stays, a new one's too."""
        changed = document is not self.document
        self.document = document
        self.class_id = class_id
        items = self.items(document.school) if document else ()
        keys = [self.key(i) for i in items]
        self.model.set_items(items, same=keys == [self.key(i) for i in self.model.items] and not changed)
        if self.item is None and not changed and self.table.currentIndex().row() < 0 and self.model.items:
            self.fill_choices()
            self.check()  # a new one being typed
            return
        key = self.key(self.item) if self.item is not None else None
        row = keys.index(key) if key in keys else (0 if items else -1)
        if self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, 0))  # loads it (currentRowChanged)
        item = self.model.item_at(row)
        if item != self.item or changed or item is None:
            self.load(item)
        else:
            self.fill_choices()
            self.check()

    def select(self, row: int) -> None:
        self.load(self.model.item_at(row))

    def new(self) -> None:
        """No item selected: the form adds one."""
        self.table.setCurrentIndex(QModelIndex())
        self.table.clearSelection()
        self.load(None)
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.widget.setFocus()

    def load(self, item: T | None) -> None:
        self.item = item
        self.setEnabled(self.document is not None)
        if self.document is None:
            return
        self.heading.setText(tr("New {what}").format(what=self.what) if item is None else self.heading_of(item))
        self.remove_button.setEnabled(item is not None)
        self.fill_choices()
        self.fill(item)
        self.check()

    def heading_of(self, item: T) -> str:
        return tr("{what} {key}").format(what=self.what.capitalize(), key=self.key(item))

    def fill_choices(self) -> None:
        """Lists the fields pick from, as the school has them now."""

    def apply(self) -> None:
        adding = self.item is None
        before = len(self.model.items)
        super().apply()
        if adding and len(self.model.items) > before:  # added: select it, at the end
            self.table.setCurrentIndex(self.model.index(len(self.model.items) - 1, 0))

    def remove(self) -> None:
        if self.document is None or self.item is None:
            return
        week = self.week
        assert week is not None
        try:
            self.removal(self.item).apply(week)
        except EditError as error:  # say why beside the form, as a field's problem is said
            self.general.setText(f"⚠ {error}")
            self.general.setVisible(True)
            return
        self.document.edit(self.removal(self.item))

    def revert(self) -> None:
        self.load(self.item)


def blank_or(parse: Callable[[Any], Any], empty: Any) -> Callable[[str], Any]:
    """A field as its optional column of the workbook reads it: `empty` when blank."""
    return lambda text: empty if not text.strip() else parse(text.strip())


# --- staff ---------------------------------------------------------------------------------------------

class StaffForm(TableForm[Staff]):
    """The school's adults (sheet Staff): who they are, their role, and when they are there."""

    what = "adult"

    def __init__(self, parent: QWidget | None = None):
        super().__init__((tr("Staff id"), tr("Name"), tr("Role"), tr("Available")), tr("A&dults"),
                         tr("Adults of the school"), tr("New ad&ult"), tr("Remove &this adult"), parent)
        self.setObjectName("staff form")
        self.staff_id = self.line("staff_id", tr("Staff &id"), tr("Staff id"), tr("a code, e.g. AIDE-1"))
        self.name = self.line("name", tr("Na&me"), tr("Name"))
        self.role = self.line("role", tr("R&ole"), tr("Role"), tr("e.g. AIDE: a station may name a role"))
        self.available = self.line("available", tr("Availa&ble"), tr("Available"),
                                   tr("blank: always; e.g. Mon-Fri 08:00-15:00; Wed 08:00-12:00; Fri off"))
        self.finish(tr("Available: parts separated by ';', each days then times (several separated by commas) or "
                       "'off'; a later part replaces earlier ones for the days it names. Apply changes the adult as "
                       "one step: Undo (Ctrl+Z) takes it back, and the Checks say what the plan now breaks."))

    def items(self, school: School) -> tuple[Staff, ...]:
        return school.staff

    def key(self, item: Staff) -> object:
        return item.staff_id

    def words(self, item: Staff) -> tuple[str, ...]:
        return item.staff_id, item.name, item.role, availability_text(item.available) or tr("always")

    def heading_of(self, item: Staff) -> str:
        return tr("Adult {staff_id}").format(staff_id=item.staff_id)

    def fill(self, item: Staff | None) -> None:
        adult = item or Staff("")
        self.staff_id.setText(adult.staff_id)
        self.staff_id.setReadOnly(item is not None)  # stations and classes name the adult by it
        self.name.setText(adult.name)
        self.role.setText(adult.role)
        self.available.setText(availability_text(adult.available))

    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        adult = self.item or Staff("")
        values = {
            "staff_id": self.staff_id.text().strip(),
            "name": self.name.text().strip(),
            "role": self.role.text().strip(),
            "available": read(problems, "available", lambda: blank_or(cells.availability, ())(self.available.text())),
        }
        return {k: v for k, v in values.items() if k not in problems and getattr(adult, k) != v}

    def make(self, values: dict[str, Any]) -> Edit | None:
        if self.item is not None:
            return SetStaff(self.item.staff_id, values)
        if not values:
            return None
        rest = {k: v for k, v in values.items() if k != "staff_id"}
        return AddStaff(values.get("staff_id", ""), rest)

    def removal(self, item: Staff) -> Edit:
        return RemoveStaff(item.staff_id)


# --- device pools --------------------------------------------------------------------------------------

class DevicesForm(TableForm[DevicePool]):
    """The school's device pools (sheet Devices): how many devices, shared by which classes."""

    what = "device pool"

    def __init__(self, parent: QWidget | None = None):
        super().__init__((tr("Pool"), tr("Count"), tr("Classes")), tr("&Device pools"), tr("Device pools"),
                         tr("New p&ool"), tr("Remove &this pool"), parent)
        self.setObjectName("devices form")
        self.pool = self.line("pool", tr("Na&me"), tr("Pool name"), tr("a name, e.g. Chromebooks"))
        self.count = self.line("count", tr("Co&unt"), tr("Count"), tr("how many devices"))
        self.classes = self.line("classes", tr("Shared &by classes"), tr("Classes"),
                                 tr("blank: every class; e.g. 3A, 3B"))
        self.finish(tr("A pool's count limits the students using it at once, across its classes. Apply changes the "
                       "pool as one step: Undo (Ctrl+Z) takes it back, and the Checks say what the plan now breaks."))

    def items(self, school: School) -> tuple[DevicePool, ...]:
        return school.devices

    def key(self, item: DevicePool) -> object:
        return item.pool

    def words(self, item: DevicePool) -> tuple[str, ...]:
        return item.pool, str(item.count), ", ".join(item.classes) or tr("every class")

    def heading_of(self, item: DevicePool) -> str:
        return tr("Device pool {pool}").format(pool=item.pool)

    def fill(self, item: DevicePool | None) -> None:
        self.pool.setText(item.pool if item else "")
        self.pool.setReadOnly(item is not None)  # stations name the pool by it
        self.count.setText(str(item.count) if item else "")
        self.classes.setText(", ".join(item.classes) if item else "")

    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        pool = self.item or DevicePool("", 0)
        values = {
            "pool": self.pool.text().strip(),
            "count": read(problems, "count", lambda: read_number(self.count.text(), cells.count, None, needed=True)),
            "classes": cells.items(self.classes.text() or None),
        }
        if self.item is None and not any((self.pool.text().strip(), self.count.text().strip(), values["classes"])):
            problems.clear()
            return {}  # nothing typed yet: nothing to say
        return {k: v for k, v in values.items() if k not in problems and getattr(pool, k) != v}

    def make(self, values: dict[str, Any]) -> Edit | None:
        if self.item is not None:
            return SetDevicePool(self.item.pool, values)
        if not values:
            return None
        return AddDevicePool(values.get("pool", ""), values.get("count", 0), values.get("classes", ()))

    def removal(self, item: DevicePool) -> Edit:
        return RemoveDevicePool(item.pool)


# --- rules ---------------------------------------------------------------------------------------------

RULE_WORDS = {
    "apart": "apart: never in the same group",
    "together": "together: in the same group",
    "prefer_apart": "prefer apart: apart when the plan can",
    "prefer_together": "prefer together: together when the plan can",
    "group": "group: in the group numbered below",
    "away": "away: out of class from start to end",
    "needs": "needs: at the station, count times a week",
}
# The fields each kind of rule uses besides students, days and note (docs/workbook.md, sheet Rules).
RULE_FIELDS = {"group": ("group",), "needs": ("station", "count"), "away": ("start", "end")}


def who_words(names: Mapping[str, str], rule: Rule) -> str:
    """The students a rule names, by name (`names`: student_id -> name); a flag as every student with it."""
    return ", ".join(names.get(who) or tr("every student with {flag}").format(flag=who) for who in rule.students)


def rule_words(names: Mapping[str, str], rule: Rule) -> str:
    """A rule in a sentence: "Diego Jensen, Ella Garcia: never in the same group, on Tue"."""
    what = {
        "apart": tr("never in the same group"),
        "together": tr("in the same group"),
        "prefer_apart": tr("apart when the plan can"),
        "prefer_together": tr("together when the plan can"),
        "group": tr("in group {group}").format(group=rule.group),
        "away": tr("away {start}-{end}").format(start=hhmm(rule.start) if rule.start else "?",
                                                 end=hhmm(rule.end) if rule.end else "?"),
        "needs": tr("at {station} at least {count} times a week").format(station=rule.station, count=rule.count),
    }.get(rule.rule, rule.rule)
    when = tr(", on {days}").format(days=", ".join(rule.days)) if rule.days else ""
    return f"{who_words(names, rule)}: {what}{when}"


class RulesForm(TableForm[Rule]):
    """The school's rules (sheet Rules), each in words; the form adds one, or changes the one selected."""

    what = "rule"

    def __init__(self, parent: QWidget | None = None):
        super().__init__((tr("Rule"), tr("In words"), tr("Note")), tr("Rules of the school"),
                         tr("Rules of the school"), tr("New rule"), tr("Remove rule"), parent)
        self.setObjectName("rules form")
        self.names: dict[str, str] = {}  # student_id -> name, as of the last show_class
        self.kind = self.combo("rule", tr("&Kind"), tr("Kind of rule"), [(tr(RULE_WORDS[k]), k) for k in RULE_KINDS])
        self.kind.currentIndexChanged.connect(lambda _: self.kind_changed())
        self.students = QLineEdit(self)
        self.students.setPlaceholderText(tr("student ids or flags, separated by commas, e.g. S04, S09"))
        self.students.textEdited.connect(lambda _: self.check())
        self.students.returnPressed.connect(self.apply)
        self.pick = QComboBox(self)
        self.pick.setAccessibleName(tr("Add a student or flag"))
        self.pick.activated.connect(self.picked)
        both = QWidget(self)
        line = QHBoxLayout(both)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.students, 2)
        line.addWidget(self.pick, 1)
        self.field("students", tr("St&udents"), both, tr("Students"), focus=self.students)
        self.students.setAccessibleName(tr("Students"))
        self.group = self.line("group", tr("Group num&ber"), tr("Group number"), tr("for group: the group number"))
        self.station = QComboBox(self)
        self.station.setEditable(True)
        self.station.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.station.editTextChanged.connect(lambda _: self.check())
        self.field("station", tr("Stat&ion"), self.station, tr("Station"))
        self.count = self.line("count", tr("Ti&mes a week"), tr("Times a week"), tr("for needs: times a week"))
        self.days = self.line("days", tr("Da&ys"), tr("Days"), tr("blank: every class day; e.g. Tue,Thu or Mon-Wed"))
        self.start = self.line("start", tr("S&tart"), tr("Start"), tr("for away: when they leave, HH:MM"))
        self.end = self.line("end", tr("En&d"), tr("End"), tr("for away: when they are back, HH:MM"))
        self.note = self.line("note", tr("N&ote"), tr("Note"), tr("anything to remember about the rule"))
        self.apply_button.setText(tr("&Apply"))
        self.finish(tr("Apply adds the rule (New), or changes the one selected, as one step: Undo (Ctrl+Z) takes it "
                       "back. The plan stays as it is; the Checks say what it now breaks, and Plan week (F5) plans "
                       "with the rule."))

    def items(self, school: School) -> tuple[Rule, ...]:
        return school.rules

    def key(self, item: Rule) -> object:
        return rule_label(item)

    def show_class(self, document: Document | None, class_id: str) -> None:
        # Each rule's words name its students: the school's names looked up once, not once per rule on every
        # refresh (a drop on the board refreshes this table too).
        self.names = {s.student_id: s.name for s in document.school.students} if document else {}
        super().show_class(document, class_id)

    def words(self, item: Rule) -> tuple[str, ...]:
        return rule_label(item), rule_words(self.names, item), item.note

    def heading_of(self, item: Rule) -> str:
        return tr("Rule {label}").format(label=rule_label(item))

    def fill_choices(self) -> None:
        if self.document is None:
            return
        school = self.document.school
        self.pick.blockSignals(True)
        self.pick.clear()
        self.pick.addItem(tr("add a student or flag…"), "")
        members = students_of(school, self.class_id)
        for student in members:
            self.pick.addItem(f"{student.name} ({student.student_id})", student.student_id)
        for flag in dict.fromkeys(f for s in members for f in s.flags):
            self.pick.addItem(tr("every student with {flag}").format(flag=flag), flag)
        self.pick.blockSignals(False)
        typed = self.station.currentText()
        self.station.blockSignals(True)
        self.station.clear()
        self.station.addItems(["", *dict.fromkeys(s.name for s in stations_of(school, self.class_id))])
        self.station.setEditText(typed)
        self.station.blockSignals(False)

    def picked(self, index: int) -> None:
        """A student or flag picked from the class is added to the students typed."""
        who = self.pick.itemData(index)
        self.pick.setCurrentIndex(0)
        if not who:
            return
        named = list(cells.items(self.students.text() or None))
        if who not in named:
            self.students.setText(", ".join([*named, who]))
        self.check()

    def kind_changed(self) -> None:
        used = RULE_FIELDS.get(self.kind.currentData(), ())
        for key in ("group", "station", "count", "start", "end"):
            self.fields[key].widget.setEnabled(key in used)
            self.fields[key].label.setEnabled(key in used)
        self.check()

    def fill(self, item: Rule | None) -> None:
        rule = item or Rule("apart", ())
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(rule.rule)))
        self.kind.blockSignals(False)
        self.students.setText(", ".join(rule.students))
        self.group.setText("" if rule.group is None else str(rule.group))
        self.station.setEditText(rule.station)
        self.count.setText("" if rule.count is None else str(rule.count))
        self.days.setText(",".join(rule.days))
        self.start.setText(hhmm(rule.start) if rule.start else "")
        self.end.setText(hhmm(rule.end) if rule.end else "")
        self.note.setText(rule.note)
        self.kind_changed()

    def values(self, problems: dict[str | None, str]) -> dict[str, Any]:
        rule = self.item or Rule("apart", ())
        kind = self.kind.currentData()
        used = RULE_FIELDS.get(kind, ())
        values = {
            "rule": kind,
            "students": cells.items(self.students.text() or None),
            "group": read(problems, "group", lambda: read_number(self.group.text(), cells.count, None)),
            "station": self.station.currentText().strip(),
            "count": read(problems, "count", lambda: read_number(self.count.text(), cells.count, None)),
            "days": read(problems, "days", lambda: blank_or(cells.days, ())(self.days.text())),
            "start": read(problems, "start", lambda: blank_or(cells.time, None)(self.start.text())),
            "end": read(problems, "end", lambda: blank_or(cells.time, None)(self.end.text())),
            "note": self.note.text().strip(),
        }
        for key in ("group", "station", "count", "start", "end"):
            if key not in used:  # a field the kind does not use keeps what the rule had
                problems.pop(key, None)
                values[key] = getattr(rule, key)
        if self.item is None and not values["students"] and not any(
                values[k] for k in ("group", "station", "count", "days", "start", "end", "note")):
            return {}  # nothing typed yet: nothing to say
        return {k: v for k, v in values.items() if k not in problems and getattr(rule, k) != v}

    def rule_of(self, values: dict[str, Any]) -> Rule:
        base = self.item or Rule("apart", ())
        return Rule(**{**{k: getattr(base, k) for k in ("rule", "students", "group", "station", "count", "days",
                                                          "start", "end", "note")}, **values})

    def make(self, values: dict[str, Any]) -> Edit | None:
        if self.item is not None:
            return SetRule(self.model.items.index(self.item), self.rule_of(values))
        if not values:
            return None
        return AddRule(self.rule_of(values))

    def removal(self, item: Rule) -> Edit:
        return DropRule(rule_label(item))
