import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.domain.school import School, Student
from rotation.storage import repository
from rotation.storage.database import session_scope
from rotation.storage.repository import load_plan, load_school, plan_history, save_plan, save_school, save_week
from rotation.storage.tables import StudentFlagRow, WindowRow


def test_an_empty_database_holds_an_empty_school(engine):
    assert load_school(engine) == School()


def test_a_school_comes_back_equal(engine, school):
    save_school(engine, school)
    assert load_school(engine) == school


def test_saving_again_replaces_the_school_and_its_child_rows(engine, school):
    save_school(engine, school)
    smaller = dataclasses.replace(school, students=(Student("s9", "Kim", flags=("504",)),), staff=())
    save_school(engine, smaller)
    assert load_school(engine) == smaller
    with session_scope(engine) as session:
        assert session.scalars(select(StudentFlagRow.value)).all() == ["504"]
        assert session.scalar(select(func.count()).select_from(WindowRow)) == 0


def test_a_failing_save_leaves_the_stored_school_intact(engine, school):
    save_school(engine, school)
    twice = dataclasses.replace(school, students=(Student("s1", "Ana"), Student("s1", "Ann")))
    with pytest.raises(IntegrityError):
        save_school(engine, twice)
    assert load_school(engine) == school


def test_an_error_midway_leaves_the_stored_school_intact(engine, school, monkeypatch):
    save_school(engine, school)
    real_values = repository._values

    def failing_values(model, item, **extra):
        if model.__tablename__ == "rules":
            raise RuntimeError("disk pulled out")
        return real_values(model, item, **extra)

    monkeypatch.setattr(repository, "_values", failing_values)
    with pytest.raises(RuntimeError):
        save_school(engine, School(students=(Student("s9", "Kim"),), rules=school.rules))
    assert load_school(engine) == school


def plan(label: str) -> Plan:
    return Plan(
        groups=(
            PlannedGroup("3A", 1, "Otters", ("s3", "s1"), (0.875, 0.5)),
            PlannedGroup("3A", 2, f"Hawks {label}", ("s2",), (0.125,)),
        ),
        visits=(
            Visit("3A", "Mon", 1, 1, "Teacher", ("t1",)),
            Visit("3A", "Mon", 1, 2, "Teacher 2", ("a1", "t2")),
            Visit("3A", "Mon", 2, 2, "Online"),
        ),
        checks=(Check("soft rule", "prefer_apart", "s1, s3", "Mon 1", 40, "in one group"), Check("optimality")),
        optimal=label == "first",
    )


def test_plans_are_kept_in_a_history_newest_first(engine):
    first = save_plan(engine, plan("first"), seed=7, label="Week 1")
    second = save_plan(engine, plan("second"), parent_id=first)

    newest, oldest = plan_history(engine)
    assert (newest.id, newest.label, newest.optimal, newest.parent_id) == (second, "", False, first)
    assert (oldest.id, oldest.label, oldest.optimal, oldest.parent_id) == (first, "Week 1", True, None)
    assert newest.created_at >= oldest.created_at
    assert newest.created_at.tzinfo is not None
    assert load_plan(engine, first) == plan("first")
    assert load_plan(engine, second) == plan("second")


def test_plans_survive_a_new_school(engine, school):
    plan_id = save_plan(engine, plan("first"))
    save_school(engine, school)
    save_school(engine, School())
    assert load_plan(engine, plan_id) == plan("first")


def test_a_loaded_plan_keeps_each_class_need_of_a_student_in_two_classes(engine):
    groups = (PlannedGroup("3A", 1, "Otters", ("s2", "s1"), (0.9, 0.5)),
              PlannedGroup("3B", 1, "Owls", ("s2",), (0.1,)),
              PlannedGroup("3B", 2, "Bees", ("s3",), (None,)))  # a blank need cell of a hand-made plan
    loaded = load_plan(engine, save_plan(engine, Plan(groups, ())))
    assert loaded.groups == groups
    assert {(g.class_id, s): n for g in loaded.groups for s, n in zip(g.members, g.need, strict=True)} == {
        ("3A", "s2"): 0.9, ("3A", "s1"): 0.5, ("3B", "s2"): 0.1, ("3B", "s3"): None}


def test_an_unknown_plan_or_parent_is_an_error(engine):
    with pytest.raises(KeyError):
        load_plan(engine, 42)
    with pytest.raises(IntegrityError):
        save_plan(engine, plan("first"), parent_id=42)
    assert plan_history(engine) == []


def test_a_school_and_its_plan_are_saved_together_or_not_at_all(engine, school, monkeypatch):
    save_school(engine, school)
    changed = dataclasses.replace(school, students=school.students[:1])

    def crash(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(repository, "_add_plan", crash)
    with pytest.raises(RuntimeError):
        save_week(engine, changed, plan("edited"))
    assert load_school(engine) == school and not plan_history(engine)  # neither half landed
    monkeypatch.undo()
    plan_id = save_week(engine, changed, plan("edited"))
    assert load_school(engine) == changed and [p.id for p in plan_history(engine)] == [plan_id]
