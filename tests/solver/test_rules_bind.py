"""Every rule of solver/rules.py binds: for each, a tiny instance where switching the rule off in the model
changes the plan. A hard rule switched off lets the independent checker catch a broken plan; a soft rule
switched off leaves a plan that the checker finds costlier on that rule. A rule added to the table
without a case here fails the walk over the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from solver import check as check_module
from solver import grouping, model, rotation, rules
from solver.check import CHECKS, COSTS, check
from solver.instance import (
    Adult,
    Away,
    Class,
    DevicePool,
    Instance,
    Previous,
    Station,
    Student,
    StudentRule,
    VisitLock,
    Window,
)
from solver.plan import Result
from solver.rules import RULES, RuleInfo
from solver.solve import solve
from tests.solver.conftest import solve_checked
from tests.solver.factory import WEEK, four_stations_four_days, one_class, slots


def _class(needs: dict[str, int], stations: tuple[Station, ...], groups: int, size: tuple[int, int],
           rotations: int = 3, days: tuple[str, ...] = WEEK, **kw) -> Class:
    roster = tuple(Student(s, n) for s, n in needs.items())
    return Class("3A", roster, stations, slots(rotations=rotations, days=days), groups, *size, teacher="T1", **kw)


def _ladder(n: int, step: int = 30) -> dict[str, int]:
    return {f"S{i + 1}": 1000 - step * i for i in range(n)}


TEACHER = Station("teacher", "teacher", staff="T1", by_need=True)
ONLINE, PRACTICE = Station("online", "online"), Station("practice", "collaborative")


def _one(cls: Class, *adults: Adult, pools: tuple[DevicePool, ...] = ()) -> Instance:
    return Instance((cls,), (Adult("T1"), *adults), pools)


def _kept(instance: Instance, change: Callable[[dict, dict], None]) -> Instance:
    """The instance with last week's plan: its own optimal plan edited by `change(groups, visits)` to break a
    rule. Keeping last week's plan outweighs every other cost, so only the rule itself stands in the way."""
    plan = solve_checked(instance).plan
    assert plan is not None  # last week's plan was a valid one, as the checker counts it
    cp = plan.classes["3A"]
    groups, visits = dict(cp.groups), dict(cp.visits)
    change(groups, visits)
    return replace(instance, previous=Previous({("3A", s): g for s, g in groups.items()},
                                               {("3A", g, d, k): st for (g, d, k), st in visits.items()}))


def _swap_stations(a: int, b: int, day: str = "Mon", slot: int = 1) -> Callable[[dict, dict], None]:
    def change(groups: dict, visits: dict) -> None:
        visits[a, day, slot], visits[b, day, slot] = visits[b, day, slot], visits[a, day, slot]
    return change


# --- grouping, hard -----------------------------------------------------------------------------

def one_group() -> Instance:
    # S5 would rather be with nobody: only one group per student keeps S5 in the plan.
    rules = tuple(StudentRule("prefer_apart", f"S5 apart from {s}", ("S5", s)) for s in ("S1", "S2", "S3", "S4"))
    return _one(_class(dict.fromkeys(("S1", "S2", "S3", "S4", "S5"), 500), (TEACHER, ONLINE), 2, (2, 3), rotations=2,
                       rules=rules))


def group_size() -> Instance:
    # By skill: nearly everyone needs skill "a" most; only the size bounds spread them over both groups.
    roster = tuple(Student(f"S{i}", 500, skill_need={"a": 900 - i, "b": 100 + (300 if i > 6 else 0)})
                   for i in range(8))
    cls = Class("3A", roster, (TEACHER, ONLINE), slots(rotations=2), 2, 4, 4, grouping="by skill",
                focus=("a", "b"), teacher="T1")
    return _one(cls)


def apart() -> Instance:
    return _one(_class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                       rules=(StudentRule("apart", "apart S1 S2", ("S1", "S2")),)))


def together() -> Instance:
    return _one(_class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                       rules=(StudentRule("together", "together S1 S8", ("S1", "S8")),)))


def group() -> Instance:
    return _one(_class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                       rules=(StudentRule("group", "pin S1 S8", ("S1", "S8"), group=2),)))


def student_lock() -> Instance:
    return _one(_class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2, student_locks={"S1": 2, "S8": 2}))


