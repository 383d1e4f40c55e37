"""Test the model's helpers against hand-worked cases: every expected value below was worked on paper."""

from __future__ import annotations

from dataclasses import replace

from solver.explain import _separate, largest_clique
from solver.instance import Adult, Away, Class, DevicePool, Instance, Slot, Station, Student, StudentRule, Window
from solver.split import sorted_split
from solver.week import (
    away_in,
    block,
    by_need_slots,
    by_need_targets,
    can_staff,
    candidates,
    could_take,
    fillers,
    free,
    keep_group_weight,
    keep_visit_weight,
    leading_elsewhere,
    must_fit,
    overlaps,
    present,
    ranked_by_need,
    teams,
    time_points,
)

NINE = 9 * 60
MON1, MON2, MON3 = Slot("Mon", 1, 540, 555), Slot("Mon", 2, 557, 572), Slot("Mon", 3, 574, 589)
TUE1 = Slot("Tue", 1, 540, 555)
LATE = Slot("Mon", 4, 595, 610)  # 09:55-10:10: inside 3B's block below, and past P2's 10:00


def _class(cid: str = "3A", slots: tuple[Slot, ...] = (MON1, MON2, MON3, TUE1), **kw) -> Class:
    kw.setdefault("students", (Student("S1", 900), Student("S2", 700), Student("S3", 100)))
    kw.setdefault("stations", (Station("teacher", "teacher", staff="T1", by_need=True), Station("games")))
    return Class(cid, slots=slots, groups=kw.pop("groups", 2), min_size=1, max_size=3, **kw)


# --- time ---------------------------------------------------------------------------------------

def test_touching_times_do_not_overlap():
    assert not overlaps(540, 555, 555, 570)  # one ends as the other starts
    assert not overlaps(555, 570, 540, 555)  # either way round
    assert overlaps(540, 556, 555, 570)  # one shared minute
    assert overlaps(540, 600, 550, 560)  # one inside the other
    assert overlaps(550, 560, 540, 600)
    assert not overlaps(540, 550, 560, 570)  # a gap


def test_a_pull_out_that_only_touches_a_slot_leaves_the_student_in_it():
    away = (Away("speech", "S1", "Mon", 555, 557),  # between slots 1 and 2: touches both
            Away("reading", "S2", "Mon", 571, 580),  # last minute of slot 2 and into slot 3
            Away("OT", "S3", "Tue", 540, 555))  # another day
    cls = _class(away=away)
    assert away_in(cls, MON1) == set()
    assert away_in(cls, MON2) == {"S2"}
    assert away_in(cls, MON3) == {"S2"}
    assert away_in(cls, TUE1) == {"S3"}


def test_an_away_student_takes_no_seat():
    cls = _class(away=(Away("speech", "S1", "Mon", 557, 572),))
    groups = {"S1": 1, "S2": 1, "S3": 2}
    assert present(cls, groups, 1, MON1) == 2  # S1 and S2 both in
    assert present(cls, groups, 1, MON2) == 1  # S1 out
    assert present(cls, groups, 2, MON2) == 1


def test_a_class_block_runs_from_its_first_start_to_its_last_end():
    cls = _class()
    assert block(cls, "Mon") == (540, 589)  # 09:00 to slot 3's end, 09:49
    assert block(cls, "Tue") == (540, 555)
    assert block(cls, "Wed") is None  # no rotations that day


def test_time_points_are_each_days_distinct_slot_starts():
    spans = [("Mon", 600, 615), ("Mon", 540, 555), ("Tue", 545, 560), ("Mon", 540, 560), ("Mon", 550, 565)]
    assert time_points(spans) == {"Mon": [540, 550, 600], "Tue": [545]}  # 540 once; sorted; ends ignored


# --- adults -------------------------------------------------------------------------------------

def test_back_to_back_windows_cover_a_slot():
    # 09:00-09:10 then 09:10-09:40: every minute of 09:00-09:15 is covered.
    adult = Adult("I1", available=(Window("Mon", 540, 550), Window("Mon", 550, 580)))
    assert free(adult, "Mon", 540, 555)


