"""The Rotation chart of a plan workbook, written and read back in one place so the two cannot drift.

One page per class: a block per day, its groups down (each group's members named beside its label),
its slots across, a colour per station. It is the sheet teachers edit, so reading it back accepts
what a hand edit leaves (any spelling of a station, a blank cell for no visit) and names every cell
it cannot use by sheet, row and column.
"""

from __future__ import annotations

import functools
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Protocol

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from rotation.domain.plan import PlannedGroup, Visit
from rotation.domain.school import DAYS, School, SchoolClass, Student
from rotation.domain.week import SlotTime, hhmm, rotations_of, slot_times, stations_of
from rotation.io.cells import DAY_NAMES, cell_text
from rotation.io.problems import Problems
from rotation.io.xlsx import MAX_ROWS, norm
from rotation.io.xlsx import write_text_cell as write_cell

SHEET = "Rotation"
# Columns of every block: the group's label, its members, then one column per slot of the day.
LABEL, MEMBERS, FIRST_SLOT = 1, 2, 3

BODY, SMALL, TITLE = 12, 11, 18  # font sizes in points at 100 %
FONT = "Calibri"  # the workbook's default; Carlito has the same metrics where Calibri is missing
BOLD = Font(name=FONT, bold=True, size=BODY)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")

# The page every class must fit: landscape, the smaller of A4 and US Letter (11 in x 210 mm), less
# margins, less a tenth for the difference between how Excel and LibreOffice measure text.
MARGIN_INCHES = 0.4
PAGE_WIDE = (792 - 2 * 72 * MARGIN_INCHES) * 0.9
PAGE_HIGH = (595 - 2 * 72 * MARGIN_INCHES) * 0.9
PORTRAIT_WIDE = 595 - 2 * 72 * 0.75  # a portrait A4 page less the default margins of 3/4 in
MAX_SCALE = 150  # a small chart is printed larger, to be read from across the room
TITLE_ROW, HEADER_ROW, GAP_ROW = 28.0, 20.0, 10.0  # row heights in points
LINE = 15.0  # points a line of wrapped text takes


class ChartWeek(Protocol):
    """What the chart needs of a plan laid over the school's week."""

    school: School

    def classes(self) -> list[SchoolClass]: ...

    def groups(self, class_id: str) -> list[PlannedGroup]: ...

    def members(self, group: PlannedGroup) -> list[Student]: ...

    def visit(self, class_id: str, slot: SlotTime, group: int) -> Visit | None: ...

    def station_colours(self) -> dict[str, PatternFill]: ...


# --- how each kind of row is spelt, and read back ------------------------------------------------


def class_title(cls: SchoolClass) -> str:
    return f"Class {cls.class_id}"


def _class_of_title(text: str) -> str | None:
    match = re.fullmatch(r"class\s+(.+)", text, re.IGNORECASE)
    return match[1].strip() if match else None


def slot_header(slot: SlotTime) -> str:
    return f"{slot.slot}  {hhmm(slot.start)}-{hhmm(slot.end)}"


def _slot_of_header(text: str) -> int | None:
    match = re.match(r"\s*(?:slot\s*)?(\d+)", text, re.IGNORECASE)
    return int(match[1]) if match else None


def group_label(group: PlannedGroup) -> str:
    return f"Group {group.number} · {group.name}" if group.name else f"Group {group.number}"


def _group_of_label(text: str, groups: Sequence[PlannedGroup]) -> PlannedGroup | None:
    """A label as written ("Group 2 · Foxes"), or just the number or the name a teacher typed."""
    match = re.match(r"\s*(?:group\s*)?(\d+)\b", text, re.IGNORECASE)
    if match:
        return next((g for g in groups if g.number == int(match[1])), None)
    return next((g for g in groups if g.name and norm(g.name) == norm(text)), None)


def members_text(members: Iterable[Student]) -> str:
    """First names and initials: enough for a student to find their group on the wall, nothing more."""
    return ", ".join(f"{s.first_name} {s.last_name[:1]}." if s.last_name else (s.first_name or s.student_id)
                     for s in members)


