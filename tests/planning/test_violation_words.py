"""Each hard rule a plan breaks, in words: the checker hands over data (solver.check.Violation), and
rotation.planning.messages makes the sentence, once, from one table of templates a UI can translate."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

import solver.check
from rotation.domain.school import School, Staff, Student
from rotation.domain.week import names_of
from rotation.planning.messages import BROKEN, violation_words
from solver.check import Violation
from solver.rules import RULE, RULES
from tests.solver.test_checker_breaks import BREAKS


def _v(rule: str, reason: str = "", **fields: Any) -> Violation:
    return Violation(rule, reason=reason, class_id="3A", **fields)


# One violation for each template, and what it says.
SENTENCES: list[tuple[Violation, str]] = [
    (_v("one_group", "no_plan"), "the plan has no groups for this class"),
    (_v("one_group", "no_group", students=("S3",)), "student S3 is in no group"),
    (_v("one_group", "stranger", students=("X9",)), "student X9 is not in this class"),
    (_v("one_group", "no_such_group", students=("S5",), groups=(3,), have=2),
     "student S5 is in group 3; the class has 2"),
    (_v("group_size", "too_big", groups=(1,), asked=7, have=8),
     "group 1 has 8 students; a group may have at most 7"),
    (_v("group_size", "too_small", groups=(5,), asked=5, have=0),
     "group 5 has 0 students; a group needs at least 5"),
    (_v("apart", label="apart row 2", students=("S1", "S4"), groups=(1,)),
     "apart row 2: S1 and S4 are both in group 1"),
    (_v("together", label="together row 3", students=("S1", "S2", "S7")), "together row 3: S1, S2 and S7 are split"),
    (_v("group", label="S5 in group 2", students=("S5",), groups=(1,), asked=2),
     "S5 in group 2: S5 is in group 1, not 2"),
    (_v("student_lock", students=("S4",), groups=(1,), asked=2), "S4 is locked in group 2 but is in 1"),
    (_v("group_fits_station", stations=("teacher",), groups=(1,), asked=3, have=4),
     "group 1 (4) does not fit teacher (3 seats)"),
    (_v("one_station", "no_station", groups=(2,), day="Tue", slot=1), "group 2 has no station Tue slot 1"),
    (_v("one_station", "unknown_station", groups=(1,), stations=("gym",)), "group 1 is at unknown station gym"),
    (_v("one_group_at_staffed", stations=("teacher",), groups=(1, 2, 4), day="Mon", slot=1),
     "teacher has groups 1, 2 and 4 at once Mon slot 1"),
    (_v("seats", stations=("games",), day="Tue", slot=1, asked=3, have=5),
     "games holds 5 students Tue slot 1; it seats 3"),
    (_v("must_do", stations=("teacher",), groups=(2,), day="Tue"), "group 2 misses must-do teacher on Tue"),
    (_v("visits", stations=("online",), groups=(1,), asked=1, have=2),
     "group 1 visits online 2 times; it must visit 1 times"),
    (_v("needs", label="S4 at teacher twice", students=("S4",), stations=("teacher",), asked=2, have=1),
     "S4 at teacher twice: S4 is at teacher 1 times, needs 2"),
    (_v("visit_lock", stations=("teacher",), groups=(1,), day="Mon", slot=1),
     "group 1 is locked at teacher Mon slot 1"),
    (_v("adult_available", "one_adult", stations=("online",), day="Mon", slot=1, asked=1, have=2),
     "online needs one adult Mon slot 1; the plan has 2"),
    (_v("adult_available", "cannot_work", adults=("I2",), stations=("online",), day="Mon", slot=1),
     "I2 cannot work online Mon slot 1"),
    (Violation("adult_one_place", adults=("I1",), classes=("3A", "3B"), stations=("games", "games"), day="Tue"),
     "I1 is at 3A games and 3B games on Tue"),
    (Violation("devices", pool="carts", day="Mon", time=9 * 60 + 5, asked=3, have=4),
     "pool carts: 4 devices in use Mon at 09:05; it has 3"),
]


@pytest.mark.parametrize(("violation", "said"), SENTENCES, ids=[f"{v.rule} {v.reason}".strip() for v, _ in SENTENCES])
def test_each_template_fills_in_its_fields(violation: Violation, said: str) -> None:
    assert violation_words(violation) == said


def test_every_template_is_filled_above():
    assert {(v.rule, v.reason) for v, _ in SENTENCES} == set(BROKEN)


def test_every_hard_rule_has_words():
    # Walking the table: a hard rule added to solver.rules without a sentence here fails.
    assert {r.name for r in RULES if r.hard} == {rule for rule, _ in BROKEN}


def test_every_way_the_checker_breaks_a_rule_has_words():
    # Each reason the checker can give, read off its source, has a template (a missing one would fall back on
    # the rule's own general sentence).
    source = Path(solver.check.__file__).read_text()
    reasons = set(re.findall(r'reason="(\w+)"', source))
    assert reasons, "the checker gives no reasons any more: read them some other way"
    assert reasons == {reason for _, reason in BROKEN if reason}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_a_broken_plan_is_told_with_everything_the_checker_found(rule):
    # The hand-made break of each hard rule: its sentence is the rule's own, and names every student, adult,
    # station, group, time and number the checker put in the violation, so the teacher is told who and what.
    case = BREAKS[rule]()
    for v in case.said:
        words = violation_words(v)
        assert (v.rule, v.reason) in BROKEN and words != RULE[v.rule].says, words
        said = [*v.students, *v.adults, *v.stations, *v.classes, *map(str, v.groups), v.day, v.label, v.pool]
        said += [str(n) for n in (v.slot, v.asked, v.have) if n is not None]
        if v.time is not None:
            said.append(f"{v.time // 60:02d}:{v.time % 60:02d}")
        for field in said:
            assert field in words, (field, words)


def test_every_field_a_template_may_use_is_a_field_of_a_violation_or_made_from_them():
    # The words are filled from the violation alone: each name in braces is one of its fields (less `rule`,
    # `reason` and `class_id`, which the caller shows as it likes) or `places`, stations beside their classes.
    known = {f.name for f in fields(Violation)} - {"rule", "reason", "class_id"} | {"places"}
    used = {name for template in BROKEN.values() for name in re.findall(r"{(\w+)}", template)}
    assert used <= known, used - known


def test_names_are_said_instead_of_ids_when_given():
    names = {"S1": "Diego Jensen", "S4": "Sam Garcia", "I2": "Ms Ames"}
    apart = _v("apart", label="apart row 2", students=("S1", "S4"), groups=(2,))
    assert violation_words(apart, names) == "apart row 2: Diego Jensen and Sam Garcia are both in group 2"
    busy = _v("adult_available", "cannot_work", adults=("I2",), stations=("online",), day="Mon", slot=1)
    assert violation_words(busy, names) == "Ms Ames cannot work online Mon slot 1"
    # An id the names do not know is said as it is; stations are names already.
    stranger = _v("one_group", "stranger", students=("X9",))
    assert violation_words(stranger, names) == "student X9 is not in this class"
    assert violation_words(apart) == "apart row 2: S1 and S4 are both in group 2"


def test_the_app_names_students_and_adults_and_keeps_the_id_of_an_adult_without_a_name():
    school = School(students=(Student("S1", "Diego", "Jensen"),), staff=(Staff("T1", "Ms Lee"), Staff("PARA")))
    assert names_of(school) == {"S1": "Diego Jensen", "T1": "Ms Lee", "PARA": "PARA"}


def test_a_ui_translates_the_template_before_it_is_filled():
    french = {BROKEN["adult_available", "cannot_work"]: "{adults} ne peut pas tenir {stations} {day}, créneau {slot}"}
    busy = _v("adult_available", "cannot_work", adults=("I2",), stations=("online",), day="Mon", slot=1)
    assert violation_words(busy, {"I2": "Mme Ames"}, lambda t: french.get(t, t)) == \
        "Mme Ames ne peut pas tenir online Mon, créneau 1"


def test_a_way_of_breaking_the_words_do_not_know_says_the_rule():
    assert violation_words(_v("seats", "a new reason")) == RULE["seats"].says
    assert violation_words(Violation("a rule from the future")) == "a rule from the future"
