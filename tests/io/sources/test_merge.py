"""Sources matched to each other and merged into a school: who is known, what changes, what is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rotation.domain.school import MasteryResult, School, SchoolClass, Skill, Staff, Student
from rotation.io.problems import BadInput
from rotation.io.sources.found import Adult, Found, Learner, Place, Score, Section
from rotation.io.sources.merge import ADDED, CHANGED, REFUSED, combine

NINE = dt.time(9, 0)


def roster(*learners: Learner, classes: tuple[Section, ...] = (), staff: tuple[Adult, ...] = (),
           flags_decided: tuple[str, ...] = ()) -> Found:
    return Found("roster.zip", "OneRoster 1.2", list(learners), list(classes), list(staff),
                 flags_decided=flags_decided, is_roster=True)


def scores(*results: Score, skills: tuple[Skill, ...] = (), learners: tuple[Learner, ...] = ()) -> Found:
    return Found("map.csv", "NWEA MAP Growth", list(learners), skills=list(skills), scores=list(results))


def at(row: int, file: str = "map.csv") -> Place:
    return Place(file, row, column="StudentID", score_column="TestRITScore")


ANA = Learner("1001", "Ana", "Diaz", "3", ("3A",), aliases=("usr-1",), place=Place("roster.zip/users.csv", 2))
BEN = Learner("1002", "Ben", "Okafor", "3", ("3A",), aliases=("usr-2",), place=Place("roster.zip/users.csv", 3))
RIT = Skill("MAP Math", 100, 350)


def test_a_score_finds_its_student_by_any_id_a_roster_gives_them():
    found = combine([roster(ANA, BEN), scores(Score("usr-2", "MAP Math", 201, dt.date(2026, 1, 14), place=at(2)),
                                              Score("1001", "MAP Math", 188, place=at(3)), skills=(RIT,))])
    assert {(m.student_id, m.score) for m in found.school.mastery} == {("1002", 201), ("1001", 188)}
    assert [s.student_id for s in found.school.students] == ["1001", "1002"]
    assert found.count(ADDED, "student") == 2 and found.count(ADDED, "result") == 2


def test_a_score_whose_file_gives_two_ids_matches_by_either():
    star = Score("S-77", "Star Math", 640, aliases=("usr-1",), place=at(2))  # a number the roster lacks, its sourcedId
    found = combine([roster(ANA), scores(star, skills=(Skill("Star Math", 0, 1400),))])
    assert [(m.student_id, m.score) for m in found.school.mastery] == [("1001", 640)]


def test_a_score_for_a_student_on_no_roster_refuses_the_import_naming_file_row_and_column():
    with pytest.raises(BadInput) as caught:
        combine([roster(ANA), scores(Score("9999", "MAP Math", 201, place=at(7)),
                                     Score("9999", "MAP Math", 205, place=at(9)),
                                     Score("1001", "MAP Math", 190, place=at(8)), skills=(RIT,))])
    assert [str(p) for p in caught.value.problems] == [
        "map.csv: row 7, column 'StudentID': student '9999' is not on the roster or sheet Students (and 1 more "
        "row); add them, or skip such students (--skip-unknown)"]


def test_told_to_skip_them_the_others_come_in_and_the_skipped_are_listed():
    found = combine([roster(ANA), scores(Score("9999", "MAP Math", 201, place=at(7)),
                                         Score("1001", "MAP Math", 190, place=at(8)), skills=(RIT,))],
                    skip_unknown=True)
    assert [m.student_id for m in found.school.mastery] == ["1001"]
    assert [(c.verb, c.name) for c in found.changes if c.verb == REFUSED] == [(REFUSED, "9999")]


def test_without_a_roster_the_names_a_score_file_gives_are_the_students():
    learner = Learner("1001", "Ana", "Diaz", "3", place=at(2))
    found = combine([scores(Score("1001", "MAP Math", 190, place=at(2)), skills=(RIT,), learners=(learner,))])
    assert found.school.students == (Student("1001", "Ana", "Diaz", "3"),)


def test_into_a_school_its_settings_and_unlisted_students_are_kept_and_roster_changes_listed():
    base = School(students=(Student("1001", "Ana", "Dias", "3", ("3A",), ("IEP", "chatty")),
                            Student("0999", "Zed", "Left")),
                  classes=(SchoolClass("3A", NINE, 15, "t0", "Room 1", groups=4),),
                  mastery=(MasteryResult("1001", "Fractions", 70),))
    ell = dataclasses.replace(ANA, flags=("ELL",))
    found = combine([roster(ell, classes=(Section("3A", teacher="t1", room="Room 4"),
                                          Section("3B", "Grade 3 B", "t2", "Room 5")),
                            flags_decided=("IEP", "ELL"))], base)
    students = {s.student_id: s for s in found.school.students}
    assert students["1001"] == Student("1001", "Ana", "Diaz", "3", ("3A",), ("chatty", "ELL"))  # IEP ended
    assert students["0999"] == Student("0999", "Zed", "Left")  # not on the roster: kept, never dropped
    assert found.school.classes == (SchoolClass("3A", NINE, 15, "t1", "Room 4", groups=4),)
    assert [c.class_id for c in found.new_classes] == ["3B"]
    assert found.school.mastery == base.mastery
    changed = {c.name: c.detail for c in found.changes if c.verb == CHANGED}
    assert changed["1001"] == "last_name 'Dias' -> 'Diaz'; flags 'IEP, chatty' -> 'chatty, ELL'"
    assert changed["3A"] == "teacher 't0' -> 't1'; room 'Room 1' -> 'Room 4'"


def test_a_student_of_the_schools_only_class_is_not_changed_by_a_roster_naming_that_class():
    base = School(students=(Student("1001", "Ana", "Diaz", "3"),), classes=(SchoolClass("3A", NINE, 15),))
    found = combine([roster(ANA)], base)
    assert found.school.students == base.students and not found.changes


def test_a_class_a_mapped_roster_only_names_in_its_class_column_is_a_new_class():
    mapped = dataclasses.replace(roster(dataclasses.replace(ANA, classes=("P1",)),
                                        dataclasses.replace(BEN, classes=("P1", "P2"))), kind="column mapping")
    found = combine([mapped])
    assert [c.class_id for c in found.new_classes] == ["P1", "P2"]


def test_a_new_class_gets_the_start_and_rotation_length_the_app_asks_for():
    found = combine([roster(ANA, classes=(Section("3A", "Grade 3 A", "t1", "Room 4"),))])
    assert found.with_settings(NINE, 15).classes == (SchoolClass("3A", NINE, 15, "t1", "Room 4"),)


def test_importing_the_same_results_twice_adds_them_once():
    results = scores(Score("1001", "MAP Math", 190, dt.date(2026, 1, 14), "MAP Growth Winter", "PR 40", place=at(2)),
                     skills=(RIT,))
    first = combine([roster(ANA), results])
    again = combine([roster(ANA), results], first.school)
    assert again.school == first.school
    assert again.count(ADDED, "result") == 0
    assert [c.what for c in again.changes] == ["class"]  # 3A still waits for its settings: new each time


def test_one_standard_spelt_two_ways_is_one_skill_named_as_the_school_names_it():
    base = School(students=(Student("1001", "Ana"),), skills=(Skill("3.NF.A.1", 0, 4, 3),))
    found = combine([scores(Score("1001", "3.NF.1", 3, place=at(2)), Score("1001", "4.NF.1", 2, place=at(3)),
                            Score("1001", "4.NF.B.1", 1, place=at(4)))], base)
    assert {(m.skill, m.score) for m in found.school.mastery} == {("3.NF.A.1", 3), ("4.NF.B.1", 2), ("4.NF.B.1", 1)}


def test_a_score_outside_its_skills_scale_is_refused_at_its_row():
    base = School(students=(Student("1001", "Ana"),), skills=(Skill("Fractions", 0, 4),))
    with pytest.raises(BadInput) as caught:
        combine([scores(Score("1001", "Fractions", 72, place=at(5, "quiz.csv")))], base)
    assert [str(p) for p in caught.value.problems] == [
        "quiz.csv: row 5, column 'TestRITScore': score 72 is outside 0 to 4, the scale of skill 'Fractions'"]


def test_a_student_twice_on_one_roster_is_a_problem_naming_both_rows():
    twin = dataclasses.replace(BEN, student_id="1001", place=Place("roster.zip/users.csv", 9))
    with pytest.raises(BadInput) as caught:
        combine([roster(ANA, twin)])
    assert [str(p) for p in caught.value.problems] == [
        "roster.zip/users.csv: row 9: student '1001' is listed twice (also roster.zip/users.csv row 2)"]


def test_a_rosters_adults_are_added_and_a_known_adult_keeps_the_role_the_school_gave():
    base = School(staff=(Staff("t1", role="interventionist"),))
    found = combine([roster(classes=(), staff=(Adult("t1", "Jo Park", "teacher"), Adult("t2", "Al Ng", "aide")))],
                    base)
    assert [(a.staff_id, a.name, a.role) for a in found.school.staff] == [
        ("t1", "Jo Park", "interventionist"), ("t2", "Al Ng", "aide")]
