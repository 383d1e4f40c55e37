"""For every hard rule, a hand-made plan that breaks only that rule, which the checker must name.

Each case is a tiny school written out by hand, one valid plan for it (also written by hand), and the
smallest edit of that plan that breaks the rule. No solver runs here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

import pytest

from solver.check import Violation, check
from solver.instance import (
    Adult,
    Away,
    Class,
    DevicePool,
    Instance,
    Slot,
    Station,
    Student,
    StudentRule,
    VisitLock,
    Window,
)
from solver.plan import ClassPlan, Plan
from solver.rules import RULES

HARD = [r.name for r in RULES if r.hard]


# --- a tiny school, by hand -----------------------------------------------------------------------

def _slots(start: int = 9 * 60) -> tuple[Slot, ...]:
    # Mon and Tue, two 15-minute rotations with a 2-minute change-over: 09:00-09:15 and 09:17-09:32.
    return tuple(Slot(day, k + 1, start + 17 * k, start + 17 * k + 15) for day in ("Mon", "Tue") for k in range(2))


def _class(cid: str = "3A", prefix: str = "S", teacher: str = "T1", start: int = 9 * 60, **changes: Any) -> Class:
    """Five students (1-3 needy, 4-5 not) in two groups of 2-3; a teacher table by need, online on the cart, a game."""
    students = tuple(Student(f"{prefix}{i}", need) for i, need in enumerate((900, 800, 700, 200, 100), start=1))
    stations = (Station("teacher", "teacher", staff=teacher, by_need=True),
                Station("online", "online", pool="carts"),
                Station("games", "collaborative"))
    cls = Class(cid, students, stations, _slots(start), groups=2, min_size=2, max_size=3, teacher=teacher)
    return replace(cls, **changes)


def _station(cls: Class, name: str, **changes: Any) -> Class:
    return replace(cls, stations=tuple(replace(st, **changes) if st.name == name else st for st in cls.stations))


def _school(*classes: Class, adults: tuple[Adult, ...] = (), count: int = 3) -> Instance:
    classes = classes or (_class(),)
    adults = adults or tuple(Adult(c.teacher or "", teaches=(c.id,)) for c in classes)
    return Instance(classes, adults, (DevicePool("carts", count, frozenset(c.id for c in classes)),))


# Group 1 (S1-S3, the neediest) and group 2 (S4-S5) take turns at the teacher table; online on Mon, games on Tue.
WEEK = {(1, "Mon", 1): "teacher", (2, "Mon", 1): "online",
        (1, "Mon", 2): "online", (2, "Mon", 2): "teacher",
        (1, "Tue", 1): "teacher", (2, "Tue", 1): "games",
        (1, "Tue", 2): "games", (2, "Tue", 2): "teacher"}
# The same turns at the teacher table, with games on Mon and online on Tue.
MIRROR = {(1, "Mon", 1): "teacher", (2, "Mon", 1): "games",
          (1, "Mon", 2): "games", (2, "Mon", 2): "teacher",
          (1, "Tue", 1): "teacher", (2, "Tue", 1): "online",
          (1, "Tue", 2): "online", (2, "Tue", 2): "teacher"}


def _teacher_at_every_slot(teacher: str) -> dict[tuple[str, int, str], tuple[str, ...]]:
    # Both plans have one group at the teacher table in each of the four slots.
    return {("Mon", 1, "teacher"): (teacher,), ("Mon", 2, "teacher"): (teacher,),
            ("Tue", 1, "teacher"): (teacher,), ("Tue", 2, "teacher"): (teacher,)}


def _class_plan(prefix: str = "S", teacher: str = "T1", visits: Mapping = WEEK,
                staffing: Mapping | None = None) -> ClassPlan:
    groups = {f"{prefix}1": 1, f"{prefix}2": 1, f"{prefix}3": 1, f"{prefix}4": 2, f"{prefix}5": 2}
    return ClassPlan(groups, dict(visits), {**_teacher_at_every_slot(teacher), **(staffing or {})})


def _edit(plan: Plan, cid: str = "3A", groups: Mapping | None = None, visits: Mapping | None = None,
          staffing: Mapping | None = None) -> Plan:
    """The plan with some entries of one class replaced (None: removed)."""
    cp = plan.classes[cid]

    def merged(old: Mapping, new: Mapping | None) -> dict:
        return {k: v for k, v in {**old, **(new or {})}.items() if v is not None}

    edited = ClassPlan(merged(cp.groups, groups), merged(cp.visits, visits), merged(cp.staffing, staffing))
    return Plan({**plan.classes, cid: edited})


class Break(NamedTuple):
    instance: Instance
    valid: Plan  # a hand-made plan that keeps every hard rule
    broken: Plan  # the smallest edit of it that breaks the case's rule
    said: tuple[Violation, ...]  # what the checker must say of it: who, where, when and the numbers


def _v(rule: str, class_id: str = "3A", **fields: Any) -> Violation:
    """A violation the checker should find (of class 3A unless said)."""
    return Violation(rule, class_id=class_id, **fields)


# --- the cases, one per hard rule -----------------------------------------------------------------

def _one_group() -> Break:
    valid = Plan({"3A": _class_plan()})
    return Break(_school(), valid, _edit(valid, groups={"S3": None}),  # S3 left out; 2 and 2 still fit
                 (_v("one_group", reason="no_group", students=("S3",)),))


def _group_size() -> Break:
    valid = Plan({"3A": _class_plan()})
    inst = _school(count=5)  # a cart for four at once, so only the sizes break
    return Break(inst, valid, _edit(valid, groups={"S4": 1}),  # 4 and 1, sizes 2-3
                 (_v("group_size", reason="too_big", groups=(1,), asked=3, have=4),
                  _v("group_size", reason="too_small", groups=(2,), asked=2, have=1)))


def _apart() -> Break:
    inst = _school(_class(rules=(StudentRule("apart", "apart row 2", ("S1", "S4")),)))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, groups={"S3": 2, "S4": 1}),  # swap S3, S4
                 (_v("apart", label="apart row 2", students=("S1", "S4"), groups=(1,)),))


def _together() -> Break:
    inst = _school(_class(rules=(StudentRule("together", "together row 3", ("S1", "S2")),)))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, groups={"S2": 2, "S4": 1}),
                 (_v("together", label="together row 3", students=("S1", "S2")),))


def _group() -> Break:
    inst = _school(_class(rules=(StudentRule("group", "S5 in group 2", ("S5",), group=2),)))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, groups={"S3": 2, "S5": 1}),
                 (_v("group", label="S5 in group 2", students=("S5",), groups=(1,), asked=2),))


def _student_lock() -> Break:
    inst = _school(_class(student_locks={"S4": 2}))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, groups={"S3": 2, "S4": 1}),
                 (_v("student_lock", students=("S4",), groups=(1,), asked=2),))


def _group_fits_station() -> Break:
    # Groups of 1-4 are allowed, but the teacher table (which every group visits) seats 3.
    inst = _school(_station(_class(min_size=1, max_size=4), "teacher", capacity=3), count=5)
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, groups={"S4": 1}),
                 (_v("group_fits_station", stations=("teacher",), groups=(1,), asked=3, have=4),))


def _one_station() -> Break:
    valid = Plan({"3A": _class_plan()})
    return Break(_school(), valid, _edit(valid, visits={(2, "Tue", 1): None}),
                 (_v("one_station", reason="no_station", groups=(2,), day="Tue", slot=1),))


def _one_group_at_staffed() -> Break:
    valid = Plan({"3A": _class_plan()})
    return Break(_school(), valid, _edit(valid, visits={(2, "Mon", 1): "teacher"}),
                 (_v("one_group_at_staffed", stations=("teacher",), groups=(1, 2), day="Mon", slot=1),))


def _must_do() -> Break:
    inst = _school(_station(_class(), "teacher", must_do=True, by_need=False))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, visits={(2, "Tue", 2): "online"}),
                 (_v("must_do", stations=("teacher",), groups=(2,), day="Tue"),))


def _visits() -> Break:
    inst = _school(_station(_class(), "online", visits=1))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, visits={(1, "Tue", 2): "online"}),
                 (_v("visits", stations=("online",), groups=(1,), asked=1, have=2),))


def _needs() -> Break:
    rule = StudentRule("needs", "S4 at teacher twice", ("S4",), station="teacher", count=2)
    inst = _school(_class(rules=(rule,)))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, visits={(2, "Tue", 2): "online"}),
                 (_v("needs", label="S4 at teacher twice", students=("S4",), stations=("teacher",), asked=2, have=1),))


def _seats() -> Break:
    inst = _school(_station(_class(), "games", capacity=3))  # a filler: no group must fit it
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, visits={(1, "Tue", 1): "games"}),  # 3 + 2 there
                 (_v("seats", stations=("games",), day="Tue", slot=1, asked=3, have=5),))


def _devices() -> Break:
    # Two classes at the same time share a cart of 3: 3A is online on Mon, 3B on Tue.
    inst = _school(_class(), _class("3B", "B", "T2"))
    valid = Plan({"3A": _class_plan(), "3B": _class_plan("B", "T2", MIRROR)})
    return Break(inst, valid, _edit(valid, "3B", visits={(2, "Mon", 1): "online"}),  # 2 + 2 at 09:00
                 (_v("devices", "", pool="carts", day="Mon", time=9 * 60, asked=3, have=4),))


def _adult_available() -> Break:
    # Online needs an interventionist: I1 is always free, I2 only on Tuesday.
    inst = _school(_station(_class(), "online", role="interventionist"),
                   adults=(Adult("T1", teaches=("3A",)), Adult("I1", role="interventionist"),
                           Adult("I2", role="interventionist", available=(Window("Tue", 9 * 60, 10 * 60),))))
    valid = Plan({"3A": _class_plan(staffing={("Mon", 1, "online"): ("I1",), ("Mon", 2, "online"): ("I1",)})})
    return Break(inst, valid, _edit(valid, staffing={("Mon", 1, "online"): ("I2",)}),
                 (_v("adult_available", reason="cannot_work", adults=("I2",), stations=("online",), day="Mon",
                     slot=1),))


def _adult_one_place() -> Break:
    # Both classes play games at the same times on Tue, each with its own interventionist.
    a = _station(_class(), "games", role="interventionist")
    b = _station(_class("3B", "B", "T2"), "games", role="interventionist")
    adults = (Adult("T1", teaches=("3A",)), Adult("T2", teaches=("3B",)),
              Adult("I1", role="interventionist"), Adult("I2", role="interventionist"))
    inst = _school(a, b, adults=adults, count=10)
    valid = Plan({"3A": _class_plan(staffing={("Tue", 1, "games"): ("I1",), ("Tue", 2, "games"): ("I1",)}),
                  "3B": _class_plan("B", "T2", staffing={("Tue", 1, "games"): ("I2",), ("Tue", 2, "games"): ("I2",)})})
    return Break(inst, valid, _edit(valid, "3B", staffing={("Tue", 1, "games"): ("I1",)}),
                 (_v("adult_one_place", "", adults=("I1",), classes=("3A", "3B"), stations=("games", "games"),
                     day="Tue"),))


def _visit_lock() -> Break:
    inst = _school(_class(visit_locks=(VisitLock("Mon", 1, 1, "teacher"),)))
    valid = Plan({"3A": _class_plan()})
    return Break(inst, valid, _edit(valid, visits={(1, "Mon", 1): "games"}),
                 (_v("visit_lock", stations=("teacher",), groups=(1,), day="Mon", slot=1),))


BREAKS: dict[str, Callable[[], Break]] = {
    "one_group": _one_group,
    "group_size": _group_size,
    "apart": _apart,
    "together": _together,
    "group": _group,
    "student_lock": _student_lock,
    "group_fits_station": _group_fits_station,
    "one_station": _one_station,
    "one_group_at_staffed": _one_group_at_staffed,
    "must_do": _must_do,
    "visits": _visits,
    "needs": _needs,
    "seats": _seats,
    "devices": _devices,
    "adult_available": _adult_available,
    "adult_one_place": _adult_one_place,
    "visit_lock": _visit_lock,
}


def _case(rule: str) -> Break:
    if rule not in BREAKS:
        pytest.fail(f"hard rule {rule!r} is in RULES but has no hand-made break in BREAKS: add one")
    return BREAKS[rule]()


# --- the tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule", HARD)
def test_the_hand_made_plan_keeps_every_hard_rule(rule):
    # A break only means something if the plan it was made from was sound.
    case = _case(rule)
    assert check(case.instance, case.valid).violations == ()


@pytest.mark.parametrize("rule", HARD)
def test_the_checker_names_exactly_the_broken_rule(rule):
    case = _case(rule)
    report = check(case.instance, case.broken)
    assert {v.rule for v in report.violations} == {rule}, report.violations
    # The teacher is told who, where, when and how far off, each problem once, and in which class (adults and
    # device pools are shared across classes, so theirs name none).
    assert report.violations == case.said
    assert {v.class_id for v in case.said} == ({""} if rule in ("adult_one_place", "devices") else {"3A"})


def test_every_break_is_for_a_hard_rule():
    # A rule dropped from the table, or made soft, leaves no stale case behind.
    assert set(BREAKS) <= set(HARD)


# --- semantics the cases above rest on ------------------------------------------------------------

def test_a_pool_counts_a_class_it_does_not_list():
    # The cart's count holds at every overlapping time, whichever classes the school wrote beside it.
    case = _devices()
    only_3a = replace(case.instance, pools=(DevicePool("carts", 3, frozenset({"3A"})),))
    assert check(only_3a, case.valid).ok
    assert {v.rule for v in check(only_3a, case.broken).violations} == {"devices"}


def test_a_cart_is_free_again_once_the_other_class_has_finished():
    # 3B starts the minute 3A's last rotation ends: both may use all three devices.
    case = _devices()
    later = replace(case.instance, classes=(case.instance.classes[0], _class("3B", "B", "T2", start=9 * 60 + 32)))
    assert check(later, case.broken).ok


def _interventionist(*windows: Window) -> Break:
    case = _adult_available()
    adults = tuple(Adult("I2", role="interventionist", available=windows) if a.id == "I2" else a
                   for a in case.instance.adults)
    return case._replace(instance=replace(case.instance, adults=adults))


def test_back_to_back_availability_windows_cover_a_slot():
    # Mon 09:00-09:10 and 09:10-09:40 together cover the 09:00-09:15 slot.
    case = _interventionist(Window("Mon", 9 * 60, 9 * 60 + 10), Window("Mon", 9 * 60 + 10, 9 * 60 + 40))
    assert check(case.instance, case.broken).ok


def test_a_one_minute_gap_in_availability_leaves_the_slot_unstaffed():
    case = _interventionist(Window("Mon", 9 * 60, 9 * 60 + 10), Window("Mon", 9 * 60 + 11, 9 * 60 + 40))
    violations = check(case.instance, case.broken).violations
    assert [(v.rule, v.adults) for v in violations] == [("adult_available", ("I2",))]


def test_an_adult_leading_their_own_class_cannot_staff_another():
    # T2 leads 3B at 09:00 Monday (a co-teacher, C2, runs its teacher table), so cannot run 3A's online then.
    case = _adult_available()
    t2 = Adult("T2", role="interventionist", teaches=("3B",))
    inst = replace(case.instance, classes=(*case.instance.classes, _station(_class("3B", "B", "T2"), "teacher",
                                                                            staff="C2")),
                   adults=(*case.instance.adults, t2))
    b = _class_plan("B", "C2", MIRROR)
    assert check(inst, Plan({**case.valid.classes, "3B": b})).ok
    broken = _edit(Plan({**case.valid.classes, "3B": b}), staffing={("Mon", 1, "online"): ("T2",)})
    violations = check(inst, broken).violations
    assert [(v.rule, v.adults) for v in violations] == [("adult_available", ("T2",))]


def test_an_adult_may_go_straight_from_one_class_to_the_next():
    # 3B's first rotation starts at 09:32, the minute 3A's last one ends: I1 can do both.
    case = _adult_one_place()
    a, b = case.instance.classes
    later = replace(case.instance, classes=(a, replace(b, slots=_slots(9 * 60 + 32))))
    assert check(later, case.broken).ok
    sooner = replace(case.instance, classes=(a, replace(b, slots=_slots(9 * 60 + 31))))  # one minute of overlap
    assert {v.rule for v in check(sooner, case.broken).violations} == {"adult_one_place"}


# --- costs, worked by hand ------------------------------------------------------------------------

def test_a_student_away_all_day_costs_nothing_at_the_teacher_table():
    # S4 is out for the whole of Monday's block: moving group 2's teacher time could not help.
    whole_day = _school(_class(away=(Away("speech", "S4", "Mon", 9 * 60, 9 * 60 + 40),)))
    report = check(whole_day, Plan({"3A": _class_plan()}))
    assert report.ok and "away_at_teacher" not in report.cost_by_rule()


def test_a_student_away_for_one_slot_costs_at_the_teacher_table():
    # S4 is out for Monday's second slot, when group 2 is at the teacher: 1 student x 1000.
    one_slot = _school(_class(away=(Away("speech", "S4", "Mon", 9 * 60 + 17, 9 * 60 + 32),)))
    report = check(one_slot, Plan({"3A": _class_plan()}))
    assert report.ok and report.cost_by_rule()["away_at_teacher"] == 1000


def test_a_pull_out_starting_as_the_slot_ends_costs_nothing():
    # S4 leaves at 09:32, the minute group 2's teacher time on Monday ends.
    after = _school(_class(away=(Away("speech", "S4", "Mon", 9 * 60 + 32, 9 * 60 + 40),)))
    report = check(after, Plan({"3A": _class_plan()}))
    assert report.ok and "away_at_teacher" not in report.cost_by_rule()


def _five_days_four_groups(needs: tuple[int, ...]) -> tuple[Instance, Plan]:
    """Nine students in four groups; the teacher table by need and a game; three slots a day, Mon-Fri."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri")
    slots = tuple(Slot(d, k + 1, 540 + 17 * k, 555 + 17 * k) for d in days for k in range(3))
    students = tuple(Student(f"S{i}", need) for i, need in enumerate(needs, start=1))
    cls = Class("3A", students, (Station("teacher", "teacher", staff="T1", by_need=True), Station("games")),
                slots, groups=4, min_size=2, max_size=3, teacher="T1")
    groups = {"S1": 1, "S2": 1, "S9": 1, "S3": 2, "S4": 2, "S5": 3, "S6": 3, "S7": 4, "S8": 4}
    # Who is at the teacher table, slot by slot: group 1 five times, 2 four, 3 three, 4 twice.
    at_teacher = {"Mon": (1, 2, 3), "Tue": (1, 2, 4), "Wed": (1, 2, 3), "Thu": (1, 2, 4), "Fri": (1, 3, None)}
    visits = {(g, d, k + 1): "teacher" if at_teacher[d][k] == g else "games"
              for g in range(1, 5) for d in days for k in range(3)}
    staffing = {(d, k + 1, "teacher"): ("T1",) for d in days for k in range(3) if at_teacher[d][k]}
    return Instance((cls,), (Adult("T1", teaches=("3A",)),)), Plan({"3A": ClassPlan(groups, visits, staffing)})


