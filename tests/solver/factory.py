"""Small solver instances built in code, for tests and benchmarks."""

from __future__ import annotations

import random

from solver.instance import Adult, Away, Class, DevicePool, Instance, Slot, Station, Student, StudentRule

WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri")


def slots(start: int = 9 * 60, rotations: int = 3, minutes: int = 15, gap: int = 2,
          days: tuple[str, ...] = WEEK) -> tuple[Slot, ...]:
    return tuple(Slot(d, k + 1, start + k * (minutes + gap), start + k * (minutes + gap) + minutes)
                 for d in days for k in range(rotations))


def students(n: int, seed: int = 0, prefix: str = "S", flags: dict[int, str] | None = None) -> tuple[Student, ...]:
    rng = random.Random(seed)
    return tuple(Student(f"{prefix}{i + 1}", rng.randint(0, 1000), frozenset({(flags or {}).get(i)} - {None}))
                 for i in range(n))


def grade3(class_id: str = "3A", n: int = 28, seed: int = 0, teacher: str = "T1", pool: str | None = "carts",
           start: int = 9 * 60, rules: tuple[StudentRule, ...] = (), away: tuple[Away, ...] = ()) -> Class:
    """The USERS.md grade 3 math class: teacher table by need, online (devices), practice game."""
    return Class(
        id=class_id, students=students(n, seed, prefix=f"{class_id}-"),
        stations=(Station("teacher", "teacher", staff=teacher, by_need=True),
                  Station("online", "online", pool=pool),
                  Station("practice", "collaborative")),
        slots=slots(start), groups=4, min_size=n // 4, max_size=-(-n // 4), teacher=teacher,
        rules=rules, away=away)


def one_class(**kw) -> Instance:
    return Instance((grade3(**kw),), adults=(Adult("T1", teaches=("3A",)),),
                    pools=(DevicePool("carts", 10, frozenset({"3A"})),))


def school(classes: int, seed: int = 0) -> Instance:
    """Many grade-3-like classes sharing one interventionist role and one device cart per four classes."""
    out, adults, pools = [], [], []
    for i in range(classes):
        cid = f"C{i + 1}"
        cls = grade3(cid, seed=seed + i, teacher=f"T{i + 1}", pool=f"cart{i // 4 + 1}", start=(8 + i % 4) * 60)
        stations = (*cls.stations[:2], Station("intervention", "teacher", role="interventionist", visits=2),
                    cls.stations[2])
        out.append(Class(cls.id, cls.students, stations, cls.slots, 4, cls.min_size, cls.max_size,
                         teacher=cls.teacher))
        adults.append(Adult(f"T{i + 1}", teaches=(cid,)))
    for j in range(max(1, classes // 4)):
        adults.append(Adult(f"I{j + 1}", role="interventionist"))
        pools.append(DevicePool(f"cart{j + 1}", 15, frozenset(f"C{i + 1}" for i in range(4 * j, 4 * j + 4))))
    return Instance(tuple(out), tuple(adults), tuple(pools))
