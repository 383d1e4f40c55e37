"""From the school a teacher describes to what the solver is given: need scores, every default of the
planning workbook (docs/workbook.md) resolved, staff availability, rules narrowed to each class, slot times and
group names."""

from __future__ import annotations

import datetime as dt

import pytest

import solver.instance as si
from rotation.domain.school import (
    BY_NEED,
    AvailabilityClause,
    DevicePool,
    MasteryResult,
    Rule,
    School,
    SchoolClass,
    Skill,
    Staff,
    Station,
    Student,
    Window,
)
from rotation.planning.instance import build_instance
from rotation.planning.result import GROUP_NAMES, group_names
from solver.week import free

MON_FRI = ("Mon", "Tue", "Wed", "Thu", "Fri")


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def klass(class_id: str = "3A", **fields) -> SchoolClass:
    start = fields.pop("start", t("09:00"))
    minutes = fields.pop("rotation_minutes", 15)
    return SchoolClass(class_id, start, minutes, **fields)


def pupils(n: int, prefix: str = "s", **fields) -> tuple[Student, ...]:
    return tuple(Student(f"{prefix}{i + 1}", f"Kid {i + 1}", **fields) for i in range(n))


FOUR_STATIONS = (Station("Teacher", kind="teacher"), Station("Online", kind="online"),
                 Station("Games", kind="collaborative"), Station("Reading", kind="independent"))


def school(**fields) -> School:
    """One class 3A (teacher T1, Mon-Fri, 09:00, 15 min) with 8 students and 4 stations, unless told."""
    fields.setdefault("students", pupils(8))
    fields.setdefault("classes", (klass(teacher="T1"),))
    fields.setdefault("stations", FOUR_STATIONS)
    return School(**fields)


def the_class(s: School, class_id: str = "3A") -> si.Class:
    return next(c for c in build_instance(s).instance.classes if c.id == class_id)


def station(s: School, name: str, class_id: str = "3A") -> si.Station:
    return the_class(s, class_id).station(name)


# ---------------------------------------------------------------- need


def test_need_is_one_minus_the_mean_scaled_score_over_the_focus_skills() -> None:
    s = school(
        students=pupils(3),
        skills=(Skill("frac", 0, 4), Skill("pv"), Skill("geo", 1, 5)),  # pv: 0-100
        mastery=(MasteryResult("s1", "frac", 3), MasteryResult("s1", "pv", 50),  # 0.75, 0.5
                 MasteryResult("s2", "frac", 0),  # 0.0 on the one skill with a result
                 MasteryResult("s3", "geo", 2), MasteryResult("s3", "pv", 100)),  # 0.25 (min 1), 1.0
    )
    planning = build_instance(s)
    need = planning.need["3A"].need
    assert need["s1"] == pytest.approx(1 - (0.75 + 0.5) / 2)
    assert need["s2"] == pytest.approx(1.0)
    assert need["s3"] == pytest.approx(1 - (0.25 + 1.0) / 2)
    assert planning.need["3A"].no_data == ()
    # The solver sees the same order of need, on its integer scale.
    by_id = {st.id: st.need for st in the_class(s).students}
    assert by_id == {"s1": 375, "s2": 1000, "s3": 375}


def test_a_skill_without_a_row_on_skills_is_scored_0_to_100() -> None:
    s = school(students=pupils(1), mastery=(MasteryResult("s1", "spelling", 80),))
    assert build_instance(s).need["3A"].need["s1"] == pytest.approx(0.2)


def test_a_student_without_results_on_the_focus_gets_the_class_median_and_is_listed() -> None:
    s = school(
        students=(*pupils(4), Student("x1", "Other", classes=("3B",))),
        classes=(klass("3A", focus=("frac",)), klass("3B")),
        skills=(Skill("frac", 0, 4), Skill("pv")),
        mastery=(MasteryResult("s1", "frac", 4), MasteryResult("s2", "frac", 2), MasteryResult("s3", "frac", 1),
                 MasteryResult("s4", "pv", 10),  # not a focus skill of 3A
                 MasteryResult("x1", "frac", 0)),  # another class: not part of 3A's median
    )
    cn = build_instance(s).need["3A"]
    assert cn.need["s4"] == pytest.approx(0.5)  # median of 0.0, 0.5, 0.75
    assert cn.no_data == ("s4",)
    assert "x1" not in cn.need