def test_a_one_minute_gap_between_windows_leaves_a_slot_uncovered():
    # 09:00-09:10 then 09:11-09:40: 09:10 is not covered.
    adult = Adult("I1", available=(Window("Mon", 540, 550), Window("Mon", 551, 580)))
    assert not free(adult, "Mon", 540, 555)
    assert free(adult, "Mon", 551, 566)  # inside the second window


def test_windows_given_out_of_order_still_join():
    adult = Adult("I1", available=(Window("Mon", 550, 580), Window("Mon", 540, 550)))
    assert free(adult, "Mon", 540, 555)
    assert not free(adult, "Tue", 540, 555)  # no window that day
    assert free(Adult("I2"), "Sun", 0, 24 * 60)  # no windows given: always free


def _two_classes() -> Instance:
    # 3A meets Mon 09:00-09:49; 3B meets Mon 09:49-10:20, starting the minute 3A ends.
    b_slots = (Slot("Mon", 1, 589, 604), Slot("Mon", 2, 605, 620))
    return Instance((_class("3A"), _class("3B", b_slots)), (
        Adult("T1", teaches=("3A",)),
        Adult("T2", role="para", teaches=("3B",)),  # leads 3B, a para otherwise
        Adult("P1", role="para"),
        Adult("P2", role="para", available=(Window("Mon", 556, 600),)),  # from 09:16
    ))


def test_an_adult_leading_their_class_cannot_staff_another_then():
    inst = _two_classes()
    t2 = inst.adult("T2")
    b_slot = inst.classes[1].slots[0]
    assert leading_elsewhere(inst, t2, "3A", LATE)  # inside 3B's block
    assert not leading_elsewhere(inst, t2, "3A", MON3)  # 3A's slot 3 ends as 3B begins
    assert not leading_elsewhere(inst, t2, "3B", b_slot)  # their own class is not elsewhere
    assert not leading_elsewhere(inst, inst.adult("P1"), "3A", LATE)  # leads no class


def test_can_staff_needs_both_free_and_not_leading():
    inst = _two_classes()
    assert can_staff(inst, inst.adult("T2"), "3A", MON3)
    assert not can_staff(inst, inst.adult("T2"), "3A", LATE)  # leading 3B
    assert not can_staff(inst, inst.adult("P2"), "3A", MON1)  # not in until 09:16
    assert can_staff(inst, inst.adult("P2"), "3A", MON2)


def test_candidates_for_named_and_role_stations():
    inst = _two_classes()
    stations = (Station("teacher", "teacher", staff="T1"), Station("aide", staff="P2"), Station("help", role="para"),
                Station("lead", staff="Ms Lee"), Station("games"))
    cls = _class(stations=stations)
    assert candidates(inst, cls, "teacher", MON1) == ["T1"]  # named, always free
    assert candidates(inst, cls, "aide", MON1) == []  # named but not in until 09:16
    assert candidates(inst, cls, "aide", MON2) == ["P2"]
    assert candidates(inst, cls, "help", MON1) == ["T2", "P1"]  # every free para, in Staff order; P2 not in yet
    assert candidates(inst, cls, "help", MON2) == ["T2", "P1", "P2"]
    assert candidates(inst, cls, "lead", MON1) == ["Ms Lee"]  # a teacher absent from Staff is always there
    assert candidates(inst, cls, "games", MON1) == []  # nobody staffs a game
    assert candidates(inst, cls, "help", LATE) == ["P1"]  # T2 leads 3B then; P2 leaves at 10:00


def test_interchangeable_adults_form_one_team():
    mon = (Window("Mon", 540, 600),)
    adults = (Adult("I1", role="interventionist"), Adult("I2", role="interventionist"),  # alike
              Adult("I3", role="interventionist", available=mon),  # other hours
              Adult("I4", role="interventionist", teaches=("3B",)),  # leads a class
              Adult("I5", role="interventionist"),  # alike, but a station names them
              Adult("P1", role="para"), Adult("I6", role="interventionist"))  # other role; alike again
    named = _class(stations=(Station("teacher", "teacher", staff="I5"),))
    got = teams(Instance((named,), adults))
    assert got == {"I1": ("I1", "I2", "I6"), "I2": ("I1", "I2", "I6"), "I6": ("I1", "I2", "I6"),
                   "I3": ("I3",), "I4": ("I4",), "I5": ("I5",), "P1": ("P1",)}


# --- need ---------------------------------------------------------------------------------------