def _by_rule(report, rule: str) -> dict[tuple, int]:
    """Each of the rule's costs in 3A by what it is about (the fields it fills): groups, visits asked, station, slot."""
    assert all(c.class_id == "3A" for c in report.costs if c.rule == rule)
    return {tuple(v for v in (c.groups, c.asked, c.station, c.day, c.slot) if v): c.cost
            for c in report.costs if c.rule == rule}


def test_teacher_visits_are_costed_against_groups_ranked_by_mean_need():
    # Means: g1 (100, 200, 600) 300, g2 (800, 900) 850, g3 (500, 500) 500, g4 (300, 400) 350.
    # The table is open 15 slots: targets 5, 4, 3, 2 and the spare slot to the neediest -> 6, 4, 3, 2.
    # Ranked g2, g3, g4, g1; visits 4, 3, 2, 5 -> short 2, 1, 1, 0: 100 * (4 + 1 + 1) = 600.
    # g1, the least needy, is 1, 2 and 3 visits ahead of g2, g3 and g4: 200 * 6 = 1200.
    # (Ranked by total need, g1 (900) would beat g4 (700): short 2, 1 -> 500, g1 ahead of g2 and g3 -> 600.)
    inst, plan = _five_days_four_groups((100, 200, 800, 900, 500, 500, 300, 400, 600))
    report = check(inst, plan)
    assert report.ok
    assert _by_rule(report, "visits_by_need") == {((2,), 6, "teacher"): 400, ((3,), 4, "teacher"): 100,
                                                   ((4,), 3, "teacher"): 100}
    assert _by_rule(report, "visits_in_need_order") == {((1, 2), "teacher"): 200, ((1, 3), "teacher"): 400,
                                                         ((1, 4), "teacher"): 600}


