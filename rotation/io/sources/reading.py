"""A SOURCE read whatever its kind: the kind recognised from its tables' names and headers, or read through a
column mapping when no kind knows it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rotation.io.problems import Problems
from rotation.io.sources import clever, iready, map_growth, oneroster, star
from rotation.io.sources.found import Found, Kind
from rotation.io.sources.tables import Table, read_source

if TYPE_CHECKING:
    from rotation.io.sources.mapped import Mapping

# In order: a roster set before the single-file exports, whose headers are more alike.
KINDS: tuple[Kind, ...] = (oneroster.KIND, clever.KIND, map_growth.KIND, iready.KIND, star.KIND)
PLANNING_SHEETS = ("students", "classes", "stations")


def kind_of(tables: list[Table]) -> Kind | None:
    return next((kind for kind in KINDS if kind.recognise(tables)), None)


def read(path: str | Path, mapping: Mapping | None = None) -> Found:
    """What one SOURCE holds; BadInput naming every problem (file, sheet, row, column) when there is any."""
    path = Path(path)
    problems = Problems.of(path)
    found = _read(path, problems, mapping)
    problems.raise_if_any()
    assert found is not None  # every way to None adds a problem
    return found


def is_planning_workbook(tables: list[Table]) -> bool:
    return {t.stem for t in tables if t.sheet} >= set(PLANNING_SHEETS)


def read_tables(path: str | Path, tables: list[Table], mapping: Mapping | None = None) -> Found:
    """What a SOURCE holds whose tables (read_source's, without a problem) are already read; BadInput as read."""
    path = Path(path)
    problems = Problems.of(path)
    found = _found(path, tables, problems, mapping)
    problems.raise_if_any()
    assert found is not None  # every way to None adds a problem
    return found


def _read(path: Path, problems: Problems, mapping: Mapping | None) -> Found | None:
    tables = read_source(path, problems)
    if problems:
        return None
    return _found(path, tables, problems, mapping)


def _found(path: Path, tables: list[Table], problems: Problems, mapping: Mapping | None) -> Found | None:
    if is_planning_workbook(tables):
        problems.add("is a planning workbook: give it with --into to import into it")
        return None
    kind = kind_of(tables)
    try:
        if kind is not None:
            return kind.read(path.name, tables, problems)
        if mapping is not None:
            from rotation.io.sources import mapped

            return mapped.read(path.name, tables, problems, mapping)
    except Exception as error:  # a reader's slip on a strange file is bad input, never a traceback
        problems.add(f"cannot be read ({type(error).__name__}: {error})")
        return None
    columns = ", ".join(h for h in tables[0].header if h)[:300] if tables else ""
    problems.add("cannot tell what kind of file this is (OneRoster, Clever, MAP Growth, i-Ready, Star); "
                 f"give a --mapping that names its columns (its columns: {columns})")
    return None
