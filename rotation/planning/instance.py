"""The school as the solver sees it: every default of the planning workbook (docs/workbook.md) resolved, rules
narrowed per class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import solver.instance as si
from rotation.domain.plan import Plan
from rotation.domain.school import BY_NEED, DAYS, Rule, School, SchoolClass, Staff, Station
from rotation.domain.week import (
    groups_of,
    minutes,
    rotations_of,
    rule_students,
    slot_times,
    station_staff,
    stations_of,
    students_of,
    windows_by_day,
)
from rotation.planning.need import ClassNeed, class_need, latest_results


@dataclass(frozen=True)
class Planning:
    """The solver's instance with what the plan workbook needs to say about it."""

    instance: si.Instance
    need: dict[str, ClassNeed]  # class -> need
    names: Mapping[str, str] = field(default_factory=dict)  # student -> name, as the Checks sheet words it


def build_instance(school: School, previous: Plan | None = None, regroup: bool = False) -> Planning:
    """`previous`: last week's plan, kept where the hard rules allow; with `regroup`, its groups follow the
    latest mastery and the rotation is planned afresh for them."""
    latest = latest_results(school)
    needs = {c.class_id: class_need(school, c, latest) for c in school.classes}
    classes = tuple(_class(school, c, needs[c.class_id]) for c in school.classes)
    names = {s.student_id: s.name for s in school.students}
    return Planning(si.Instance(classes, _adults(school), _pools(school), _previous(previous, regroup)), needs, names)


def _class(school: School, cls: SchoolClass, need: ClassNeed) -> si.Class:
    members = students_of(school, cls.class_id)
    groups = groups_of(school, cls)
    low, high = _size_bounds(len(members), groups, cls)
    own = stations_of(school, cls.class_id)
    # must_do defaults to yes when every station (not counting mirrors) fits in a day's rotations.
    every_day = rotations_of(school, cls) >= sum(1 for s in own if not s.mirror_of)
    stations = tuple(_station(school, cls, st, every_day) for st in own)
    slots = tuple(si.Slot(t.day, t.slot, minutes(t.start), minutes(t.end)) for t in slot_times(school, cls))
    rules = tuple(r for rule in school.rules if rule.rule != "away"
                  for r in [_student_rule(school, rule, cls.class_id)] if r.students)
    return si.Class(
        id=cls.class_id,
        students=tuple(
            si.Student(s.student_id, _scale(need.need[s.student_id]), frozenset(s.flags),
                       {k: _scale(v) for k, v in need.skill_need[s.student_id].items()},
                       no_data=s.student_id in need.no_data)
            for s in members),
        stations=stations, slots=slots, groups=groups, min_size=low, max_size=high,
        grouping=cls.grouping, focus=tuple(cls.focus) or _skills_in_order(need),
        teacher=cls.teacher or None, rules=rules,
        away=tuple(_away(school, cls)),
        student_locks={lk.student_id: lk.group for lk in school.student_locks if lk.class_id == cls.class_id},
        visit_locks=tuple(si.VisitLock(lk.day, lk.slot, lk.group, lk.station)
                          for lk in school.visit_locks if lk.class_id == cls.class_id),
    )


def _scale(need: float) -> int:
    return round(need * si.NEED_SCALE)


def _skills_in_order(need: ClassNeed) -> tuple[str, ...]:
    return tuple(next(iter(need.skill_need.values()), {}).keys())


def _size_bounds(n: int, groups: int, cls: SchoolClass) -> tuple[int, int]:
    """Balanced by default: sizes differ by at most one."""
    even_low, even_high = n // max(groups, 1), -(-n // max(groups, 1))
    low = cls.min_group_size if cls.min_group_size is not None else even_low
    high = cls.max_group_size if cls.max_group_size is not None else even_high
    # One bound given: the other stays balanced but never contradicts it.
    if cls.max_group_size is None:
        high = max(high, low)
    if cls.min_group_size is None:
        low = min(low, high)
    return low, high


def _station(school: School, cls: SchoolClass, st: Station, every_day: bool) -> si.Station:
    staff, role = station_staff(school, cls, st)
    is_copy = bool(st.mirror_of)
    must_do = st.must_do if st.must_do is not None else (st.visits is None and every_day)
    return si.Station(
        name=st.name, kind=st.kind, capacity=st.capacity,
        staff=staff or None,  # a teacher absent from Staff is an adult all the same
        role=role or None,
        pool=st.devices or None,
        must_do=must_do and not is_copy,
        visits=st.visits if isinstance(st.visits, int) and not is_copy else None,
        by_need=st.visits == BY_NEED and not is_copy,
        mirror_of=st.mirror_of or None,
    )


def rule_label(rule: Rule) -> str:
    where = f" (Rules row {rule.row})" if rule.row else ""
    return f"{rule.rule} {', '.join(rule.students)}{where}"


def _student_rule(school: School, rule: Rule, class_id: str) -> si.StudentRule:
    students = rule_students(school, rule, class_id)
    station = rule.station or None
    if rule.rule == "needs":
        own = {st.name: st.mirror_of or st.name for st in stations_of(school, class_id)}
        # A visit to either copy of a mirrored station counts; a class without the station is not bound by it.
        station = own.get(rule.station)
        students = students if station else ()
    return si.StudentRule(rule.rule, rule_label(rule), students, rule.group, station, rule.count)


def _away(school: School, cls: SchoolClass):
    for rule in school.rules:
        if rule.rule != "away" or rule.start is None or rule.end is None:
            continue
        for day in rule.days or cls.days:
            if day in cls.days:
                for sid in rule_students(school, rule, cls.class_id):
                    yield si.Away(rule_label(rule), sid, day, minutes(rule.start), minutes(rule.end))


def availability(staff: Staff) -> tuple[si.Window, ...] | None:
    """A later clause replaces the earlier ones for the days it names; no clause = always."""
    by_day = windows_by_day(staff)
    if by_day is None:
        return None
    return tuple(si.Window(day, minutes(w.start), minutes(w.end))
                 for day in DAYS for w in by_day.get(day, ()))


def _adults(school: School) -> tuple[si.Adult, ...]:
    teaches: dict[str, list[str]] = {}
    for c in school.classes:
        if c.teacher:
            teaches.setdefault(c.teacher, []).append(c.class_id)
    adults = [si.Adult(s.staff_id, s.name, s.role, availability(s), tuple(teaches.get(s.staff_id, ())))
              for s in school.staff]
    known = {s.staff_id for s in school.staff}
    adults += [si.Adult(t, teaches=tuple(cs)) for t, cs in teaches.items() if t not in known]
    return tuple(adults)


def _pools(school: School) -> tuple[si.DevicePool, ...]:
    every = frozenset(c.class_id for c in school.classes)
    return tuple(si.DevicePool(p.pool, p.count, frozenset(p.classes) or every) for p in school.devices)


def _previous(plan: Plan | None, regroup: bool) -> si.Previous | None:
    if plan is None:
        return None
    groups = {(g.class_id, s): g.number for g in plan.groups for s in g.members}
    # New groups get the week that suits them: last week's visits were made for other groups.
    visits = {} if regroup else {(v.class_id, v.group, v.day, v.slot): v.station for v in plan.visits}
    return si.Previous(groups, visits, regroup)
