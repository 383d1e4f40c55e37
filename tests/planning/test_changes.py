"""The week's changes: each move's Checks line costs what its class's `keep_group` rule charged for it."""

from __future__ import annotations

import datetime as dt

from rotation.domain.plan import Plan, PlannedGroup
from rotation.domain.school import School, SchoolClass, Station, Student, StudentLock
from rotation.planning.changes import MOVED, with_week_changes
from rotation.planning.instance import build_instance
from rotation.planning.result import to_plan
from rotation.planning.service import check_plan
from solver.instance import Options
from solver.solve import solve
from solver.week import keep_group_weight


def test_a_student_moved_in_two_classes_gets_each_classs_own_cost_on_its_line() -> None:
    # Xia is in both classes, locked into group 1 of each after group 2 last week: moved twice. The classes differ
    # in size, so a move costs each a different amount.
    t = dt.time.fromisoformat
    students = (Student("X", "Xia", "Lee", classes=("3A", "3B")),
                *(Student(f"A{i}", f"A{i}", classes=("3A",)) for i in range(1, 4)),
                *(Student(f"B{i}", f"B{i}", classes=("3B",)) for i in range(1, 8)))
    school = School(
        students=students,
        classes=(SchoolClass("3A", t("09:00"), 15, days=("Mon",), groups=2),
                 SchoolClass("3B", t("11:00"), 15, days=("Mon",), groups=2)),
        stations=tuple(Station(name, c) for c in ("3A", "3B") for name in ("Reading", "Games")),
        student_locks=(StudentLock("3A", "X", 1), StudentLock("3B", "X", 1)))
    previous = Plan(groups=(PlannedGroup("3A", 1, "", ("A1", "A2"), (None,) * 2),
                            PlannedGroup("3A", 2, "", ("X", "A3"), (None,) * 2),
                            PlannedGroup("3B", 1, "", ("B1", "B2", "B3", "B4"), (None,) * 4),
                            PlannedGroup("3B", 2, "", ("X", "B5", "B6", "B7"), (None,) * 4)), visits=())
    planning = build_instance(school, previous)
    weight = {cls.id: keep_group_weight(cls) for cls in planning.instance.classes}
    assert weight["3A"] != weight["3B"]
    result = solve(planning.instance, Options(time_limit=10, seed=0, workers=1, reproducible=True))
    assert result.status == "optimal"

    plan, changes = with_week_changes(planning.names, previous, (), to_plan(planning, result))
    assert check_plan(school, plan).ok  # the independent checker's word, not the solver's

    xia = {c.detail.partition(":")[0]: c.cost for c in changes if c.kind == MOVED and c.who == "X"}
    assert xia == weight
    # Every move is on the Checks sheet once, and together they cost what the keep_group rule charged.
    assert not [c for c in plan.checks if c.rule == "keep_group" and c.kind != MOVED]
    assert sum(c.cost for c in changes) == sum(c.cost for c in result.costs if c.rule == "keep_group")