def test_groups_of_equal_need_are_ranked_by_number():
    # All needs equal: ranked g1, g2, g3, g4 -> targets 6, 4, 3, 2; visits 5, 4, 3, 2: g1 is one short, in order.
    inst, plan = _five_days_four_groups((500,) * 9)
    report = check(inst, plan)
    assert report.ok
    assert _by_rule(report, "visits_by_need") == {((1,), 6, "teacher"): 100}
    assert "visits_in_need_order" not in report.cost_by_rule()


def test_a_teacher_table_left_empty_while_the_teacher_is_free_costs_that_slot():
    # Friday's last slot has nobody at the teacher table, all four groups at the game.
    inst, plan = _five_days_four_groups((500,) * 9)
    assert _by_rule(check(inst, plan), "teacher_idle") == {("teacher", "Fri", 3): 500}


def test_a_teacher_who_is_out_leaves_no_idle_table_and_no_spare_slot():
    # T1 leaves at 09:33 on Friday: the table cannot open Fri slot 3, so nothing idles and the targets stay
    # 5, 4, 3, 2, exactly the visits.
    inst, plan = _five_days_four_groups((500,) * 9)
    days = ("Mon", "Tue", "Wed", "Thu")
    hours = (*(Window(d, 8 * 60, 12 * 60) for d in days), Window("Fri", 8 * 60, 9 * 60 + 33))
    report = check(replace(inst, adults=(Adult("T1", teaches=("3A",), available=hours),)), plan)
    assert report.ok
    assert not {"teacher_idle", "visits_by_need", "visits_in_need_order"} & set(report.cost_by_rule())


