"""The cell parsers both workbooks share: each spelling a teacher may type means one thing, or is refused in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rotation.io import cells


@pytest.mark.parametrize(("written", "typed"), [
    ("08:30", dt.time(8, 30)),
    ("8:30 am", dt.time(8, 30)),
    ("1:30 pm", dt.time(13, 30)),
    ("08:30:00", dt.time(8, 30)),
    ("08:29:45", dt.time(8, 29, 45)),  # to the nearest minute, written or typed alike
    ("23:59:59", dt.time(23, 59, 59)),
])
def test_a_written_time_means_what_the_same_time_typed_means(written: str, typed: dt.time) -> None:
    assert cells.time(written) == cells.time(typed) == cells.time(typed.hour / 24 + typed.minute / 1440
                                                                  + typed.second / 86400)


@pytest.mark.parametrize("value", ["25:00", "08:60", "08:30:60", "13:00 pm", "9", 9, "noon"])
def test_what_is_no_time_is_refused_in_words(value: Any) -> None:
    with pytest.raises(cells.Bad, match="is not a time"):
        cells.time(value)


def test_chart_day_headers_are_whole_day_names_where_day_cells_take_any_start() -> None:
    # On purpose: a chart label typed as a group's name ("Mo", "Frida") must stay a group, not become a day.
    from rotation.io.rotation_chart import day_of
    assert [cells.day(w) for w in ("Mo", "Tues", "Frida", "sunday")] == ["Mon", "Tue", "Fri", "Sun"]
    assert [day_of(w) for w in ("Mo", "Tues", "Frida", "sunday", "Sun", "MON")] == [None, None, None, "Sun", "Sun",
                                                                                   "Mon"]