def day_of(text: str) -> str | None:
    """A day as the chart spells it: Mon or Monday, in any case. Not cells.day_number's shorter starts (Mo, Tues),
    on purpose: a label typed as a group's name, such as "Mo" or "Frida", must not be taken for a day's header
    (a name that is a whole day's name, such as "Sun", still is: its label keeps the number, "Group 3 · Sun")."""
    text = text.lower()
    return next((d for d in DAYS if text in (d.lower(), DAY_NAMES[d].lower())), None)


# --- writing -------------------------------------------------------------------------------------


def write_chart(ws: Worksheet, week: ChartWeek) -> None:
    """One page per class: a block per day, groups down with their members, slots across."""
    colours = week.station_colours()
    pages: list[_Page] = []
    row = 1
    for cls in week.classes():
        if row > 1:
            ws.row_breaks.append(Break(id=row - 1))  # each class on a page of its own
        page = _Page(row)
        row = _write_class(ws, page, cls, week, colours)
        pages.append(page)
    widths = _best_widths(week, pages)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for page in pages:
        for number, height in page.heights(widths).items():
            ws.row_dimensions[number].height = height
    _page_setup(ws, _scale(widths, pages))


class _Page:
    """One class's rows: fixed heights for titles, headers and gaps; group rows as tall as their text."""

    def __init__(self, first: int):
        self.first = first
        self.fixed: dict[int, float] = {}
        self.texts: dict[int, dict[int, str]] = {}  # group row -> column -> text

    def heights(self, widths: Sequence[float]) -> dict[int, float]:
        lines = {row: max(_lines(text, widths[col - 1], SMALL if col == MEMBERS else BODY)
                          for col, text in texts.items())
                 for row, texts in self.texts.items()}
        return self.fixed | {row: 3 + LINE * n for row, n in lines.items()}

    def height(self, widths: Sequence[float]) -> float:
        return sum(self.heights(widths).values())


def _write_class(ws: Worksheet, page: _Page, cls: SchoolClass, week: ChartWeek,
                 colours: dict[str, PatternFill]) -> int:
    """The class's week on `page`; returns the first row after it."""
    row = page.first
    write_cell(ws, row, LABEL, class_title(cls))
    ws.cell(row, LABEL).font = Font(name=FONT, bold=True, size=TITLE)
    page.fixed[row] = TITLE_ROW
    slots = slot_times(week.school, cls)
    for day in cls.days:
        row += 1
        day_slots = [s for s in slots if s.day == day]
        _cell(ws, row, LABEL, DAY_NAMES.get(day, day), HEADER_FILL, BOLD, LEFT)
        _cell(ws, row, MEMBERS, "Members", HEADER_FILL, BOLD, LEFT)
        for col, slot in enumerate(day_slots, start=FIRST_SLOT):
            _cell(ws, row, col, slot_header(slot), HEADER_FILL, BOLD, CENTRE)
        page.fixed[row] = HEADER_ROW
        for group in week.groups(cls.class_id):
            row += 1
            texts = page.texts[row] = {LABEL: group_label(group), MEMBERS: members_text(week.members(group))}
            _cell(ws, row, LABEL, texts[LABEL], None, BOLD, LEFT)
            _cell(ws, row, MEMBERS, texts[MEMBERS], None, Font(name=FONT, size=SMALL), LEFT)
            for col, slot in enumerate(day_slots, start=FIRST_SLOT):
                visit = week.visit(cls.class_id, slot, group.number)
                texts[col] = visit.station if visit else ""
                _cell(ws, row, col, texts[col], colours.get(texts[col]), Font(name=FONT, size=BODY), CENTRE)
        row += 1
        page.fixed[row] = GAP_ROW  # a little air between days
    return row + 1


def _cell(ws: Worksheet, row: int, col: int, text: str, fill: PatternFill | None, font: Font,
          align: Alignment) -> None:
    write_cell(ws, row, col, text)
    cell = ws.cell(row, col)
    cell.border, cell.font, cell.alignment = BOX, font, align
    if fill is not None:
        cell.fill = fill


