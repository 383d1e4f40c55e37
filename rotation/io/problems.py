"""Problems in a user's file, named by file, sheet, row and column, collected so all are told at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_REPORTED = 200


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        place = ", ".join(where)
        return f"{self.file}: {place}: {self.message}" if place else f"{self.file}: {self.message}"


class BadInput(Exception):
    """The file cannot be used; every problem found is in `problems`."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(report(problems)))


def report(problems: list[Problem]) -> list[str]:
    """The lines to show: the first MAX_REPORTED problems, then how many more there are."""
    lines = [str(p) for p in problems[:MAX_REPORTED]]
    if len(problems) > MAX_REPORTED:
        lines.append(f"... and {len(problems) - MAX_REPORTED} more problems")
    return lines


@dataclass
class Problems:
    """Collects problems for one file; `raise_if_any` ends the import when there are any."""

    file: str
    found: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, path: str | Path) -> Problems:
        return cls(Path(path).name)

    def add(self, message: str, sheet: str | None = None, row: int | None = None,
            column: str | None = None) -> None:
        self.found.append(Problem(self.file, message, sheet, row, column))

    def add_in(self, file: str, message: str, sheet: str | None = None, row: int | None = None,
               column: str | None = None) -> None:
        """A problem in one part of this source: a file of a folder or ZIP, or a sheet of a workbook."""
        self.found.append(Problem(file, message, sheet, row, column))

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise BadInput(self.found)