def group_fits_station() -> Instance:
    # Bands of 7, 5, 6 and 6 split best as 7/5/6/6; the 6-seat teacher table every group visits forbids the 7.
    needs = [900] * 7 + [700] * 5 + [400] * 6 + [100] * 6
    roster = {f"S{i + 1}": n for i, n in enumerate(needs)}
    return _one(_class(roster, (replace(TEACHER, capacity=6), ONLINE, PRACTICE), 4, (5, 7)))


# --- grouping, soft -----------------------------------------------------------------------------

def need_spread() -> Instance:
    return one_class()


def mean_balance() -> Instance:
    return _one(_class(_ladder(8, step=120), (TEACHER, ONLINE), 2, (4, 4), rotations=2, grouping="mixed"))


def flag_balance() -> Instance:
    # The two IEP students balance the groups' means best together; spreading flags costs a little mean balance.
    cls = _class({"S1": 550, "S2": 450, "S3": 500, "S4": 500, "S5": 500, "S6": 500}, (TEACHER, ONLINE), 2, (3, 3),
                 rotations=2, grouping="mixed")
    roster = tuple(replace(s, flags=frozenset({"IEP"})) if s.id in ("S1", "S2") else s for s in cls.students)
    return _one(replace(cls, students=roster))


def no_data_spread() -> Instance:
    # Four students without data would like to be together; students without data are spread first.
    cls = _class(_ladder(12), (TEACHER, ONLINE), 4, (3, 3), rotations=2,
                 rules=(StudentRule("prefer_together", "buddies", ("S1", "S2", "S3", "S4")),))
    roster = tuple(replace(s, need=500, no_data=True) if s.id in ("S1", "S2", "S3", "S4") else s
                   for s in cls.students)
    return _one(replace(cls, students=roster))


def skill_match() -> Instance:
    roster = tuple(Student(f"S{i}", 500, skill_need={"a": 900 if i % 2 else 100, "b": 100 if i % 2 else 900})
                   for i in range(8))
    cls = Class("3A", roster, (TEACHER, ONLINE), slots(rotations=2), 2, 4, 4, grouping="by skill",
                focus=("a", "b"), teacher="T1")
    return _one(cls)


