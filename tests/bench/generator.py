"""Instance generator for the benchmarks: classes sharing interventionists and device carts."""

from __future__ import annotations

import random
from dataclasses import replace

from resources.demo.build import grade3_team
from rotation.domain.school import DevicePool as DomainPool
from rotation.domain.school import MasteryResult, School, Skill
from solver.instance import NEED_SCALE, Adult, Class, DevicePool, Instance, Station
from tests.solver.factory import grade3, slots, students


def school(classes: int, seed: int = 0) -> Instance:
    """Many grade-3-like classes sharing one interventionist role and one device cart per four classes."""
    out, adults, pools = [], [], []
    for i in range(classes):
        cid = f"C{i + 1}"
        cls = grade3(cid, seed=seed + i, teacher=f"T{i + 1}", pool=f"cart{i // 4 + 1}", start=8 * 60 + 30 * (i % 4))
        stations = (*cls.stations[:2], Station("intervention", "teacher", role="interventionist", visits=2),
                    cls.stations[2])
        out.append(Class(cls.id, cls.students, stations, cls.slots, 4, cls.min_size, cls.max_size,
                         teacher=cls.teacher))
        adults.append(Adult(f"T{i + 1}", teaches=(cid,)))
    for j in range(max(1, classes // 4)):
        adults.append(Adult(f"I{j + 1}", role="interventionist"))
        pools.append(DevicePool(f"cart{j + 1}", 15, frozenset(f"C{i + 1}" for i in range(4 * j, 4 * j + 4))))
    return Instance(tuple(out), tuple(adults), tuple(pools))


def large_class(n: int = 35, groups: int = 5, seed: int = 0) -> Instance:
    """35 students in 5 groups of 6-8 and 5 stations (teacher table by need, one device station)."""
    stations = (Station("teacher", "teacher", staff="T1", by_need=True), Station("online", "online", pool="carts"),
                Station("practice", "collaborative"), Station("reading", "independent"),
                Station("writing", "independent"))
    cls = Class("5B", students(n, seed, prefix="5B-"), stations, slots(rotations=5, minutes=12), groups, 6, 8,
                teacher="T1")
    return Instance((cls,), (Adult("T1", teaches=("5B",)),), (DevicePool("carts", 16, frozenset({"5B"})),))


def with_seed(instance: Instance, seed: int) -> Instance:
    return replace(instance, classes=tuple(replace(c, students=students(len(c.students), seed, prefix=f"{c.id}-"))
                                           for c in instance.classes))


def short_of_carts(classes: int = 8, seed: int = 0) -> Instance:
    """`school(classes)` with three online visits a week per group and carts of 8: no plan exists."""
    base = school(classes, seed)
    out = tuple(replace(c, stations=tuple(replace(st, visits=3) if st.name == "online" else st for st in c.stations))
                for c in base.classes)
    return replace(base, classes=out, pools=tuple(replace(p, count=8) for p in base.pools))


def teacher_class(n: int, grouping: str, seed: int = 0) -> Instance:
    """One grade-3-like class of n in balanced groups (4, or 5 from 30 students), in the given grouping mode:
    an IEP and an ELL flag among them (what `mixed` spreads), four focus skills (what `by skill` targets)."""
    groups = 4 if n < 30 else 5
    rng = random.Random(seed)
    focus = ("add", "sub", "mul", "div") if grouping == "by skill" else ()
    roster = tuple(replace(s, flags=frozenset({"IEP"} if i % 7 == 0 else {"ELL"} if i % 5 == 1 else set()),
                           skill_need={k: rng.randint(0, NEED_SCALE) for k in focus})
                   for i, s in enumerate(students(n, seed, prefix="3A-")))
    cls = replace(grade3(n=n, pool=None), students=roster, groups=groups, min_size=n // groups,
                  max_size=-(-n // groups), grouping=grouping, focus=focus)
    return Instance((cls,), (Adult("T1", teaches=("3A",)),))


def two_classes_sharing_a_cart(seed: int = 0) -> School:
    """The issue's week as a workbook: two classes of 24 in 5 groups sharing a Chromebook cart, 3B `mixed`
    with IEP and ELL students; one skill scored 0-1000, so needs are as fine-grained as the solver's."""
    team = grade3_team()
    rng = random.Random(seed)
    classes = tuple(replace(c, groups=5, grouping="mixed" if c.class_id == "3B" else "similar")
                    for c in team.classes[:2])
    roster = tuple(replace(s, flags=("IEP",) if i % 7 == 0 else ("ELL",) if i % 5 == 1 else ())
                   for i, s in enumerate(team.students) if s.classes[0] in ("3A", "3B"))
    skill = Skill("3.NF.A.1", 0, NEED_SCALE)
    return replace(team, students=roster, skills=(skill,), classes=classes,
                   mastery=tuple(MasteryResult(s.student_id, skill.skill, rng.randint(0, NEED_SCALE)) for s in roster),
                   stations=tuple(st for st in team.stations if st.name != "Intervention"),
                   staff=tuple(a for a in team.staff if a.role != "interventionist"),
                   devices=(DomainPool("Cart", 24),))