def test_the_newest_result_wins_and_an_undated_one_is_the_oldest() -> None:
    s = school(
        students=pupils(2),
        skills=(Skill("frac", 0, 4),),
        mastery=(MasteryResult("s1", "frac", 1, dt.date(2026, 10, 1)),
                 MasteryResult("s1", "frac", 3, dt.date(2026, 11, 1)),  # newest
                 MasteryResult("s1", "frac", 2, dt.date(2026, 9, 1)),
                 MasteryResult("s1", "frac", 0),  # undated, last row: still the oldest
                 MasteryResult("s2", "frac", 4),
                 MasteryResult("s2", "frac", 0, dt.date(2020, 1, 1))),  # any date beats no date
    )
    need = build_instance(s).need["3A"].need
    assert need["s1"] == pytest.approx(0.25)
    assert need["s2"] == pytest.approx(1.0)


def test_on_a_tie_the_lower_row_of_the_sheet_wins() -> None:
    # "Lower" as a teacher sees the sheet: further down, where a correction is added.
    day = dt.date(2026, 11, 1)
    s = school(
        students=pupils(2),
        skills=(Skill("frac", 0, 4),),
        mastery=(MasteryResult("s1", "frac", 1, day), MasteryResult("s1", "frac", 3, day),
                 MasteryResult("s2", "frac", 4), MasteryResult("s2", "frac", 0)),
    )
    need = build_instance(s).need["3A"].need
    assert need["s1"] == pytest.approx(0.25)
    assert need["s2"] == pytest.approx(1.0)


def test_focus_restricts_need_to_the_listed_skills() -> None:
    skills = (Skill("frac", 0, 4), Skill("pv"))
    mastery = (MasteryResult("s1", "frac", 4), MasteryResult("s1", "pv", 0),
               MasteryResult("s2", "frac", 0), MasteryResult("s2", "pv", 100))
    everything = build_instance(school(students=pupils(2), skills=skills, mastery=mastery)).need["3A"]
    assert everything.need == pytest.approx({"s1": 0.5, "s2": 0.5})
    focused = build_instance(school(students=pupils(2), skills=skills, mastery=mastery,
                                    classes=(klass(focus=("frac",)),))).need["3A"]
    assert focused.need == pytest.approx({"s1": 0.0, "s2": 1.0})
    assert set(focused.skill_need["s1"]) == {"frac"}


# ---------------------------------------------------------------- defaults


def test_groups_and_rotations_default_to_the_stations_not_counting_mirrors() -> None:
    stations = (*FOUR_STATIONS[:3], Station("Online 2", kind="online", mirror_of="Online"))
    cls = the_class(school(stations=stations))
    assert cls.groups == 3
    assert len(cls.slots) == 3 * 5
    assert {s.index for s in cls.slots} == {1, 2, 3}
    explicit = the_class(school(stations=stations, classes=(klass(groups=5, rotations=2),)))
    assert (explicit.groups, len(explicit.slots)) == (5, 2 * 5)


@pytest.mark.parametrize(("students", "groups", "sizes"), [(28, 4, (7, 7)), (30, 4, (7, 8)), (22, 5, (4, 5))])
def test_group_sizes_are_balanced_by_default(students: int, groups: int, sizes: tuple[int, int]) -> None:
    cls = the_class(school(students=pupils(students), classes=(klass(groups=groups),)))
    assert (cls.min_size, cls.max_size) == sizes


def test_explicit_group_sizes_win() -> None:
    cls = the_class(school(students=pupils(30), classes=(klass(groups=4, min_group_size=5, max_group_size=9),)))
    assert (cls.min_size, cls.max_size) == (5, 9)


@pytest.mark.parametrize(("bounds", "sizes"), [({"min_group_size": 8}, (8, 8)), ({"max_group_size": 5}, (5, 5)),
                                               ({"min_group_size": 6}, (6, 7))])
def test_one_size_bound_never_contradicts_the_balanced_other(bounds: dict, sizes: tuple[int, int]) -> None:
    cls = the_class(school(students=pupils(28), classes=(klass(groups=4, **bounds),)))
    assert (cls.min_size, cls.max_size) == sizes


def test_must_do_defaults_to_yes_when_every_station_fits_in_a_day() -> None:
    stations = (Station("Teacher", kind="teacher"), Station("Online"), Station("Games"),
                Station("Online 2", mirror_of="Online"))  # the mirror does not count: 3 rotations, 3 stations
    cls = the_class(school(stations=stations))
    assert [cls.station(n).must_do for n in ("Teacher", "Online", "Games")] == [True, True, True]