def test_a_teacher_table_with_all_its_groups_away_is_not_idle():
    # Everyone is out for Friday's last slot: no group could sit at the table then.
    inst, plan = _five_days_four_groups((500,) * 9)
    cls = inst.classes[0]
    away = tuple(Away("assembly", s.id, "Fri", 9 * 60 + 34, 9 * 60 + 49) for s in cls.students)
    report = check(replace(inst, classes=(replace(cls, away=away),)), plan)
    assert report.ok and "teacher_idle" not in report.cost_by_rule()


def _table_taken_elsewhere(elsewhere: str) -> tuple[Instance, Plan]:
    """3A and 3B at the same time, Monday 09:00-09:15, two groups of two each. 3A's `by need` table is worked by the
    interventionist and holds its two students' laptops from a cart of 3; both 3A groups are at games. In 3B, the
    interventionist works the check-in table ("adult"), or a group of 2 uses the cart ("devices"), or neither."""
    slot = (Slot("Mon", 1, 540, 555),)
    a = Class("3A", tuple(Student(f"A{i}", 500) for i in range(1, 5)),
              (Station("table", "teacher", role="interventionist", by_need=True, pool="cart"), Station("games")),
              slot, groups=2, min_size=2, max_size=2)
    b = Class("3B", tuple(Student(f"B{i}", 500) for i in range(1, 5)),
              (Station("check-in", "teacher", role="interventionist"), Station("online", pool="cart"),
               Station("games")), slot, groups=2, min_size=2, max_size=2)
    b_station = {"adult": "check-in", "devices": "online"}.get(elsewhere, "games")
    both_at_games = {(1, "Mon", 1): "games", (2, "Mon", 1): "games"}
    plan = Plan({"3A": ClassPlan({"A1": 1, "A2": 1, "A3": 2, "A4": 2}, both_at_games),
                 "3B": ClassPlan({"B1": 1, "B2": 1, "B3": 2, "B4": 2},
                                 {(1, "Mon", 1): b_station, (2, "Mon", 1): "games"},
                                 {("Mon", 1, "check-in"): ("I1",)} if elsewhere == "adult" else {})})
    return Instance((a, b), (Adult("I1", role="interventionist"),), (DevicePool("cart", 3),)), plan


