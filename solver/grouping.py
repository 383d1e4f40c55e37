"""Students -> groups, one class at a time. One function per rule; soft rules add penalty terms.

`HARD` and `SOFT` list the rule functions by their names in `solver/rules.py`: building a model runs
them in turn, and the tests switch each one off to see that it binds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from solver.instance import NEED_SCALE, Class, Student
from solver.model import Guards, Term, apply_rules, objective
from solver.split import sorted_split
from solver.week import keep_group_weight, mean_need, must_fit


@dataclass
class GroupingModel:
    cls: Class
    model: cp_model.CpModel
    x: dict[tuple[str, int], cp_model.IntVar]  # x[student, group]: the student is in the group
    size: dict[int, cp_model.IntVar]
    guards: Guards
    previous: Mapping[str, int] = field(default_factory=dict)  # last week's group of each student
    terms: list[Term] = field(default_factory=list)

    @property
    def keep_numbers(self) -> bool:
        """Group numbers already mean something (a focus skill, pins, locks, last week): never renumbered."""
        cls = self.cls
        return bool(cls.grouping == "by skill" or self.previous or cls.student_locks or cls.visit_locks
                    or any(r.kind == "group" for r in cls.rules))

    def groups(self) -> range:
        return range(1, self.cls.groups + 1)

    def extract(self, solver: cp_model.CpSolver) -> dict[str, int]:
        return {s.id: g for s in self.cls.students for g in self.groups() if solver.value(self.x[s.id, g])}

    def numbering(self, groups: Mapping[str, int]) -> dict[int, int]:
        """Found group -> plan group: group 1 the one needing most support (by mean need), unless numbers are kept."""
        if self.keep_numbers:
            return {g: g for g in self.groups()}
        order = sorted(self.groups(), key=lambda g: (-mean_need(self.cls, groups, g), g))
        return {g: k for k, g in enumerate(order, start=1)}


Rule = Callable[[GroupingModel], None]


def add(cls: Class, model: cp_model.CpModel, guards: Guards, previous: Mapping[str, int] | None = None,
        soft: bool = True, budget: int | None = None) -> GroupingModel:
    """The class's grouping variables and rules, added to `model` (alone, or beside other classes and a rotation).

    With a `budget` (regrouping), the grouping may cost at most that much, moves from `previous` aside."""
    x = {(s.id, g): model.new_bool_var(f"in[class={cls.id},student={s.id},group={g}]")
         for s in cls.students for g in range(1, cls.groups + 1)}
    size = {g: model.new_int_var(0, len(cls.students), f"size[class={cls.id},group={g}]")
            for g in range(1, cls.groups + 1)}
    m = GroupingModel(cls, model, x, size, guards, dict(previous or {}))
    apply_rules(m, HARD, SOFT if soft else {})
    if budget is not None:
        model.add(objective([t for t in m.terms if t.rule != "keep_group"]) <= budget)
    return m


def build(cls: Class, previous: Mapping[str, int] | None = None, explaining: bool = False,
          budget: int | None = None) -> GroupingModel:
    model = cp_model.CpModel()
    m = add(cls, model, Guards(model, explaining), previous, soft=not explaining, budget=budget)
    if not explaining:
        model.minimize(objective(m.terms))
    return m


def _present(m: GroupingModel, ids: tuple[str, ...]) -> list[str]:
    known = {s.id for s in m.cls.students}
    return [s for s in ids if s in known]


def _rules(m: GroupingModel, kind: str):
    return [r for r in m.cls.rules if r.kind == kind]


# --- hard rules ---------------------------------------------------------------------------------

def one_group(m: GroupingModel) -> None:
    # Every student is placed exactly once: structural, never relaxed.
    for s in m.cls.students:
        m.model.add_exactly_one(m.x[s.id, g] for g in m.groups())
    for g in m.groups():
        m.model.add(m.size[g] == sum(m.x[s.id, g] for s in m.cls.students))


def group_size(m: GroupingModel) -> None:
    # Sizes stay within the class's bounds (legal maximums, teacher-table seats).
    guard = m.guards("group_size", f"group sizes {m.cls.min_size}-{m.cls.max_size}", m.cls.id,
                     students=tuple(s.id for s in m.cls.students))
    for g in m.groups():
        m.model.add_linear_constraint(m.size[g], m.cls.min_size, m.cls.max_size).only_enforce_if(guard)


def apart(m: GroupingModel) -> None:
    # Safety separations: at most one of these students in any group.
    for rule in _rules(m, "apart"):
        ids = _present(m, rule.students)
        guard = m.guards("apart", rule.label, m.cls.id, students=tuple(ids))
        for g in m.groups():
            m.model.add(sum(m.x[s, g] for s in ids) <= 1).only_enforce_if(guard)


def together(m: GroupingModel) -> None:
    # These students share a group: each follows the first.
    for rule in _rules(m, "together"):
        ids = _present(m, rule.students)
        guard = m.guards("together", rule.label, m.cls.id, students=tuple(ids))
        for s in ids[1:]:
            for g in m.groups():
                m.model.add(m.x[s, g] == m.x[ids[0], g]).only_enforce_if(guard)


def pinned(m: GroupingModel) -> None:
    # The teacher put these students in a given group number.
    for rule in _rules(m, "group"):
        ids = _present(m, rule.students)
        guard = m.guards("group", rule.label, m.cls.id, students=tuple(ids))
        for s in ids:
            _fix(m, s, rule.group, guard)


def student_locks(m: GroupingModel) -> None:
    # A teacher's lock is a fixed value.
    known = {st.id for st in m.cls.students}
    for s, g in m.cls.student_locks.items():
        if s in known:
            _fix(m, s, g, m.guards("student_lock", f"lock {s} in group {g}", m.cls.id, students=(s,)))


def _fix(m: GroupingModel, student: str, group: int | None, guard: list) -> None:
    if group is not None and group in m.groups():
        m.model.add(m.x[student, group] == 1).only_enforce_if(guard)
    else:  # a group the class does not have
        m.model.add_bool_or([False]).only_enforce_if(guard)


def group_fits_station(m: GroupingModel) -> None:
    # A group must fit (some copy of) every station that every group visits.
    for station, most in must_fit(m.cls).items():
        guard = m.guards("group_fits_station", f"station {station} holds {most}", m.cls.id, stations=(station,))
        for g in m.groups():
            m.model.add(m.size[g] <= most).only_enforce_if(guard)


# --- soft rules ---------------------------------------------------------------------------------

def need_spread(m: GroupingModel) -> None:
    """Similar grouping: each group's spread of need, with the sorted split as hint and bound.

    Students without mastery data have no need to spread: they are left out (and spread by `no_data_spread`).
    """
    cls = m.cls
    if cls.grouping != "similar":
        return
    known = [s for s in cls.students if not s.no_data]
    # Exact in every solution, not only at the optimum, so a time-limited plan reports its true cost.
    hi = {g: m.model.new_int_var(0, NEED_SCALE, f"need_max[class={cls.id},group={g}]") for g in m.groups()}
    lo = {g: m.model.new_int_var(0, NEED_SCALE, f"need_min[class={cls.id},group={g}]") for g in m.groups()}
    spread = {g: m.model.new_int_var(0, NEED_SCALE, f"spread[class={cls.id},group={g}]") for g in m.groups()}
    for g in m.groups():
        m.model.add_max_equality(hi[g], [0] + [s.need * m.x[s.id, g] for s in known])
        m.model.add_min_equality(lo[g], [NEED_SCALE] + [NEED_SCALE - (NEED_SCALE - s.need) * m.x[s.id, g]
                                                        for s in known])
        m.model.add_max_equality(spread[g], [0, hi[g] - lo[g]])  # a group with no known need has no spread
        m.terms.append(Term("need_spread", spread[g], who=cls.id, group=g))
    unknown = len(cls.students) - len(known)
    best = sorted_split([s.need for s in known], cls.groups, max(0, cls.min_size - unknown), cls.max_size)
    if best is None:
        return
    bound, sizes = best
    m.model.add(sum(spread.values()) >= bound)  # no grouping beats the exact split
    if not m.keep_numbers:
        # Symmetry: groups in order of their lowest need (renumbered by mean need once solved).
        for g in list(m.groups())[:-1]:
            m.model.add(lo[g] >= lo[g + 1])
        _hint_split(m, known, sizes)


def _hint_split(m: GroupingModel, known: list[Student], sizes: list[int]) -> None:
    ordered = sorted(known, key=lambda s: (-s.need, s.id))
    chosen: dict[str, int] = {}
    start = 0
    for g, size in zip(m.groups(), sizes, strict=True):
        chosen.update((s.id, g) for s in ordered[start:start + size])
        start += size
    # Students without data go where there is most room.
    filled = {g: size for g, size in zip(m.groups(), sizes, strict=True)}
    for s in m.cls.students:
        if s.id not in chosen:
            g = min(m.groups(), key=lambda k: (filled[k], k))
            chosen[s.id] = g
            filled[g] += 1
    for s in m.cls.students:
        for g in m.groups():
            m.model.add_hint(m.x[s.id, g], chosen[s.id] == g)


def mean_balance(m: GroupingModel) -> None:
    """Mixed grouping: each group's total need is near its share of the class's total."""
    if m.cls.grouping != "mixed":
        return
    n, total = len(m.cls.students), sum(s.need for s in m.cls.students)
    for g in m.groups():
        gap = n * sum(s.need * m.x[s.id, g] for s in m.cls.students) - total * m.size[g]
        dev = m.model.new_int_var(0, n * n * NEED_SCALE, f"mean_gap[class={m.cls.id},group={g}]")
        m.model.add_abs_equality(dev, gap)
        m.terms.append(Term("mean_balance", dev, who=m.cls.id, group=g))
    _first_fit_symmetry(m)


def flag_balance(m: GroupingModel) -> None:
    """Mixed grouping: IEP, ELL and other flags spread evenly over the groups."""
    if m.cls.grouping != "mixed":
        return
    for flag in sorted({f for s in m.cls.students for f in s.flags}):
        _spread_evenly(m, "flag_balance", [s.id for s in m.cls.students if flag in s.flags], flag)


def no_data_spread(m: GroupingModel) -> None:
    """Students without mastery data share the class median: spread them over the groups, not in one."""
    unknown = [s.id for s in m.cls.students if s.no_data]
    if len(unknown) > 1:
        _spread_evenly(m, "no_data_spread", unknown, m.cls.id)


def _spread_evenly(m: GroupingModel, rule: str, ids: list[str], who: str) -> None:
    most = m.model.new_int_var(0, len(ids), f"{rule}_max[class={m.cls.id},{who}]")
    least = m.model.new_int_var(0, len(ids), f"{rule}_min[class={m.cls.id},{who}]")
    counts = [sum(m.x[s, g] for s in ids) for g in m.groups()]
    m.model.add_max_equality(most, counts)
    m.model.add_min_equality(least, counts)
    m.terms.append(Term(rule, most - least, who=who))


def _first_fit_symmetry(m: GroupingModel) -> None:
    # Interchangeable groups: the i-th student goes to one of the first i groups.
    if m.keep_numbers:
        return
    for i, s in enumerate(m.cls.students):
        for g in m.groups():
            if g > i + 1:
                m.model.add(m.x[s.id, g] == 0)


def skill_match(m: GroupingModel) -> None:
    """By skill: group g works on focus skill g; each student goes where their need is greatest."""
    if m.cls.grouping != "by skill":
        return
    for s in m.cls.students:
        best = max((s.skill_need.get(k, s.need) for k in m.cls.focus), default=s.need)
        for g in m.groups():
            loss = best - target_need(m.cls, s, g)
            if loss:
                m.terms.append(Term("skill_match", loss * m.x[s.id, g], who=s.id))


def target_need(cls: Class, student: Student, group: int) -> int:
    if not cls.focus:
        return student.need
    return student.skill_need.get(cls.focus[(group - 1) % len(cls.focus)], student.need)


def prefer_apart(m: GroupingModel) -> None:
    # Chatty pairs: a cost for each pair that ends up together.
    for rule in _rules(m, "prefer_apart"):
        for a, b in combinations(_present(m, rule.students), 2):
            m.terms.append(Term("prefer_apart", _same_group(m, a, b), who=f"{a}, {b}"))


def prefer_together(m: GroupingModel) -> None:
    # Buddies: a cost for each pair that ends up apart.
    for rule in _rules(m, "prefer_together"):
        for a, b in combinations(_present(m, rule.students), 2):
            m.terms.append(Term("prefer_together", 1 - _same_group(m, a, b), who=f"{a}, {b}"))


def _same_group(m: GroupingModel, a: str, b: str) -> cp_model.LinearExprT:
    """1 exactly when the two students share a group."""
    both = []
    for g in m.groups():
        same = m.model.new_bool_var(f"same[class={m.cls.id},{a},{b},group={g}]")
        m.model.add_multiplication_equality(same, [m.x[a, g], m.x[b, g]])
        both.append(same)
    return sum(both)


def keep_groups(m: GroupingModel) -> None:
    """Re-planning: each student moved from last week's group costs more than any other gain."""
    if not m.previous:
        return
    scale = keep_group_weight(m.cls)
    for s in m.cls.students:
        g = m.previous.get(s.id)
        if g is not None and g in m.groups():
            m.model.add_hint(m.x[s.id, g], True)
            m.terms.append(Term("keep_group", 1 - m.x[s.id, g], who=s.id, scale=scale))


# The rules of this stage, by their names in solver/rules.py, in the order a model is built.
HARD: dict[str, Rule] = {
    "one_group": one_group, "group_size": group_size, "apart": apart, "together": together, "group": pinned,
    "student_lock": student_locks, "group_fits_station": group_fits_station,
}
SOFT: dict[str, Rule] = {
    "need_spread": need_spread, "mean_balance": mean_balance, "flag_balance": flag_balance,
    "no_data_spread": no_data_spread, "skill_match": skill_match, "prefer_apart": prefer_apart,
    "prefer_together": prefer_together, "keep_group": keep_groups,
}
