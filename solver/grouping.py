"""Students -> groups, one class at a time. One function per rule; soft rules return penalty terms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from solver.instance import NEED_SCALE, Class, Student
from solver.model import Guards, Term, objective
from solver.rules import keep_group_weight
from solver.split import sorted_split
from solver.week import must_fit


@dataclass
class GroupingModel:
    cls: Class
    model: cp_model.CpModel
    x: dict[tuple[str, int], cp_model.IntVar]  # x[student, group]: the student is in the group
    size: dict[int, cp_model.IntVar]
    guards: Guards
    terms: list[Term]
    keep_numbers: bool = False  # group numbers already mean something (pins, locks, last week)

    def groups(self) -> range:
        return range(1, self.cls.groups + 1)

    def extract(self, solver: cp_model.CpSolver) -> dict[str, int]:
        return {s.id: g for s in self.cls.students for g in self.groups() if solver.value(self.x[s.id, g])}


def build(cls: Class, previous: Mapping[str, int] | None = None, explaining: bool = False) -> GroupingModel:
    model = cp_model.CpModel()
    x = {(s.id, g): model.new_bool_var(f"in[student={s.id},group={g}]")
         for s in cls.students for g in range(1, cls.groups + 1)}
    size = {g: model.new_int_var(0, len(cls.students), f"size[group={g}]") for g in range(1, cls.groups + 1)}
    m = GroupingModel(cls, model, x, size, Guards(model, explaining), [])
    one_group_per_student(m)
    group_size(m)
    for rule in cls.rules:
        {"apart": apart, "together": together, "group": pinned,
         "prefer_apart": prefer_apart, "prefer_together": prefer_together}.get(rule.kind, _skip)(m, rule)
    student_locks(m)
    group_fits_station(m)
    m.keep_numbers = bool(previous) or _numbered_by_teacher(cls)
    if not explaining:
        {"similar": need_spread, "mixed": mean_balance, "by skill": skill_match}[cls.grouping](m)
        if cls.grouping == "mixed":
            flag_balance(m)
        if previous:
            keep_groups(m, previous)
        m.model.minimize(objective(m.terms))
    return m


def _skip(m: GroupingModel, rule: object) -> None:
    """Rules the rotation model handles (needs)."""


def _present(m: GroupingModel, ids: tuple[str, ...]) -> list[str]:
    known = {s.id for s in m.cls.students}
    return [s for s in ids if s in known]


# --- hard rules ---------------------------------------------------------------------------------

def one_group_per_student(m: GroupingModel) -> None:
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


def apart(m: GroupingModel, rule) -> None:
    # Safety separations: at most one of these students in any group.
    ids = _present(m, rule.students)
    guard = m.guards("apart", rule.label, m.cls.id, students=tuple(ids))
    for g in m.groups():
        m.model.add(sum(m.x[s, g] for s in ids) <= 1).only_enforce_if(guard)


def together(m: GroupingModel, rule) -> None:
    # These students share a group: each follows the first.
    ids = _present(m, rule.students)
    guard = m.guards("together", rule.label, m.cls.id, students=tuple(ids))
    for s in ids[1:]:
        for g in m.groups():
            m.model.add(m.x[s, g] == m.x[ids[0], g]).only_enforce_if(guard)


def pinned(m: GroupingModel, rule) -> None:
    # The teacher put these students in a given group number.
    ids = _present(m, rule.students)
    guard = m.guards("group", rule.label, m.cls.id, students=tuple(ids))
    for s in ids:
        if rule.group in m.groups():
            m.model.add(m.x[s, rule.group] == 1).only_enforce_if(guard)
        else:
            m.model.add_bool_or([False]).only_enforce_if(guard)


def student_locks(m: GroupingModel) -> None:
    # A teacher's lock is a fixed value.
    for s, g in m.cls.student_locks.items():
        if (s, g) not in m.x and s not in {st.id for st in m.cls.students}:
            continue
        guard = m.guards("student_lock", f"lock {s} in group {g}", m.cls.id, students=(s,))
        if g in m.groups():
            m.model.add(m.x[s, g] == 1).only_enforce_if(guard)
        else:
            m.model.add_bool_or([False]).only_enforce_if(guard)


def group_fits_station(m: GroupingModel) -> None:
    # A group must fit (some copy of) every station that every group must visit.
    for station, most in must_fit(m.cls).items():
        guard = m.guards("group_fits_station", f"station {station} holds {most}", m.cls.id, stations=(station,))
        for g in m.groups():
            m.model.add(m.size[g] <= most).only_enforce_if(guard)


# --- soft rules ---------------------------------------------------------------------------------

def need_spread(m: GroupingModel) -> None:
    """Similar grouping: each group's spread of need, with the sorted split as hint and bound."""
    cls = m.cls
    # Exact in every solution, not only at the optimum, so a time-limited plan reports its true cost.
    hi = {g: m.model.new_int_var(0, NEED_SCALE, f"need_max[group={g}]") for g in m.groups()}
    lo = {g: m.model.new_int_var(0, NEED_SCALE, f"need_min[group={g}]") for g in m.groups()}
    spread = {g: m.model.new_int_var(0, NEED_SCALE, f"spread[group={g}]") for g in m.groups()}
    for g in m.groups():
        m.model.add_max_equality(hi[g], [s.need * m.x[s.id, g] for s in cls.students])
        m.model.add_min_equality(lo[g], [NEED_SCALE - (NEED_SCALE - s.need) * m.x[s.id, g] for s in cls.students])
        m.model.add_max_equality(spread[g], [0, hi[g] - lo[g]])  # an empty group has no spread
        m.terms.append(Term("need_spread", spread[g], who=f"{cls.id} group {g}"))
    best = sorted_split([s.need for s in cls.students], cls.groups, cls.min_size, cls.max_size)
    if best is None:
        return
    bound, sizes = best
    m.model.add(sum(spread.values()) >= bound)  # no grouping beats the exact split
    if not m.keep_numbers:
        # Symmetry: group 1 is the one needing most support.
        for g in list(m.groups())[:-1]:
            m.model.add(lo[g] >= lo[g + 1])
        _hint_split(m, sizes)


