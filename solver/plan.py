"""What the solver returns, and what the checker reads: plain data keyed by the instance's ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClassPlan:
    groups: Mapping[str, int]  # student -> group number (1..)
    visits: Mapping[tuple[int, str, int], str]  # (group, day, slot) -> station
    staffing: Mapping[tuple[str, int, str], tuple[str, ...]] = field(default_factory=dict)
    # (day, slot, station) -> adults working that station then


@dataclass(frozen=True)
class Cost:
    """One soft rule not fully met: its share of the plan's cost."""

    rule: str
    cost: int
    who: str = ""
    when: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    classes: Mapping[str, ClassPlan]


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


@dataclass(frozen=True)
class Result:
    status: str  # "optimal", "near_optimal" (proven within `gap`), "feasible", "infeasible", "unknown"
    plan: Plan | None = None
    costs: tuple[Cost, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    seconds: float = 0.0
    gap: int = 0  # near_optimal: the plan costs at most this much more than the best possible
