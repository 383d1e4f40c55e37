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
