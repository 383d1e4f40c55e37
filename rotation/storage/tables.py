"""The database tables: one school's world, and every plan made for it.

Each model names its attributes after the fields of its domain class, so that the repository can
convert both ways with one generic helper. A tuple in the domain is a list of child rows with a
`position`; a tuple of text is a child table with one text column.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, MetaData, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from rotation.domain.school import BY_NEED


class Base(DeclarativeBase):
    # Named constraints: Alembic's batch mode on SQLite can only alter constraints it can name.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment kept in UTC and returned aware, whether or not the database keeps time zones."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        return value and value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        return value and value.replace(tzinfo=dt.UTC)


class Listed:
    """A row kept in the order of its domain tuple."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    position: Mapped[int] = mapped_column(sort_order=-1)


def owner(table: str) -> Mapped[int]:
    """The row a child row belongs to: deleting the owner deletes its children."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True)


def children(model: str) -> Mapped[list]:
    """An owner's child rows in their order, saved with it and loaded with it."""
    return relationship(
        model, order_by=f"{model}.position", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


# The school ---------------------------------------------------------------------------------------


class StudentRow(Listed, Base):
    __tablename__ = "students"
    student_id: Mapped[str] = mapped_column(unique=True)
    first_name: Mapped[str]
    last_name: Mapped[str]
    grade: Mapped[str | None]
    classes: Mapped[list[StudentClassRow]] = children("StudentClassRow")
    flags: Mapped[list[StudentFlagRow]] = children("StudentFlagRow")


class StudentClassRow(Listed, Base):
    __tablename__ = "student_classes"
    student: Mapped[int] = owner("students")
    value: Mapped[str] = mapped_column("class_id")


class StudentFlagRow(Listed, Base):
    __tablename__ = "student_flags"
    student: Mapped[int] = owner("students")
    value: Mapped[str] = mapped_column("flag")


class SkillRow(Listed, Base):
    __tablename__ = "skills"
    skill: Mapped[str] = mapped_column(unique=True)
    min: Mapped[float]
    max: Mapped[float]
    mastered_at: Mapped[float | None]


class MasteryRow(Listed, Base):
    """One result: every result is kept, dated and sourced, not only the newest."""

    __tablename__ = "mastery_results"
    student_id: Mapped[str] = mapped_column(index=True)
    skill: Mapped[str]
    score: Mapped[float]
    date: Mapped[dt.date | None]
    source: Mapped[str]
    detail: Mapped[str] = mapped_column(default="", server_default="")


class ClassRow(Listed, Base):
    __tablename__ = "classes"
    class_id: Mapped[str] = mapped_column(unique=True)
    start: Mapped[dt.time]
    rotation_minutes: Mapped[int]
    teacher: Mapped[str]
    room: Mapped[str]
    days: Mapped[list[ClassDayRow]] = children("ClassDayRow")
    rotations: Mapped[int | None]
    transition_minutes: Mapped[int]
    groups: Mapped[int | None]
    min_group_size: Mapped[int | None]
    max_group_size: Mapped[int | None]
    grouping: Mapped[str]
    focus: Mapped[list[ClassFocusRow]] = children("ClassFocusRow")


class ClassDayRow(Listed, Base):
    __tablename__ = "class_days"
    school_class: Mapped[int] = owner("classes")
    value: Mapped[str] = mapped_column("day")


class ClassFocusRow(Listed, Base):
    __tablename__ = "class_focus"
    school_class: Mapped[int] = owner("classes")
    value: Mapped[str] = mapped_column("skill")


class StationRow(Listed, Base):
    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("class_id", "name"),)
    name: Mapped[str]
    class_id: Mapped[str | None]  # None: copied into every class
    kind: Mapped[str]
    capacity: Mapped[int | None]
    staff: Mapped[str]
    devices: Mapped[str]
    must_do: Mapped[bool | None]  # None: the default of docs/workbook.md
    visit_count: Mapped[int | None] = mapped_column("visits")
    visits_by_need: Mapped[bool]
    mirror_of: Mapped[str]

    # The domain's `visits` is a number, BY_NEED or None: two typed columns hold it.
    @property
    def visits(self) -> int | str | None:
        return BY_NEED if self.visits_by_need else self.visit_count

    @visits.setter
    def visits(self, visits: int | str | None) -> None:
        self.visits_by_need = visits == BY_NEED
        self.visit_count = None if self.visits_by_need else visits  # type: ignore[assignment]


class StaffRow(Listed, Base):
    __tablename__ = "staff"
    staff_id: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    role: Mapped[str]
    available: Mapped[list[AvailabilityClauseRow]] = children("AvailabilityClauseRow")


