"""iCalendar files of a plan: one per adult (each block they work, every week) and one per room (each class's
rotation there, each class day). Reproducible: the same plan, zone and first week give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from rotation.domain.plan import Plan
from rotation.domain.school import DAYS, School
from rotation.domain.week import hhmm
from rotation.io.exports.files import unique_names
from rotation.io.plan_workbook import AWAY, schedule_rows, staff_rows

PRODID = "-//Rotation//Plan export//EN"
UTC = "UTC"


# --- the time zone and the first week -----------------------------------------------------------


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone of that name (`Europe/Berlin`), or None when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: a path or an empty name, not a zone
        return None


def machine_zone() -> str | None:
    """The machine's IANA zone without extra packages: $TZ, /etc/timezone, then where /etc/localtime links;
    None when none of them names one (Windows, a bare container)."""
    for name in (os.environ.get("TZ", "").lstrip(":"), _etc_timezone(), _localtime_link()):
        if name and zone_named(name) is not None:
            return name
    return None


def _etc_timezone() -> str:
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _localtime_link() -> str:
    """`Europe/Berlin` from /etc/localtime -> /usr/share/zoneinfo/Europe/Berlin."""
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return ""
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""


def next_monday(today: dt.date) -> dt.date:
    """The Monday of next week: plans are made ahead for the coming week."""
    return today + dt.timedelta(days=7 - today.weekday())


def first_date(first: dt.date, day: str) -> dt.date:
    """The first `day` (Mon .. Sun) on or after `first`."""
    return first + dt.timedelta(days=(DAYS.index(day) - first.weekday()) % 7)


# --- the calendars ------------------------------------------------------------------------------


def write_calendars(school: School, plan: Plan, folder: Path, zone: str, first: dt.date) -> list[Path]:
    """`staff-<id>.ics` per adult who works a station and `room-<room>.ics` per room of a planned class, weekly
    from the week of `first` in `zone`; the files written. A class with no room has no room calendar."""
    rows = by_class_day(schedule_rows(school, plan))
    adults, rooms = adult_events(school, plan, rows), room_events(school, rows)
    adult_names, room_names = unique_names(adults), unique_names(rooms)
    called = {a.staff_id: a.name for a in school.staff if a.name}
    written = []
    for adult, blocks in adults.items():
        path = folder / f"staff-{adult_names[adult]}.ics"
        path.write_bytes(calendar(f"Rotation: {called.get(adult, adult)}", blocks, zone, first))
        written.append(path)
    for room, blocks in rooms.items():
        path = folder / f"room-{room_names[room]}.ics"
        path.write_bytes(calendar(f"Rotation: {room}", blocks, zone, first))
        written.append(path)
    return written


Block = dict[str, Any]  # class, day, slot, start, end, summary, location, description, uid
Rows = dict[tuple[str, str], list[tuple[Any, ...]]]  # (class, day) -> its Schedule rows, in order


def by_class_day(rows: Iterable[tuple[Any, ...]]) -> Rows:
    """The Schedule rows of each class and day, so that a block looks only at its own day's rows."""
    out: Rows = {}
    for row in rows:
        out.setdefault((row[0], row[1]), []).append(row)
    return out


def adult_events(school: School, plan: Plan, rows: Rows) -> dict[str, list[Block]]:
    """Per adult, a block per slot they work a station (its groups together, when it holds two), as sheet
    Staff lists them; the students are those the Schedule puts at that station then."""
    slot_of = {(r[0], r[1], r[2]): r[4] for day_rows in rows.values() for r in day_rows}
    names = {s.student_id: s.name for s in school.students}
    labels = {(g.class_id, g.number): group_label(g.number, g.name) for g in plan.groups}
    room = {c.class_id: c.room for c in school.classes}
    merged: dict[tuple[str, str, str, int, str], list[int]] = {}
    times: dict[tuple[str, str, str, int, str], tuple[dt.time, dt.time]] = {}
    for adult, day, start, end, class_id, station, group in staff_rows(school, plan):
        key = (adult, class_id, day, slot_of[class_id, day, start], station)
        merged.setdefault(key, []).append(group)
        times[key] = (start, end)
    out: dict[str, list[Block]] = {}
    for key, groups in merged.items():
        adult, class_id, day, slot, station = key
        students = [cast(str, names.get(r[7], r[7])) for r in rows[class_id, day]
                    if (r[4], r[5]) == (slot, station) and r[6] in groups]
        out.setdefault(adult, []).append({
            "day": day, "start": times[key][0], "end": times[key][1],
            "summary": f"{station} · {', '.join(labels[class_id, g] for g in groups)} ({class_id})",
            "location": room.get(class_id, ""), "description": ", ".join(students),
            "uid": uid("staff", adult, class_id, day, str(slot)),
        })
    return out


def room_events(school: School, rows: Rows) -> dict[str, list[Block]]:
    """Per room, each class's rotation block on each class day, its slots described station by station."""
    out: dict[str, list[Block]] = {}
    for cls in (c for c in school.classes if c.room):
        for day in cls.days:
            day_rows = rows.get((cls.class_id, day), [])
            slots = sorted({(r[4], r[2], r[3]) for r in day_rows})
            if not slots:
                continue
            out.setdefault(cls.room, []).append({
                "day": day, "start": slots[0][1], "end": slots[-1][2],
                "summary": f"{cls.class_id} station rotation", "location": cls.room,
                "description": "\n".join(slot_line(day_rows, *s) for s in slots),
                "uid": uid("room", cls.room, cls.class_id, day),
            })
    return out


def slot_line(day_rows: list[tuple[Any, ...]], slot: int, start: dt.time, end: dt.time) -> str:
    """`09:00-09:15: group 1 Teacher table, group 2 Computers` (a station's students away are not its group's), from
    the class's Schedule rows of that day."""
    at = dict.fromkeys((r[6], r[5]) for r in day_rows if r[4] == slot and r[5] not in ("", AWAY))
    return f"{hhmm(start)}-{hhmm(end)}: " + ", ".join(f"group {g} {station}" for g, station in at)


def group_label(number: int, name: str) -> str:
    return f"Group {number} {name}".strip()


def uid(*parts: str) -> str:
    """The same block of the same plan gets the same UID on every export, so a calendar app updates it in place."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + "@rotation"


def calendar(name: str, blocks: Iterable[Block], zone: str, first: dt.date) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.combine(first, dt.time(0), tzinfo=dt.UTC)  # fixed, so the same export gives the same file
    tz = ZoneInfo(zone)
    for block in blocks:
        date = first_date(first, block["day"])
        event = Event()
        event.add("uid", block["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(date, block["start"], tzinfo=tz))
        event.add("dtend", dt.datetime.combine(date, block["end"], tzinfo=tz))
        event.add("rrule", {"freq": "weekly"})
        event.add("summary", block["summary"])
        if block["location"]:
            event.add("location", block["location"])
        if block["description"]:
            event.add("description", block["description"])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
