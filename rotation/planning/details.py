"""What a soft rule's cost means for a group or a student, in a teacher's words: the Checks sheet's `detail`.

One small function per rule, in DETAIL under the rule's name; a rule without one says `RULE[rule].says`. The
numbers come from the plan and the need scores (need as a percent), never from the cost, which keeps its own
column.
"""

from __future__ import annotations

import re
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

    def classes_with(self, *students: str) -> list[str]:
        """The classes (in the plan) that have all these students."""
        return [c for c, cp in self.plan.classes.items() if all(s in cp.groups for s in students)]

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
        return (words(cost, seen) if words else "") or cost.detail or RULE[cost.rule].says
    except (LookupError, ValueError, StopIteration):  # a cost named in a way these words do not know
        return cost.detail or RULE[cost.rule].says


# --- helpers ---------------------------------------------------------------------------------------


def percent(need: float) -> str:
    return f"{round(100 * need)}%"


def times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _group(who: str) -> tuple[str, int]:
    """'3A group 4' -> ('3A', 4)."""
    class_id, _, number = who.rpartition(" group ")
    return class_id, int(number)


def _spread(seen: Seen, class_id: str, students: list[str]) -> str:
    """How many of these students each group has: 'group 1 has 2, group 2 has 0'."""
    cp = seen.groups(class_id)
    counts = Counter(cp.groups[s] for s in students if s in cp.groups)
    return ", ".join(f"group {g} has {counts[g]}" for g in range(1, seen.cls(class_id).groups + 1))


def _by_need(seen: Seen, class_id: str) -> list[str]:
    """The class's `by need` stations (copies left out: a visit to a copy counts for its original)."""
    return [st.name for st in seen.cls(class_id).stations if st.by_need and not st.mirror_of]


# --- one function per rule ----------------------------------------------------------------------------


def need_spread(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    cls = seen.cls(class_id)
    cp = seen.groups(class_id)
    need = [seen.need(class_id, s.id) for s in cls.students if cp.groups.get(s.id) == g and not s.no_data]
    return f"group {g} mixes students from {percent(min(need))} to {percent(max(need))} need"


def mean_balance(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    cp = seen.groups(class_id)
    mine = [seen.need(class_id, s) for s, k in cp.groups.items() if k == g]
    every = [seen.need(class_id, s) for s in cp.groups]
    return (f"group {g}'s mean need is {percent(sum(mine) / len(mine))}; the class's is "
            f"{percent(sum(every) / len(every))}")


def flag_balance(c: Cost, seen: Seen) -> str:
    flag = c.who
    spread = []
    for class_id in seen.plan.classes:
        cls = seen.cls(class_id)
        flagged = [s.id for s in cls.students if flag in s.flags]
        if cls.grouping == "mixed" and flagged:
            spread.append((class_id, _spread(seen, class_id, flagged)))
    if len(spread) == 1:
        return f"{flag} students spread unevenly: {spread[0][1]}"
    return f"{flag} students spread unevenly: " + "; ".join(f"{k}: {words}" for k, words in spread)


def no_data_spread(c: Cost, seen: Seen) -> str:
    cls = seen.cls(c.who)
    unknown = [s.id for s in cls.students if s.no_data]
    return f"students without mastery data spread unevenly: {_spread(seen, cls.id, unknown)}"


def skill_match(c: Cost, seen: Seen) -> str:
    student = c.who
    class_id = next(k for k in seen.classes_with(student) if seen.cls(k).grouping == "by skill")
    cls, g = seen.cls(class_id), seen.groups(class_id).groups[student]
    need = seen.planning.need[class_id].skill_need[student]
    working_on = cls.focus[(g - 1) % len(cls.focus)]
    most = max(cls.focus, key=lambda k: need.get(k, 0.0))
    return (f"{seen.name(student)} is in group {g} on {working_on} ({percent(need[working_on])} need) but needs "
            f"{most} most ({percent(need[most])})")


def prefer_apart(c: Cost, seen: Seen) -> str:
    a, b = c.who.split(", ")
    class_id = next(k for k in seen.classes_with(a, b) if seen.groups(k).groups[a] == seen.groups(k).groups[b])
    return f"{seen.name(a)} and {seen.name(b)} preferred apart, but both in group {seen.groups(class_id).groups[a]}"


def prefer_together(c: Cost, seen: Seen) -> str:
    a, b = c.who.split(", ")
    class_id = next(k for k in seen.classes_with(a, b) if seen.groups(k).groups[a] != seen.groups(k).groups[b])
    groups = seen.groups(class_id).groups
    return f"{seen.name(a)} and {seen.name(b)} preferred together, but in groups {groups[a]} and {groups[b]}"


def away_at_teacher(c: Cost, seen: Seen) -> str:
    students = c.who.split(", ")
    class_id, day, _, slot = c.when.rsplit(" ", 3)
    cp = seen.groups(class_id)
    g = cp.groups[students[0]]
    station = cp.visits[g, day, int(slot)]
    is_are = "is" if len(students) == 1 else "are"
    who = word_list(seen.name(s) for s in students)
    return f"{who} {is_are} out while group {g} is at {station} ({day} slot {slot})"


def visits_by_need(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    target = re.search(r"\d+", c.when)
    stations = _by_need(seen, class_id)
    at = "; ".join(f"group {g} is at {name} {times(seen.visits(class_id, g, name))} this week" for name in stations)
    return at + (f"; it should be there at least {times(int(target[0]))}" if target else "")


def teacher_idle(c: Cost, seen: Seen) -> str:
    station = c.who.partition(" ")[2]
    return f"{station} stands empty on {c.when} while its adult is free and groups are in the room"


def visits_in_need_order(c: Cost, seen: Seen) -> str:
    class_id, less = _group(c.who)
    more = int(c.when.rpartition(" ")[2])
    stations = _by_need(seen, class_id)
    return "; ".join(f"group {less} is at {name} {times(seen.visits(class_id, less, name))}, more than group {more} "
                     f"({times(seen.visits(class_id, more, name))}), which needs more support" for name in stations)


def station_balance(c: Cost, seen: Seen) -> str:
    cls, cp = seen.cls(c.who), seen.groups(c.who)
    day, _, slot = c.when.partition(" slot ")
    there = Counter(station for (_, d, k), station in cp.visits.items() if d == day and k == int(slot))
    crowded = [f"{name} holds {n} groups" for name, n in there.items() if n > 1]
    empty = [st.name for st in cls.stations if st.name not in there]
    stand = "stands" if len(empty) == 1 else "stand"
    return f"on {c.when}, {word_list(crowded)} while {word_list(empty)} {stand} empty"


def repeat_in_day(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    day, _, station = c.when.partition(" ")
    return f"group {g} is at {station} {times(seen.visits(class_id, g, station, day))} on {day}"


def filler_spread(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    counts = ", ".join(f"{name} {times(seen.visits(class_id, g, name))}" for name in fillers(seen.cls(class_id)))
    return f"filler stations uneven for group {g}: {counts}"


def keep_visit(c: Cost, seen: Seen) -> str:
    class_id, g = _group(c.who)
    day, _, slot = c.when.partition(" slot ")
    previous = seen.planning.instance.previous or si.Previous()
    before = previous.visits[class_id, g, day, int(slot)]
    now = seen.groups(class_id).visits.get((g, day, int(slot)), "no station")
    return f"group {g} was at {before} on {day} slot {slot} in the previous plan; now at {now}"


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