def _best_widths(week: ChartWeek, pages: Sequence[_Page]) -> list[float]:
    """Column widths (in characters) for every class on the sheet, the members and station columns
    chosen so that the chart prints as large as the page allows (wide and short, or narrow and wrapped)."""
    labels, members, stations, slots = ["Wednesday"], ["Members"], ["1  00:00-00:00"], 1
    for cls in week.classes():
        groups = week.groups(cls.class_id)
        labels += [group_label(g) for g in groups]
        members += [members_text(week.members(g)) for g in groups]
        stations += [s.name for s in stations_of(week.school, cls.class_id)]
        slots = max(slots, rotations_of(week.school, cls))
    label = _width_for(max(labels, key=len), BODY)
    choices = [[label, float(m), *[float(s)] * slots]
               for m in range(12, max(12, _width_for(max(members, key=len), SMALL)) + 2, 2)
               for s in range(_width_for(stations[0], BODY), _width_for(max(stations, key=len), BODY) + 3, 3)]
    return max(choices, key=lambda widths: (_scale(widths, pages), -sum(widths)))


def _width_for(text: str, size: int) -> int:
    """The width (in characters) that shows `text` on one line."""
    return math.ceil(len(text) / _per_width(size)) + 2


def _per_width(size: int) -> float:
    """Characters of text at `size` points per unit of column width, a little pessimistic: a width unit
    is a digit of the default font (Calibri 11), and apps measure text a little differently."""
    return 0.9 * 11 / size


@functools.lru_cache(maxsize=4096)
def _lines(text: str, width: float, size: int) -> int:
    """How many lines a wrapped cell takes."""
    return max(1, len(textwrap.wrap(text, max(1, int((width - 1) * _per_width(size))))))


def points(width: float) -> float:
    """A column's printed width: characters of the default font (7 px), plus padding, at 96 dpi."""
    return (7 * width + 5) * 0.75


def _scale(widths: Sequence[float], pages: Sequence[_Page]) -> int:
    """The print scale (%) at which the widest and the tallest class each fit one page."""
    wide = sum(points(w) for w in widths)
    high = max((page.height(widths) for page in pages), default=1.0)
    return max(10, min(MAX_SCALE, math.floor(100 * min(PAGE_WIDE / wide, PAGE_HIGH / high))))


