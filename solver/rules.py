"""The one table of rules: what the UI lists, the explanations name, and the tests cover.

Hard rules must hold; soft rules cost `weight` per unit of shortfall. Grouping is settled before
the rotation, so grouping costs always rank above rotation costs. Data only (the checker imports it,
and must not import the model): each stage finds a rule's model function by its name in its own
`FUNCTIONS` (`solver.grouping`, `solver.rotation`) and builds the rules in this order, refusing at
import a rule here without a function or a function without a row; the checker finds each rule's
check by its name in `solver.check.CHECKS` (hard) or `COSTS` (soft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from solver.instance import NEED_SCALE


@dataclass(frozen=True)
class RuleInfo:
    name: str
    stage: str  # "grouping" or "rotation"
    hard: bool
    weight: int  # cost per unit, soft rules only
    says: str  # one line for people


RULES: tuple[RuleInfo, ...] = (
    # grouping, hard
    RuleInfo("one_group", "grouping", True, 0, "every student is in exactly one group"),
    RuleInfo("group_size", "grouping", True, 0, "every group's size is within the class's bounds"),
    RuleInfo("apart", "grouping", True, 0, "these students are never in the same group"),
    RuleInfo("together", "grouping", True, 0, "these students are in the same group"),
    RuleInfo("group", "grouping", True, 0, "these students are in the given group"),
    RuleInfo("student_lock", "grouping", True, 0, "a locked student stays in their group"),
    RuleInfo("group_fits_station", "grouping", True, 0, "a group fits the stations it must visit"),
    # grouping, soft
    RuleInfo("need_spread", "grouping", False, 1, "similar grouping: each group's need spread (max - min)"),
    RuleInfo("mean_balance", "grouping", False, 1, "mixed grouping: each group's need is near the class mean"),
    RuleInfo("flag_balance", "grouping", False, NEED_SCALE, "mixed grouping: flags spread evenly"),
    RuleInfo("no_data_spread", "grouping", False, NEED_SCALE,
             "students without mastery data spread over the groups (they share the class median)"),
    RuleInfo("skill_match", "grouping", False, 1, "by skill: students in the group of their greatest need"),
    RuleInfo("prefer_apart", "grouping", False, NEED_SCALE // 5, "preferred apart, but together"),
    RuleInfo("prefer_together", "grouping", False, NEED_SCALE // 5, "preferred together, but apart"),
    RuleInfo("keep_group", "grouping", False, 0, "a student moved from last week's group"),
    # rotation, hard (in this order: adult_one_place reads the staffing that adult_available makes)
    RuleInfo("one_station", "rotation", True, 0, "a group is at one station per slot"),
    RuleInfo("one_group_at_staffed", "rotation", True, 0, "a staffed station serves one group at a time"),
    RuleInfo("must_do", "rotation", True, 0, "every group visits this station every class day"),
    RuleInfo("visits", "rotation", True, 0, "every group visits this station exactly N times a week"),
    RuleInfo("needs", "rotation", True, 0, "these students are at this station at least N times a week"),
    RuleInfo("seats", "rotation", True, 0, "a station never holds more students than its capacity"),
    RuleInfo("devices", "rotation", True, 0, "a device pool is never over-used, across classes at one time"),
    RuleInfo("adult_available", "rotation", True, 0, "a staffed station has an available adult"),
    RuleInfo("adult_one_place", "rotation", True, 0, "no adult is in two places at once"),
    RuleInfo("visit_lock", "rotation", True, 0, "a locked visit stays"),
    # rotation, soft
    RuleInfo("away_at_teacher", "rotation", False, 1000, "a student away while their group is at a teacher"),
    RuleInfo("teacher_idle", "rotation", False, 500,
             "a `by need` station sits empty while its adult is free (not working elsewhere), its devices are free "
             "and a group is in the room"),
    RuleInfo("visits_in_need_order", "rotation", False, 200,
             "a group gets more `by need` visits than a group needing more support (cost per visit ahead)"),
    RuleInfo("visits_by_need", "rotation", False, 100,
             "`by need` visits short of the group's share: the neediest every day, the least needy twice a week, "
             "spare slots to the neediest first (cost: the square of each shortfall)"),
    RuleInfo("station_balance", "rotation", False, 30,
             "a station holds two groups while another that could take one sits empty (cost per group)"),
    RuleInfo("repeat_in_day", "rotation", False, 20, "a group at the same station twice in a day"),
    RuleInfo("filler_spread", "rotation", False, 10, "filler stations spread evenly over the week"),
    RuleInfo("keep_visit", "rotation", False, 0, "a visit changed from last week's plan"),
)

RULE = {r.name: r for r in RULES}


def weight(name: str) -> int:
    return RULE[name].weight


F = TypeVar("F")


def bound(functions: dict[str, F], stage: str | None = None, hard: bool | None = None) -> dict[str, F]:
    """Functions by rule name, refused unless they are exactly the rules of the table of that `stage` and `hard`
    (when given): a rule here without its function, or a function without its row, fails loudly at import."""
    names = {r.name for r in RULES if stage in (None, r.stage) and hard in (None, r.hard)}
    missing, stray = names - set(functions), set(functions) - names
    if missing or stray:
        raise LookupError(f"solver/rules.py and its functions differ: no function for {sorted(missing)}, "
                          f"no row for {sorted(stray)}")
    return functions
