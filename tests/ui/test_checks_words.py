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


def test_a_checks_line_names_the_class_of_a_soft_rule_only_among_several_and_says_whom_and_when_otherwise():
    from rotation.domain.plan import Check
    from rotation.ui.window import check_words

    soft = Check("soft rule", "need_spread", "3A group 1", "", 125, "group 1 mixes students from 88% to 100% need")
    assert check_words(soft, ("3A", "3B")) == "3A: group 1 mixes students from 88% to 100% need (cost 125)"
    assert check_words(soft, ("3A",)) == "group 1 mixes students from 88% to 100% need (cost 125)"
    away = Check("away", "away", "S12", "3A Mon slot 2", 0, "speech; group 3 is at Online")
    assert check_words(away, ("3A",)) == "S12; 3A Mon slot 2: speech; group 3 is at Online"