def test_groups_rank_by_mean_need_then_by_number():
    students = (Student("A", 900), Student("B", 100), Student("G", 500), Student("C", 600), Student("D", 600),
                Student("E", 500), Student("F", 500))
    cls = _class(students=students, groups=4)
    # Means: g1 (900, 100, 500) 500, g2 (600, 600) 600, g3 (500, 500) 500, g4 empty 0: g2, then g1 and g3 tied.
    # (Sums would put g1 first: 1500 against g2's 1200.)
    groups = {"A": 1, "B": 1, "G": 1, "C": 2, "D": 2, "E": 3, "F": 3}
    assert ranked_by_need(cls, groups) == [2, 1, 3, 4]


def test_by_need_targets_run_from_every_day_down_to_twice():
    assert by_need_targets(5, 4) == [5, 4, 3, 2]  # 5 - 3i/3
    assert by_need_targets(5, 3) == [5, 4, 2]  # 5, 3.5 rounds up to 4, 2
    assert by_need_targets(5, 1) == [5]  # one group: every day
    assert by_need_targets(2, 3) == [2, 2, 2]  # two days: every day is twice
    assert by_need_targets(1, 2) == [1, 1]  # one day: no more than once


def test_a_by_need_stations_spare_slots_go_one_each_neediest_first():
    assert by_need_targets(5, 4, 15) == [6, 4, 3, 2]  # one spare slot
    assert by_need_targets(4, 4, 16) == [5, 4, 4, 3]  # the week: 4, 3, 3, 2 and four spare
    assert by_need_targets(5, 4, 22) == [7, 6, 5, 4]  # eight spare: two each
    assert by_need_targets(5, 4, 10) == [5, 4, 3, 2]  # fewer slots than the targets: they stay
    assert by_need_targets(2, 3, 8) == [3, 3, 2]
    assert by_need_targets(5, 1, 15) == [15]


def test_a_by_need_table_should_be_used_while_its_adult_is_free_and_a_group_is_in_the_room():
    t1 = Adult("T1", available=(Window("Mon", NINE, NINE + 16),))  # gone after Monday's first slot
    everyone_out = tuple(Away("trip", s, "Tue", NINE, NINE + 60) for s in ("S1", "S2", "S3"))
    cls = _class(away=everyone_out)
    groups = {"S1": 1, "S2": 1, "S3": 2}
    assert by_need_slots(Instance((cls,)), cls, groups, "teacher") == [("teacher", MON1), ("teacher", MON2),
                                                                        ("teacher", MON3)]
    assert by_need_slots(Instance((cls,), (t1,)), cls, groups, "teacher") == [("teacher", MON1)]


def test_a_station_could_take_a_crowded_group_only_with_room_devices_and_an_adult():
    stations = (Station("teacher", staff="T1"), Station("games", capacity=2), Station("lab", visits=1),
                Station("online", pool="carts"), Station("online 2", mirror_of="lab"))
    cls = _class(stations=stations)
    groups = {"S1": 1, "S2": 1, "S3": 2}  # two and one in the room
    school = Instance((cls,), (Adult("T1", available=(Window("Tue", NINE, NINE + 60),)),), (DevicePool("carts", 1),))
    assert [st.name for st in stations if could_take(school, cls, groups, st.name, MON1)] == ["games", "online"]
    assert [st.name for st in stations if could_take(school, cls, groups, st.name, TUE1)] == [
        "teacher", "games", "online"]
    assert not could_take(school, cls, {"S1": 1, "S2": 1, "S3": 1}, "games", TUE1)  # one group of three: 2 seats
    assert not could_take(replace(school, pools=(DevicePool("carts", 0),)), cls, groups, "online", MON1)
    assert could_take(replace(school, pools=()), cls, groups, "online", MON1)  # a pool not listed limits nothing


def test_fillers_are_stations_without_a_visit_rule():
    stations = (Station("teacher", staff="T1", by_need=True), Station("online", must_do=True),
                Station("lab", visits=2), Station("games"), Station("games 2", mirror_of="games"), Station("read"))
    assert fillers(_class(stations=stations)) == ["games", "read"]  # mirrors count toward their original


