"""What a soft rule's cost means for a group or a student, in a teacher's words: the Checks sheet's `detail`.

One small function per rule, in DETAIL under the rule's name; a rule without one says `RULE[rule].says`. The
numbers come from the plan and the need scores (need as a percent), never from the cost, which keeps its own
column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import solver.instance as si
from rotation.planning.instance import Planning
from rotation.planning.messages import word_list
from solver.plan import ClassPlan, Cost
from solver.plan import Plan as SolverPlan
from solver.rules import RULE
from solver.week import fillers


@dataclass(frozen=True)
class Seen:
    """What the words may read: the school as planned (instance, need scores, names) and the plan."""

    planning: Planning
    plan: SolverPlan

    def cls(self, class_id: str) -> si.Class:
        return next(c for c in self.planning.instance.classes if c.id == class_id)

    def groups(self, class_id: str) -> ClassPlan:
        return self.plan.classes[class_id]

    def name(self, student: str) -> str:
        return self.planning.names.get(student, student)

    def need(self, class_id: str, student: str) -> float:
        return self.planning.need[class_id].need[student]

    def visits(self, class_id: str, group: int, station: str, day: str | None = None) -> int:
        """How often the group is at the station (or a copy of it), in the week or on one day."""
        cls, cp = self.cls(class_id), self.groups(class_id)
        names = {st.name for st in cls.stations if st.original == station}
        if not names or not 1 <= group <= cls.groups:
            raise KeyError((group, station))  # not a group or station of the class: the words cannot say
        return sum(1 for s in cls.slots if (day is None or s.day == day)
                   and cp.visits.get((group, s.day, s.index)) in names)


def detail(cost: Cost, seen: Seen) -> str:
    """The Checks line's words for one soft rule's cost; the rule's own sentence when nothing better is known."""
    words = DETAIL.get(cost.rule)
    try:
        return (words(cost, seen) if words else "") or RULE[cost.rule].says
    except (LookupError, ValueError, StopIteration):  # a cost named in a way these words do not know
        return RULE[cost.rule].says


# --- helpers ---------------------------------------------------------------------------------------


def percent(need: float) -> str:
    return f"{round(100 * need)}%"


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _spread(seen: Seen, class_id: str, students: list[str]) -> str:
    """How many of these students each group has: 'group 1 has 2, group 2 has 0'."""
    cp = seen.groups(class_id)
    counts = Counter(cp.groups[s] for s in students if s in cp.groups)
    return ", ".join(f"group {g} has {counts[g]}" for g in range(1, seen.cls(class_id).groups + 1))


# --- one function per rule ----------------------------------------------------------------------------


def need_spread(c: Cost, seen: Seen) -> str:
    cls, cp, g = seen.cls(c.class_id), seen.groups(c.class_id), c.groups[0]
    need = [seen.need(cls.id, s.id) for s in cls.students if cp.groups.get(s.id) == g and not s.no_data]
    return f"group {g} mixes students from {percent(min(need))} to {percent(max(need))} need"


def mean_balance(c: Cost, seen: Seen) -> str:
    cp, g = seen.groups(c.class_id), c.groups[0]
    mine = [seen.need(c.class_id, s) for s, k in cp.groups.items() if k == g]
    every = [seen.need(c.class_id, s) for s in cp.groups]
    return (f"group {g}'s mean need is {percent(sum(mine) / len(mine))}; the class's is "
            f"{percent(sum(every) / len(every))}")


def flag_balance(c: Cost, seen: Seen) -> str:
    spread = []
    for class_id in seen.plan.classes:
        cls = seen.cls(class_id)
        flagged = [s.id for s in cls.students if c.flag in s.flags]
        if cls.grouping == "mixed" and flagged:
            spread.append((class_id, _spread(seen, class_id, flagged)))
    if len(spread) == 1:
        return f"{c.flag} students spread unevenly: {spread[0][1]}"
    return f"{c.flag} students spread unevenly: " + "; ".join(f"{k}: {words}" for k, words in spread)


def no_data_spread(c: Cost, seen: Seen) -> str:
    unknown = [s.id for s in seen.cls(c.class_id).students if s.no_data]
    return f"students without mastery data spread unevenly: {_spread(seen, c.class_id, unknown)}"


