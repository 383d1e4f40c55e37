"""Domain objects in, domain objects out: the school and its plans, saved and loaded whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, get_args, get_type_hints

from sqlalchemy import Engine, delete, insert, inspect, select
from sqlalchemy.orm import Mapper, Session

from rotation.domain.plan import Plan
from rotation.domain.school import (
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
)
from rotation.storage.database import session_scope
from rotation.storage.tables import (
    ClassRow,
    DevicePoolRow,
    Listed,
    MasteryRow,
    PlanRow,
    RuleRow,
    SkillRow,
    StaffRow,
    StationRow,
    StudentLockRow,
    StudentRow,
    VisitLockRow,
)

# Each tuple of the School: the domain class of its items and the table of their rows.
WORLD: dict[str, tuple[type, type[Listed]]] = {
    "students": (Student, StudentRow),
    "skills": (Skill, SkillRow),
    "mastery": (MasteryResult, MasteryRow),
    "classes": (SchoolClass, ClassRow),
    "stations": (Station, StationRow),
    "staff": (Staff, StaffRow),
    "devices": (DevicePool, DevicePoolRow),
    "rules": (Rule, RuleRow),
    "student_locks": (StudentLock, StudentLockRow),
    "visit_locks": (VisitLock, VisitLockRow),
}


@dataclass(frozen=True)
class PlanSummary:
    """One line of the plan history."""

    id: int
    created_at: dt.datetime  # aware, UTC
    label: str
    optimal: bool
    parent_id: int | None  # the plan it re-planned from


def save_school(engine: Engine, school: School) -> None:
    """Replace the stored school by `school`, all or nothing."""
    with session_scope(engine) as session:
        _replace_school(session, school)


def save_week(engine: Engine, school: School | None, plan: Plan | None, *, parent_id: int | None = None
              ) -> int | None:
    """In one transaction, replace the school (unless None) and add the plan (unless None) to the history: a crash
    keeps both or neither. Returns the plan's id."""
    with session_scope(engine) as session:
        if school is not None:
            _replace_school(session, school)
        return _add_plan(session, plan, parent_id=parent_id) if plan is not None else None


def _replace_school(session: Session, school: School) -> None:
    for _, model in WORLD.values():
        session.execute(delete(model))  # child rows go too: ON DELETE CASCADE
    for name, (cls, model) in WORLD.items():
        _add_all(session, cls, model, getattr(school, name))


def load_school(engine: Engine) -> School:
    """The stored school (empty if none was saved)."""
    with session_scope(engine) as session:
        stored: dict[str, Any] = {name: _load_all(session, cls, model) for name, (cls, model) in WORLD.items()}
        return School(**stored)


def save_plan(engine: Engine, plan: Plan, *, seed: int | None = None, parent_id: int | None = None,
              label: str = "") -> int:
    """Add `plan` to the history (never overwriting one) and return its id."""
    with session_scope(engine) as session:
        return _add_plan(session, plan, seed=seed, parent_id=parent_id, label=label)


def _add_plan(session: Session, plan: Plan, *, seed: int | None = None, parent_id: int | None = None,
              label: str = "") -> int:
    row = _row(PlanRow, plan, created_at=dt.datetime.now(dt.UTC), seed=seed, parent_id=parent_id, label=label)
    session.add(row)
    session.flush()
    return row.id


def load_plan(engine: Engine, plan_id: int) -> Plan:
    """The plan saved under `plan_id` (KeyError if there is none)."""
    with session_scope(engine) as session:
        row = session.get(PlanRow, plan_id)
        if row is None:
            raise KeyError(f"no plan {plan_id}")
        return _domain(Plan, row)


def plan_history(engine: Engine) -> list[PlanSummary]:
    """Every saved plan, newest first."""
    columns = (PlanRow.id, PlanRow.created_at, PlanRow.label, PlanRow.optimal, PlanRow.parent_id)
    with session_scope(engine) as session:
        # Ids grow with each save, whatever the clock says.
        return [PlanSummary(*line) for line in session.execute(select(*columns).order_by(PlanRow.id.desc()))]


def _flat(cls: type, model: type) -> bool:
    """Whether `model`'s columns hold every field of `cls`: then rows go in and out in bulk, without
    ORM objects (mastery results are many)."""
    return {field.name for field in fields(cls)} <= set(inspect(model).columns.keys())


def _add_all(session: Session, cls: type, model: type[Listed], items: tuple) -> None:
    """Add the rows of `items` in their order."""
    rows = [_values(model, item, position=i) for i, item in enumerate(items)]
    if not rows:
        return
    if _flat(cls, model):
        session.execute(insert(model), rows)
    else:
        session.add_all(model(**row) for row in rows)


def _load_all(session: Session, cls: type, model: type[Listed]) -> tuple:
    """The domain objects of `model`'s rows, in their order."""
    if _flat(cls, model):
        columns = [getattr(model, field.name) for field in fields(cls)]
        return tuple(cls(*line) for line in session.execute(select(*columns).order_by(model.position)))
    return tuple(_domain(cls, row) for row in session.scalars(select(model).order_by(model.position)))


def _row(model: type, item: Any, **extra: Any) -> Any:
    """The row holding a domain object."""
    return model(**_values(model, item, **extra))


def _values(model: type, item: Any, **extra: Any) -> dict[str, Any]:
    """The attributes of `model`'s row for a domain object; a tuple field becomes child rows in their order."""
    values = {field.name: getattr(item, field.name) for field in fields(item)} | extra
    mapper: Mapper[Any] = inspect(model)
    for relation in mapper.relationships:
        if relation.key in values:
            child = relation.mapper.class_
            values[relation.key] = [
                child(position=i, value=value) if isinstance(value, str) else _row(child, value, position=i)
                for i, value in enumerate(values[relation.key])
            ]
    return values


def _domain(cls: type, row: Any) -> Any:
    """The domain object a row holds, its tuples rebuilt from the child rows."""
    values = {}
    for field in fields(cls):
        value = getattr(row, field.name)
        if isinstance(value, list):
            item = _items(cls)[field.name]
            value = tuple(child.value if item is str else _domain(item, child) for child in value)
        values[field.name] = value
    return cls(**values)


@cache
def _items(cls: type) -> dict[str, type]:
    """The item type of each tuple field of a domain class."""
    hints = get_type_hints(cls)
    return {name: get_args(hint)[0] for name, hint in hints.items() if get_args(hint)[1:] == (...,)}
