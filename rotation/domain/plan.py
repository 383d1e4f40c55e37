"""A week's plan in the school's words: groups, visits, staffing, and what it cost."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlannedGroup:
    class_id: str
    number: int  # 1.. per class; with `similar`, group 1 needs the most support
    name: str  # the neutral name students see
    members: tuple[str, ...]  # student ids
    # Each member's need score (0..1) in this class, aligned with `members`; None where the plan does
    # not say (a blank cell of a hand-made workbook). A student in two classes has a need in each.
    need: tuple[float | None, ...]

    def __post_init__(self) -> None:
        if len(self.need) != len(self.members):
            raise ValueError(f"group {self.number} of class '{self.class_id}' has {len(self.members)} "
                             f"members but {len(self.need)} need scores")


@dataclass(frozen=True)
class Visit:
    """Group `group` of class `class_id` is at `station` in slot `slot` of `day`."""

    class_id: str
    day: str
    slot: int
    group: int
    station: str
    staff: tuple[str, ...] = ()  # staff_ids working that station then


@dataclass(frozen=True)
class Check:
    """One line of the plan's Checks sheet."""

    kind: str  # "soft rule", "away", "no mastery data", "optimality", ...
    rule: str = ""
    who: str = ""
    when: str = ""
    cost: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    groups: tuple[PlannedGroup, ...]
    visits: tuple[Visit, ...]
    checks: tuple[Check, ...] = ()
    optimal: bool = False
