"""Every counting conflict offers its ways out as data, and each one, applied, removes the shortfall it names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import combinations, product

import pytest

from solver.explain import data_checks
from solver.instance import Adult, Class, DevicePool, Instance, Station, Student, StudentRule, Window
from solver.plan import CHANGES, Conflict, Fix
from tests.bench.generator import short_of_carts
from tests.solver.factory import WEEK, grade3, slots, sped_class


def roster(n: int) -> tuple[Student, ...]:
    return tuple(Student(f"S{i + 1}", 100 * i) for i in range(n))


def a_class(n: int = 12, groups: int = 3, low: int | None = None, high: int | None = None,
            stations: tuple[Station, ...] = (Station("A"), Station("B"), Station("C")), rotations: int = 3,
            days: tuple[str, ...] = WEEK, rules: tuple[StudentRule, ...] = (), cid: str = "3A") -> Class:
    return Class(cid, roster(n), stations, slots(rotations=rotations, days=days), groups,
                 low if low is not None else n // groups, high if high is not None else -(-n // groups), rules=rules)


def alone(cls: Class, *adults: Adult) -> Instance:
    return Instance((cls,), adults)


def apart(*pairs: str) -> tuple[StudentRule, ...]:
    return tuple(StudentRule("apart", f"apart {p}", tuple(p.split())) for p in pairs)


PARA = Adult("PARA", role="para", available=(Window("Mon", 8 * 60, 15 * 60), Window("Wed", 8 * 60, 15 * 60)))


def para_class(para: Adult = PARA, **station: object) -> Instance:
    """The issue's kindergarten: a para in on Monday and Wednesday runs Partner game, 4 groups, Mon-Thu."""
    game = replace(Station("Partner game", "collaborative", staff="PARA"), **station)  # type: ignore[arg-type]
    stations = (Station("Teacher table", "teacher", staff="T1", must_do=True), game,
                Station("Reading", must_do=True), Station("Blocks", must_do=True))
    return alone(a_class(16, 4, stations=stations, rotations=4, days=WEEK[:4]), Adult("T1"), para)


MORNINGS = replace(PARA, available=tuple(Window(d, 9 * 60, 9 * 60 + 35) for d in WEEK))
MONDAY = Adult("INT", available=(Window("Mon", 8 * 60, 16 * 60),))


def small_group_class(cid: str, start: int, n: int = 6, groups: int = 3, **small_group: object) -> Class:
    """A class of its own students whose Small group station is given (staffed, or on a device pool)."""
    stations = (Station("Small group", **small_group), Station("A"), Station("B"))  # type: ignore[arg-type]
    own = tuple(replace(s, id=f"{cid}-{s.id}") for s in roster(n))
    return replace(a_class(n, groups, stations=stations, cid=cid), students=own, slots=slots(start=start))


