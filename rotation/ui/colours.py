"""The verdict's colours, readable on the window's own colour in a light or a dark palette."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

# kind -> (on a light window, on a dark window)
VERDICT = {"ok": ("#1b5e20", "#81c784"), "broken": ("#b71c1c", "#ff8a80")}


def verdict_colour(widget: QWidget, kind: str) -> str:
    """The colour of a verdict of `kind` ("ok", "broken") on `widget`'s window; "" for any other kind."""
    if kind not in VERDICT:
        return ""
    light, dark = VERDICT[kind]
    return dark if widget.palette().color(QPalette.ColorRole.Window).lightness() < 128 else light


def paint(label: QLabel, colour: str) -> None:
    """Give the label's text `colour`, restyling only on a change (a form's every check asks; a restyle repolishes)."""
    sheet = f"QLabel {{ color: {colour}; }}"
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)
