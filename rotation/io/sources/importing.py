"""An import as the app's wizard builds it, Qt-free: the sources chosen, each looked at once when added (its kind,
or the first guess at its column mapping), and what merging them into the open school would do, or every problem
that stops it. Nothing here writes anything but a mapping the teacher saves."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rotation.domain.school import School
from rotation.io.problems import BadInput, Problem, Problems
from rotation.io.sources import mapped, reading
from rotation.io.sources.found import Found
from rotation.io.sources.mapped import Mapping
from rotation.io.sources.merge import Imported, combine
from rotation.io.sources.tables import Table, read_source


@dataclass
class Source:
    """One file, folder or ZIP the teacher added, as first read: its tables and kind, or why it cannot be read."""

    path: Path
    tables: list[Table] = field(default_factory=list)
    kind: str | None = None  # the format recognised ("OneRoster 1.2"); None: it needs a column mapping
    problems: list[Problem] = field(default_factory=list)  # it cannot be read as it is
    found: Found | None = None  # what a source of a known kind holds
    mapping: Mapping | None = None  # the teacher's (or the first guess) when it needs one

    @property
    def needs_mapping(self) -> bool:
        return self.kind is None and not self.problems

    @property
    def table(self) -> Table | None:
        """The table a mapping reads: the mapping's sheet, else the first table."""
        sheet = self.mapping.sheet if self.mapping else None
        return next((t for t in self.tables if sheet and t.sheet == sheet), self.tables[0] if self.tables else None)


def look_at(path: Path) -> Source:
    """A source read through its kind (which the format names, with its version), or a first guess at its mapping
    when no kind knows it."""
    problems = Problems.of(path)
    tables = read_source(path, problems)
    source = Source(path, tables, problems=list(problems.found))
    if source.problems:
        return source
    kind = reading.kind_of(tables)
    if kind is not None or reading.is_planning_workbook(tables):
        source.kind = kind.name if kind else None
        try:  # a planning workbook is refused in the reader's words
            source.found = reading.read_tables(path, tables)
            source.kind = source.found.kind
        except BadInput as bad:
            source.problems = list(bad.problems)
    elif tables:
        table = _widest(tables)
        source.mapping = dataclasses.replace(mapped.guess(table), sheet=table.sheet)
    return source


def _widest(tables: list[Table]) -> Table:
    """The table most likely to hold the data: a workbook's cover sheet of notes has one column."""
    return max(tables, key=lambda t: sum(1 for h in t.header if h))


def found_in(sources: Sequence[Source]) -> tuple[list[Found], list[Problem]]:
    """What each source holds, read through its kind or mapping; every problem of every source at once."""
    founds: list[Found] = []
    problems: list[Problem] = []
    for source in sources:
        if source.problems:
            problems += source.problems
        elif source.found is not None:
            founds.append(source.found)
        else:  # read through its mapping as it is now
            try:
                founds.append(reading.read(source.path, source.mapping))
            except BadInput as bad:
                problems += bad.problems
    return founds, problems


@dataclass(frozen=True)
class Preview:
    """What the import would do (`imported`), or why it cannot be done (`problems`, then `imported` is None)."""

    imported: Imported | None
    problems: tuple[Problem, ...] = ()


def preview(sources: Sequence[Source], base: School, skip_unknown: bool = False) -> Preview:
    """The sources merged into `base`, nothing saved."""
    if not sources:
        return Preview(None, (Problem("", "no files chosen"),))
    founds, problems = found_in(sources)
    if problems:
        return Preview(None, tuple(problems))
    try:
        return Preview(combine(founds, base, skip_unknown=skip_unknown))
    except BadInput as bad:
        return Preview(None, tuple(bad.problems))


def named(sources: Sequence[Source]) -> str:
    """The sources in words for the undo history: "roster, AssessmentResults.csv and 1 more"."""
    names = [s.path.name for s in sources]
    return ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