@pytest.mark.parametrize("elsewhere", ["adult", "devices"])
def test_a_table_whose_adult_or_devices_are_taken_in_another_class_is_not_idle(elsewhere):
    # The interventionist is in 3B, or 3B holds 2 of the cart's 3 laptops: no 3A group could sit at the table.
    inst, plan = _table_taken_elsewhere(elsewhere)
    report = check(inst, plan)
    assert report.ok, report.violations
    assert "teacher_idle" not in report.cost_by_rule()


def test_a_table_whose_adult_and_devices_are_free_is_idle():
    inst, plan = _table_taken_elsewhere("neither")
    assert _by_rule(check(inst, plan), "teacher_idle") == {("table", "Mon", 1): 500}


def _one_slot(at: tuple[str, str, str]) -> tuple[Instance, Plan]:
    """Three groups of two, one slot, four stations: the teacher table, games, reading and a cart of two;
    group g at at[g - 1]."""
    students = tuple(Student(f"S{i}", 500) for i in range(1, 7))
    stations = (Station("teacher", "teacher", staff="T1"), Station("games"), Station("reading"),
                Station("online", pool="carts"))
    cls = Class("3A", students, stations, (Slot("Mon", 1, 540, 555),), groups=3, min_size=2, max_size=2, teacher="T1")
    groups = {"S1": 1, "S2": 1, "S3": 2, "S4": 2, "S5": 3, "S6": 3}
    visits = {(g, "Mon", 1): st for g, st in enumerate(at, start=1)}
    staffing = {("Mon", 1, "teacher"): ("T1",)} if "teacher" in at else {}
    return (Instance((cls,), (Adult("T1", teaches=("3A",)),), (DevicePool("carts", 2),)),
            Plan({"3A": ClassPlan(groups, visits, staffing)}))


