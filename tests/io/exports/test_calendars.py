"""iCalendar per adult and per room: weekly events that parse back as the plan's blocks, the same every export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from rotation.domain.school import DAYS
from rotation.io.exports import calendars
from rotation.io.exports.calendars import first_date, machine_zone, next_monday, write_calendars
from rotation.io.plan_workbook import staff_rows
from tests.io.exports.conftest import Planned

ZONE = "America/New_York"
MONDAY = dt.date(2026, 3, 2)  # daylight saving starts on the 8th: a weekly event keeps its local time


def events(path: Path) -> list:
    cal = Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def export(planned: Planned, folder: Path, first: dt.date = MONDAY) -> dict[str, Path]:
    folder.mkdir()
    return {p.name: p for p in write_calendars(planned.school, planned.plan, folder, ZONE, first)}


def test_one_calendar_per_working_adult_and_per_room(grade3: Planned, team: Planned, tmp_path: Path) -> None:
    assert sorted(export(grade3, tmp_path / "a")) == ["room-Room_12.ics", "staff-T-RIVERA.ics"]
    adults = {r[0] for r in staff_rows(team.school, team.plan)}
    assert sorted(export(team, tmp_path / "b")) == sorted(f"staff-{a}.ics" for a in adults)  # no rooms there


def test_an_adults_events_are_their_staff_rows_every_week(team: Planned, tmp_path: Path) -> None:
    files = export(team, tmp_path / "cal")
    rows = staff_rows(team.school, team.plan)
    labels = {(g.class_id, g.number): f"Group {g.number} {g.name}" for g in team.plan.groups}
    for adult in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == adult]
        found = events(files[f"staff-{adult}.ics"])
        blocks = {(r[1], r[2], r[3], r[4], r[5]) for r in mine}  # a station holding two groups: one block
        assert len(found) == len(blocks)
        for event in found:
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert start.tzinfo == ZoneInfo(ZONE) and event["dtstart"].params["TZID"] == ZONE
            assert event["rrule"]["FREQ"] == ["WEEKLY"]
            assert event.decoded("dtstamp") == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # from the first week
            assert MONDAY <= start.date() < MONDAY + dt.timedelta(days=7)
            day = DAYS[start.weekday()]
            station, rest = str(event["summary"]).split(" · ")
            class_id = rest.rsplit("(", 1)[1].rstrip(")")
            assert (day, start.time(), end.time(), class_id, station) in blocks
            groups = [r[6] for r in mine if (r[1], r[2], r[4], r[5]) == (day, start.time(), class_id, station)]
            assert rest == f"{', '.join(labels[class_id, g] for g in groups)} ({class_id})"


def test_summary_location_and_students(grade3: Planned, tmp_path: Path) -> None:
    files = export(grade3, tmp_path / "cal")
    teacher = events(files["staff-T-RIVERA.ics"])
    names = {s.name for s in grade3.school.students}
    for event in teacher:
        assert str(event["summary"]).startswith("Teacher table · Group ")
        assert str(event["summary"]).endswith(" (3A)")
        assert event["location"] == "Room 12"
        assert set(str(event["description"]).split(", ")) <= names
    room = events(files["room-Room_12.ics"])
    assert sorted(e.decoded("dtstart").weekday() for e in room) == [0, 1, 2, 3, 4]  # the class's days
    for event in room:
        assert event["summary"] == "3A station rotation"
        assert event.decoded("dtstart").time() == grade3.school.classes[0].start


def test_a_vtimezone_names_the_zone(grade3: Planned, tmp_path: Path) -> None:
    cal = Calendar.from_ical(export(grade3, tmp_path / "cal")["staff-T-RIVERA.ics"].read_bytes())
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == [ZONE]


def test_the_same_plan_exports_the_same_files(team: Planned, tmp_path: Path) -> None:
    first, second = export(team, tmp_path / "1"), export(team, tmp_path / "2")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes()
    uids = [str(e["uid"]) for p in first.values() for e in events(p)]
    assert len(uids) == len(set(uids))  # every block its own


def test_uids_do_not_follow_the_first_week(grade3: Planned, tmp_path: Path) -> None:
    """Exported again a week later, the same blocks keep their UIDs: a calendar app updates them in place."""
    now = export(grade3, tmp_path / "1")
    later = export(grade3, tmp_path / "2", MONDAY + dt.timedelta(days=7))
    for name in now:
        assert {str(e["uid"]) for e in events(now[name])} == {str(e["uid"]) for e in events(later[name])}


def test_a_first_day_midweek_starts_each_day_on_or_after_it(grade3: Planned, tmp_path: Path) -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    starts = [e.decoded("dtstart").date() for e in events(export(grade3, tmp_path / "cal", wednesday)[
        "room-Room_12.ics"])]
    # Wed, Thu, Fri this week; Mon and Tue from the next, then weekly
    assert sorted(starts) == [wednesday + dt.timedelta(days=k) for k in (0, 1, 2, 5, 6)]


def test_next_monday_and_first_date() -> None:
    assert next_monday(dt.date(2026, 11, 24)) == dt.date(2026, 11, 30)  # a Tuesday
    assert next_monday(dt.date(2026, 11, 30)) == dt.date(2026, 12, 7)  # a Monday: the week after
    assert first_date(dt.date(2026, 11, 25), "Mon") == dt.date(2026, 11, 30)
    assert first_date(dt.date(2026, 11, 25), "Wed") == dt.date(2026, 11, 25)


def test_the_machine_zone_comes_from_tz_then_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert machine_zone() == "Europe/Berlin"
    monkeypatch.setenv("TZ", "Not/AZone")
    monkeypatch.setattr(calendars, "_etc_timezone", lambda: "")
    monkeypatch.setattr(calendars, "_localtime_link", lambda: "Asia/Tokyo")
    assert machine_zone() == "Asia/Tokyo"
    monkeypatch.setattr(calendars, "_localtime_link", lambda: "")
    assert machine_zone() is None  # the command then says it uses UTC