def test_must_do_defaults_to_no_with_fewer_rotations_than_stations() -> None:
    cls = the_class(school(classes=(klass(rotations=3),)))
    assert [s.must_do for s in cls.stations] == [False] * 4


def test_must_do_defaults_to_no_when_visits_are_given() -> None:
    stations = (Station("Teacher", visits=BY_NEED), Station("Online", visits=2), Station("Games"))
    cls = the_class(school(stations=stations))
    teacher, online, games = cls.stations
    assert (teacher.must_do, teacher.by_need, teacher.visits) == (False, True, None)
    assert (online.must_do, online.by_need, online.visits) == (False, False, 2)
    assert (games.must_do, games.by_need, games.visits) == (True, False, None)


def test_an_explicit_must_do_wins() -> None:
    stations = (Station("Teacher", must_do=False), Station("Online"), Station("Games", must_do=True, visits=2))
    cls = the_class(school(stations=stations, classes=(klass(rotations=3),)))
    assert [s.must_do for s in cls.stations] == [False, True, True]
    few = the_class(school(stations=stations, classes=(klass(rotations=2),)))
    assert [s.must_do for s in few.stations] == [False, False, True]


def test_mirrors_carry_no_must_do_or_visits_of_their_own() -> None:
    stations = (Station("Teacher", kind="teacher", visits=BY_NEED), Station("Online", visits=2),
                Station("Games", must_do=True),
                Station("Teacher 2", kind="teacher", staff="C1", mirror_of="Teacher"),
                Station("Online 2", mirror_of="Online", visits=3),
                Station("Games 2", mirror_of="Games", must_do=True))
    cls = the_class(school(stations=stations, staff=(Staff("C1", "Co", "co-teacher"),)))
    for name, original in (("Teacher 2", "Teacher"), ("Online 2", "Online"), ("Games 2", "Games")):
        copy = cls.station(name)
        assert (copy.must_do, copy.visits, copy.by_need) == (False, None, False), name
        assert copy.mirror_of == original
        assert copy.original == original
    assert cls.station("Teacher 2").staff == "C1"
    assert cls.station("Games").must_do


def test_a_station_with_a_blank_class_is_in_every_class() -> None:
    s = school(students=(*pupils(2), *pupils(2, "b", classes=("3B",))),
               classes=(klass("3A", teacher="T1"), klass("3B", teacher="T2")),
               stations=(Station("Teacher", kind="teacher"), Station("Online", "3A"), Station("Library", "3B")))
    assert [st.name for st in the_class(s, "3A").stations] == ["Teacher", "Online"]
    assert [st.name for st in the_class(s, "3B").stations] == ["Teacher", "Library"]
    # Copied, not shared: each class's teacher runs its own copy.
    assert station(s, "Teacher", "3A").staff == "T1"
    assert station(s, "Teacher", "3B").staff == "T2"


# ---------------------------------------------------------------- staff


def test_a_teacher_station_with_blank_staff_is_run_by_the_class_teacher() -> None:
    s = school(staff=(Staff("T1", "Ms Lee", "teacher"),))
    assert (station(s, "Teacher").staff, station(s, "Teacher").role) == ("T1", None)
    online = station(s, "Online")
    assert (online.staff, online.role, online.staffed) == (None, None, False)


def test_a_staff_id_wins_over_a_role_of_the_same_name() -> None:
    staff = (Staff("aide", "Mr Ortiz", "para"), Staff("P1", "Ms Kay", "aide"), Staff("P2", "Mr Roe", "aide"))
    s = school(staff=staff, stations=(Station("Teacher", kind="teacher"), Station("Centre", staff="aide")))
    assert (station(s, "Centre").staff, station(s, "Centre").role) == ("aide", None)


def test_a_role_value_is_filled_by_anyone_with_that_role() -> None:
    staff = (Staff("P1", "Ms Kay", "para"), Staff("P2", "Mr Roe", "para"))
    s = school(staff=staff, stations=(Station("Teacher", kind="teacher"), Station("Centre", staff="para")))
    assert (station(s, "Centre").staff, station(s, "Centre").role) == (None, "para")


def test_a_class_teacher_absent_from_staff_is_an_adult_always_available() -> None:
    s = school(students=(*pupils(2), *pupils(2, "b", classes=("3B",))),
               classes=(klass("3A", teacher="Ms Lee"), klass("3B", teacher="Ms Lee", start=t("13:00"))),
               staff=(Staff("P1", "Ms Kay", "para"),))
    instance = build_instance(s).instance
    lee = instance.adult("Ms Lee")
    assert lee.available is None
    assert lee.teaches == ("3A", "3B")
    assert free(lee, "Sat", 0, 24 * 60)
    assert station(s, "Teacher").staff == "Ms Lee"
    assert instance.adult("P1").teaches == ()


