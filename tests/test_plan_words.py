"""What `rotation plan` tells a teacher in words: the ways out of an impossible plan, and the Checks sheet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rotation.io.planning_workbook import read_planning_workbook
from rotation.planning.details import DETAIL
from rotation.planning.instance import build_instance
from solver.instance import Options
from solver.plan import Fix
from solver.rules import RULE
from solver.solve import solve
from tests.io.test_planning_workbook import make  # a workbook as a teacher types it
from tests.test_cli import cost_lines, plan, rows, run

REPO = Path(__file__).resolve().parents[1]


# --- 1. an impossible plan says how to fix it ----------------------------------------------------


def kindergarten(partner_game_visits: int | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """The issue's case: a para in on Monday and Wednesday only runs Partner game, whose blank must_do means
    every day (4 rotations for 4 stations), for 4 groups over Monday to Thursday."""
    return {
        "Students": [("student_id", "first_name"), *((f"K{i:02d}", f"Kid {i}") for i in range(1, 17))],
        "Mastery": [("student_id", "skill", "score"), *((f"K{i:02d}", "Counting", 6 * i) for i in range(1, 17))],
        "Classes": [("class", "teacher", "days", "start", "rotation_minutes", "groups"),
                    ("K1", "T-LEE", "Mon-Thu", "09:00", 15, 4)],
        "Stations": [("station", "kind", "staff", "must_do", "visits"),
                     ("Teacher table", "teacher", None, None, None),
                     ("Partner game", "collaborative", "PARA", None, partner_game_visits),
                     ("Reading", "independent", None, None, None),
                     ("Blocks", "other", None, None, None)],
        "Staff": [("staff_id", "name", "role", "available"), ("T-LEE", "Ms Lee", "teacher", None),
                  ("PARA", "Mr Diaz", "para", "Mon 08:00-15:00; Wed 08:00-15:00")],
    }


def test_a_para_in_two_days_running_a_must_do_station_is_told_how_to_fix_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make(tmp_path, kindergarten(), "kindergarten.xlsx")
    code, _, stderr = run(capsys, "plan", source, "--out", tmp_path / "plan.xlsx")
    assert code == 3
    assert stderr.splitlines() == [
        "kindergarten.xlsx: the hard rules cannot all hold:",
        "- class K1: the Partner game station can host 8 group visits a week; must_do Partner game asks for 16 "
        "— to fix: set visits to 2 or fewer for Partner game instead of must_do, or make PARA available on more "
        "days, or set groups to 2 or fewer for class K1",
    ]
    # The same ways out, as data the app can show as buttons.
    result = solve(build_instance(read_planning_workbook(source)).instance, Options(time_limit=5))
    (conflict,) = result.conflicts
    assert conflict.fixes == (Fix("must_do_to_visits", "K1", "Partner game", value=2), Fix("more_days", adult="PARA"),
                              Fix("fewer_groups", "K1", value=2))
    assert not (tmp_path / "plan.xlsx").exists()


def test_the_first_way_out_applied_in_the_workbook_plans_and_the_plan_checks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The teacher does what the first fix says: visits 2 for Partner game (must_do left blank now means no).
    fixed = make(tmp_path, kindergarten(partner_game_visits=2), "kindergarten.xlsx")
    out = tmp_path / "plan.xlsx"
    plan(capsys, fixed, out, "--seed", "1")
    code, stdout, _ = run(capsys, "check", fixed, out)
    assert code == 0, stdout
    game = {(r["day"], r["slot"], r["group"]) for r in rows(out, "Schedule") if r["station"] == "Partner game"}
    assert {day for day, _, _ in game} <= {"Mon", "Wed"}  # only while the para is in
    assert sorted(g for _, _, g in game) == [1, 1, 2, 2, 3, 3, 4, 4]  # each group twice a week


# --- 2. the Checks sheet speaks a teacher's words ----------------------------------------------------


def test_the_checks_sheet_says_what_each_cost_means_and_its_costs_are_the_checkers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = REPO / "resources" / "demo" / "grade3-math.xlsx"
    out = tmp_path / "plan.xlsx"
    plan(capsys, source, out, "--seed", "1")
    soft = [r for r in rows(out, "Checks") if r["kind"] == "soft rule"]
    assert {r["rule"] for r in soft} >= {"need_spread", "filler_spread"}  # the rule's name, as before
    for row in soft:
        assert row["rule"] in RULE and isinstance(row["cost"], int) and row["cost"] > 0
        if row["rule"] in DETAIL:
            assert row["detail"] != RULE[row["rule"]].says, row
    # "group 1 mixes students from 83% to 92% need": the need of the group's members on the Groups sheet.
    need: dict[int, list[float]] = {}
    for r in rows(out, "Groups"):
        need.setdefault(r["group"], []).append(r["need"])
    for row in (r for r in soft if r["rule"] == "need_spread"):
        g = int(row["who"].rpartition(" group ")[2])
        words = re.fullmatch(rf"group {g} mixes students from (\d+)% to (\d+)% need", row["detail"])
        assert words, row["detail"]
        low, high = int(words[1]), int(words[2])  # within rounding of the sheet's 3 decimals
        assert abs(low - 100 * min(need[g])) <= 1 and abs(high - 100 * max(need[g])) <= 1
    # The cost column adds up to the plan's cost as the independent checker counts it on the written plan.
    code, stdout, _ = run(capsys, "check", source, out)
    assert code == 0, stdout
    assert sum(r["cost"] for r in soft) == sum(cost_lines(stdout).values()) > 0