def prefer_apart() -> Instance:
    needs = {"S1": 0, "S2": 10, "S3": 20, "S4": 30, "S5": 35, "S6": 45, "S7": 55, "S8": 65}
    return _one(_class(needs, (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                       rules=(StudentRule("prefer_apart", "chatty S1 S2", ("S1", "S2")),)))


def prefer_together() -> Instance:
    needs = {"S1": 0, "S2": 10, "S3": 20, "S4": 30, "S5": 35, "S6": 45, "S7": 55, "S8": 65}
    return _one(_class(needs, (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                       rules=(StudentRule("prefer_together", "buddies S1 S8", ("S1", "S8")),)))


def keep_group() -> Instance:
    def swap(groups: dict, visits: dict) -> None:
        groups["S1"], groups["S8"] = groups["S8"], groups["S1"]
    return _kept(_one(_class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2)), swap)


# --- rotation, hard -----------------------------------------------------------------------------

def one_station() -> Instance:
    # One cart seat short of a group: without one station per slot, a group can hide nowhere instead of repeating.
    return one_class()


def one_group_at_staffed() -> Instance:
    # Two rotations a day cannot give four groups their 14 teacher visits one group at a time.
    return _one(replace(one_class().classes[0], slots=slots(rotations=2)), pools=one_class().pools)


def must_do() -> Instance:
    inst = one_class()
    cls = replace(inst.classes[0], stations=(TEACHER, ONLINE, replace(PRACTICE, must_do=True)))

    def skip_practice(groups: dict, visits: dict) -> None:
        for k in (1, 2, 3):
            if visits[1, "Mon", k] == "practice":
                visits[1, "Mon", k] = "online" if visits[1, "Mon", k % 3 + 1] != "online" else "teacher"
    return _kept(replace(inst, classes=(cls,)), skip_practice)


def visits() -> Instance:
    inst = one_class()
    cls = replace(inst.classes[0], stations=(TEACHER, replace(ONLINE, visits=3, pool="carts"), PRACTICE))
    return _kept(replace(inst, classes=(cls,)), _online_to_practice)


def _online_to_practice(groups: dict, visits: dict) -> None:
    first = next(key for key, st in sorted(visits.items()) if key[0] == 1 and st == "online")
    visits[first] = "practice"


def needs() -> Instance:
    # The student needing least support is in the group that sees the teacher twice; the rule asks for five.
    inst = one_class()
    least = min(inst.classes[0].students, key=lambda s: s.need).id
    rule = StudentRule("needs", f"needs {least} at teacher 5", (least,), station="teacher", count=5)
    return replace(inst, classes=(replace(inst.classes[0], rules=(rule,)),))


def seats() -> Instance:
    inst = one_class()
    cls = replace(inst.classes[0], stations=(TEACHER, replace(ONLINE, pool=None), replace(PRACTICE, capacity=7)))
    return replace(inst, classes=(cls,), pools=())


def devices() -> Instance:
    return one_class()


def adult_available() -> Instance:
    inst = one_class()
    para = Station("para", "other", role="para")
    cls = replace(inst.classes[0], stations=(*inst.classes[0].stations, para), slots=slots(rotations=4))
    mornings = tuple(Window(d, 9 * 60, 9 * 60 + 17) for d in ("Mon", "Tue", "Wed", "Thu", "Fri"))
    return replace(inst, classes=(cls,), adults=(*inst.adults, Adult("P1", role="para", available=mornings)))


def adult_one_place() -> Instance:
    # One interventionist for two classes at the same time, each group seen once a week.
    classes = []
    for cid in ("A", "B"):
        cls = one_class().classes[0]
        intervention = Station("intervention", "teacher", role="interventionist", visits=1)
        roster = tuple(replace(s, id=f"{cid}{s.id}") for s in cls.students)
        classes.append(replace(cls, id=cid, students=roster, teacher=f"T{cid}",
                               stations=(replace(TEACHER, staff=f"T{cid}"), ONLINE, PRACTICE, intervention)))
    return Instance(tuple(classes), (Adult("TA"), Adult("TB"), Adult("I1", role="interventionist")))


def visit_lock() -> Instance:
    # Group 4 locked at the teacher table for all of Monday: left free, no group would sit there three times a day.
    inst = one_class()
    locks = tuple(VisitLock("Mon", k, 4, "teacher") for k in (1, 2, 3))
    return replace(inst, classes=(replace(inst.classes[0], visit_locks=locks),))


# --- rotation, soft -----------------------------------------------------------------------------

def away_at_teacher() -> Instance:
    # Group 1 sees the teacher daily; on Monday slot 2 is locked to group 2, so slot 1, while S1 is out, is the
    # only teacher time left that day short of a second visit on another day.
    cls = _class(_ladder(8), (TEACHER, ONLINE), 2, (4, 4), rotations=2,
                 away=(Away("speech", "S1", "Mon", 9 * 60, 9 * 60 + 10),),
                 visit_locks=(VisitLock("Mon", 2, 2, "teacher"),))
    return _one(cls)


def teacher_idle() -> Instance:
    # Group 1 (S1-S4, the neediest) is out all week: group 2 takes every slot at the table rather than leaving the
    # teacher idle, though it runs ever further ahead of group 1 and sees the teacher twice a day.
    away = tuple(Away("trip", s, d, 8 * 60, 12 * 60) for s in ("S1", "S2", "S3", "S4")
                 for d in ("Mon", "Tue", "Wed", "Thu", "Fri"))
    return _one(_class(_ladder(8), (TEACHER, PRACTICE), 2, (4, 4), rotations=2, away=away))


def visits_in_need_order() -> Instance:
    # Two days of two slots, targets 2, 2, 2. Group 1 (S1-S3) is in only for Tuesday's second slot, group 2
    # (S4-S6) is out Tuesday's first: three slots left for groups 2 and 3. Both ways one group is a visit
    # short; a second visit to group 2 keeps the order but costs it a repeat on Monday.
    away = (*(Away("out", s, "Mon", 8 * 60, 12 * 60) for s in ("S1", "S2", "S3")),
            *(Away("out", s, "Tue", 540, 555) for s in ("S1", "S2", "S3", "S4", "S5", "S6")))
    return _one(_class(_ladder(9), (TEACHER, PRACTICE), 3, (3, 3), rotations=2, days=("Mon", "Tue"), away=away))


def visits_by_need() -> Instance:
    return one_class()


def repeat_in_day() -> Instance:
    return one_class()


def station_balance() -> Instance:
    # Issue 6's week: with the teacher busy, three groups could share the other three stations one each.
    return four_stations_four_days()


def filler_spread() -> Instance:
    inst = one_class()
    cls = replace(inst.classes[0], stations=(TEACHER, ONLINE, PRACTICE, Station("reading", "independent")))
    return replace(inst, classes=(cls,))


def keep_visit() -> Instance:
    return _kept(one_class(), _swap_stations(1, 4))


BINDS: dict[str, Callable[[], Instance]] = {f.__name__: f for f in (
    one_group, group_size, apart, together, group, student_lock, group_fits_station,
    need_spread, mean_balance, flag_balance, no_data_spread, skill_match, prefer_apart, prefer_together, keep_group,
    one_station, one_group_at_staffed, must_do, visits, needs, seats, devices, adult_available, adult_one_place,
    visit_lock, away_at_teacher, teacher_idle, visits_in_need_order, visits_by_need, station_balance, repeat_in_day,
    filler_spread, keep_visit)}


def _switched_off(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = grouping if RULES_BY_NAME[rule].stage == "grouping" else rotation
    monkeypatch.setitem(stage.FUNCTIONS, rule, lambda m: None)


RULES_BY_NAME = {r.name: r for r in RULES}


def test_every_rule_of_the_table_is_one_function_of_its_stage() -> None:
    modelled = {(name, "grouping") for name in grouping.FUNCTIONS} | {(name, "rotation") for name in rotation.FUNCTIONS}
    assert modelled == {(r.name, r.stage) for r in RULES}


def test_every_rule_of_the_table_is_one_check_of_the_checker() -> None:
    assert set(CHECKS) == {r.name for r in RULES if r.hard}
    assert set(COSTS) == {r.name for r in RULES if not r.hard}


@pytest.mark.parametrize(("stage", "hard"), [(grouping, True), (grouping, False), (rotation, True), (rotation, False)])
def test_a_rule_added_to_the_table_without_its_function_or_check_fails(stage, hard: bool,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    name = stage.__name__.rsplit(".", 1)[1]
    instance = BINDS["apart"]()
    plan = solve_checked(instance).plan
    assert plan is not None
    new = RuleInfo("new_rule", name, hard, 0 if hard else 1, "a rule with no function nor check yet")
    monkeypatch.setattr(rules, "RULES", (*RULES, new))
    monkeypatch.setattr(model, "RULES", rules.RULES)
    monkeypatch.setattr(check_module, "RULES", rules.RULES)
    with pytest.raises(LookupError, match="new_rule"):  # at import
        rules.bound(stage.FUNCTIONS, stage=name)
    with pytest.raises(LookupError, match="new_rule"):
        rules.bound(check_module.CHECKS if hard else check_module.COSTS, hard=hard)
    with pytest.raises(LookupError, match="new_rule"):  # and were the table changed after import
        solve(instance)
    monkeypatch.setitem(stage.FUNCTIONS, "new_rule", lambda m: None)  # its function, but no check yet
    assert solve(instance).plan == plan
    with pytest.raises(KeyError, match="new_rule"):
        check(instance, plan)


def test_a_function_or_check_without_its_rule_fails() -> None:
    with pytest.raises(LookupError, match="stray"):
        rules.bound({**rotation.FUNCTIONS, "stray": lambda m: None}, stage="rotation")
    with pytest.raises(LookupError, match="stray"):
        rules.bound({**check_module.CHECKS, "stray": lambda w: []}, hard=True)


@pytest.mark.parametrize("rule", [r.name for r in RULES])
def test_switching_a_rule_off_changes_the_plan(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rule in BINDS, f"rule {rule!r} has no instance where it binds: add one to BINDS"
    instance = BINDS[rule]()
    kept = solve(instance)
    assert kept.plan is not None, kept
    held = check(instance, kept.plan)
    assert held.ok, held.violations
    _switched_off(rule, monkeypatch)
    dropped: Result = solve(instance)
    assert dropped.plan is not None, dropped
    broken = check(instance, dropped.plan)
    if RULES_BY_NAME[rule].hard:
        assert rule in {v.rule for v in broken.violations}, broken.violations
    else:
        assert broken.cost_by_rule().get(rule, 0) > held.cost_by_rule().get(rule, 0)
