"""The solver's and the checker's results as sentences a teacher can act on: conflicts and their fixes, and each
hard rule a plan breaks. The solver hands over data only; the words are made here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from solver.check import Violation
from solver.plan import Conflict, Fix
from solver.rules import RULE


def word_list(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = tuple(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int | None, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _asks(rules: Sequence[str]) -> str:
    """'must_do X asks' for one rule, 'A and B ask' for several."""
    return f"{word_list(rules)} {'asks' if len(rules) == 1 else 'ask'}"


def _clock(minutes: int | None) -> str:
    return f"{(minutes or 0) // 60:02d}:{(minutes or 0) % 60:02d}"


def fix_words(fix: Fix) -> str:
    """One way out, in the words of the workbook's own columns, so the teacher knows which cell to change."""
    v, where = fix.value, f" for class {fix.class_id}" if fix.class_id else ""
    words = {
        "visits_at_most": f"set visits to {v} or fewer for {fix.station}",
        "must_do_to_visits": f"set visits to {v} or fewer for {fix.station} instead of must_do",
        "more_days": f"make {fix.adult} available on more days",
        "more_hours": f"make {fix.adult} available for more hours",
        "fewer_groups": f"set groups to {v} or fewer{where}",
        "more_groups": f"set groups to {v} or more{where}",
        "max_size_at_least": f"set max_group_size to {v} or more{where}",
        "min_size_at_most": f"set min_group_size to {v} or less{where}",
        "capacity_at_least": f"set the capacity of {fix.station} to {v} or more",
        "more_rotations": f"set rotations to {v} or more{where}",
        "fewer_must_do": f"set must_do to no for {v} of these stations",
        "fewer_visits": f"ask for {_count(v, 'fewer visit', 'fewer visits')} a week at these stations",
        "more_devices": f"add {_count(v, 'device')} to pool {fix.pool}",
        "count_at_most": f"set the count of {fix.rule} to {v} or less",
        "start_at_least": f"start class {fix.class_id} at {_clock(v)} or later",
        "drop_rule": f"remove {fix.rule}",
        "relax_rule": f"relax or remove {fix.rule}",
    }
    return words.get(fix.change, fix.change)


# Fixes that each take away one rule of the conflict: several read as one choice, not a list of buttons' words.
_ONE_OF = {"drop_rule": "remove", "relax_rule": "relax or remove"}


def _fixes(c: Conflict) -> str:
    """'set visits to 2 or fewer for X, or make Y available on more days, or remove any one of these rules'."""
    phrases = []
    for i, fix in enumerate(c.fixes):
        if fix.change not in _ONE_OF:
            phrases.append(fix_words(fix))
        elif all(f.change != fix.change for f in c.fixes[:i]):
            rules = [f.rule for f in c.fixes if f.change == fix.change]
            verb = _ONE_OF[fix.change]
            if len(rules) == 1:
                phrases.append(fix_words(fix))
            elif set(rules) == set(c.rules):
                phrases.append(f"{verb} any one of these rules")
            else:
                phrases.append(f"{verb} one of these rules: {'; '.join(rules)}")
    return ", or ".join(phrases)


def explain(c: Conflict) -> str:
    """The conflict in one sentence, then '— to fix: ...' with each known way out."""
    sentence = _sentence(c)
    return f"{sentence} — to fix: {_fixes(c)}" if c.fixes else sentence


def _sentence(c: Conflict) -> str:
    where = f"{'classes' if len(c.classes) > 1 else 'class'} {word_list(c.classes)}: " if c.classes else ""
    rules = "; ".join(c.rules)
    if c.reason == "apart_clique":
        return (f"{where}{'keep-apart rules' if len(c.rules) > 1 else 'a keep-apart rule'} among "
                f"{word_list(c.students)} {'need' if len(c.rules) > 1 else 'needs'} {_count(c.need, 'group')}; "
                f"the class has {c.have} ({rules})")
    if c.reason == "adult_load":
        return (f"{word_list(c.adults)} can work at most {_count(c.have, 'separate slot')} a week at these stations; "
                f"{_asks(c.rules)} for {c.need}")
    if c.reason == "device_load":
        pool, *asks = c.rules
        return (f"{where}{pool}, too few for two groups at once, so it serves one group a slot: it can serve "
                f"at most {_count(c.have, 'separate slot')} a week; {_asks(asks)} for {c.need}")
    if c.reason == "two_classes_at_once":
        return (f"{where}{word_list(c.students)} {'is' if len(c.students) == 1 else 'are'} in both classes, "
                f"which meet at the same time ({word_list(c.times)})")
    if c.reason == "more_groups_than_students":
        return (f"{where}{_count(c.need, 'group')} but only {_count(c.have, 'student')}: every group needs "
                "at least one student")
    if c.reason == "group_sizes":
        return f"{where}{_count(c.need, 'student')} cannot fit {rules} (room for {c.have})"
    if c.reason == "station_fits_groups":
        return (f"{where}every group visits the {word_list(c.stations)} station, so no group can be larger than it "
                f"seats: {word_list(c.rules)} leave room for {c.have} of the {c.need} students")
    if c.reason == "together_too_big":
        return f"{where}{rules} puts {c.need} students together; a group holds at most {_count(c.have, 'student')}"
    if c.reason == "must_do_per_day":
        return (f"{where}{c.need} must-do stations ({word_list(c.stations)}) but only {_count(c.have, 'rotation')} "
                f"on {word_list(c.times)}")
    if c.reason == "visits_per_week":
        return (f"{where}each group must make {_count(c.need, 'visit')} a week ({word_list(c.stations)}) "
                f"but the week has {_count(c.have, 'slot')}")
    if c.reason == "staffed_station_load":
        return (f"{where}the {word_list(c.stations)} station can host {_count(c.have, 'group visit')} a week; "
                f"{_asks(c.rules)} for {c.need}")
    involved = [f"{label if len(v) == 1 else label + 's'} {word_list(v)}" for label, v in
                (("student", c.students), ("adult", c.adults), ("station", c.stations), ("time", c.times)) if v]
    head = "these rules cannot all hold" if len(c.rules) > 1 else "this rule cannot hold"
    return f"{where}{head}: {rules}" + (f" (involving {'; '.join(involved)})" if involved else "")


