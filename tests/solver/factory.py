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


def four_stations_four_days(pool: int | None = None) -> Instance:
    """The week of issue 6: 24 students in 4 groups, Mon-Thu, 4 rotations; the teacher table by need, independent
    practice, computers (on a cart of `pool`, if given) and partner work, none of them a must-do."""
    stations = (Station("Teacher table", "teacher", staff="T1", by_need=True),
                Station("Independent practice", "independent"),
                Station("Computers", "online", pool="carts" if pool else None),
                Station("Partner work", "collaborative"))
    cls = Class("4B", students(24, seed=6, prefix="4B-"), stations, slots(rotations=4, days=WEEK[:4]), 4, 6, 6,
                teacher="T1")
    pools = (DevicePool("carts", pool, frozenset({"4B"})),) if pool else ()
    return Instance((cls,), (Adult("T1", teaches=("4B",)),), pools)


def sped_class(min_size: int) -> Instance:
    """24 students in four tight need bands of 6; S1 needs the 5-seat SPED table twice a week.

    The best grouping alone puts S1 in a group of 6: the rotation then has no plan for those groups,
    though one exists for others (min_size 5); with min_size 6 none does.
    """
    needs = [900] * 6 + [600] * 6 + [300] * 6 + [100] * 6
    roster = tuple(Student(f"S{i + 1}", n) for i, n in enumerate(needs))
    stations = (Station("teacher", "teacher", staff="T1", by_need=True), Station("online", "online"),
                Station("practice", "collaborative"), Station("SPED", "teacher", capacity=5, staff="S2"))
    rule = StudentRule("needs", "needs S1 at SPED 2", ("S1",), station="SPED", count=2)
    cls = Class("3A", roster, stations, slots(), 4, min_size, 7, teacher="T1", rules=(rule,))
    return Instance((cls,), (Adult("T1"), Adult("S2")))
