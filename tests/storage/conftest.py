import datetime as dt

import pytest

from rotation.domain.school import (
    BY_NEED,
    AvailabilityClause,
    DevicePool,
    MasteryResult,
    Rule,
    School,
    SchoolClass,
    Skill,
    Staff,
    Station,
    Student,
    StudentLock,
    VisitLock,
    Window,
)
from rotation.storage.database import open_database


@pytest.fixture
def engine(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'school.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def school() -> School:
    """Two classes and every field of the school world, defaults and explicit values alike."""
    return School(
        students=(
            Student("s3", "Zoe", "Adams", "K", ("3A",), ("IEP", "ELL")),
            Student("s1", "Ana"),
            Student("s2", "Ben", "Cruz", "12", ("3B", "3A"), ("GT",)),
        ),
        skills=(Skill("fractions", 0.0, 4.0, 3.0), Skill("place value")),
        mastery=(
            MasteryResult("s1", "fractions", 2.5, dt.date(2026, 9, 1), "i-Ready", "Grade 3; 1 Grade Level Below"),
            MasteryResult("s1", "fractions", 3.25, dt.date(2026, 10, 1), "i-Ready"),
            MasteryResult("s2", "place value", 71.0),
        ),
        classes=(
            SchoolClass("3A", dt.time(9, 0), 20, "t1", "Room 4", ("Mon", "Tue", "Thu"), 4, 2, 4, 3, 6,
                        "by skill", ("fractions", "place value")),
            SchoolClass("3B", dt.time(13, 30), 15),
        ),
        stations=(
            Station("Teacher", "3A", "teacher", 6, "t1", "", True, BY_NEED),
            Station("Teacher 2", "3A", "teacher", None, "aide", "", None, None, "Teacher"),
            Station("Online", None, "online", 8, "", "cart", False, 3),
            Station("Online", "3B", "online", devices="cart"),
        ),
        staff=(
            Staff("t1", "Ms. Lee", "teacher"),
            Staff("a1", "Mr. Ortiz", "aide", (
                AvailabilityClause(("Mon", "Tue", "Wed", "Thu", "Fri"), (Window(dt.time(8), dt.time(15)),)),
                AvailabilityClause(("Wed",), (Window(dt.time(8), dt.time(10)), Window(dt.time(13), dt.time(14, 30)))),
            )),
        ),
        devices=(DevicePool("cart", 12, ("3A", "3B")), DevicePool("tablets", 5)),
        rules=(
            Rule("apart", ("s1", "s2"), row=2),
            Rule("together", ("s2", "s3"), note="twins"),
            Rule("prefer_apart", ("s1", "s3")),
            Rule("prefer_together", ("GT",)),
            Rule("group", ("s3",), group=1),
            Rule("away", ("IEP",), days=("Tue", "Thu"), start=dt.time(9, 10), end=dt.time(9, 40), note="speech"),
            Rule("needs", ("ELL",), station="Teacher", count=3, row=8),
        ),
        student_locks=(StudentLock("3A", "s3", 2),),
        visit_locks=(VisitLock("3A", "Mon", 1, 2, "Online"), VisitLock("3B", "Fri", 3, 1, "Online")),
    )