def test_groups_crowded_at_one_station_while_others_stand_empty_cost_per_group_that_could_move():
    # All three groups at games; the teacher table, reading and the cart stand empty: two groups could move.
    inst, plan = _one_slot(("games", "games", "games"))
    assert _by_rule(check(inst, plan), "station_balance") == {("Mon", 1): 60}
    # Two at games, one at reading: one could move (to the teacher table or the cart).
    inst, plan = _one_slot(("games", "games", "reading"))
    assert _by_rule(check(inst, plan), "station_balance") == {("Mon", 1): 30}
    # One a station: nothing crowded.
    inst, plan = _one_slot(("games", "teacher", "reading"))
    assert "station_balance" not in check(inst, plan).cost_by_rule()


def test_only_an_empty_station_that_could_take_a_group_counts():
    # Two groups at games, one at reading, the teacher table and the cart empty.
    inst, plan = _one_slot(("games", "games", "reading"))
    cls = inst.classes[0]
    teacher_out = (Adult("T1", teaches=("3A",), available=(Window("Tue", 540, 600),)),)

    def crowding(**changes: Any) -> dict[tuple, int]:
        return _by_rule(check(replace(inst, adults=teacher_out, **changes), plan), "station_balance")

    def online(**changes: Any) -> tuple[Class]:
        return (replace(cls, stations=tuple(replace(st, **changes) if st.name == "online" else st
                                            for st in cls.stations)),)

    assert crowding() == {("Mon", 1): 30}  # the teacher is out, the cart could take a group
    assert crowding(pools=(DevicePool("carts", 1),)) == {}  # one device: no group of two fits
    assert crowding(classes=online(capacity=1)) == {}  # one seat
    # A station with a set number of visits stands empty in the other slots by the teacher's own rule.
    assert crowding(classes=online(visits=1)) == {}


def test_an_adult_leading_their_class_on_another_day_may_staff_this_one():
    # T2 leads 3B on Tuesdays only: at 09:00 on Monday T2 is free to run 3A's station.
    case = _adult_available()
    t2 = Adult("T2", role="interventionist", teaches=("3B",))
    tuesday = replace(_class("3B", "B", "T2"), slots=tuple(s for s in _slots() if s.day == "Tue"))
    inst = replace(case.instance, classes=(*case.instance.classes, tuesday),
                   adults=(*(a for a in case.instance.adults if a.id != "T2"), t2))
    staffing = {key: ("T2",) if key[0] == "Mon" and key[2] == "online" else adults
                for key, adults in case.valid.classes["3A"].staffing.items()}
    assert ("T2",) in staffing.values()
    plan = replace(case.valid, classes={**case.valid.classes,
                                        "3A": replace(case.valid.classes["3A"], staffing=staffing)})
    assert not [v for v in check(inst, plan).violations if v.rule == "adult_available"]


@pytest.mark.parametrize("start", [8 * 60 + 28, 9 * 60 + 32], ids=["ends as 3A begins", "begins as 3A ends"])
def test_an_adult_whose_own_class_only_touches_the_slot_may_staff_it(start):
    # T2 leads 3B on Monday from 08:28 to 09:00, or from 09:32: either way free for 3A's 09:00-09:32 rotations.
    case = _adult_available()
    t2 = Adult("T2", role="interventionist", teaches=("3B",))
    touching = replace(_class("3B", "B", "T2", start=start), slots=tuple(s for s in _slots(start) if s.day == "Mon"))
    inst = replace(case.instance, classes=(*case.instance.classes, touching),
                   adults=(*(a for a in case.instance.adults if a.id != "T2"), t2))
    staffing = {key: ("T2",) if key[0] == "Mon" and key[2] == "online" else adults
                for key, adults in case.valid.classes["3A"].staffing.items()}
    assert ("T2",) in staffing.values()
    plan = replace(case.valid, classes={**case.valid.classes,
                                        "3A": replace(case.valid.classes["3A"], staffing=staffing)})
    assert not [v for v in check(inst, plan).violations if v.rule == "adult_available"]


def _violations(instance: Instance, plan: Plan) -> list[Violation]:
    return list(check(instance, plan).violations)


def test_a_group_at_a_station_the_class_does_not_have_is_named():
    valid = Plan({"3A": _class_plan()})
    broken = _edit(valid, visits={(1, "Mon", 1): "gym"})
    assert _violations(_school(), broken) == [_v("one_station", reason="unknown_station", groups=(1,),
                                                 stations=("gym",))]


@pytest.mark.parametrize("adult", ["I1", "X9"], ids=["another adult", "an adult not on staff"])
def test_only_the_adult_a_station_names_may_run_it(adult):
    inst = _school(adults=(Adult("T1", teaches=("3A",)), Adult("I1", role="interventionist")))
    key = next(k for k in _class_plan().staffing if k[2] == "teacher")
    broken = _edit(Plan({"3A": _class_plan()}), staffing={key: (adult,)})
    assert _violations(inst, broken) == [_v("adult_available", reason="cannot_work", adults=(adult,),
                                            stations=("teacher",), day=key[0], slot=key[1])]


