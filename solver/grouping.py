"""Students -> groups, one class at a time. One function per rule; soft rules add penalty terms.

`FUNCTIONS` finds each rule's function by its name in `solver/rules.py`: building a model runs the
stage's rules in the table's order, and the tests switch each one off to see that it binds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from ortools.sat.python import cp_model

from solver.balance import balanced_deal
from solver.instance import NEED_SCALE, Class, Student
from solver.model import Guards, Term, apply_rules, objective
from solver.rules import bound
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
    apply_rules(m, "grouping", FUNCTIONS, soft)
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


def tolerance(cls: Class) -> int:
    """How far above the best possible cost a grouping may stop once that is proven: in mixed grouping, one
    point of need (of NEED_SCALE) per group's total, which costs n; finding the very best balance of need is
    number partitioning, which can take longer to prove than any teacher would wait for the difference."""
    return len(cls.students) * cls.groups if cls.grouping == "mixed" else 0


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
        m.terms.append(Term("need_spread", spread[g], class_id=cls.id, groups=(g,)))
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
    cls = m.cls
    if cls.grouping != "mixed":
        return
    n, total = len(cls.students), sum(s.need for s in cls.students)
    gaps = []
    for g in m.groups():
        # The total as a variable of its own: n * (a sum of needs) sends CP-SAT's presolve into huge domains.
        need = m.model.new_int_var(0, total, f"need_total[class={cls.id},group={g}]")
        m.model.add(need == sum(s.need * m.x[s.id, g] for s in cls.students))
        gap = m.model.new_int_var(0, n * n * NEED_SCALE, f"mean_gap[class={cls.id},group={g}]")
        m.model.add_abs_equality(gap, n * need - total * m.size[g])
        m.terms.append(Term("mean_balance", gap, class_id=cls.id, groups=(g,)))
        gaps.append(gap)
    m.model.add(sum(gaps) >= mean_gap_bound(n, total, cls.groups, cls.min_size, cls.max_size))
    if not m.keep_numbers:
        _interchangeable(m)


def mean_gap_bound(n: int, total: int, groups: int, least: int, most: int) -> int:
    """No mixed grouping costs less: the least sum of |n * group need - total * group size| that any sizes allow.

    n * group need is a multiple of n, so a group of size k misses its share by its residue r = -total * k mod n,
    or by r - n, r + n, ...; the misses add up to 0, so sum(r) / n groups miss by r - n (cheapest: the largest r).
    """
    if n == 0:
        return 0
    best = None
    for count, sizes in enumerate(_size_patterns(n, groups, least, most)):
        if count == 10_000:  # absurdly loose sizes: no bound rather than a slow one
            return 0
        residues = sorted(((-total * k) % n for k in sizes), reverse=True)
        below = sum(residues) // n
        cost = sum(n - r for r in residues[:below]) + sum(residues[below:])
        best = cost if best is None else min(best, cost)
    return best or 0


def _size_patterns(n: int, groups: int, least: int, most: int) -> Iterator[tuple[int, ...]]:
    """Every way to share n students out into groups of least..most, largest group first."""
    if groups == 0:
        if n == 0:
            yield ()
        return
    for k in range(min(most, n), least - 1, -1):
        for rest in _size_patterns(n - k, groups - 1, least, min(most, k)):
            yield (k, *rest)


def _balanced_sizes(cls: Class) -> list[int] | None:
    """The group sizes, largest first, when the class's bounds allow only one way to share the students out."""
    n, k = len(cls.students), cls.groups
    if cls.max_size - cls.min_size > 1 or not cls.min_size * k <= n <= cls.max_size * k:
        return None
    larger = n - k * cls.min_size
    return [cls.max_size if g < larger else cls.min_size for g in range(k)]


