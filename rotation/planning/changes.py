"""What changed since last week's plan: students who moved between groups, who left, who are new."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from rotation.domain.plan import Check, Leaver, Plan, PlannedGroup
from rotation.planning.details import percent

MOVED, LEFT, NEW = "moved", "left", "new student"


def with_week_changes(names: Mapping[str, str], previous: Plan, left: tuple[Leaver, ...], plan: Plan
                      ) -> tuple[Plan, list[Check]]:
    """The plan whose Checks list the week's changes first, each move in place of the `keep_group` line that
    charged it, and those changes; `names` student -> name."""
    changes = week_changes(names, previous, left, plan)
    rest = [c for c in plan.checks if c.rule != "keep_group"]
    return dataclasses.replace(plan, checks=(*changes, *rest)), changes


def week_changes(names: Mapping[str, str], previous: Plan, left: tuple[Leaver, ...], plan: Plan) -> list[Check]:
    """One Checks line per student who moved, left or is new, class by class, in group order; a move costs what
    the plan's `keep_group` line for it (its class as `when`) charged."""
    charged = {(c.when, c.who): c.cost for c in plan.checks if c.rule == "keep_group"}
    before = _placed(previous)
    out = []
    for (class_id, sid), (group, need) in sorted(_placed(plan).items(), key=lambda kv: (kv[0][0], kv[1][0].number)):
        who = f"{class_id}: {names.get(sid, sid)}"
        if (class_id, sid) not in before:
            out.append(Check(NEW, "", sid, "", 0, f"{who} is not in last week's plan: placed in {_group(group)}, "
                                                  f"need {_percent(need)}"))
            continue
        was, need_before = before[class_id, sid]
        if was.number != group.number:
            out.append(Check(MOVED, "keep_group", sid, "", charged.get((class_id, sid), 0),
                             f"{who} moved from {_group(was)} to {_group(group)}: "
                             f"need {_percent(need_before)} then, {_percent(need)} now"))
    for leaver in left:
        last = f"group {leaver.group}" if leaver.group is not None else "no group"
        who = f"{leaver.class_id}: {leaver.name or leaver.student_id}"
        out.append(Check(LEFT, "", leaver.student_id, "", 0,
                         f"{who} (in {last} last week) is no longer in the class: dropped"))
    return out


def kept_names(previous: Plan) -> Mapping[tuple[str, int], str]:
    """Last week's group names: a group keeps its name as it keeps its number."""
    return {(g.class_id, g.number): g.name for g in previous.groups if g.name}


def _placed(plan: Plan) -> dict[tuple[str, str], tuple[PlannedGroup, float | None]]:
    return {(g.class_id, s): (g, need) for g in plan.groups for s, need in zip(g.members, g.need, strict=True)}


def _group(group: PlannedGroup) -> str:
    return f"group {group.number} ({group.name})" if group.name else f"group {group.number}"


def _percent(need: float | None) -> str:
    return "unknown" if need is None else percent(need)