@pytest.mark.parametrize("adult", ["P1", "X9"], ids=["an adult of another role", "an adult not on staff"])
def test_a_station_for_a_role_is_run_only_by_an_adult_with_that_role(adult):
    case = _adult_available()
    inst = replace(case.instance, adults=(*case.instance.adults, Adult("P1", role="para")))
    broken = _edit(case.valid, staffing={("Mon", 1, "online"): (adult,)})
    assert _violations(inst, broken) == [_v("adult_available", reason="cannot_work", adults=(adult,),
                                            stations=("online",), day="Mon", slot=1)]


@pytest.mark.parametrize(("groups", "said"), [
    ({"X9": 1}, _v("one_group", reason="stranger", students=("X9",))),
    ({"S5": 3}, _v("one_group", reason="no_such_group", students=("S5",), groups=(3,), have=2)),
], ids=["a stranger", "a group the class lacks"])
def test_a_plan_placing_a_student_wrongly_is_named(groups, said):
    broken = _edit(Plan({"3A": _class_plan()}), groups=groups)
    assert said in _violations(_school(), broken)


@pytest.mark.parametrize("adults", [(), ("I1", "I2")], ids=["nobody", "two adults"])
def test_a_staffed_station_needs_exactly_one_adult(adults):
    case = _adult_available()
    broken = _edit(case.valid, staffing={("Mon", 1, "online"): adults})
    assert _violations(case.instance, broken) == [
        _v("adult_available", reason="one_adult", stations=("online",), day="Mon", slot=1, asked=1, have=len(adults))]


def test_must_dos_are_checked_whatever_the_order_of_the_stations():
    # A mirror listed first must not end the check: games is a must-do, and group 1 plays only on Tuesday.
    base = _class()
    stations = (Station("online 2", "online", pool="carts", mirror_of="online"),
                *(replace(st, must_do=True) if st.name == "games" else st for st in base.stations))
    inst = _school(replace(base, stations=stations))
    assert _violations(inst, Plan({"3A": _class_plan()})) == [
        _v("must_do", stations=("games",), groups=(g,), day="Mon") for g in (1, 2)]


def test_a_needs_rule_counts_only_visits_while_the_student_is_in_class():
    # S1's group plays games once, on Tuesday slot 2; S1 is out then, so S1 has not been there at all.
    needs = StudentRule("needs", "needs S1 at games 1", ("S1",), station="games", count=1)
    present = _school(_class(rules=(needs,)))
    assert check(present, Plan({"3A": _class_plan()})).ok
    away = _school(_class(rules=(needs,), away=(Away("speech", "S1", "Tue", 9 * 60 + 17, 9 * 60 + 32),)))
    assert _violations(away, Plan({"3A": _class_plan()})) == [
        _v("needs", label="needs S1 at games 1", students=("S1",), stations=("games",), asked=1, have=0)]


def test_a_needs_rule_without_a_count_asks_for_nothing():
    needs = StudentRule("needs", "needs S1 at games", ("S1",), station="games")
    away = _school(_class(rules=(needs,), away=(Away("speech", "S1", "Tue", 9 * 60 + 17, 9 * 60 + 32),)))
    assert check(away, Plan({"3A": _class_plan()})).ok


def test_a_plan_missing_a_whole_class_is_named():
    inst = _school(_class(), _class("3B", "B", "T2", start=13 * 60),
                   adults=(Adult("T1", teaches=("3A",)), Adult("T2", teaches=("3B",))))
    assert _violations(inst, Plan({"3A": _class_plan()})) == [_v("one_group", "3B", reason="no_plan")]


def _games_for_three(*copies: Station) -> Instance:
    # Games is a must-do that group 1 (three students) plays on Tuesday; `copies` are its stations.
    base = _class()
    stations = (*(st for st in base.stations if st.name != "games"), *copies)
    return _school(replace(base, stations=stations))


@pytest.mark.parametrize(("copies", "fits"), [
    ((Station("games", capacity=2, must_do=True),), False),
    ((Station("games", capacity=3, visits=1),), True),
    ((Station("games", capacity=2, visits=1),), False),
    ((Station("games", capacity=2, visits=1), Station("games 2", capacity=3, mirror_of="games")), True),
    ((Station("games", capacity=2, visits=1), Station("games 2", mirror_of="games")), True),
], ids=["a must-do too small", "exactly as big", "too small", "a roomier copy", "a copy without a limit"])
def test_a_group_must_fit_the_roomiest_copy_of_a_station_every_group_visits(copies, fits):
    rules = {v.rule for v in check(_games_for_three(*copies), Plan({"3A": _class_plan()})).violations}
    assert ("group_fits_station" not in rules) == fits, rules


@pytest.mark.parametrize(("start", "end"), [(8 * 60 + 45, 9 * 60 + 17), (9 * 60 + 32, 9 * 60 + 45)],
                         ids=["ends as the slot begins", "begins as the slot ends"])
def test_a_pull_out_that_only_touches_a_slot_keeps_the_student_in_class(start, end):
    # S1 needs games once and plays on Tuesday slot 2 (09:17-09:32): a pull-out touching it costs nothing.
    needs = StudentRule("needs", "needs S1 at games 1", ("S1",), station="games", count=1)
    inst = _school(_class(rules=(needs,), away=(Away("speech", "S1", "Tue", start, end),)))
    # The first window overlaps slot 1 wholly and only touches slot 2's start.
    assert check(inst, Plan({"3A": _class_plan()})).ok