def test_a_teacher_station_defaults_to_the_class_teacher_even_if_a_role_has_that_name() -> None:
    # "Coach" leads 3A and is not on Staff; Mr Roe's role happens to be "Coach".
    s = school(classes=(klass(teacher="Coach"),), staff=(Staff("P2", "Mr Roe", "Coach"),))
    teacher = station(s, "Teacher")
    assert (teacher.staff, teacher.role) == ("Coach", None)


def test_a_later_availability_clause_replaces_the_earlier_ones_for_its_days() -> None:
    aide = Staff("A1", "Mr Ortiz", "aide", (
        AvailabilityClause(MON_FRI, (Window(t("08:00"), t("15:00")),)),
        AvailabilityClause(("Wed",), (Window(t("08:00"), t("12:00")),)),
    ))
    adult = build_instance(school(staff=(aide,))).instance.adult("A1")
    assert set(adult.available or ()) == {si.Window("Mon", 480, 900), si.Window("Tue", 480, 900),
                                          si.Window("Wed", 480, 720), si.Window("Thu", 480, 900),
                                          si.Window("Fri", 480, 900)}
    assert not free(adult, "Wed", 13 * 60, 13 * 60 + 15)
    assert free(adult, "Thu", 13 * 60, 13 * 60 + 15)
    assert not free(adult, "Sat", 9 * 60, 9 * 60 + 15)  # no clause names Saturday


def test_availability_clauses_replace_each_other_day_by_day() -> None:
    aide = Staff("A1", available=(
        AvailabilityClause(("Wed",), (Window(t("08:00"), t("10:00")), Window(t("13:00"), t("14:30")))),
        AvailabilityClause(("Mon", "Wed"), (Window(t("09:00"), t("10:00")),)),
        AvailabilityClause(("Thu",), (Window(t("08:00"), t("10:00")), Window(t("13:00"), t("14:30")))),
    ))
    adult = build_instance(school(staff=(aide,))).instance.adult("A1")
    assert set(adult.available or ()) == {si.Window("Mon", 540, 600), si.Window("Wed", 540, 600),
                                          si.Window("Thu", 480, 600), si.Window("Thu", 780, 870)}


def test_blank_availability_is_always() -> None:
    adult = build_instance(school(staff=(Staff("A1", "Mr Ortiz", "aide"),))).instance.adult("A1")
    assert adult.available is None
    assert free(adult, "Sun", 0, 24 * 60)


# ---------------------------------------------------------------- rules and devices


def two_classes(**fields) -> School:
    students = (Student("a1", "A", classes=("3A",), flags=("IEP",)), Student("a2", "B", classes=("3A",)),
                Student("a3", "C", classes=("3A",), flags=("IEP", "ELL")),
                Student("b1", "D", classes=("3B",), flags=("IEP",)), Student("b2", "E", classes=("3B",)),
                Student("ab", "F", classes=("3A", "3B"), flags=("ELL",)))
    return school(students=students, classes=(klass("3A", days=("Mon", "Tue", "Thu")), klass("3B")), **fields)


def test_a_flag_stands_for_every_student_of_the_class_with_it() -> None:
    s = two_classes(rules=(Rule("apart", ("IEP", "a2")), Rule("prefer_together", ("ELL",))))
    rules_a = {r.kind: r.students for r in the_class(s, "3A").rules}
    rules_b = {r.kind: r.students for r in the_class(s, "3B").rules}
    assert rules_a == {"apart": ("a1", "a3", "a2"), "prefer_together": ("a3", "ab")}
    assert rules_b == {"apart": ("b1",), "prefer_together": ("ab",)}


def test_students_outside_the_class_are_dropped_from_its_rules() -> None:
    s = two_classes(rules=(Rule("together", ("a1", "b1", "ab")), Rule("group", ("a2",), group=2),
                           Rule("needs", ("b2",), station="Teacher", count=3)))
    rules_a = the_class(s, "3A").rules
    rules_b = the_class(s, "3B").rules
    assert [(r.kind, r.students) for r in rules_a] == [("together", ("a1", "ab")), ("group", ("a2",))]
    assert rules_a[1].group == 2
    assert [(r.kind, r.students) for r in rules_b] == [("together", ("b1", "ab")), ("needs", ("b2",))]
    assert (rules_b[1].station, rules_b[1].count) == ("Teacher", 3)


