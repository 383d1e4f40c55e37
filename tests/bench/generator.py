"""Instance generator for the benchmarks: classes sharing interventionists and device carts."""

from __future__ import annotations

from dataclasses import replace

from solver.instance import Adult, Class, DevicePool, Instance, Station
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