def _page_setup(ws: Worksheet, scale: int) -> None:
    """Landscape at a fixed scale: spreadsheets ignore page breaks when fitting to a page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.scale = scale
    ws.page_margins = PageMargins(left=MARGIN_INCHES, right=MARGIN_INCHES, top=MARGIN_INCHES, bottom=MARGIN_INCHES,
                                  header=MARGIN_INCHES / 2, footer=MARGIN_INCHES / 2)
    ws.print_options.horizontalCentered = True


# --- reading -------------------------------------------------------------------------------------


def is_older_chart(ws: Worksheet) -> bool:
    """A chart from before charts were read back: it titles each day "Class 3A — Monday" and has no
    members column. Its plan is read from the Schedule, as it was when it was written."""
    for (first,) in ws.iter_rows(max_col=1, values_only=True):
        text = cell_text(first)
        if text:
            match = re.fullmatch(r"class\s+.+\s+—\s+(\w+)", text, re.IGNORECASE)
            return match is not None and day_of(match[1]) is not None
    return False


class ChartReader:
    """Where each group is in each slot, as the chart says; problems named by sheet, row and column."""

    ws: Worksheet

    def __init__(self, school: School, groups: Sequence[PlannedGroup], problems: Problems):
        self.school = school
        self.problems = problems
        self.classes = {c.class_id: c for c in school.classes}
        self.groups = {c: [g for g in groups if g.class_id == c] for c in self.classes}
        self.stations = {c: {norm(s.name): s.name for s in stations_of(school, c)} for c in self.classes}
        self.slots = {c.class_id: {(s.day, s.slot) for s in slot_times(school, c)} for c in school.classes}
        self.cls: SchoolClass | None = None
        self.day: str | None = None
        self.slot_at: dict[int, int] = {}  # column -> slot, from the day's header row
        self.unread: set[int] = set()  # columns whose header is already reported
        self.lost = False  # below a title or day already reported: its rows are not blamed again
        self.seen: dict[tuple[str, ...], int] = {}  # what was read, -> its row, to name repeats
        self.found: dict[tuple[str, str, int, int], str] = {}

    def read(self, ws: Worksheet) -> dict[tuple[str, str, int, int], str]:
        """(class, day, slot, group) -> station, for every non-blank station cell."""
        self.ws = ws
        if (ws.max_row or 0) > MAX_ROWS + 1:
            self.problems.add(f"{ws.max_row} rows; sheets over {MAX_ROWS} rows are refused", sheet=ws.title)
            return {}
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # read-only mode trusts the file's stated size, which some tools get wrong
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            texts = [cell_text(c) for c in cells]
            label = texts[LABEL - 1] if texts else None
            if label is not None:
                self._row(number, label, texts)
            elif any(texts[FIRST_SLOT - 1:]) and self.day is not None:
                self._problem(number, LABEL, "stations without a group label: write the group here")
        return self.found

    def _problem(self, row: int, col: int, message: str) -> None:
        self.problems.add(message, sheet=self.ws.title, row=row, column=get_column_letter(col))

    def _row(self, number: int, label: str, texts: list[str | None]) -> None:
        class_id = _class_of_title(label)
        day = day_of(label)
        if class_id is not None:
            self._title(number, class_id)
        elif day is not None:
            self._header(number, day, texts)
        elif self.lost:
            return
        elif self.cls is None:
            self._problem(number, LABEL, f"'{label}' comes before any class title (such as "
                          f"'{class_title(self.school.classes[0]) if self.school.classes else 'Class 3A'}')")
        elif self.day is None:
            self._problem(number, LABEL, f"'{label}' comes before any day of class '{self.cls.class_id}'")
        else:
            self._group_row(number, label, texts, self.cls, self.day)

    def _once(self, key: tuple[str, ...], number: int, col: int, what: str) -> bool:
        first = self.seen.setdefault(key, number)
        if first != number:
            self._problem(number, col, f"{what} is already on row {first}")
        return first == number

    def _title(self, number: int, class_id: str) -> None:
        self.cls, self.day = self.classes.get(class_id), None
        if self.cls is None:
            self._problem(number, LABEL, f"unknown class '{class_id}'")
        self.lost = self.cls is None or not self._once((class_id,), number, LABEL, f"class '{class_id}'")

    def _header(self, number: int, day: str, texts: list[str | None]) -> None:
        self.day, self.slot_at, self.unread, self.lost = None, {}, set(), True
        if self.cls is None:
            self._problem(number, LABEL, f"'{texts[LABEL - 1]}' comes before any class title")
            return
        class_id = self.cls.class_id
        days = [d for d, _ in self.slots[class_id]]
        if day not in days:
            self._problem(number, LABEL, f"class '{class_id}' does not meet on {day}")
            return
        if not self._once((class_id, day), number, LABEL, f"{DAY_NAMES[day]} of class '{class_id}'"):
            return
        self.day, self.lost = day, False
        count = sum(1 for d in days if d == day)
        for col, text in enumerate(texts[FIRST_SLOT - 1:], start=FIRST_SLOT):
            if text is None:
                continue
            slot = _slot_of_header(text)
            if slot is None or (day, slot) not in self.slots[class_id]:
                self._problem(number, col, f"'{text}' is not a slot of class '{class_id}' on {day} "
                              f"(slots 1-{count})")
                self.unread.add(col)
            else:
                self.slot_at[col] = slot

    def _group_row(self, number: int, label: str, texts: list[str | None], cls: SchoolClass, day: str) -> None:
        group = _group_of_label(label, self.groups[cls.class_id])
        if group is None:
            known = ", ".join(group_label(g) for g in self.groups[cls.class_id]) or "none"
            self._problem(number, LABEL, f"'{label}' is no group of class '{cls.class_id}' on sheet Groups "
                          f"(groups: {known})")
            return
        if not self._once((cls.class_id, day, str(group.number)), number, LABEL,
                          f"group {group.number} on {day}"):
            return
        for col, text in enumerate(texts[FIRST_SLOT - 1:], start=FIRST_SLOT):
            if text is None:
                continue  # a blank cell: the group is at no station then
            slot = self.slot_at.get(col)
            station = self.stations[cls.class_id].get(norm(text))
            if col in self.unread:
                continue
            if slot is None:
                self._problem(number, col, f"'{text}' is in a column with no slot of {day} in its header")
            elif station is None:
                names = ", ".join(self.stations[cls.class_id].values())
                self._problem(number, col, f"class '{cls.class_id}' has no station '{text}' (stations: {names})")
            else:
                self.found[cls.class_id, day, slot, group.number] = station