def test_away_rules_become_pull_outs_on_the_class_days_they_name() -> None:
    s = two_classes(rules=(
        Rule("away", ("IEP",), days=("Mon", "Wed"), start=t("09:10"), end=t("09:40"), note="speech"),
        Rule("away", ("ab",), start=t("09:00"), end=t("09:30")),  # blank day: every class day
    ))
    away_a = {(a.student, a.day, a.start, a.end) for a in the_class(s, "3A").away}
    away_b = {(a.student, a.day, a.start, a.end) for a in the_class(s, "3B").away}
    # 3A meets Mon, Tue, Thu: Wednesday's pull-out does not touch it.
    assert away_a == {("a1", "Mon", 550, 580), ("a3", "Mon", 550, 580),
                      *{("ab", day, 540, 570) for day in ("Mon", "Tue", "Thu")}}
    assert away_b == {("b1", "Mon", 550, 580), ("b1", "Wed", 550, 580),
                      *{("ab", day, 540, 570) for day in MON_FRI}}
    assert all(r.kind != "away" for c in build_instance(s).instance.classes for r in c.rules)


def test_a_device_pool_with_blank_classes_is_shared_by_every_class() -> None:
    s = two_classes(devices=(DevicePool("iPads", 5), DevicePool("Laptops", 12, ("3B",))))
    pools = {p.name: (p.count, p.classes) for p in build_instance(s).instance.pools}
    assert pools == {"iPads": (5, frozenset({"3A", "3B"})), "Laptops": (12, frozenset({"3B"}))}


# ---------------------------------------------------------------- slots


def test_slots_follow_start_rotation_and_transition_minutes() -> None:
    s = school(stations=FOUR_STATIONS[:3],
               classes=(klass(start=t("09:08"), rotation_minutes=15, transition_minutes=2, days=("Mon", "Wed")),))
    slots = the_class(s).slots
    spans = [(548, 563), (565, 580), (582, 597)]
    assert slots == tuple(si.Slot(day, k + 1, *span) for day in ("Mon", "Wed") for k, span in enumerate(spans))


def test_without_transition_minutes_slots_follow_one_another() -> None:
    cls = the_class(school(classes=(klass(start=t("13:30"), rotation_minutes=20, rotations=2, days=("Fri",)),)))
    assert cls.slots == (si.Slot("Fri", 1, 810, 830), si.Slot("Fri", 2, 830, 850))


# ---------------------------------------------------------------- group names

RANKING_WORDS = ("low", "high", "top", "bottom", "best", "worst", "weak", "strong", "slow", "fast",
                 "advanced", "remedial", "basic")
CLASS_IDS = ("3A", "3B", "K-1", "5-ELA", "ALG1-P3", "7-Math-P2")


@pytest.mark.parametrize("class_id", CLASS_IDS)
@pytest.mark.parametrize("groups", [1, 4, 6, len(GROUP_NAMES), len(GROUP_NAMES) + 5])
def test_group_names_are_neutral_and_distinct_within_a_class(class_id: str, groups: int) -> None:
    names = group_names(class_id, groups)
    assert len(names) == groups
    assert len(set(names)) == groups
    assert all(name.strip() for name in names)
    assert not [n for n in names for word in RANKING_WORDS if word in n.lower().split()]


def test_group_names_are_the_same_for_a_class_on_every_run() -> None:
    assert group_names("3A", 5) == group_names("3A", 5)


def test_group_names_are_not_in_the_same_order_for_every_class() -> None:
    orders = {tuple(group_names(c, 4)) for c in CLASS_IDS}
    assert len(orders) >= 2


def test_a_needs_rule_on_a_mirror_counts_visits_to_either_copy_and_binds_only_classes_with_it() -> None:
    s = two_classes(
        stations=(Station("Teacher table", class_id="3A", kind="teacher"), Station("Online", class_id="3A"),
                  Station("Online 2", class_id="3A", mirror_of="Online"), Station("Teacher table", class_id="3B",
                                                                                   kind="teacher")),
        rules=(Rule("needs", ("IEP",), station="Online 2", count=2, row=2),))
    needs = {c.id: [r for r in c.rules if r.kind == "needs"] for c in build_instance(s).instance.classes}
    assert [(r.station, r.count) for r in needs["3A"]] == [("Online", 2)]
    assert needs["3B"] == []