# Each way a plan breaks a hard rule, by (rule, reason): a plain format string, so that a UI can pass it through
# tr(). The fields, each a ready string: {label} {students} {adults} {stations} {places} (each station with its
# class, across classes) {groups} {day} {slot} {time} {pool} {asked} {have}.
BROKEN: dict[tuple[str, str], str] = {
    ("one_group", "no_plan"): "the plan has no groups for this class",
    ("one_group", "no_group"): "student {students} is in no group",
    ("one_group", "stranger"): "student {students} is not in this class",
    ("one_group", "no_such_group"): "student {students} is in group {groups}; the class has {have}",
    ("group_size", "too_big"): "group {groups} has {have} students; a group may have at most {asked}",
    ("group_size", "too_small"): "group {groups} has {have} students; a group needs at least {asked}",
    ("apart", ""): "{label}: {students} are both in group {groups}",
    ("together", ""): "{label}: {students} are split",
    ("group", ""): "{label}: {students} is in group {groups}, not {asked}",
    ("student_lock", ""): "{students} is locked in group {asked} but is in {groups}",
    ("group_fits_station", ""): "group {groups} ({have}) does not fit {stations} ({asked} seats)",
    ("one_station", "no_station"): "group {groups} has no station {day} slot {slot}",
    ("one_station", "unknown_station"): "group {groups} is at unknown station {stations}",
    ("one_group_at_staffed", ""): "{stations} has groups {groups} at once {day} slot {slot}",
    ("seats", ""): "{stations} holds {have} students {day} slot {slot}; it seats {asked}",
    ("must_do", ""): "group {groups} misses must-do {stations} on {day}",
    ("visits", ""): "group {groups} visits {stations} {have} times; it must visit {asked} times",
    ("needs", ""): "{label}: {students} is at {stations} {have} times, needs {asked}",
    ("visit_lock", ""): "group {groups} is locked at {stations} {day} slot {slot}",
    ("adult_available", "one_adult"): "{stations} needs one adult {day} slot {slot}; the plan has {have}",
    ("adult_available", "cannot_work"): "{adults} cannot work {stations} {day} slot {slot}",
    ("adult_one_place", ""): "{adults} is at {places} on {day}",
    ("devices", ""): "pool {pool}: {have} devices in use {day} at {time}; it has {asked}",
}


def violation_words(v: Violation, names: Mapping[str, str] | None = None,
                    translate: Callable[[str], str] = str) -> str:
    """The broken hard rule in one sentence (without its rule or class, which the caller shows as it likes).
    `names`: student or adult id -> name, said instead of the id; `translate` is given each template (a UI's tr)."""
    template = BROKEN.get((v.rule, v.reason))
    if template is None:  # a way of breaking these words do not know: the rule's own sentence
        return RULE[v.rule].says if v.rule in RULE else v.rule
    named = names or {}

    def number(n: int | None) -> str:
        return "" if n is None else str(n)

    return translate(template).format(
        label=v.label,
        students=word_list(named.get(s, s) for s in v.students),
        adults=word_list(named.get(a, a) for a in v.adults),
        stations=word_list(v.stations),
        places=word_list(f"{c} {st}" for c, st in zip(v.classes, v.stations, strict=False)),  # beside, if any
        groups=word_list(str(g) for g in v.groups),
        day=v.day,
        slot=number(v.slot),
        time=_clock(v.time) if v.time is not None else "",
        pool=v.pool,
        asked=number(v.asked),
        have=number(v.have),
    )
