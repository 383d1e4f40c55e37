"""What the solver returns, and what the checker reads: plain data keyed by the instance's ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class ClassPlan:
    groups: Mapping[str, int]  # student -> group number (1..)
    visits: Mapping[tuple[int, str, int], str]  # (group, day, slot) -> station
    staffing: Mapping[tuple[str, int, str], tuple[str, ...]] = field(default_factory=dict)
    # (day, slot, station) -> adults working that station then


@dataclass(frozen=True, kw_only=True)
class About:
    """What a soft-rule cost is about, as data (the words, and the Checks sheet's `who` and `when`, are the UI's:
    rotation.planning.details). A field the cost does not involve stays empty."""

    class_id: str = ""
    students: tuple[str, ...] = ()
    groups: tuple[int, ...] = ()  # the group charged; for visits_in_need_order, then the group it is ahead of
    station: str = ""
    day: str = ""
    slot: int = 0  # 1 = the day's first rotation; 0: no slot
    flag: str = ""
    asked: int | None = None  # what the rule asks: visits_by_need's visits a week


@dataclass(frozen=True)
class Cost(About):
    """One soft rule not fully met: its share of the plan's cost."""

    rule: str
    cost: int


@dataclass(frozen=True)
class Plan:
    classes: Mapping[str, ClassPlan]


# What a Fix can ask to change (the words for each are the UI's: rotation.planning.messages.fix_words).
CHANGES = (
    "visits_at_most", "must_do_to_visits", "more_days", "more_hours", "fewer_groups", "more_groups",
    "max_size_at_least", "min_size_at_most", "capacity_at_least", "more_rotations", "fewer_must_do",
    "fewer_visits", "more_devices", "count_at_most", "start_at_least", "drop_rule", "relax_rule",
)


@dataclass(frozen=True)
class Fix:
    """One known way out of a conflict, as data (the app shows each as a button; words come later).

    Each removes the shortfall its conflict counts; other rules may still clash after it.
    """

    change: str  # one of CHANGES
    class_id: str = ""
    station: str = ""
    adult: str = ""  # a staff_id, or a role
    pool: str = ""
    rule: str = ""  # a rule's label
    value: int | None = None  # the number to set (minutes since midnight for "start_at_least")


@dataclass(frozen=True)
class Conflict:
    """Hard rules that cannot all hold, with what they involve."""

    rules: tuple[str, ...]  # labels of the rules in conflict
    reason: str  # a code: e.g. "apart_clique", "station_visits", "core"
    students: tuple[str, ...] = ()
    adults: tuple[str, ...] = ()
    stations: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # the classes involved, each once
    need: int | None = None  # what the rules ask for ...
    have: int | None = None  # ... and what there is
    fixes: tuple[Fix, ...] = ()  # known ways out, the most local first


class Status(StrEnum):
    """What the search proved of a plan (a StrEnum: each still equals its word)."""

    OPTIMAL = "optimal"
    NEAR_OPTIMAL = "near_optimal"  # proven within the result's `gap` of the best possible cost
    FEASIBLE = "feasible"  # a plan, nothing proven of its cost
    INFEASIBLE = "infeasible"  # the hard rules cannot all hold: the result's conflicts say why
    UNKNOWN = "unknown"  # no plan, and no proof that there is none


@dataclass(frozen=True)
class Result:
    status: Status
    plan: Plan | None = None
    costs: tuple[Cost, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    seconds: float = 0.0
    gap: int = 0  # near_optimal: the plan costs at most this much more than the best possible
    cancelled: bool = False  # cancelled by its watch (solver.watch) before the search ended