CASES: dict[str, tuple[Instance, tuple[Fix, ...]]] = {
    "more groups than students": (alone(a_class(3, 5, 1, 1)), (Fix("fewer_groups", "3A", value=3),)),
    "groups too small for the class": (alone(a_class(10, 2, 3, 4)), (
        Fix("max_size_at_least", "3A", value=5), Fix("more_groups", "3A", value=3))),
    "groups too big for the class": (alone(a_class(5, 2, 3, 4)), (Fix("min_size_at_most", "3A", value=2),)),
    "a station every group visits seats too few": (
        alone(a_class(12, 2, 1, 6, stations=(Station("A", capacity=4, must_do=True), Station("B")))),
        (Fix("capacity_at_least", "3A", "A", value=6), Fix("more_groups", "3A", value=3))),
    "a keep-apart web of four, three groups": (
        alone(a_class(rules=apart("S1 S2", "S1 S3", "S1 S4", "S2 S3", "S2 S4", "S3 S4"))),
        (Fix("more_groups", "3A", value=4),
         *(Fix("drop_rule", "3A", rule=f"apart {p}") for p in ("S1 S2", "S1 S3", "S1 S4", "S2 S3", "S2 S4", "S3 S4")))),
    "a keep-apart web of five, three groups: no one rule is enough": (
        alone(a_class(rules=apart(*(f"{a} {b}" for a, b in combinations(("S1", "S2", "S3", "S4", "S5"), 2))))),
        (Fix("more_groups", "3A", value=5),)),
    "together too big": (
        alone(a_class(rules=(StudentRule("together", "together five", ("S1", "S2", "S3", "S4", "S5")),))),
        (Fix("max_size_at_least", "3A", value=5), Fix("drop_rule", "3A", rule="together five"))),
    "more must-dos than rotations": (
        alone(a_class(stations=tuple(Station(n, must_do=True) for n in "ABCD"))),
        (Fix("fewer_must_do", "3A", value=1), Fix("more_rotations", "3A", value=4))),
    "visits that do not fit the week": (
        alone(a_class(stations=(Station("A", visits=4), Station("B", visits=4), Station("C")), days=WEEK[:2])),
        (Fix("fewer_visits", "3A", value=2), Fix("more_rotations", "3A", value=4))),
    "a must-do run by a para in two days a week": (para_class(must_do=True), (
        Fix("must_do_to_visits", "3A", "Partner game", value=2), Fix("more_days", adult="PARA"),
        Fix("fewer_groups", "3A", value=2))),
    "visits run by a para in two days a week": (para_class(visits=3), (
        Fix("visits_at_most", "3A", "Partner game", value=2), Fix("more_days", adult="PARA"),
        Fix("fewer_groups", "3A", value=2))),
    "visits run by a para for two slots a day": (para_class(MORNINGS, visits=3), (
        Fix("visits_at_most", "3A", "Partner game", value=2), Fix("more_hours", adult="PARA"),
        Fix("fewer_groups", "3A", value=2))),
    "needs rules a para cannot meet": (
        alone(a_class(8, 2, stations=(Station("A"), Station("B"), Station("SPED", staff="PARA")),
                      rules=(StudentRule("needs", "needs S1 at SPED 7", ("S1",), station="SPED", count=7),
                             StudentRule("needs", "needs S8 at SPED 8", ("S8",), station="SPED", count=8))),
              PARA),
        (Fix("count_at_most", "3A", "SPED", rule="needs S1 at SPED 7", value=6),
         Fix("count_at_most", "3A", "SPED", rule="needs S8 at SPED 8", value=6), Fix("more_days", adult="PARA"))),
    "a cart that serves one group a slot": (short_of_carts(2), (
        Fix("more_devices", pool="cart1", value=6), Fix("fewer_visits", pool="cart1", value=4))),
    # Classes of two and three groups: whole visits take away 2, 3, 4, 5... group-visits, so a fewer_visits value
    # one too small is caught (with equal group counts the visits taken away would be the same).
    "a cart that serves one group a slot, classes of two and three groups": (
        Instance((small_group_class("A", 9 * 60, 6, 2, pool="cart", visits=5),
                  small_group_class("B", 9 * 60, 9, 3, pool="cart", visits=3)), (), (DevicePool("cart", 4),)),
        (Fix("more_devices", pool="cart", value=2), Fix("fewer_visits", pool="cart", value=4))),
    "an interventionist in on Monday, classes of two and three groups": (
        Instance((small_group_class("A", 9 * 60, 6, 2, staff="INT", visits=1),
                  small_group_class("B", 9 * 60 + 20, 9, 3, staff="INT", visits=1)), (MONDAY,)),
        (Fix("more_days", adult="INT"), Fix("fewer_visits", adult="INT", value=1))),
    "a student in two classes at once": (
        Instance((grade3("A", 8), replace(grade3("B", 8), students=grade3("A", 8).students[:1] +
                                          grade3("B", 8).students[1:])), (Adult("T1"),),
                 (DevicePool("carts", 10),)),
        (Fix("start_at_least", "B", value=9 * 60 + 49), Fix("start_at_least", "A", value=9 * 60 + 49))),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_counting_conflict_offers_its_ways_out(case: str) -> None:
    instance, fixes = CASES[case]
    (conflict, *_) = data_checks(instance)
    assert conflict.fixes == fixes


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_way_out_applied_removes_the_shortfall_it_names(case: str) -> None:
    instance, _ = CASES[case]
    (conflict, *_) = data_checks(instance)
    for fix in conflict.fixes:
        assert fix.change in CHANGES
        removes_shortfall(instance, fix, conflict)


def removes_shortfall(instance: Instance, fix: Fix, conflict: Conflict) -> None:
    after = data_checks(apply(instance, fix, conflict))
    assert conflict.reason not in {c.reason for c in after}, fix
    if fix.change == "fewer_visits" and not fix.class_id:
        # The most group-visits whole visits can take away short of the value: the shortfall is back.
        short = max(n for n in takings(instance, fix) if n < (fix.value or 0))
        beyond = data_checks(apply(instance, replace(fix, value=short), conflict))
        assert conflict.reason in {c.reason for c in beyond}, fix
    elif fix.value is not None and fix.change not in ("start_at_least", "fewer_must_do", "fewer_visits"):
        # The value is the bound: one step past it and the shortfall is back.
        step = 1 if fix.change in ("visits_at_most", "must_do_to_visits", "min_size_at_most", "count_at_most",
                                   "fewer_groups") else -1
        beyond = data_checks(apply(instance, replace(fix, value=fix.value + step), conflict))
        assert conflict.reason in {c.reason for c in beyond}, fix


def test_an_adult_across_classes_is_freed_or_asked_for_fewer_visits() -> None:
    # An interventionist in on Monday only runs a must-do small-group station in two classes.
    instance = Instance((small_group_class("A", 9 * 60, staff="INT", visits=1),
                         small_group_class("B", 9 * 60 + 20, staff="INT", visits=1)), (MONDAY,))
    (conflict,) = data_checks(instance)
    assert conflict.reason == "adult_load" and (conflict.need, conflict.have) == (6, 4)
    assert conflict.fixes == (Fix("more_days", adult="INT"), Fix("fewer_visits", adult="INT", value=2))
    assert data_checks(apply(instance, conflict.fixes[0], conflict)) == []
    for fix in conflict.fixes:
        removes_shortfall(instance, fix, conflict)


def test_a_core_found_by_search_offers_to_relax_each_of_its_rules(planned) -> None:
    result = planned(sped_class(min_size=6))
    (conflict,) = result.conflicts
    assert {f.change for f in conflict.fixes} == {"relax_rule"}
    assert [f.rule for f in conflict.fixes] == list(conflict.rules)


# --- applying a fix to an instance, as a teacher would in the workbook ---------------------------


def apply(instance: Instance, fix: Fix, conflict: Conflict) -> Instance:
    def each_class(change: Callable[[Class], Class]) -> Instance:
        return replace(instance, classes=tuple(change(c) if c.id == fix.class_id else c for c in instance.classes))

    def station(name: str, **kw: object) -> Instance:
        return each_class(lambda c: replace(c, stations=tuple(replace(s, **kw) if s.name == name else s
                                                             for s in c.stations)))

    v = fix.value or 0
    match fix.change:
        case "fewer_visits" if not fix.class_id:  # the pool's or adult's: as few group-visits as reach v
            stations, got = shared_stations(instance, fix), takings(instance, fix)
            cut = dict(zip(stations, got[min(n for n in got if n >= v)], strict=True))
            return replace(instance, classes=tuple(
                replace(c, stations=tuple(replace(s, visits=(s.visits or 0) - cut[c.id, s.name])
                                          if (c.id, s.name) in cut else s for s in c.stations))
                for c in instance.classes))
        case "visits_at_most" | "must_do_to_visits":
            return station(fix.station, visits=v, must_do=False)
        case "capacity_at_least":
            return station(fix.station, capacity=v)
        case "more_days" | "more_hours":
            return replace(instance, adults=tuple(replace(a, available=None) if a.id == fix.adult else a
                                                  for a in instance.adults))
        case "fewer_groups" | "more_groups":
            return each_class(lambda c: replace(c, groups=v))
        case "max_size_at_least":
            return each_class(lambda c: replace(c, max_size=v))
        case "min_size_at_most":
            return each_class(lambda c: replace(c, min_size=v))
        case "more_rotations":
            return each_class(lambda c: replace(c, slots=slots(rotations=v, days=c.days)))
        case "fewer_must_do":
            drop = set(conflict.stations[:v])
            return each_class(lambda c: replace(c, stations=tuple(replace(s, must_do=False) if s.name in drop else s
                                                                 for s in c.stations)))
        case "fewer_visits":  # taken from the stations with the most visits first
            def fewer(c: Class) -> Class:
                stations, left = list(c.stations), v
                while left:
                    i = max(range(len(stations)), key=lambda k: stations[k].visits or 0)
                    stations[i], left = replace(stations[i], visits=(stations[i].visits or 0) - 1), left - 1
                return replace(c, stations=tuple(stations))
            return each_class(fewer)
        case "more_devices":
            return replace(instance, pools=tuple(replace(p, count=p.count + v) if p.name == fix.pool else p
                                                 for p in instance.pools))
        case "count_at_most":
            return each_class(lambda c: replace(c, rules=tuple(replace(r, count=v) if r.label == fix.rule else r
                                                               for r in c.rules)))
        case "start_at_least":
            return each_class(lambda c: replace(c, slots=tuple(replace(s, start=s.start - c.slots[0].start + v,
                                                                       end=s.end - c.slots[0].start + v)
                                                               for s in c.slots)))
        case "drop_rule":
            return each_class(lambda c: replace(c, rules=tuple(r for r in c.rules if r.label != fix.rule)))
    raise AssertionError(f"no way to apply {fix}")


def shared_stations(instance: Instance, fix: Fix) -> list[tuple[str, str]]:
    """(class, station) of each station on the fix's pool, or run by its adult, with a number of visits."""
    return [(c.id, s.name) for c in instance.classes for s in c.stations if s.visits and not s.mirror_of
            and (s.pool == fix.pool if fix.pool else fix.adult in (s.staff, s.role))]


def takings(instance: Instance, fix: Fix) -> dict[int, tuple[int, ...]]:
    """Each number of group-visits that fewer whole visits at those stations take away (a visit of every group
    of its class), with the visits taken from each station."""
    classes = {c.id: c for c in instance.classes}
    at = {(c.id, s.name): s for c in instance.classes for s in c.stations}
    stations = shared_stations(instance, fix)
    out: dict[int, tuple[int, ...]] = {}
    for taken in product(*(range((at[cs].visits or 0) + 1) for cs in stations)):
        out.setdefault(sum(t * classes[c].groups for t, (c, _) in zip(taken, stations, strict=True)), taken)
    return out