def _hint_split(m: GroupingModel, sizes: list[int]) -> None:
    ordered = sorted(m.cls.students, key=lambda s: (-s.need, s.id))
    start = 0
    for g, size in zip(m.groups(), sizes, strict=True):
        chosen = {s.id for s in ordered[start:start + size]}
        for s in m.cls.students:
            m.model.add_hint(m.x[s.id, g], s.id in chosen)
        start += size


def _numbered_by_teacher(cls: Class) -> bool:
    """Group numbers the teacher used (pins, locks) must keep their meaning: no reordering."""
    return bool(cls.student_locks or cls.visit_locks or any(r.kind == "group" for r in cls.rules))


def mean_balance(m: GroupingModel) -> None:
    """Mixed grouping: each group's total need is near its share of the class's total."""
    n, total = len(m.cls.students), sum(s.need for s in m.cls.students)
    for g in m.groups():
        gap = n * sum(s.need * m.x[s.id, g] for s in m.cls.students) - total * m.size[g]
        dev = m.model.new_int_var(0, n * n * NEED_SCALE, f"mean_gap[group={g}]")
        m.model.add_abs_equality(dev, gap)
        m.terms.append(Term("mean_balance", dev, who=f"{m.cls.id} group {g}"))
    _first_fit_symmetry(m)


def flag_balance(m: GroupingModel) -> None:
    """Mixed grouping: IEP, ELL and other flags spread evenly over the groups."""
    for flag in sorted({f for s in m.cls.students for f in s.flags}):
        flagged = [s.id for s in m.cls.students if flag in s.flags]
        most = m.model.new_int_var(0, len(flagged), f"flag_max[{flag}]")
        least = m.model.new_int_var(0, len(flagged), f"flag_min[{flag}]")
        counts = [sum(m.x[s, g] for s in flagged) for g in m.groups()]
        m.model.add_max_equality(most, counts)
        m.model.add_min_equality(least, counts)
        m.terms.append(Term("flag_balance", most - least, who=flag))


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


def prefer_apart(m: GroupingModel, rule) -> None:
    # Chatty pairs: a cost for each pair that ends up together.
    for a, b in combinations(_present(m, rule.students), 2):
        m.terms.append(Term("prefer_apart", _same_group(m, a, b), who=f"{a}, {b}"))


def prefer_together(m: GroupingModel, rule) -> None:
    # Buddies: a cost for each pair that ends up apart.
    for a, b in combinations(_present(m, rule.students), 2):
        m.terms.append(Term("prefer_together", 1 - _same_group(m, a, b), who=f"{a}, {b}"))


def _same_group(m: GroupingModel, a: str, b: str) -> cp_model.LinearExprT:
    """1 exactly when the two students share a group."""
    both = []
    for g in m.groups():
        same = m.model.new_bool_var(f"same[{a},{b},group={g}]")
        m.model.add_multiplication_equality(same, [m.x[a, g], m.x[b, g]])
        both.append(same)
    return sum(both)


def keep_groups(m: GroupingModel, previous: Mapping[str, int]) -> None:
    """Re-planning: each student moved from last week's group costs more than any other gain."""
    scale = keep_group_weight(m.cls)
    for s in m.cls.students:
        g = previous.get(s.id)
        if g is not None and g in m.groups():
            m.model.add_hint(m.x[s.id, g], True)
            m.terms.append(Term("keep_group", 1 - m.x[s.id, g], who=s.id, scale=scale))
