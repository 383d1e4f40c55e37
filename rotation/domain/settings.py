"""What the settings of a class, a station, an adult, a device pool or a rule must say of each other and of the
school, in the planning workbook reader's words: the reader tells each problem by sheet, row and column
(rotation.io), a hand edit refuses it (rotation.planning.edits), and the app's forms show it beside the field
(rotation.ui). One rule, one message, wherever the setting is written."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from rotation.domain.school import Rule, SchoolClass, Station
from rotation.domain.week import hhmm, minutes


@dataclass(frozen=True)
class SettingProblem:
    """What is wrong, and the column (of sheet Classes, Stations, Staff, Devices or Rules) or field it is told at."""

    column: str
    message: str


def group_sizes_problem(cls: SchoolClass) -> SettingProblem | None:
    low, high = cls.min_group_size, cls.max_group_size
    if low and high and low > high:
        return SettingProblem("max_group_size", f"min_group_size {low} is more than max_group_size {high}")
    return None


def day_end_problem(cls: SchoolClass, rotations: int) -> SettingProblem | None:
    """A class's rotations end the same day: slot times are clock times, and past midnight they would wrap.
    `rotations` is the class's rotations a day, its default resolved (one per station, mirrors not counted)."""
    if not rotations:
        return None
    end = minutes(cls.start) + rotations * cls.rotation_minutes + (rotations - 1) * cls.transition_minutes
    if end < 24 * 60:
        return None
    return SettingProblem("rotations" if cls.rotations else "start",
                          f"{rotations} rotations of {cls.rotation_minutes} minutes from {hhmm(cls.start)} "
                          "would end at or after midnight")


def focus_problems(cls: SchoolClass, skills: Collection[str]) -> list[SettingProblem]:
    """Each focus skill that is not a skill of the school (`skills`: those of sheet Skills, else those with
    results; none: nothing to check against)."""
    return [SettingProblem("focus", f"focus skill '{skill}' is not a skill on sheet Skills or Mastery")
            for skill in cls.focus if skills and skill not in skills]


def station_label(station: Station) -> str:
    where = f"class '{station.class_id}'" if station.class_id is not None else "every class"
    return f"station '{station.name}' of {where}"


def staff_problem(station: Station, adults: Collection[str]) -> SettingProblem | None:
    """`adults`: every staff_id, role and class teacher of the school."""
    if station.staff and station.staff not in adults:
        return SettingProblem("staff", f"'{station.staff}' is not a staff_id or role on sheet Staff, nor a class "
                                       "teacher")
    return None


def pool_problem(station: Station, pools: Mapping[str, tuple[str, ...]],
                 class_ids: Iterable[str]) -> SettingProblem | None:
    """A station's device pool is one of the school's (`pools`: each pool's classes, none meaning all) and is shared
    with the station's classes (its own, or every class of `class_ids` for a station of every class): a pool counts
    every station that uses it, so a class the pool is not listed for is a mistake to name."""
    if not station.devices:
        return None
    if station.devices not in pools:
        return SettingProblem("devices", f"device pool '{station.devices}' is not on sheet Devices")
    sharing = pools[station.devices]
    users = (station.class_id,) if station.class_id is not None else tuple(class_ids)
    outside = [c for c in users if sharing and c not in sharing]
    if outside:
        return SettingProblem("devices", f"class {', '.join(repr(c) for c in outside)} would use device pool "
                                         f"'{station.devices}', which sheet Devices lists for "
                                         f"{', '.join(repr(c) for c in sharing)} only: add the class to the pool's "
                                         "classes, or give this station another pool")
    return None


def mirror_problem(station: Station, stations: Iterable[Station], class_ids: Iterable[str]) -> SettingProblem | None:
    """A mirror copies another station of its class (for a station of every class, one that every class of
    `class_ids` has), and that station is no mirror itself. `stations`: the school's (the first of a station written
    twice counts)."""
    original = station.mirror_of
    if not original:
        return None
    if original == station.name:
        return SettingProblem("mirror_of", "a station cannot mirror itself")
    names: dict[str | None, set[str]] = {}
    mirrors: dict[tuple[str | None, str], str] = {}
    for other in stations:
        names.setdefault(other.class_id, set()).add(other.name)
        mirrors.setdefault((other.class_id, other.name), other.mirror_of)
    shared = names.get(None, set())
    if station.class_id is not None:
        found = original in names.get(station.class_id, set()) | shared
    else:
        found = original in shared or all(original in names.get(c, set()) | shared for c in class_ids)
    if not found:
        return SettingProblem("mirror_of", f"{station_label(Station(original, station.class_id))} is not on sheet "
                                           "Stations")
    if mirrors.get((station.class_id, original)) or mirrors.get((None, original)):
        return SettingProblem("mirror_of", f"station '{original}' is itself a mirror; name the station it copies")
    return None


def unknown_class_problem(class_id: str, class_ids: Collection[str] | None, column: str) -> SettingProblem | None:
    """A class named that is not on sheet Classes (`class_ids` None: the sheet is missing, nothing to check)."""
    if class_ids is None or class_id in class_ids:
        return None
    return SettingProblem(column, f"class '{class_id}' is not on sheet Classes")


def group_problem(class_id: str, groups: int, group: int | None, column: str = "group") -> SettingProblem | None:
    """A group number the class has (`groups`: its groups, the default resolved)."""
    if group is not None and not 1 <= group <= groups:
        return SettingProblem(column, f"class '{class_id}' has groups 1 to {groups}; there is no group {group}")
    return None


# What each kind of rule needs besides its students: the columns of sheet Rules.
RULE_NEEDS: dict[str, tuple[str, ...]] = {"group": ("group",), "needs": ("station", "count"), "away": ("start", "end")}


def rule_needs_problem(kind: str, column: str) -> SettingProblem:
    return SettingProblem(column, f"a '{kind}' rule needs a {column}")


def rule_missing_problems(rule: Rule) -> list[SettingProblem]:
    """Each column the rule's kind needs that it leaves blank."""
    return [rule_needs_problem(rule.rule, key) for key in RULE_NEEDS.get(rule.rule, ())
            if getattr(rule, key) in (None, "")]


def away_times_problem(rule: Rule) -> SettingProblem | None:
    if rule.rule == "away" and rule.start and rule.end and rule.end <= rule.start:
        return SettingProblem("end", f"the end {hhmm(rule.end)} is not after the start {hhmm(rule.start)}")
    return None


def rule_student_problem(who: str, student_ids: Collection[str], flags: Collection[str]) -> SettingProblem | None:
    """A rule names students by id or by a flag some student has."""
    if who in student_ids or who in flags:
        return None
    return SettingProblem("students", f"'{who}' is neither a student on sheet Students nor a flag a student has")


def rule_station_problem(rule: Rule, stations: Collection[str]) -> SettingProblem | None:
    """A `needs` rule's station is a station of some class (`stations`: every station's name)."""
    if rule.rule == "needs" and rule.station and rule.station not in stations:
        return SettingProblem("station", f"station '{rule.station}' is not on sheet Stations")
    return None
