"""The Checks sheet in a teacher's words: each soft rule's line says what it means for that group or student,
with the plan's numbers and need as a percent; the cost stays in its own column and `rule` keeps the rule's name.

The costs here are the independent checker's, on a plan made by hand so that every rule costs something.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rotation.domain.plan import Plan, PlannedGroup, Visit
from rotation.domain.school import BY_NEED, MasteryResult, Rule, School, SchoolClass, Skill, Station, Student
from rotation.planning import details
from rotation.planning.instance import Planning, build_instance
from rotation.planning.result import checks, when, who
from solver.check import check
from solver.plan import ClassPlan, Cost, Result
from solver.plan import Plan as SolverPlan
from solver.rules import RULE


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


NAMES = {"S1": "Ana Lopez", "S2": "Ben Kim", "S3": "Cy Ng", "S4": "Dee Roy", "S5": "Eve Poe", "S6": "Fin Day",
         "S7": "Gil Orr", "S8": "Hal Fox", "T1": "Ivy Cole", "T2": "Jo Park", "T3": "Kai Wu", "T4": "Lu Bell",
         "U1": "Mo Ali", "U2": "Ned Sze", "U3": "Oz Hill", "U4": "Pia Moss"}
CLASS_OF = {"S": "3A", "T": "3B", "U": "3C"}
IEP = ("T1", "T2")
# Scores out of 100: need is 1 minus the score's share, so a score of 88 is 12% need.
FRACTIONS = {"S1": 88, "S2": 45, "S3": 70, "S4": 60, "S5": 20, "S6": 30, "S7": 10, "S8": 25,
             "T1": 90, "T2": 70, "T3": 40, "T4": 20, "U1": 20, "U2": 70}
DECIMALS = {"U1": 80, "U2": 40}  # U3 and U4 have no results: they get the class median


def school() -> School:
    students = tuple(Student(sid, *name.split(), classes=(CLASS_OF[sid[0]],), flags=("IEP",) if sid in IEP else ())
                     for sid, name in NAMES.items())
    return School(
        students=students,
        skills=(Skill("Fractions"), Skill("Decimals")),
        mastery=tuple(MasteryResult(s, "Fractions", v) for s, v in FRACTIONS.items())
        + tuple(MasteryResult(s, "Decimals", v) for s, v in DECIMALS.items()),
        classes=(SchoolClass("3A", t("09:00"), 15, teacher="T-A", days=("Mon", "Tue"), groups=2,
                             focus=("Fractions",)),
                 SchoolClass("3B", t("10:00"), 15, days=("Mon",), groups=2, grouping="mixed", focus=("Fractions",)),
                 SchoolClass("3C", t("11:00"), 15, days=("Mon",), groups=2, grouping="by skill",
                             focus=("Fractions", "Decimals"))),
        stations=(Station("Teacher table", "3A", kind="teacher", visits=BY_NEED),
                  Station("Reading", "3A", must_do=False), Station("Games", "3A", must_do=False),
                  Station("Reading", "3B"), Station("Games", "3B"),
                  Station("Reading", "3C"), Station("Games", "3C")),
        rules=(Rule("prefer_apart", ("S1", "S2"), row=2), Rule("prefer_together", ("S5", "S1"), row=3),
               Rule("away", ("S5",), days=("Mon",), start=t("09:00"), end=t("09:10"), note="speech", row=4)),
    )


# Where each group of 3A is, slot by slot: Mon 1-3, then Tue 1-3.
WEEK_3A = {1: ("Reading", "Teacher table", "Reading", "Teacher table", "Reading", "Games"),
           2: ("Teacher table", "Reading", "Games", "Games", "Reading", "Reading")}
GROUPS = {"3A": {1: ("S1", "S2", "S3", "S4"), 2: ("S5", "S6", "S7", "S8")},
          "3B": {1: ("T1", "T2"), 2: ("T3", "T4")},
          "3C": {1: ("U3", "U4"), 2: ("U1", "U2")}}
# Last week: the same groups (a move's words are the week's changes', in changes.py), and group 1 started
# Monday at Games.
PREVIOUS = Plan(
    groups=(PlannedGroup("3A", 1, "Otters", ("S1", "S2", "S3", "S4"), (None,) * 4),
            PlannedGroup("3A", 2, "Foxes", ("S5", "S6", "S7", "S8"), (None,) * 4)),
    visits=(Visit("3A", "Mon", 1, 1, "Games"),))


def plan() -> SolverPlan:
    visits = {(g, day, k): WEEK_3A[g][3 * d + k - 1] for g in (1, 2) for d, day in enumerate(("Mon", "Tue"))
              for k in (1, 2, 3)}
    return SolverPlan({c: ClassPlan({s: g for g, members in groups.items() for s in members},
                                    visits if c == "3A" else {})
                       for c, groups in GROUPS.items()})


@pytest.fixture(scope="module")
def planning() -> Planning:
    return build_instance(school(), PREVIOUS)


@pytest.fixture(scope="module")
def costs(planning: Planning) -> tuple[Cost, ...]:
    """The soft-rule costs the independent checker counts on the hand-made plan."""
    return check(planning.instance, plan()).costs


@pytest.fixture(scope="module")
def lines(planning: Planning, costs: tuple[Cost, ...]) -> dict[tuple[str, str, str], tuple[int, str]]:
    """(rule, who, when) -> (cost, detail) of each soft-rule line of the Checks sheet."""
    rows = checks(planning, Result("optimal", plan(), costs))
    return {(c.rule, c.who, c.when): (c.cost, c.detail) for c in rows if c.kind == "soft rule"}


WORDS = {
    ("need_spread", "3A group 1", ""): "group 1 mixes students from 12% to 55% need",
    ("need_spread", "3A group 2", ""): "group 2 mixes students from 70% to 90% need",
    ("prefer_apart", "S1, S2", ""): "Ana Lopez and Ben Kim preferred apart, but both in group 1",
    ("prefer_together", "S5, S1", ""): "Eve Poe and Ana Lopez preferred together, but in groups 2 and 1",
    ("away_at_teacher", "S5", "3A Mon slot 1"): "Eve Poe is out while group 2 is at Teacher table (Mon slot 1)",
    ("visits_by_need", "3A group 2", "3 a week"): "group 2 is at Teacher table once this week; it should be there "
                                                  "at least 3 times",
    ("visits_by_need", "3A group 1", "3 a week"): "group 1 is at Teacher table twice this week; it should be there "
                                                  "at least 3 times",
    **{("teacher_idle", "3A Teacher table", when): f"Teacher table stands empty on {when} while its adult is free "
                                                   "and groups are in the room"
       for when in ("Mon slot 3", "Tue slot 2", "Tue slot 3")},
    ("visits_in_need_order", "3A group 1", "more than group 2"): "group 1 is at Teacher table twice, more than "
                                                                 "group 2 (once), which needs more support",
    ("station_balance", "3A", "Tue slot 2"): "on Tue slot 2, Reading holds 2 groups while Teacher table and Games "
                                             "stand empty",
    ("repeat_in_day", "3A group 1", "Mon Reading"): "group 1 is at Reading twice on Mon",
    ("repeat_in_day", "3A group 2", "Tue Reading"): "group 2 is at Reading twice on Tue",
    ("filler_spread", "3A group 1", ""): "filler stations uneven for group 1: Reading 3 times, Games once",
    ("filler_spread", "3A group 2", ""): "filler stations uneven for group 2: Reading 3 times, Games twice",
    ("keep_visit", "3A group 1", "Mon slot 1"): "group 1 was at Games on Mon slot 1 in the previous plan; "
                                                 "now at Reading",
    ("mean_balance", "3B group 1", ""): "group 1's mean need is 20%; the class's is 45%",
    ("mean_balance", "3B group 2", ""): "group 2's mean need is 70%; the class's is 45%",
    ("flag_balance", "IEP", ""): "IEP students spread unevenly: group 1 has 2, group 2 has 0",
    ("skill_match", "U1", ""): "Mo Ali is in group 2 on Decimals (20% need) but needs Fractions most (80%)",
    ("no_data_spread", "3C", ""): "students without mastery data spread unevenly: group 1 has 2, group 2 has 0",
}


def test_every_soft_rule_with_words_is_costed_by_the_hand_made_plan(lines) -> None:
    # The plan is made so that each rule of the words' table costs something: the test below sees them all.
    assert {rule for rule, _, _ in lines} == set(details.DETAIL)


@pytest.mark.parametrize("key", WORDS, ids=lambda k: f"{k[0]} {k[1]}")
def test_each_soft_rule_line_says_what_it_means_for_that_group_or_student(lines, key) -> None:
    cost, words = lines[key]
    assert words == WORDS[key]
    assert cost > 0  # the cost keeps its own column


def test_the_lines_are_every_cost_the_checker_counts(lines, costs) -> None:
    # A line per cost: no two costs share a (rule, who, when) key, so that none hides another on the sheet.
    assert len(lines) == len(costs)
    assert {key: cost for key, (cost, _) in lines.items()} == {(c.rule, who(c), when(c)): c.cost for c in costs}
    assert set(lines) == set(WORDS)


def test_a_rule_without_its_own_words_says_the_rule_tables_sentence(monkeypatch) -> None:
    # A soft rule added to the table before its words (or a cost named in a way the words do not know).
    planning = build_instance(school(), PREVIOUS)
    seen = details.Seen(planning, plan())
    monkeypatch.delitem(details.DETAIL, "filler_spread")
    assert details.detail(Cost("filler_spread", 10, class_id="3A", groups=(1,)), seen) == RULE["filler_spread"].says
    assert details.detail(Cost("repeat_in_day", 20, class_id="3A", groups=(9,), day="Mon",
                                       station="Reading"), seen) == RULE["repeat_in_day"].says
    no_station = Cost("repeat_in_day", 20, class_id="3A", groups=(1,), day="Mon")
    assert details.detail(no_station, seen) == RULE["repeat_in_day"].says
    no_group = Cost("need_spread", 5, class_id="3A")
    assert details.detail(no_group, seen) == RULE["need_spread"].says