class AvailabilityClauseRow(Listed, Base):
    __tablename__ = "availability_clauses"
    staff: Mapped[int] = owner("staff")
    days: Mapped[list[AvailabilityDayRow]] = children("AvailabilityDayRow")
    windows: Mapped[list[WindowRow]] = children("WindowRow")


class AvailabilityDayRow(Listed, Base):
    __tablename__ = "availability_days"
    clause: Mapped[int] = owner("availability_clauses")
    value: Mapped[str] = mapped_column("day")


class WindowRow(Listed, Base):
    __tablename__ = "availability_windows"
    clause: Mapped[int] = owner("availability_clauses")
    start: Mapped[dt.time]
    end: Mapped[dt.time]


class DevicePoolRow(Listed, Base):
    __tablename__ = "device_pools"
    pool: Mapped[str] = mapped_column(unique=True)
    count: Mapped[int]
    classes: Mapped[list[DevicePoolClassRow]] = children("DevicePoolClassRow")


class DevicePoolClassRow(Listed, Base):
    __tablename__ = "device_pool_classes"
    device_pool: Mapped[int] = owner("device_pools")
    value: Mapped[str] = mapped_column("class_id")


class RuleRow(Listed, Base):
    __tablename__ = "rules"
    rule: Mapped[str]
    students: Mapped[list[RuleStudentRow]] = children("RuleStudentRow")
    group: Mapped[int | None]
    station: Mapped[str]
    count: Mapped[int | None]
    days: Mapped[list[RuleDayRow]] = children("RuleDayRow")
    start: Mapped[dt.time | None]
    end: Mapped[dt.time | None]
    note: Mapped[str]
    row: Mapped[int | None]


class RuleStudentRow(Listed, Base):
    __tablename__ = "rule_students"
    rule: Mapped[int] = owner("rules")
    value: Mapped[str] = mapped_column("student")  # a student id or a flag


class RuleDayRow(Listed, Base):
    __tablename__ = "rule_days"
    rule: Mapped[int] = owner("rules")
    value: Mapped[str] = mapped_column("day")


class StudentLockRow(Listed, Base):
    __tablename__ = "student_locks"
    class_id: Mapped[str]
    student_id: Mapped[str]
    group: Mapped[int]


class VisitLockRow(Listed, Base):
    __tablename__ = "visit_locks"
    class_id: Mapped[str]
    day: Mapped[str]
    slot: Mapped[int]
    group: Mapped[int]
    station: Mapped[str]


# Plans: never overwritten, so they refer to the school by its ids, not by foreign keys ----------


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    seed: Mapped[int | None]
    optimal: Mapped[bool]
    label: Mapped[str]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))  # the plan it re-planned
    groups: Mapped[list[PlannedGroupRow]] = children("PlannedGroupRow")
    visits: Mapped[list[VisitRow]] = children("VisitRow")
    checks: Mapped[list[CheckRow]] = children("CheckRow")


class PlannedGroupRow(Listed, Base):
    __tablename__ = "plan_groups"
    plan: Mapped[int] = owner("plans")
    class_id: Mapped[str]
    number: Mapped[int]
    name: Mapped[str]
    members: Mapped[list[GroupMemberRow]] = children("GroupMemberRow")

    # The domain's `need` is aligned with `members`: each member row holds its own (set after `members`).
    @property
    def need(self) -> tuple[float | None, ...]:
        return tuple(row.need for row in self.members)

    @need.setter
    def need(self, need: tuple[float | None, ...]) -> None:
        for row, n in zip(self.members, need, strict=True):
            row.need = n


class GroupMemberRow(Listed, Base):
    """A student in a planned group, with their need score (0..1) in that group's class."""

    __tablename__ = "plan_group_members"
    planned_group: Mapped[int] = owner("plan_groups")
    value: Mapped[str] = mapped_column("student_id")
    need: Mapped[float | None]


class VisitRow(Listed, Base):
    __tablename__ = "plan_visits"
    plan: Mapped[int] = owner("plans")
    class_id: Mapped[str]
    day: Mapped[str]
    slot: Mapped[int]
    group: Mapped[int]
    station: Mapped[str]
    staff: Mapped[list[VisitStaffRow]] = children("VisitStaffRow")


class VisitStaffRow(Listed, Base):
    __tablename__ = "plan_visit_staff"
    visit: Mapped[int] = owner("plan_visits")
    value: Mapped[str] = mapped_column("staff_id")


class CheckRow(Listed, Base):
    __tablename__ = "plan_checks"
    plan: Mapped[int] = owner("plans")
    kind: Mapped[str]
    rule: Mapped[str]
    who: Mapped[str]
    when: Mapped[str]
    cost: Mapped[int]
    detail: Mapped[str]
