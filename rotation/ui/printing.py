"""Print, or save as PDF, the Rotation chart (one class's week per landscape page, each group's members beside
its label) and group cards for the tables. Names only, never scores: these go on the wall."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QFontMetrics, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from rotation.domain.plan import Plan, PlannedGroup, Visit
from rotation.domain.school import School, SchoolClass
from rotation.domain.week import adult_names, hhmm, slot_times, stations_of
from rotation.io.rotation_chart import DAY_NAMES, class_title, group_label, members_text
from rotation.ui.week_grid import station_colour

MAX_SCALE = 1.5  # a small chart prints larger, to be read from across the room
SCREEN_DPI = 96  # QTextDocument lays out in pixels of this size
LAYOUT_WIDTH = 3  # room for a table's own width (its columns' widths are set); the page's scale then fits it
MEMBERS_WIDTH = 190  # pixels for the members beside each group's label: their names wrap within it


def tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


def chart_html(school: School, plan: Plan, cls: SchoolClass) -> str:
    """One class's week in one table: groups down with their members, each day's slots across, a colour per
    station and the adults working it."""
    names = adult_names(school)
    colours = {st.name: station_colour(i).name() for i, st in enumerate(stations_of(school, cls.class_id))}
    visits = {(v.group, v.day, v.slot): v for v in plan.visits if v.class_id == cls.class_id}
    students = {s.student_id: s for s in school.students}
    slots = slot_times(school, cls)
    title = " · ".join(x for x in (class_title(cls), cls.teacher and names.get(cls.teacher, cls.teacher), cls.room)
                       if x)
    days = "".join(f'<th colspan="{sum(t.day == day for t in slots)}">{escape(DAY_NAMES.get(day, day))}</th>'
                   for day in cls.days)
    groups = _groups(plan, cls)
    words = [v.station for v in visits.values()] + [names.get(a, a) for v in visits.values() for a in v.staff]
    column = _column_width(words)
    label = _column_width([group_label(g) for g in groups], bold=True, whole=True)  # never "Group 1 / · / Zebras"
    times = "".join(f'<th width="{column}"><small>{t.slot}<br/>{hhmm(t.start)}<br/>{hhmm(t.end)}</small></th>'
                    for t in slots)
    members = f'<th width="{MEMBERS_WIDTH}">{escape(tr("Members"))}</th>'
    rows = [f'<tr><th width="{label}"></th>{members}{days}</tr><tr><th></th><th></th>{times}</tr>']
    for g in groups:
        members = members_text(students[m] for m in g.members if m in students)
        cells = "".join(_cell(visits.get((g.number, t.day, t.slot)), names, colours) for t in slots)
        rows.append(f"<tr><td><b>{escape(group_label(g))}</b></td><td>{escape(members)}</td>{cells}</tr>")
    # Every column as wide as its longest word, so no word breaks; the page then scales to fit the table.
    total = label + MEMBERS_WIDTH + column * len(slots)
    return (f'<h2>{escape(title)}</h2><table border="1" cellspacing="0" cellpadding="4" width="{total}">'
            f'{"".join(rows)}</table>')


def _column_width(texts: list[str], bold: bool = False, whole: bool = False) -> int:
    """Pixels for a column as wide as the longest of `texts`' words (or, `whole`, of the texts), with the cell's
    padding."""
    font = QTextDocument().defaultFont()
    font.setBold(bold)
    metrics = QFontMetrics(font)
    parts = texts if whole else [word for text in texts for word in text.split()]
    return max((metrics.horizontalAdvance(part) for part in parts), default=40) + 16


def _cell(visit: Visit | None, names: dict[str, str], colours: dict[str, str]) -> str:
    if visit is None:
        return "<td></td>"
    staff = ", ".join(names.get(s, s) for s in visit.staff)
    text = escape(visit.station) + (f"<br/><small>{escape(staff)}</small>" if staff else "")
    colour = colours.get(visit.station, "#eeeeee")
    return f'<td align="center" bgcolor="{colour}">{text}</td>'


def cards_html(school: School, plan: Plan, cls: SchoolClass) -> str:
    """A card per group, two or three to a row: its name large, its members below."""
    students = {s.student_id: s for s in school.students}
    groups = _groups(plan, cls)
    across = 2 if len(groups) <= 4 else 3
    cards = []
    for g in groups:
        members = "<br/>".join(escape(members_text([students[m]])) for m in g.members if m in students)
        cards.append(f'<td valign="top" width="{100 // across}%"><h1>{escape(g.name)}</h1>'
                     f'<p><small>{escape(class_title(cls))}</small></p><p style="font-size:large">{members}</p></td>')
    rows = "".join(f"<tr>{''.join(cards[i:i + across])}</tr>" for i in range(0, len(cards), across))
    return f'<table border="2" cellspacing="12" cellpadding="12" width="100%">{rows}</table>'


def _groups(plan: Plan, cls: SchoolClass) -> list[PlannedGroup]:
    return sorted((g for g in plan.groups if g.class_id == cls.class_id), key=lambda g: g.number)


def landscape_printer(pdf: Path | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                      QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    if pdf is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
    return printer


def print_pages(printer: QPrinter, pages: list[str]) -> None:
    """Each page's HTML on a page of its own, scaled to fit it (never split across two)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr("the printer or the file could not be opened"))
    try:
        area = printer.pageLayout().paintRect(QPageLayout.Unit.Inch)
        wide, high = area.width() * SCREEN_DPI, area.height() * SCREEN_DPI  # the page in the layout's pixels
        for i, html in enumerate(pages):
            if i:
                printer.newPage()
            document = QTextDocument()
            document.setHtml(html)
            document.setTextWidth(wide * LAYOUT_WIDTH)
            size = QSizeF(document.idealWidth(), document.size().height())
            fit = min(wide / size.width(), high / size.height(), MAX_SCALE)  # a short chart prints larger
            scale = printer.resolution() / SCREEN_DPI * fit
            painter.save()
            painter.scale(scale, scale)
            document.drawContents(painter)
            painter.restore()
    finally:
        painter.end()


def chart_pages(school: School, plan: Plan) -> list[str]:
    return [chart_html(school, plan, cls) for cls in school.classes]


def card_pages(school: School, plan: Plan) -> list[str]:
    return [cards_html(school, plan, cls) for cls in school.classes]


PAGES: dict[str, Callable[[School, Plan], list[str]]] = {"chart": chart_pages, "cards": card_pages}