def test_a_group_with_nobody_in_the_room_is_at_no_station_and_needs_no_adult():
    # Group 2 (S4, S5) is out on Monday slot 2, when the plan had it at the teacher table: no station, no adult.
    away = tuple(Away("trip", s, "Mon", 9 * 60 + 17, 9 * 60 + 32) for s in ("S4", "S5"))
    inst = _school(_class(away=away))
    plan = _edit(Plan({"3A": _class_plan()}), visits={(2, "Mon", 2): None}, staffing={("Mon", 2, "teacher"): None})
    assert check(inst, plan).ok
    one_left = _school(_class(away=away[:1]))
    assert _violations(one_left, plan) == [_v("one_station", reason="no_station", groups=(2,), day="Mon", slot=2)]


def test_a_visit_kept_for_a_group_with_nobody_in_the_room_counts_for_nothing():
    # Group 2 is all out on Monday slot 2 yet left at the teacher table with group 1: only group 1 is there.
    away = tuple(Away("trip", s, "Mon", 9 * 60 + 17, 9 * 60 + 32) for s in ("S4", "S5"))
    plan = _edit(Plan({"3A": _class_plan()}), visits={(1, "Mon", 2): "teacher"})
    assert check(_school(_class(away=away)), plan).ok
    assert "one_group_at_staffed" in {v.rule for v in check(_school(), plan).violations}


def test_every_class_is_checked_after_one_missing_from_the_plan():
    inst = _school(_class(), _class("3B", "B", "T2", start=13 * 60),
                   adults=(Adult("T1", teaches=("3A",)), Adult("T2", teaches=("3B",))))
    lost = _class_plan("B", "T2")
    lost = ClassPlan({s: g for s, g in lost.groups.items() if s != "B5"}, lost.visits, lost.staffing)
    assert _violations(inst, Plan({"3B": lost})) == [
        _v("one_group", reason="no_plan"), _v("one_group", "3B", reason="no_group", students=("B5",)),
        _v("group_size", "3B", reason="too_small", groups=(2,), asked=2, have=1)]


def test_a_group_away_all_day_owes_no_must_do_that_day():
    # Group 2 (S4, S5) is out all Monday: only group 1 must still play games on Monday.
    away = tuple(Away("trip", s, "Mon", 8 * 60, 10 * 60) for s in ("S4", "S5"))
    inst = _school(_station(_class(away=away), "games", must_do=True))
    plan = _edit(Plan({"3A": _class_plan()}), visits={(2, "Mon", 1): None, (2, "Mon", 2): None},
                 staffing={("Mon", 2, "teacher"): None})
    assert _violations(inst, plan) == [_v("must_do", stations=("games",), groups=(1,), day="Mon")]


def test_a_staffed_station_with_no_staffing_at_all_is_named():
    case = _adult_available()
    broken = _edit(case.valid, staffing={("Mon", 1, "online"): None})
    assert _violations(case.instance, broken) == [
        _v("adult_available", reason="one_adult", stations=("online",), day="Mon", slot=1, asked=1, have=0)]


def test_adults_shared_by_the_other_classes_are_checked_when_one_class_is_missing():
    case = _adult_one_place()
    absent = _class("3C", "C", "T3", start=13 * 60)
    inst = replace(case.instance, classes=(absent, *case.instance.classes),
                   adults=(*case.instance.adults, Adult("T3", teaches=("3C",))))
    rules = [v.rule for v in _violations(inst, case.broken)]
    assert rules == ["one_group", "adult_one_place"]


def test_a_stray_staffing_entry_hides_no_double_booking():
    # An entry for a slot 3B does not have (say, left over from last term) comes first; I1 is still double-booked.
    case = _adult_one_place()
    cp = case.broken.classes["3B"]
    stray = ClassPlan(cp.groups, cp.visits, {("Sat", 9, "games"): ("I1",), **cp.staffing})
    rules = {v.rule for v in check(case.instance, replace(case.broken, classes={**case.broken.classes, "3B": stray}))
             .violations}
    assert rules == {"adult_one_place"}


def test_an_over_used_pool_is_named_at_each_time_it_is_over():
    case = _devices()
    assert _violations(case.instance, case.broken) == list(case.said)
    both = _edit(case.broken, "3B", visits={(1, "Mon", 2): "online"})  # groups of 3 at 09:17 too
    assert _violations(case.instance, both) == [
        *case.said, _v("devices", "", pool="carts", day="Mon", time=9 * 60 + 17, asked=3, have=6)]


def test_an_adult_may_go_straight_to_a_class_listed_before_the_one_just_left():
    # 3B, listed second, ends its first rotation at 09:00, as 3A (listed first) begins: I1 can do both.
    case = _adult_one_place()
    a, b = case.instance.classes
    earlier = replace(case.instance, classes=(a, replace(b, slots=_slots(8 * 60 + 45))))
    assert check(earlier, case.broken).ok


def test_a_pool_nobody_uses_is_no_problem():
    inst = replace(_school(), pools=(*_school().pools, DevicePool("iPads", 5)))
    assert check(inst, Plan({"3A": _class_plan()})).ok
