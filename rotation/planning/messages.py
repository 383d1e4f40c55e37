"""Conflicts and violations as sentences a teacher can act on."""

from __future__ import annotations

from solver.plan import Conflict


def _list(items: tuple[str, ...]) -> str:
    items = tuple(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def explain(c: Conflict) -> str:
    where = f"{'classes' if len(c.classes) > 1 else 'class'} {_list(c.classes)}: " if c.classes else ""
    rules = "; ".join(c.rules)
    if c.reason == "apart_clique":
        return (f"{where}keep-apart rules among {_list(c.students)} need {c.need} groups; "
                f"the class has {c.have} ({rules})")
    if c.reason == "adult_load":
        return (f"{_list(c.adults)} can work at most {c.have} separate slots a week at these stations; "
                f"{rules} ask for {c.need}")
    if c.reason == "device_load":
        pool, *asks = c.rules
        return (f"{where}{pool}, too few for two groups at once, so it serves one group a slot: it can serve "
                f"at most {c.have} separate slots a week; {_list(tuple(asks))} ask for {c.need}")
    if c.reason == "two_classes_at_once":
        return f"{where}{_list(c.students)} are in both classes, which meet at the same time ({_list(c.times)})"
    if c.reason == "more_groups_than_students":
        return f"{where}{c.need} groups but only {c.have} students: every group needs at least one student"
    if c.reason == "group_sizes":
        return f"{where}{c.need} students cannot fit {rules} (room for {c.have})"
    if c.reason == "station_fits_groups":
        return (f"{where}every group visits the {_list(c.stations)} station, so no group can be larger than it "
                f"seats: {_list(c.rules)} leave room for {c.have} of the {c.need} students")
    if c.reason == "together_too_big":
        return f"{where}{rules} puts {c.need} students together; groups hold at most {c.have}"
    if c.reason == "must_do_per_day":
        return (f"{where}{c.need} must-do stations ({_list(c.stations)}) but only {c.have} rotations "
                f"on {_list(c.times)}")
    if c.reason == "visits_per_week":
        return (f"{where}each group must make {c.need} visits a week ({_list(c.stations)}) "
                f"but the week has {c.have} slots")
    if c.reason == "staffed_station_load":
        return (f"{where}the {_list(c.stations)} station can host {c.have} group visits a week; "
                f"{rules} ask for {c.need}")
    involved = [f"{label} {_list(v)}" for label, v in
                (("students", c.students), ("adults", c.adults), ("stations", c.stations), ("times", c.times))
                if v]
    return f"{where}these rules cannot all hold: {rules}" + (f" (involving {'; '.join(involved)})"
                                                            if involved else "")