def _interchangeable(m: GroupingModel) -> None:
    """Groups that no number means anything for yet: one grouping per way of sharing the students out.

    Sizes the bounds force are fixed, largest first; groups of one size go in order of their first student;
    the balanced deal is the hint (numbered to match)."""
    cls = m.cls
    forced = _balanced_sizes(cls)
    sizes = forced or [0] * cls.groups  # loose bounds: every group one block
    if forced:
        for g in m.groups():
            m.model.add(m.size[g] == forced[g - 1])
    for g in list(m.groups())[:-1]:
        if sizes[g - 1] == sizes[g]:
            for i, s in enumerate(cls.students):
                m.model.add(m.x[s.id, g + 1] <= sum(m.x[t.id, g] for t in cls.students[:i]))
    n, k = len(cls.students), cls.groups
    even = forced or [n // k + (g < n % k) for g in range(k)]
    if not all(cls.min_size <= size <= cls.max_size for size in even):
        return
    kinds = [(tuple(sorted(s.flags)), s.no_data) for s in cls.students]  # what flag_balance and no_data_spread spread
    dealt = balanced_deal([s.need for s in cls.students], kinds, even)
    first = {g: dealt.index(g) if g in dealt else n for g in range(k)}  # an empty group comes last
    number: dict[int, int] = {}
    for size in dict.fromkeys(sizes):
        block = [g for g in range(k) if sizes[g] == size]
        number.update(zip(sorted(block, key=lambda g: first[g]), (g + 1 for g in block), strict=True))
    for s, g in zip(cls.students, dealt, strict=True):
        for h in m.groups():
            m.model.add_hint(m.x[s.id, h], number[g] == h)


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
        _spread_evenly(m, "no_data_spread", unknown)


def _spread_evenly(m: GroupingModel, rule: str, ids: list[str], flag: str = "") -> None:
    # However they are shared out, some group has at least the even share and some at most.
    most = m.model.new_int_var(-(-len(ids) // m.cls.groups), len(ids), f"{rule}_max[class={m.cls.id},{flag}]")
    least = m.model.new_int_var(0, len(ids) // m.cls.groups, f"{rule}_min[class={m.cls.id},{flag}]")
    counts = [sum(m.x[s, g] for s in ids) for g in m.groups()]
    m.model.add_max_equality(most, counts)
    m.model.add_min_equality(least, counts)
    m.terms.append(Term(rule, most - least, class_id=m.cls.id, flag=flag))


def skill_match(m: GroupingModel) -> None:
    """By skill: group g works on focus skill g; each student goes where their need is greatest."""
    if m.cls.grouping != "by skill":
        return
    for s in m.cls.students:
        best = max((s.skill_need.get(k, s.need) for k in m.cls.focus), default=s.need)
        for g in m.groups():
            loss = best - target_need(m.cls, s, g)
            if loss:
                m.terms.append(Term("skill_match", loss * m.x[s.id, g], class_id=m.cls.id, students=(s.id,)))


def target_need(cls: Class, student: Student, group: int) -> int:
    if not cls.focus:
        return student.need
    return student.skill_need.get(cls.focus[(group - 1) % len(cls.focus)], student.need)


def prefer_apart(m: GroupingModel) -> None:
    # Chatty pairs: a cost for each pair that ends up together.
    for rule in _rules(m, "prefer_apart"):
        for a, b in combinations(_present(m, rule.students), 2):
            m.terms.append(Term("prefer_apart", _same_group(m, a, b), class_id=m.cls.id, students=(a, b)))


def prefer_together(m: GroupingModel) -> None:
    # Buddies: a cost for each pair that ends up apart.
    for rule in _rules(m, "prefer_together"):
        for a, b in combinations(_present(m, rule.students), 2):
            m.terms.append(Term("prefer_together", 1 - _same_group(m, a, b), class_id=m.cls.id,
                                  students=(a, b)))


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
            m.terms.append(Term("keep_group", 1 - m.x[s.id, g], class_id=m.cls.id, students=(s.id,), scale=scale))


# Each rule of this stage by its name in solver/rules.py, which gives their order.
FUNCTIONS: dict[str, Rule] = bound({
    "one_group": one_group, "group_size": group_size, "apart": apart, "together": together, "group": pinned,
    "student_lock": student_locks, "group_fits_station": group_fits_station,
    "need_spread": need_spread, "mean_balance": mean_balance, "flag_balance": flag_balance,
    "no_data_spread": no_data_spread, "skill_match": skill_match, "prefer_apart": prefer_apart,
    "prefer_together": prefer_together, "keep_group": keep_groups,
}, stage="grouping")
