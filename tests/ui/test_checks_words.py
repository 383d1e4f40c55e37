"""The Checks panel says a broken hard rule in a teacher's words: students and adults by name."""

from __future__ import annotations

from rotation.domain.week import names_of
from tests.ui.conftest import plan
from tests.ui.test_week import drop, group_of


def test_a_broken_keep_apart_rule_names_the_students(qtbot, window):
    plan(qtbot, window, window.plan_action)
    apart = group_of(window, "S04")
    assert group_of(window, "S09") != apart
    drop(window, "S09", apart)  # the demo keeps S04 and S09 apart
    lines = [window.checks.item(i).text() for i in range(window.checks.count())]
    names = names_of(window.document.school)
    said = f"{names['S04']} and {names['S09']} are both in group {apart}"
    assert names["S04"] != "S04" and any(line.startswith("⚠ apart: ") and said in line for line in lines), lines
