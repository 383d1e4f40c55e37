"""Hand edits of the planned grade 3 demo, one operation each, judged by the independent checker.

The demo's class 3A has 28 students in 4 groups of 7 (balanced sizes: a single move breaks group_size), three
stations for four groups (Practice game holds two groups in every slot), the class teacher at Teacher table, and
S04 and S09 kept apart.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections import Counter

import pytest

from rotation.domain.school import (
    AvailabilityClause,
    DevicePool,
    Rule,
    Staff,
    Station,
    Student,
    StudentLock,
    VisitLock,
    Window,
)
from rotation.io.planning_workbook import read_planning_workbook
from rotation.io.planning_writer import write_planning_workbook
from rotation.io.problems import BadInput
from rotation.planning.edits import (
    WORDS,
    AddDevicePool,
    AddRule,
    AddStaff,
    ChangeSetting,
    DropRule,
    EditError,
    ImportSchool,
    LockGroup,
    LockStudent,
    LockVisit,
    MoveStudent,
    RemoveDevicePool,
    RemoveStaff,
    SetClass,
    SetDevicePool,
    SetRule,
    SetStaff,
    SetStation,
    SetVisit,
    Week,
    fix_edit,
    rechecked,
    verdict,
)
from rotation.planning.instance import build_instance
from rotation.planning.result import to_plan
from rotation.planning.service import plan_week
from solver.check import Violation
from solver.instance import Options
from solver.plan import Status
from solver.solve import solve
from tests.planning.conftest import GRADE3

C = "3A"
SLOT = ("Mon", 1)


def members(week: Week, group: int) -> tuple[str, ...]:
    return next(g.members for g in week.plan.groups if g.class_id == C and g.number == group)


def need_of(week: Week, student: str) -> float | None:
    return next(n for g in week.plan.groups if g.class_id == C for s, n in zip(g.members, g.need, strict=True)
                if s == student)


def group_of(week: Week, student: str) -> int:
    return next(g.number for g in week.plan.groups if g.class_id == C and student in g.members)


def at(week: Week, group: int, day: str = SLOT[0], slot: int = SLOT[1]) -> tuple[str, tuple[str, ...]]:
    """Where the group is in the slot, and the staff working there with it."""
    return next((v.station, v.staff) for v in week.plan.visits
                if (v.class_id, v.day, v.slot, v.group) == (C, day, slot, group))


def stations_used(week: Week, day: str = SLOT[0], slot: int = SLOT[1]) -> Counter[str]:
    return Counter(v.station for v in week.plan.visits if (v.class_id, v.day, v.slot) == (C, day, slot))


def broken(week: Week) -> list[str]:
    return [v.rule for v in verdict(week).violations]


def the_group_at(week: Week, station: str) -> int:
    """The one group at `station` in SLOT."""
    (group,) = [v.group for v in week.plan.visits if (v.class_id, v.day, v.slot, v.station) == (C, *SLOT, station)]
    return group


# --- moving students ---------------------------------------------------------------------------------

def test_a_moved_student_leaves_one_group_and_joins_the_end_of_the_other_with_their_need(grade3: Week) -> None:
    mover = members(grade3, 4)[0]
    need = need_of(grade3, mover)

    week = MoveStudent(C, mover, 1).apply(grade3)

    assert members(week, 4) == members(grade3, 4)[1:]
    assert members(week, 1) == (*members(grade3, 1), mover)
    # Each group's need column still lines up with its members, the mover's need carried with them.
    for g in (1, 4):
        assert [need_of(week, s) for s in members(week, g)] == \
               [need_of(grade3, s) for s in members(week, g)]
    assert need_of(week, mover) == need


def test_one_move_breaks_the_group_sizes_and_moving_another_back_mends_them(grade3: Week) -> None:
    mover, back = members(grade3, 4)[0], next(s for s in members(grade3, 1) if s not in ("S04", "S09"))

    one = MoveStudent(C, mover, 1).apply(grade3)
    sizes = verdict(one).violations
    assert sizes == (Violation("group_size", reason="too_big", class_id=C, groups=(1,), asked=7, have=8),
                     Violation("group_size", reason="too_small", class_id=C, groups=(4,), asked=7, have=6))

    both = MoveStudent(C, back, 4).apply(one)
    assert verdict(both).ok
    assert sorted(members(both, 1)) != sorted(members(grade3, 1))


def test_a_move_that_puts_students_kept_apart_together_is_named_by_the_checker(grade3: Week) -> None:
    a, b = group_of(grade3, "S04"), group_of(grade3, "S09")
    assert a != b
    other = next(s for s in members(grade3, a) if s != "S04")

    week = MoveStudent(C, other, b).apply(MoveStudent(C, "S09", a).apply(grade3))

    (v,) = verdict(week).violations
    assert (v.rule, v.students, v.groups) == ("apart", ("S04", "S09"), (a,))
    # The plan as kept and exported says it first among its Checks, by the students' names.
    broken = rechecked(week, verdict(week)).checks[0]
    names = {s.student_id: s.name for s in week.school.students}
    assert (broken.kind, broken.rule, broken.who) == ("hard rule broken", "apart", C)
    assert broken.detail.endswith(f": {names['S04']} and {names['S09']} are both in group {a}"), broken.detail


def test_a_student_left_out_of_the_plan_joins_a_group_with_their_need_unknown(grade3: Week) -> None:
    left_out = members(grade3, 4)[0]
    groups = tuple(dataclasses.replace(g, members=g.members[1:], need=g.need[1:]) if g.number == 4 else g
                   for g in grade3.plan.groups)
    week = MoveStudent(C, left_out, 4).apply(Week(grade3.school, dataclasses.replace(grade3.plan, groups=groups)))

    assert members(week, 4) == (*members(grade3, 4)[1:], left_out)
    assert need_of(week, left_out) is None  # the plan did not say; the Groups sheet leaves it blank
    assert verdict(week).ok


def test_moving_a_student_to_their_own_group_changes_nothing(grade3: Week) -> None:
    assert MoveStudent(C, members(grade3, 2)[3], 2).apply(grade3) == grade3


# --- visits ------------------------------------------------------------------------------------------

def test_setting_a_group_where_one_other_group_was_swaps_them_and_the_adult_stays_at_the_station(
        grade3: Week) -> None:
    mover, teacher_group = the_group_at(grade3, "Online"), the_group_at(grade3, "Teacher table")
    teacher = at(grade3, teacher_group)[1]
    assert teacher

    week = SetVisit(C, *SLOT, mover, "Teacher table").apply(grade3)

    assert at(week, mover) == ("Teacher table", teacher)
    assert at(week, teacher_group) == ("Online", ())
    assert stations_used(week) == stations_used(grade3)
    assert verdict(week).ok
    # Only those two visits changed.
    assert len(week.plan.visits) == len(grade3.plan.visits)
    assert Counter(week.plan.visits) - Counter(grade3.plan.visits) == Counter(
        {v for v in week.plan.visits if (v.day, v.slot) == SLOT and v.group in (mover, teacher_group)})


def test_a_group_set_at_a_shared_station_joins_it_and_a_staffed_station_left_empty_has_no_adult(
        grade3: Week) -> None:
    leaving = the_group_at(grade3, "Teacher table")
    week = SetVisit(C, *SLOT, leaving, "Practice game").apply(grade3)
    assert stations_used(week) == Counter({"Practice game": 3, "Online": 1})
    assert verdict(week).ok  # legal, if costly: the teacher waits at an empty table
    assert "teacher_idle" in verdict(week).cost_by_rule()

    # Nobody worked Teacher table in that slot any more, so a group sent there has no adult, and the checker says so.
    comer = the_group_at(week, "Online")
    again = SetVisit(C, *SLOT, comer, "Teacher table").apply(week)
    assert at(again, comer) == ("Teacher table", ())
    (v,) = verdict(again).violations
    assert v == Violation("adult_available", reason="one_adult", class_id=C, stations=("Teacher table",), day="Mon",
                          slot=1, asked=1, have=0)


def test_a_group_locked_at_its_station_is_not_swapped_away(grade3: Week) -> None:
    mover, teacher_group = the_group_at(grade3, "Online"), the_group_at(grade3, "Teacher table")
    locked = LockVisit(C, *SLOT, teacher_group, True).apply(grade3)

    week = SetVisit(C, *SLOT, mover, "Teacher table").apply(locked)

    assert at(week, teacher_group)[0] == "Teacher table"
    assert at(week, mover)[0] == "Teacher table"
    assert broken(week) == ["one_group_at_staffed"]


def test_a_group_at_no_station_in_a_slot_is_put_there_and_nobody_else_moves(grade3: Week) -> None:
    group = the_group_at(grade3, "Online")
    nowhere = Week(grade3.school, dataclasses.replace(grade3.plan, visits=tuple(
        v for v in grade3.plan.visits if (v.class_id, v.day, v.slot, v.group) != (C, *SLOT, group))))
    assert broken(nowhere) == ["one_station"]

    week = SetVisit(C, *SLOT, group, "Teacher table").apply(nowhere)

    assert at(week, group) == ("Teacher table", at(grade3, the_group_at(grade3, "Teacher table"))[1])
    assert stations_used(week) == Counter({"Teacher table": 2, "Practice game": 2})


def test_a_visit_lock_holds_the_station_moves_with_a_dragged_visit_and_unlocks(grade3: Week) -> None:
    group = the_group_at(grade3, "Online")
    locked = LockVisit(C, *SLOT, group, True).apply(grade3)
    assert locked.school.visit_locks == (VisitLock(C, *SLOT, group, "Online"),)
    assert verdict(locked).ok

    dragged = SetVisit(C, *SLOT, group, "Teacher table").apply(locked)
    assert dragged.school.visit_locks == (VisitLock(C, *SLOT, group, "Teacher table"),)
    assert verdict(dragged).ok

    assert LockVisit(C, *SLOT, group, False).apply(dragged).school.visit_locks == ()


# --- student locks -----------------------------------------------------------------------------------

def replanned_group(week: Week, student: str) -> int:
    planned = plan_week(week.school, seed=1)
    assert planned.checked_ok and planned.plan is not None
    return group_of(Week(week.school, planned.plan), student)


def test_a_locked_student_stays_in_their_group_when_the_week_is_planned_again(grade3: Week) -> None:
    # The student who needs least support, moved by hand into the group that needs most.
    mover = min(members(grade3, 4), key=lambda s: need_of(grade3, s) or 0)
    back = next(s for s in members(grade3, 1) if s != "S04")
    moved = MoveStudent(C, back, 4).apply(MoveStudent(C, mover, 1).apply(grade3))
    assert replanned_group(moved, mover) != 1  # unlocked, planning again sends them back

    locked = LockStudent(C, mover, True).apply(moved)

    assert locked.school.student_locks == (StudentLock(C, mover, 1),)
    assert locked.plan == moved.plan
    assert replanned_group(locked, mover) == 1
    assert LockStudent(C, mover, False).apply(locked) == moved


def test_dragging_a_locked_student_moves_their_lock_with_them(grade3: Week) -> None:
    mover, other = members(grade3, 4)[:2]
    locked = LockStudent(C, other, True).apply(LockStudent(C, mover, True).apply(grade3))

    week = MoveStudent(C, mover, 1).apply(locked)

    # The lock is changed where it stands on the Locks sheet.
    assert week.school.student_locks == (StudentLock(C, mover, 1), StudentLock(C, other, 4))
    assert "student_lock" not in broken(week)


def test_locking_a_group_locks_every_member_and_unlocking_frees_them(grade3: Week) -> None:
    locked = LockGroup(C, 2, True).apply(grade3)
    assert locked.school.student_locks == tuple(StudentLock(C, s, 2) for s in members(grade3, 2))
    assert verdict(locked).ok

    assert LockGroup(C, 2, False).apply(locked).school.student_locks == ()


# --- class settings ----------------------------------------------------------------------------------

def test_a_smaller_max_group_size_leaves_the_plan_and_the_checker_names_every_group_too_big(grade3: Week) -> None:
    week = ChangeSetting(C, "max_group_size", 6).apply(grade3)

    assert week.school.classes[0].max_group_size == 6
    assert week.plan == grade3.plan
    assert verdict(week).violations == tuple(
        Violation("group_size", reason="too_big", class_id=C, groups=(g,), asked=6, have=7) for g in range(1, 5))


def test_a_change_of_grouping_changes_what_the_plan_costs(grade3: Week) -> None:
    assert "need_spread" in verdict(grade3).cost_by_rule()

    costs = verdict(ChangeSetting(C, "grouping", "mixed").apply(grade3)).cost_by_rule()

    assert "need_spread" not in costs
    assert "mean_balance" in costs


def test_a_group_added_by_a_setting_is_filled_by_moving_students_into_it(grade3: Week) -> None:
    five = ChangeSetting(C, "groups", 5).apply(grade3)
    assert Violation("group_size", reason="too_small", class_id=C, groups=(5,), asked=5, have=0) in \
        verdict(five).violations

    mover = members(grade3, 4)[0]
    week = MoveStudent(C, mover, 5).apply(five)

    (new,) = [g for g in week.plan.groups if g.number == 5]
    assert (new.members, new.need) == ((mover,), (need_of(grade3, mover),))
    assert new.name and new.name not in {g.name for g in grade3.plan.groups}


# --- edits the week cannot take ----------------------------------------------------------------------

@pytest.mark.parametrize(("edit", "message"), [
    (MoveStudent("3Z", "S01", 1), "there is no class '3Z'"),
    (MoveStudent(C, "S99", 1), "'S99' is not a student of class '3A'"),
    (MoveStudent(C, "S01", 5), "class '3A' has groups 1 to 4; there is no group 5"),
    (MoveStudent(C, "S01", 0), "class '3A' has groups 1 to 4; there is no group 0"),
    (LockStudent(C, "S99", True), "'S99' is not a student of class '3A'"),
    (LockGroup(C, 7, True), "class '3A' has groups 1 to 4; there is no group 7"),
    (SetVisit(C, "Sat", 1, 1, "Online"), "class '3A' does not meet on Sat (it meets Mon, Tue, Wed, Thu, Fri)"),
    (SetVisit(C, "Mon", 4, 1, "Online"), "class '3A' has slots 1 to 3 a day; there is no slot 4"),
    (SetVisit(C, "Mon", 1, 1, "Gym"), "'Gym' is not a station of class '3A'"),
    (SetVisit(C, "Mon", 1, 5, "Online"), "class '3A' has groups 1 to 4; there is no group 5"),
    (LockVisit(C, "Mon", 0, 1, True), "class '3A' has slots 1 to 3 a day; there is no slot 0"),
    (ChangeSetting(C, "colour", "red"), "'colour' is not a class setting (settings: start, rotation_minutes"),
    (ChangeSetting(C, "class_id", "3B"), "'class_id' is not a class setting"),
    (ChangeSetting(C, "max_group_size", "6"), "max_group_size must be a whole number or blank, not '6'"),
    (ChangeSetting(C, "groups", True), "groups must be a whole number or blank, not True"),
    (ChangeSetting(C, "days", "Mon"), "days must be a list of text, not 'Mon'"),
    (ChangeSetting(C, "groups", 0), "groups must be at least 1, not 0"),
    (ChangeSetting(C, "grouping", "random"), "grouping must be one of similar, mixed, by skill, not 'random'"),
    (ChangeSetting(C, "days", ("Mon", "Someday")), "days must name each class day once"),
])
def test_an_edit_naming_what_the_class_does_not_have_says_so_and_leaves_the_week(grade3: Week, edit,
                                                                                  message: str) -> None:
    before = copy.deepcopy(grade3)
    with pytest.raises(EditError, match=re.escape(message)):
        edit.apply(grade3)
    assert grade3 == before


def test_a_min_group_size_above_the_max_is_refused(grade3: Week) -> None:
    capped = ChangeSetting(C, "max_group_size", 8).apply(grade3)
    with pytest.raises(EditError, match="min_group_size 9 is more than max_group_size 8"):
        ChangeSetting(C, "min_group_size", 9).apply(capped)


# --- every edit ---------------------------------------------------------------------------------------

EDITS = [MoveStudent(C, "S02", 1), LockStudent(C, "S02", True), LockGroup(C, 3, True),
         SetVisit(C, "Tue", 2, 1, "Practice game"), LockVisit(C, "Tue", 2, 1, True),
         ChangeSetting(C, "rotation_minutes", 20), SetClass(C, {"groups": 5, "rotation_minutes": 20, "days": ("Mon",)}),
         SetStation(None, "Online", {"capacity": 8, "kind": "online"})]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: type(e).__name__)
def test_an_edit_gives_the_same_week_each_time_and_leaves_the_week_it_was_given(grade3: Week, edit) -> None:
    before = copy.deepcopy(grade3)
    once = edit.apply(grade3)
    assert once != grade3
    assert edit.apply(grade3) == once
    assert grade3 == before  # the undo history keeps it, and restoring it undoes the edit


def test_each_edit_says_what_it_did_in_plain_words_for_the_undo_history(grade3: Week) -> None:
    name = {s.student_id: s.name for s in grade3.school.students}
    group = {g.number: g.name for g in grade3.plan.groups}
    where = at(grade3, 1, "Tue", 2)[0]
    assert [str(e.label(grade3)) for e in EDITS] == [
        f"Move {name['S02']} to {group[1]}",
        f"Lock {name['S02']} in {group[group_of(grade3, 'S02')]}",
        f"Lock {group[3]}",
        f"Put {group[1]} at Practice game on Tue, slot 2",
        f"Lock {group[1]} at {where} on Tue, slot 2",
        "Set rotation minutes of 3A to 20",
        "Set groups to 5, rotation minutes to 20, days to Mon for class 3A",
        "Set capacity to 8 for station Online"]  # the kind is Online's already
    # The UI translates the format and fills it in.
    assert all(e.label(grade3).text in WORDS.values() for e in EDITS)


def test_a_conflicts_fixes_become_edits_that_lift_it(grade3):
    """The impossible keep-apart web: 'more groups' and 'remove a rule' each make a school that plans."""
    school = read_planning_workbook(GRADE3.with_name("impossible-apart.xlsx"))
    planned = plan_week(school, seed=1)
    assert planned.status == Status.INFEASIBLE
    fixes = [f for c in planned.conflicts for f in c.fixes]
    more = next(f for f in fixes if f.change == "more_groups")
    drop = next(f for f in fixes if f.change == "drop_rule")
    for fix in (more, drop):
        edit = fix_edit(fix)
        assert edit is not None
        after = edit.apply(Week(school, grade3.plan)).school
        replanned = plan_week(after, seed=1)
        assert replanned.checked_ok, fix
    assert len(DropRule(drop.rule).apply(Week(school, grade3.plan)).school.rules) == len(school.rules) - 1
    with pytest.raises(EditError, match="no rule"):
        DropRule("apart X, Y (Rules row 99)").apply(Week(school, grade3.plan))


# --- a form's settings, several at once ---------------------------------------------------------------

def test_a_class_form_sets_several_settings_in_one_edit_and_the_checker_judges_the_plan_it_kept(grade3: Week) -> None:
    before = copy.deepcopy(grade3)
    week = SetClass(C, {"groups": 5, "rotation_minutes": 20, "max_group_size": 6}).apply(grade3)
    cls = week.school.classes[0]
    assert (cls.groups, cls.rotation_minutes, cls.max_group_size) == (5, 20, 6)
    assert dataclasses.replace(cls, groups=4, rotation_minutes=15, max_group_size=None) == grade3.school.classes[0]
    assert week.plan == grade3.plan and grade3 == before
    # Four groups of 7 are now too big for groups of at most 6: the plan stays, and the checker says so.
    assert {v.rule for v in verdict(week).violations} == {"group_size"}
    assert SetClass(C, {}).apply(grade3) == grade3  # nothing to set: the same week, no step to undo
    # Three rotations of 15 minutes and two changes of 2 from 23:10 end at 23:59, just before midnight (23:11 does not).
    assert SetClass(C, {"start": dt.time(23, 10)}).apply(grade3).school.classes[0].start == dt.time(23, 10)


@pytest.mark.parametrize(("values", "setting", "message"), [
    ({"groups": 5, "rotation_minutes": 0}, "rotation_minutes", "rotation_minutes must be at least 1, not 0"),
    ({"groups": "5"}, "groups", "groups must be a whole number or blank, not '5'"),
    ({"transition_minutes": -1}, "transition_minutes", "transition_minutes must be at least 0, not -1"),
    ({"min_group_size": 8, "max_group_size": 6}, "max_group_size", "min_group_size 8 is more than max_group_size 6"),
    ({"start": dt.time(23, 30)}, "start", "3 rotations of 15 minutes from 23:30 would end at or after midnight"),
    ({"start": dt.time(23, 11)}, "start", "3 rotations of 15 minutes from 23:11 would end at or after midnight"),
    ({"start": dt.time(23, 0), "rotations": 4}, "rotations",
     "4 rotations of 15 minutes from 23:00 would end at or after midnight"),
    ({"focus": ("3.NF.A.1", "Fractons")}, "focus", "focus skill 'Fractons' is not a skill on sheet Skills or Mastery"),
    ({"days": ()}, "days", "days must name each class day once"),
    ({"colour": "red"}, None, "'colour' is not a class setting"),
])
def test_a_class_form_value_the_workbook_would_refuse_is_refused_whole_and_named_by_its_setting(
        grade3: Week, values: dict, setting: str | None, message: str) -> None:
    before = copy.deepcopy(grade3)
    with pytest.raises(EditError, match=re.escape(message)) as refused:
        SetClass(C, values).apply(grade3)
    assert refused.value.setting == setting
    assert grade3 == before  # not even the values before the bad one are set


@pytest.mark.parametrize("values", [
    {"min_group_size": 8, "max_group_size": 6}, {"start": dt.time(23, 30)}, {"start": dt.time(23, 0), "rotations": 4},
    {"focus": ("3.NF.A.1", "Fractons")},
])
def test_a_refused_class_setting_is_told_in_the_planning_workbook_readers_own_words(grade3: Week, tmp_path,
                                                                                     values: dict) -> None:
    school = dataclasses.replace(grade3.school, classes=(dataclasses.replace(grade3.school.classes[0], **values),))
    write_planning_workbook(school, tmp_path / "bad.xlsx")
    with pytest.raises(BadInput) as read:
        read_planning_workbook(tmp_path / "bad.xlsx")
    with pytest.raises(EditError) as edited:
        SetClass(C, values).apply(grade3)
    assert [(p.column, p.message) for p in read.value.problems] == [(edited.value.setting, str(edited.value))]


def test_a_station_form_sets_a_stations_settings_in_one_edit(grade3: Week) -> None:
    week = SetStation(None, "Practice game", {"capacity": 6, "kind": "independent", "visits": 2}).apply(grade3)
    station = next(s for s in week.school.stations if s.name == "Practice game")
    assert (station.capacity, station.kind, station.visits) == (6, "independent", 2)
    assert week.plan == grade3.plan
    # Groups of 7 at a station for 6 that each must visit twice: the checker says the groups do not fit.
    assert "group_fits_station" in {v.rule for v in verdict(week).violations}
    by_need = SetStation(None, "Online", {"visits": "by need", "must_do": None}).apply(grade3)
    assert next(s for s in by_need.school.stations if s.name == "Online").visits == "by need"


@pytest.fixture(scope="module")
def two_classes(grade3: Week) -> Week:
    """3A and 3B, each with its own Reading corner; Chromebooks for 3A only; Online mirrored by Online 2 in 3A."""
    school = grade3.school
    school = dataclasses.replace(
        school, classes=(*school.classes, dataclasses.replace(school.classes[0], class_id="3B", teacher="T-B")),
        stations=(*school.stations, Station("Reading corner", "3A"), Station("Reading corner", "3B"),
                  Station("Online 2", "3A", mirror_of="Online")),
        devices=(DevicePool("Chromebooks", 12, ("3A", "3B")), DevicePool("iPads", 6, ("3A",))))
    return Week(school, grade3.plan)


@pytest.mark.parametrize(("edit", "setting", "message"), [
    (SetStation("3A", "Gym", {"capacity": 4}), None, "there is no station 'Gym' of class '3A'"),
    (SetStation("3A", "Online", {"capacity": 4}), None, "there is no station 'Online' of class '3A'"),
    (SetStation(None, "Online", {"name": "Web"}), None, "'name' is not a station setting"),
    (SetStation(None, "Online", {"kind": "lab"}), "kind", "kind must be one of teacher, online"),
    (SetStation(None, "Online", {"capacity": 0}), "capacity", "capacity must be at least 1, not 0"),
    (SetStation(None, "Online", {"visits": "often"}), "visits", "visits must be a whole number, 'by need' or blank"),
    (SetStation(None, "Online", {"must_do": "yes"}), "must_do", "must_do must be bool or blank, not 'yes'"),
    (SetStation(None, "Online", {"staff": "NOBODY"}), "staff",
     "'NOBODY' is not a staff_id or role on sheet Staff, nor a class teacher"),
    (SetStation(None, "Online", {"devices": "Tablets"}), "devices", "device pool 'Tablets' is not on sheet Devices"),
    (SetStation(None, "Online", {"devices": "iPads"}), "devices",
     "class '3B' would use device pool 'iPads', which sheet Devices lists for '3A' only"),
    (SetStation("3B", "Reading corner", {"mirror_of": "Reading corner"}), "mirror_of",
     "a station cannot mirror itself"),
    (SetStation("3B", "Reading corner", {"mirror_of": "Online 2"}), "mirror_of",
     "station 'Online 2' of class '3B' is not on sheet Stations"),
    (SetStation("3A", "Reading corner", {"mirror_of": "Online 2"}), "mirror_of",
     "station 'Online 2' is itself a mirror; name the station it copies"),
    (SetStation(None, "Online", {"mirror_of": "Teacher table"}), "mirror_of",
     "station 'Online 2' mirrors this one, so it cannot be a mirror itself"),
])
def test_a_station_form_value_the_workbook_would_refuse_is_refused_in_its_words(two_classes: Week, edit,
                                                                                setting: str | None,
                                                                                message: str) -> None:
    before = copy.deepcopy(two_classes)
    with pytest.raises(EditError, match=re.escape(message)) as refused:
        edit.apply(two_classes)
    assert refused.value.setting == setting
    assert two_classes == before


def test_a_mirror_that_becomes_a_station_of_its_own_adds_a_rotation_and_the_day_must_still_end(
        two_classes: Week) -> None:
    # 3A rotates through Teacher table, Online, Practice game and Reading corner (Online 2 copies Online): four
    # rotations of 15 minutes with three changes of 2 end at 23:59, and a fifth would pass midnight.
    late = SetClass(C, {"start": dt.time(22, 53)}).apply(two_classes)
    with pytest.raises(EditError, match="class '3A': 5 rotations of 15 minutes from 22:53 would end at or after "
                                        "midnight") as refused:
        SetStation(C, "Online 2", {"mirror_of": ""}).apply(late)
    assert refused.value.setting == "mirror_of"
    SetStation(C, "Online 2", {"mirror_of": ""}).apply(two_classes)  # at 09:08 it fits


# --- staff, device pools and rules ----------------------------------------------------------------------

def test_a_keep_apart_rule_for_two_students_of_one_group_breaks_apart_and_the_checker_names_its_row(
        grade3: Week) -> None:
    a, b = members(grade3, 1)[:2]
    edit = AddRule(Rule("apart", (a, b), note="chat"))
    week = edit.apply(grade3)
    assert week.school.rules[-1] == Rule("apart", (a, b), note="chat", row=4)  # after rows 2 and 3
    assert str(edit.label(grade3)) == f"Add rule apart {a}, {b} (Rules row 4)"
    assert week.plan == grade3.plan
    assert [v.rule for v in verdict(week).violations] == ["apart"]
    # Planning again keeps them apart, and the checker agrees.
    planning = build_instance(week.school)
    replanned = Week(week.school, to_plan(planning, solve(planning.instance, Options(seed=1))))
    assert not verdict(replanned).violations
    assert all(not {a, b} <= set(g.members) for g in replanned.plan.groups)
    # Removed by the label the Checks name it by.
    assert DropRule(f"apart {a}, {b} (Rules row 4)").apply(week).school.rules == grade3.school.rules


def test_a_rule_changed_keeps_its_row_and_a_rule_added_reads_back_from_the_workbook(grade3: Week, tmp_path) -> None:
    week = SetRule("apart S04, S09 (Rules row 2)", Rule("together", ("S04", "S09"))).apply(grade3)
    assert week.school.rules[0] == Rule("together", ("S04", "S09"), row=2)
    assert SetRule(0, Rule("prefer_apart", ("S04",))).apply(grade3).school.rules[0].rule == "prefer_apart"
    assert str(SetRule(0, Rule("together", ("S04",))).label(grade3)) == "Change rule apart S04, S09 (Rules row 2)"
    away = AddRule(Rule("away", ("IEP",), days=("Tue",), start=dt.time(9, 30), end=dt.time(10), note="OT")).apply(week)
    write_planning_workbook(away.school, tmp_path / "rules.xlsx")
    assert read_planning_workbook(tmp_path / "rules.xlsx").rules == away.school.rules
    with pytest.raises(EditError, match="there is no rule 9; there are 2"):
        SetRule(8, Rule("apart", ("S04",))).apply(grade3)


RULES_REFUSED = [
    (Rule("apart", ("S04", "S99")), "students",
     "'S99' is neither a student on sheet Students nor a flag a student has"),
    (Rule("group", ("S04",)), "group", "a 'group' rule needs a group"),
    (Rule("group", ("S04",), group=5), "group", "class '3A' has groups 1 to 4; there is no group 5"),
    (Rule("needs", ("S04",), station="Gym", count=2), "station", "station 'Gym' is not on sheet Stations"),
    (Rule("needs", ("S04",), station="Online"), "count", "a 'needs' rule needs a count"),
    (Rule("away", ("S04",), start=dt.time(10), end=dt.time(9, 30)), "end",
     "the end 09:30 is not after the start 10:00"),
    (Rule("away", ("S04",), start=dt.time(10)), "end", "a 'away' rule needs a end"),
]


@pytest.mark.parametrize(("rule", "setting", "message"), RULES_REFUSED)
def test_a_rule_the_workbook_would_refuse_is_refused_in_the_readers_own_words(grade3: Week, tmp_path, rule: Rule,
                                                                               setting: str, message: str) -> None:
    before = copy.deepcopy(grade3)
    with pytest.raises(EditError) as refused:
        AddRule(rule).apply(grade3)
    assert (refused.value.setting, str(refused.value)) == (setting, message)
    assert grade3 == before
    school = dataclasses.replace(grade3.school, rules=(*grade3.school.rules, rule))
    write_planning_workbook(school, tmp_path / "bad.xlsx")
    with pytest.raises(BadInput) as read:
        read_planning_workbook(tmp_path / "bad.xlsx")
    assert [(p.column, p.message) for p in read.value.problems] == [(setting, message)]


@pytest.mark.parametrize(("rule", "setting", "message"), [
    (Rule("apart", ()), "students", "a rule names at least one student_id or flag"),
    (Rule("keep", ("S04",)), "rule", "rule must be one of apart, together"),
    (Rule("needs", ("S04",), station="Online", count=0), "count", "count must be at least 1, not 0"),
    (Rule("apart", ("S04",), days=("Mon", "Mon")), "days", "days must name each class day once"),
])
def test_a_rule_no_workbook_row_could_say_is_refused(grade3: Week, rule: Rule, setting: str, message: str) -> None:
    with pytest.raises(EditError, match=re.escape(message)) as refused:
        AddRule(rule).apply(grade3)
    assert refused.value.setting == setting


def test_an_adults_availability_name_and_role_change_in_one_step_and_the_checker_judges_the_plan(
        grade3: Week) -> None:
    only_monday = (AvailabilityClause(("Mon",), (Window(dt.time(8), dt.time(15)),)),)
    edit = SetStaff("T-RIVERA", {"available": only_monday, "name": "Ms R. Rivera"})
    week = edit.apply(grade3)
    assert week.school.staff == (Staff("T-RIVERA", "Ms R. Rivera", "teacher", only_monday),)
    assert str(edit.label(grade3)) == "Set available to Mon 08:00-15:00, name to Ms R. Rivera for T-RIVERA"
    assert "adult_available" in {v.rule for v in verdict(week).violations}  # the teacher table Tue to Fri
    assert SetStaff("T-RIVERA", {"available": ()}).apply(week).school.staff[0].available == ()
    assert str(SetStaff("T-RIVERA", {"available": ()}).label(week)) == "Set available to blank for T-RIVERA"


def test_an_adult_a_station_names_cannot_be_removed_nor_lose_the_role_it_names(grade3: Week) -> None:
    week = AddStaff("AIDE-1", {"name": "Sam Lee", "role": "AIDE"}).apply(grade3)
    assert week.school.staff[-1] == Staff("AIDE-1", "Sam Lee", "AIDE")
    assert str(AddStaff("AIDE-1").label(grade3)) == "Add AIDE-1 to the staff"
    week = SetStation(None, "Online", {"staff": "AIDE"}).apply(week)
    with pytest.raises(EditError, match="station 'Online' of every class: 'AIDE' is not a staff_id or role") as lost:
        SetStaff("AIDE-1", {"role": "helper"}).apply(week)
    assert lost.value.setting == "role"
    with pytest.raises(EditError, match="'AIDE' is not a staff_id or role on sheet Staff"):
        RemoveStaff("AIDE-1").apply(week)
    assert RemoveStaff("AIDE-1").apply(AddStaff("AIDE-1").apply(grade3)).school == grade3.school
    with pytest.raises(EditError, match="staff_id 'T-RIVERA' is already on sheet Staff"):
        AddStaff("T-RIVERA").apply(grade3)
    with pytest.raises(EditError, match="'09:00-08:00' ends before it starts") as late:
        SetStaff("T-RIVERA", {"available": (AvailabilityClause(("Mon",), (Window(dt.time(9), dt.time(8)),)),)}
                 ).apply(grade3)
    assert late.value.setting == "available"
    with pytest.raises(EditError, match="'staff_id' is not a staff setting"):
        SetStaff("T-RIVERA", {"staff_id": "T-R"}).apply(grade3)


def test_fewer_devices_in_a_pool_leave_the_plan_and_the_checker_says_it_uses_too_many(grade3: Week) -> None:
    edit = SetDevicePool("Chromebooks", {"count": 4})
    week = edit.apply(grade3)
    assert week.school.devices == (DevicePool("Chromebooks", 4),)
    assert str(edit.label(grade3)) == "Set count to 4 for device pool Chromebooks"
    assert "devices" in {v.rule for v in verdict(week).violations}  # groups of 7 at Online
    with pytest.raises(EditError, match="count must be at least 1, not 0"):
        SetDevicePool("Chromebooks", {"count": 0}).apply(grade3)
    with pytest.raises(EditError, match="class '3B' is not on sheet Classes") as unknown:
        SetDevicePool("Chromebooks", {"classes": ("3B",)}).apply(grade3)
    assert unknown.value.setting == "classes"


def test_a_pool_is_added_and_removed_but_not_while_a_station_uses_it(two_classes: Week) -> None:
    week = AddDevicePool("Laptops", 5, ("3B",)).apply(two_classes)
    assert week.school.devices[-1] == DevicePool("Laptops", 5, ("3B",))
    assert RemoveDevicePool("Laptops").apply(week).school == two_classes.school
    with pytest.raises(EditError, match="station 'Online' of every class uses device pool 'Chromebooks'"):
        RemoveDevicePool("Chromebooks").apply(two_classes)
    with pytest.raises(EditError, match="pool 'iPads' is already on sheet Devices"):
        AddDevicePool("iPads", 3).apply(two_classes)
    # Online (every class) uses Chromebooks: the pool cannot leave 3B out.
    with pytest.raises(EditError, match="class '3B' would use device pool 'Chromebooks'") as shared:
        SetDevicePool("Chromebooks", {"classes": ("3A",)}).apply(two_classes)
    assert shared.value.setting == "classes"


def test_an_import_takes_the_school_it_made_keeps_the_plan_and_the_checker_names_who_is_in_no_group(
        grade3: Week) -> None:
    new = Student("S99", "Zed", "Quinn", "3", (C,))
    imported = dataclasses.replace(grade3.school, students=(*grade3.school.students, new))
    edit = ImportSchool(imported, "roster.csv")
    week = edit.apply(grade3)
    assert week.school is imported and week.plan is grade3.plan
    assert str(edit.label(grade3)) == "Import roster.csv" and edit.label(grade3).text in WORDS.values()
    assert [v.students for v in verdict(week).violations if v.rule == "one_group"] == [("S99",)]