def test_a_group_must_fit_the_roomiest_copy_of_each_station_it_visits():
    stations = (Station("teacher", staff="T1", by_need=True, capacity=4),
                Station("lab", must_do=True, capacity=3), Station("lab 2", mirror_of="lab", capacity=5),
                Station("online", visits=2, capacity=6), Station("online 2", mirror_of="online"),  # one copy unlimited
                Station("art", visits=1),  # no limit
                Station("games", capacity=2))  # a filler: no group must visit it
    assert must_fit(_class(stations=stations)) == {"teacher": 4, "lab": 5}


# --- weights ------------------------------------------------------------------------------------

def test_a_moved_student_outweighs_every_other_grouping_cost():
    # similar, 2 groups: 2 x 1000 + 1 = 2001.
    assert keep_group_weight(_class()) == 2001
    # + prefer_apart of 3 students: 3 pairs x 200 = 600; + one student without data: 1000 -> 3601.
    students = (Student("S1", 900), Student("S2", 700), Student("S3", 100, no_data=True))
    rule = StudentRule("prefer_apart", "row 4", ("S1", "S2", "S3"))
    assert keep_group_weight(_class(students=students, rules=(rule,))) == 3601
    # mixed, 3 students, 2 groups, 1 flag: 2 x 9 x 1000 + 1 x 3 x 1000 + 1 = 21001.
    flagged = (Student("S1", 900, frozenset({"ELL"})), Student("S2", 700), Student("S3", 100))
    assert keep_group_weight(_class(students=flagged, grouping="mixed")) == 21001
    # by skill, 3 students: 3 x 1000 + 1 = 3001.
    assert keep_group_weight(_class(grouping="by skill")) == 3001


def test_a_changed_visit_outweighs_every_other_rotation_cost():
    # 3 students, 2 groups, 4 slots, 2 stations (1 by need, no mirror): a visit target at most 4 x 3 = 12;
    # away 1000 x 3 x 4 = 12000; idle 500 x 1 x 4 = 2000; by need 100 x 1 x 2 x 144 = 28800;
    # need order 200 x 1 x 1 pair x 4 = 800; repeat, filler and balance (20 x 2 + 10 + 30) x 8 = 640.
    assert keep_visit_weight(Instance((_class(),))) == 44241
    # a second, identical class doubles the bound: 2 x 44240 + 1.
    assert keep_visit_weight(Instance((_class(), _class("3B")))) == 88481


# --- explanations and the exact split -----------------------------------------------------------

def test_separate_slots_one_adult_can_work():
    spans = {("Mon", 540, 555), ("Mon", 550, 560), ("Mon", 555, 570), ("Tue", 540, 555)}
    assert _separate(spans) == 3  # Mon 09:00 and 09:15 (touching is fine), Tue 09:00
    long_first = {("Mon", 540, 600), ("Mon", 545, 550), ("Mon", 555, 560)}
    assert _separate(long_first) == 2  # the two short ones, not the long one that starts first
    assert _separate(set()) == 0


def test_largest_clique_finds_the_students_all_kept_apart():
    # a-b-c all apart from each other; d only from a; e from d.
    web = {"a": {"b", "c", "d"}, "b": {"a", "c"}, "c": {"a", "b"}, "d": {"a", "e"}, "e": {"d"}}
    assert largest_clique(web) == {"a", "b", "c"}
    four = {"a": {"b", "c", "d"}, "b": {"a", "c", "d"}, "c": {"a", "b", "d"}, "d": {"a", "b", "c"}}
    assert largest_clique(four) == {"a", "b", "c", "d"}
    assert largest_clique({}) == set()


def test_sorted_split_on_five_students():
    # Sorted 100, 95, 60, 10, 0. Sizes 3+2: (100-60) + (10-0) = 50; sizes 2+3: (100-95) + (60-0) = 65.
    assert sorted_split([0, 10, 60, 95, 100], 2, 2, 3) == (50, [3, 2])
    # Sorted 100, 100, 50, 5, 0. Sizes 2+3: 0 + 50 = 50; sizes 3+2: 50 + 5 = 55: the neediest group is the smaller.
    assert sorted_split([5, 100, 0, 50, 100], 2, 2, 3) == (50, [2, 3])
    assert sorted_split([1, 2, 3, 4, 5], 2, 1, 2) is None  # two groups of at most 2 cannot hold 5