def skill_match(c: Cost, seen: Seen) -> str:
    (student,) = c.students
    cls, g = seen.cls(c.class_id), seen.groups(c.class_id).groups[student]
    need = seen.planning.need[cls.id].skill_need[student]
    working_on = cls.focus[(g - 1) % len(cls.focus)]
    most = max(cls.focus, key=lambda k: need.get(k, 0.0))
    return (f"{seen.name(student)} is in group {g} on {working_on} ({percent(need[working_on])} need) but needs "
            f"{most} most ({percent(need[most])})")


def prefer_apart(c: Cost, seen: Seen) -> str:
    a, b = c.students
    return f"{seen.name(a)} and {seen.name(b)} preferred apart, but both in group {seen.groups(c.class_id).groups[a]}"


def prefer_together(c: Cost, seen: Seen) -> str:
    a, b = c.students
    groups = seen.groups(c.class_id).groups
    return f"{seen.name(a)} and {seen.name(b)} preferred together, but in groups {groups[a]} and {groups[b]}"


def away_at_teacher(c: Cost, seen: Seen) -> str:
    g = c.groups[0]
    station = seen.groups(c.class_id).visits[g, c.day, c.slot]
    is_are = "is" if len(c.students) == 1 else "are"
    who = word_list(seen.name(s) for s in c.students)
    return f"{who} {is_are} out while group {g} is at {station} ({c.day} slot {c.slot})"


def visits_by_need(c: Cost, seen: Seen) -> str:
    g = c.groups[0]
    at = f"group {g} is at {c.station} {times(seen.visits(c.class_id, g, c.station))} this week"
    return at + (f"; it should be there at least {times(c.asked)}" if c.asked else "")


def teacher_idle(c: Cost, seen: Seen) -> str:
    return f"{c.station} stands empty on {c.day} slot {c.slot} while its adult is free and groups are in the room"


def visits_in_need_order(c: Cost, seen: Seen) -> str:
    less, more = c.groups
    return (f"group {less} is at {c.station} {times(seen.visits(c.class_id, less, c.station))}, more than group "
            f"{more} ({times(seen.visits(c.class_id, more, c.station))}), which needs more support")


def station_balance(c: Cost, seen: Seen) -> str:
    cls, cp = seen.cls(c.class_id), seen.groups(c.class_id)
    there = Counter(station for (_, d, k), station in cp.visits.items() if d == c.day and k == c.slot)
    crowded = [f"{name} holds {n} groups" for name, n in there.items() if n > 1]
    empty = [st.name for st in cls.stations if st.name not in there]
    stand = "stands" if len(empty) == 1 else "stand"
    return f"on {c.day} slot {c.slot}, {word_list(crowded)} while {word_list(empty)} {stand} empty"


def repeat_in_day(c: Cost, seen: Seen) -> str:
    g = c.groups[0]
    return f"group {g} is at {c.station} {times(seen.visits(c.class_id, g, c.station, c.day))} on {c.day}"


def filler_spread(c: Cost, seen: Seen) -> str:
    g = c.groups[0]
    counts = ", ".join(f"{name} {times(seen.visits(c.class_id, g, name))}" for name in fillers(seen.cls(c.class_id)))
    return f"filler stations uneven for group {g}: {counts}"


def keep_visit(c: Cost, seen: Seen) -> str:
    g = c.groups[0]
    previous = seen.planning.instance.previous or si.Previous()
    before = previous.visits[c.class_id, g, c.day, c.slot]
    now = seen.groups(c.class_id).visits.get((g, c.day, c.slot), "no station")
    return f"group {g} was at {before} on {c.day} slot {c.slot} in the previous plan; now at {now}"


DETAIL: dict[str, Callable[[Cost, Seen], str]] = {
    "need_spread": need_spread,
    "mean_balance": mean_balance,
    "flag_balance": flag_balance,
    "no_data_spread": no_data_spread,
    "skill_match": skill_match,
    "prefer_apart": prefer_apart,
    "prefer_together": prefer_together,
    "away_at_teacher": away_at_teacher,
    "visits_by_need": visits_by_need,
    "teacher_idle": teacher_idle,
    "visits_in_need_order": visits_in_need_order,
    "station_balance": station_balance,
    "repeat_in_day": repeat_in_day,
    "filler_spread": filler_spread,
    "keep_visit": keep_visit,
}
