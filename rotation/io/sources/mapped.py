"""Any CSV or workbook a teacher has, read through a column mapping: which column is the student's id, their
names, grade, class and flags, and where the scores are, in one of two layouts:

- long: one row per result, with a skill column and a score column (and perhaps date and source columns);
- wide: one row per student and one column per skill (`skills`), or every column not mapped to something else
  that holds numbers (`every_other_column`).

A mapping is kept as a small JSON file the teacher may edit by hand. Every key but `name` and `student_id` may be
left out; column names match as headers do (any case; spaces, hyphens and underscores alike):

    {
      "name": "Exit tickets",
      "student_id": "Student ID",
      "first_name": "First", "last_name": "Last", "grade": "Grade", "class": "Period", "flags": "Supports",
      "skill": "Standard", "score": "Points", "date": "Date", "source": "Quiz",
      "scale": {"min": 0, "max": 4, "mastered_at": 3},
      "sheet": "Q1"
    }

For the wide layout, `"skills": ["3.NF.A.1", "3.NF.A.2"]` or `"every_other_column": true` instead of `skill`
and `score`. `date_value` ("2025-09-10") and `source_value` ("Unit 3 quiz") give the whole file one date or
source where it has no such column.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from rotation.domain.school import Skill
from rotation.io import cells, xlsx
from rotation.io.problems import Problems
from rotation.io.sources import assessments, standards
from rotation.io.sources.found import Found, Learner, Place, Score
from rotation.io.sources.tables import Table, key

MAX_MAPPING_BYTES = 64 * 1024  # a mapping is a few lines; anything bigger is not one
SUFFIX = ".json"
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


@dataclass(frozen=True)
class Scale:
    """The scale every skill of the file is scored on."""

    min: float = 0.0
    max: float = 100.0
    mastered_at: float | None = None


@dataclass(frozen=True)
class Mapping:
    """Which column of a teacher's file means what; columns are named as the file writes them."""

    name: str
    student_id: str
    first_name: str | None = None
    last_name: str | None = None
    grade: str | None = None
    class_: str | None = None  # "class" in the JSON file
    flags: str | None = None
    skill: str | None = None  # long layout: the column naming the skill ...
    score: str | None = None  # ... and the one with its score
    skills: tuple[str, ...] = ()  # wide layout: the columns that are skills ...
    every_other_column: bool = False  # ... or every column not mapped to something else that holds numbers
    date: str | None = None
    source: str | None = None
    date_value: dt.date | None = None  # one date for the whole file
    source_value: str | None = None  # one source for the whole file
    scale: Scale | None = None
    sheet: str | None = None  # in a workbook: the sheet to read; else every sheet with the student_id column

    @property
    def is_long(self) -> bool:
        return self.score is not None

    @property
    def is_wide(self) -> bool:
        return bool(self.skills) or self.every_other_column

    def columns(self) -> dict[str, str]:
        """What each mapped column is for -> the column, as the mapping names them."""
        found = {"student_id": self.student_id, "first_name": self.first_name, "last_name": self.last_name,
                 "grade": self.grade, "class": self.class_, "flags": self.flags, "skill": self.skill,
                 "score": self.score, "date": self.date, "source": self.source}
        found.update({f"skill '{name}'": name for name in self.skills})
        return {what: column for what, column in found.items() if column}

    @classmethod
    def load(cls, path: Path, problems: Problems) -> Mapping | None:
        """The mapping a JSON file holds, or None with problems naming the file."""
        data = _json_of(path, problems)
        if data is None:
            return None
        return from_json(data, path.name, problems)

    def save(self, path: Path) -> None:
        """Written whole or not at all: a crash never leaves half a mapping."""
        text = json.dumps(to_json(self), indent=2, ensure_ascii=False) + "\n"

        def write(temporary: str) -> None:
            Path(temporary).write_text(text, encoding="utf-8")

        xlsx.write_atomically(path, write)


# ---- the JSON file ----

_JSON_NAMES = {f.name: f.name for f in fields(Mapping)} | {"class_": "class"}  # attribute -> key in the file
_TEXT_KEYS = ("name", "student_id", "first_name", "last_name", "grade", "class", "flags", "skill", "score", "date",
              "source", "source_value", "sheet")


def to_json(mapping: Mapping) -> dict[str, Any]:
    """The keys the mapping sets, in the order of the class, as the file writes them."""
    out: dict[str, Any] = {}
    for f in fields(Mapping):
        value = getattr(mapping, f.name)
        if value is None or value == () or value is False:
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Scale):
            # Whole numbers as a teacher writes them: 4, not 4.0.
            value = {k: int(v) if float(v).is_integer() else v for k, v in vars(value).items() if v is not None}
        out[_JSON_NAMES[f.name]] = value
    return out


def _json_of(path: Path, problems: Problems) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            problems.add_in(path.name, f"is over {MAX_MAPPING_BYTES // 1024} KB; a column mapping is a few lines")
            return None
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        problems.add_in(path.name, f"cannot be read ({error.strerror or error})")
        return None
    except UnicodeDecodeError:
        problems.add_in(path.name, "is not UTF-8 text")
        return None
    except json.JSONDecodeError as error:
        problems.add_in(path.name, f"is not a column mapping: bad JSON ({error.msg})", row=error.lineno)
        return None
    if not isinstance(data, dict):
        problems.add_in(path.name, "is not a column mapping: it must be a JSON object { ... }")
        return None
    return data


def from_json(data: dict[str, Any], file: str, problems: Problems) -> Mapping | None:
    """A mapping from its JSON keys, or None with every problem named, `file` being the mapping's file."""
    before = len(problems.found)
    unknown = sorted(set(data) - set(_JSON_NAMES.values()))
    if unknown:
        problems.add_in(file, f"unknown keys {', '.join(unknown)} (known: {', '.join(_JSON_NAMES.values())})")
    for name in _TEXT_KEYS:
        if data.get(name) is not None and not isinstance(data[name], str):
            problems.add_in(file, f"'{name}' must be a column name in quotes, or null")
    if not (isinstance(data.get("student_id"), str) and data["student_id"].strip()):
        problems.add_in(file, "'student_id' is missing: it names the column with each student's id")
    skills = _skills_of(data.get("skills", []), file, problems)
    every_other = data.get("every_other_column", False)
    if not isinstance(every_other, bool):
        problems.add_in(file, "'every_other_column' must be true or false")
    date_value = _date_value_of(data.get("date_value"), file, problems)
    scale = _scale_of(data.get("scale"), file, problems)
    if len(problems.found) > before:
        return None
    text = {attribute: _text(data.get(written)) for attribute, written in _JSON_NAMES.items() if written in _TEXT_KEYS}
    mapping = Mapping(**(text | {"name": text["name"] or Path(file).stem}), skills=skills,
                      every_other_column=every_other, date_value=date_value, scale=scale)
    return mapping if _layout_is_clear(mapping, file, problems) else None


def _text(value: Any) -> Any:
    """A column name as written, a blank one being no column."""
    return value.strip() or None if value is not None else None


def _skills_of(value: Any, file: str, problems: Problems) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add_in(file, "'skills' must be a list of column names, e.g. [\"3.NF.A.1\", \"3.NF.A.2\"]")
        return ()
    return tuple(v.strip() for v in value)


def _date_value_of(value: Any, file: str, problems: Problems) -> dt.date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise cells.Bad(f"{json.dumps(value)} is not a date in quotes, e.g. \"2025-09-10\"")
        return date(value)
    except cells.Bad as bad:
        problems.add_in(file, f"'date_value': {bad}")
        return None


def _scale_of(value: Any, file: str, problems: Problems) -> Scale | None:
    if value is None:
        return None
    numbers = {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else None
    if (numbers is None or set(numbers) - {"min", "max", "mastered_at"}
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers.values())):
        problems.add_in(file, "'scale' must be like {\"min\": 0, \"max\": 4, \"mastered_at\": 3}")
        return None
    scale = Scale(**{k: float(v) for k, v in numbers.items()})
    if scale.max <= scale.min:
        problems.add_in(file, f"'scale': max ({scale.max:g}) must be above min ({scale.min:g})")
        return None
    return scale


def _layout_is_clear(mapping: Mapping, file: str, problems: Problems) -> bool:
    """Scores come in one layout, fully named; a date or source either from a column or for the whole file."""
    before = len(problems.found)
    if mapping.is_long and mapping.is_wide:
        problems.add_in(file, "gives both 'score' (one row per result) and 'skills' or 'every_other_column' "
                        "(one column per skill); keep one")
    elif (mapping.skill is None) != (mapping.score is None):
        problems.add_in(file, "one row per result needs both 'skill' and 'score' columns")
    if mapping.skills and mapping.every_other_column:
        problems.add_in(file, "gives both 'skills' and 'every_other_column'; keep one")
    if mapping.date and mapping.date_value:
        problems.add_in(file, "gives both 'date' (a column) and 'date_value' (one date); keep one")
    if mapping.source and mapping.source_value:
        problems.add_in(file, "gives both 'source' (a column) and 'source_value'; keep one")
    if not (mapping.first_name or mapping.last_name or mapping.is_long or mapping.is_wide):
        problems.add_in(file, "maps neither names nor scores, so nothing would be read: give 'first_name' or "
                        "'last_name', 'skill' and 'score', or 'skills'")
    return len(problems.found) == before


# ---- mappings kept by name in a folder ----

def mapping_path(folder: Path, name: str) -> Path:
    """Where the mapping called `name` is kept: its name made safe as a file name."""
    safe = re.sub(r"[^\w .-]+", "_", name).strip(" .")[:80]
    return folder / f"{safe or 'mapping'}{SUFFIX}"


def saved_mappings(folder: Path) -> dict[str, Path]:
    """Each mapping kept in `folder` by its name (the file's name when it names none or cannot be read)."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        data = _json_of(path, Problems(path.name))
        name = data.get("name") if data else None
        found[name.strip() if isinstance(name, str) and name.strip() else path.stem] = path
    return found


# ---- reading a file through a mapping ----

def date(value: Any) -> dt.date:
    """A date as cells.date reads it, or written the US way: 9/10/25, 01/14/2026."""
    if isinstance(value, str) and _US_DATE.fullmatch(value.strip()):
        found = assessments.us_date(value.strip())
        if found is None:
            raise cells.Bad(f"'{value.strip()}' is not a date (month/day/year)")
        return found
    return cells.date(value.strip() if isinstance(value, str) else value)


def score_number(written: str) -> float:
    """A score as a number; 85% is 85, as a teacher's sheet shows percentages."""
    return cells.number(written.removesuffix("%").strip() if written.endswith("%") else written)


def read(source: str, tables: list[Table], problems: Problems, mapping: Mapping) -> Found:
    """The students and scores of a SOURCE's tables, read through `mapping`."""
    found = Found(source, f"column mapping '{mapping.name}'", is_roster=mapping.class_ is not None)
    learners: dict[str, Learner] = {}
    for table in _tables_to_read(tables, problems, mapping):
        positions = _positions(table, problems, mapping)
        if positions is None:
            continue
        for row, line in table.rows(problems):
            _read_row(table, problems, mapping, positions, row, line, learners, found)
    found.students = list(learners.values())
    found.scores = _named_one_way(found.scores)
    if mapping.scale:
        scale = mapping.scale
        skills = dict.fromkeys(s.skill for s in found.scores)
        found.skills = [Skill(name, scale.min, scale.max, scale.mastered_at) for name in skills]
    return found


def _tables_to_read(tables: list[Table], problems: Problems, mapping: Mapping) -> list[Table]:
    """The mapping's sheet; without one, every table with the student_id column (or the first, to say so)."""
    if mapping.sheet:
        chosen = [t for t in tables if t.sheet is not None and key(t.sheet) == key(mapping.sheet)]
        if not chosen and tables:
            sheets = [t.sheet for t in tables if t.sheet]
            problems.add_in(tables[0].file, f"has no sheet '{mapping.sheet}'"
                            + (f" (its sheets: {', '.join(sheets)})" if sheets else ""))
        return chosen
    chosen = [t for t in tables if t.has(key(mapping.student_id))]
    return chosen or tables[:1]


@dataclass(frozen=True)
class _Positions:
    """Where the mapped columns are in one table."""

    columns: dict[str, int]  # what the column is for ("student_id", "score", ...) -> position
    skills: dict[int, str]  # wide layout: position -> skill name as the header writes it


def _positions(table: Table, problems: Problems, mapping: Mapping) -> _Positions | None:
    """The mapped columns' positions, or None with a problem for each mapped column the table lacks."""
    columns: dict[str, int] = {}
    for what, column in mapping.columns().items():
        position = table.column(key(column))
        if position is None:
            table.problem(problems, f"the column '{column}' ({what} in mapping '{mapping.name}') is not in the "
                          f"file; its columns are: {', '.join(h for h in table.header if h)}")
        else:
            columns[what] = position
    if len(columns) < len(mapping.columns()):
        return None
    skills = {p: w[len("skill '"):-1] for w, p in columns.items() if w.startswith("skill '")}
    if mapping.every_other_column:
        skills = _other_columns_with_numbers(table, problems, set(columns.values()))
    plain = {w: p for w, p in columns.items() if not w.startswith("skill '")}
    return _Positions(plain, {p: table.written(p) for p in skills})


def _other_columns_with_numbers(table: Table, problems: Problems, mapped: set[int]) -> dict[int, str]:
    """Columns not mapped to anything else that hold at least one number: the skills of a gradebook."""
    others = {p for p, h in enumerate(table.header) if h and p not in mapped}
    numeric: set[int] = set()
    for _row, line in table.rows(Problems(table.file)):  # reading problems are told on the real pass
        numeric |= {p for p in others - numeric if _is_number(line[p])}
    return {p: table.written(p) for p in sorted(numeric)}


def _is_number(written: str) -> bool:
    try:
        score_number(written)
    except cells.Bad:
        return False
    return True


def _read_row(table: Table, problems: Problems, mapping: Mapping, positions: _Positions, row: int,
              line: list[str], learners: dict[str, Learner], found: Found) -> None:
    at = positions.columns
    student = line[at["student_id"]]
    if not student:
        table.problem(problems, "the student id is blank", row, at["student_id"])
        return
    place = Place(table.file, row, table.sheet, table.written(at["student_id"]))
    if (mapping.first_name or mapping.last_name) and student not in learners:
        learners[student] = _learner(table, problems, at, row, line, student, place)
    before = len(problems.found)
    when = _row_date(table, problems, mapping, at, row, line)
    if len(problems.found) > before:
        return  # a result of unknown date would count as the oldest, and might hide a newer one
    source = line[at["source"]] if "source" in at else mapping.source_value or ""
    for skill, position in _results(table, problems, positions, row, line):
        score = _score(table, problems, mapping, row, position, line[position])
        if score is not None:
            found.scores.append(Score(student, skill, score, when, source,
                                      place=replace(place, score_column=table.written(position))))


def _learner(table: Table, problems: Problems, at: dict[str, int], row: int, line: list[str], student: str,
             place: Place) -> Learner:
    def cell(what: str) -> str:
        return line[at[what]] if what in at else ""

    grade = None
    if cell("grade"):
        try:
            grade = cells.grade(cell("grade"))
        except cells.Bad as bad:
            table.problem(problems, str(bad), row, at["grade"])
    return Learner(student, cell("first_name"), cell("last_name"), grade, cells.items(cell("class") or None),
                   cells.items(cell("flags") or None), place=place)


def _row_date(table: Table, problems: Problems, mapping: Mapping, at: dict[str, int], row: int,
              line: list[str]) -> dt.date | None:
    if "date" not in at or not line[at["date"]]:
        return mapping.date_value
    try:
        return date(line[at["date"]])
    except cells.Bad as bad:
        table.problem(problems, str(bad), row, at["date"])
        return None


def _results(table: Table, problems: Problems, positions: _Positions, row: int, line: list[str]
             ) -> Iterator[tuple[str, int]]:
    """(skill, position of its score) for each result of a row; blank scores of a wide row are no result."""
    at = positions.columns
    if "score" in at:
        skill = line[at["skill"]]
        if not skill:
            table.problem(problems, "the skill is blank", row, at["skill"])
            return
        yield skill, at["score"]
        return
    for position, skill in positions.skills.items():
        if line[position]:
            yield skill, position


def _score(table: Table, problems: Problems, mapping: Mapping, row: int, position: int, written: str
           ) -> float | None:
    if not written:
        table.problem(problems, "the score is blank", row, position)
        return None
    try:
        score = score_number(written)
    except cells.Bad as bad:
        table.problem(problems, str(bad), row, position)
        return None
    scale = mapping.scale
    if scale and not scale.min <= score <= scale.max:
        table.problem(problems, f"{score:g} is off the scale {scale.min:g}-{scale.max:g}", row, position)
        return None
    return score


def _named_one_way(scores: list[Score]) -> list[Score]:
    """Skills named as standards.skill_name has them (CCSS codes short), `3.NF.1` and `3.NF.A.1` in one file being
    one skill named with its cluster letter."""
    names = standards.unified(s.skill for s in scores)
    return [s if names[s.skill] == s.skill else replace(s, skill=names[s.skill]) for s in scores]


# ---- a first guess, for the app's wizard ----

# What a column is for -> headers (as key() has them) that usually mean it, best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "student_id": ("student_id", "studentid", "student_number", "student_no", "student_#", "sis_id", "local_id",
                   "id"),
    "first_name": ("first_name", "firstname", "first", "given_name", "student_first_name"),
    "last_name": ("last_name", "lastname", "last", "surname", "family_name", "student_last_name"),
    "grade": ("grade", "grade_level", "gr"),
    "class_": ("class", "period", "section", "homeroom", "class_period", "course"),
    "flags": ("flags", "supports", "services", "accommodations"),
    "skill": ("standard", "skill", "standard_code", "ccss", "objective", "learning_target"),
    "score": ("score", "points", "percent", "percentage", "mark", "result"),
    "date": ("date", "test_date", "assessment_date", "date_taken", "completed"),
    "source": ("assessment", "source", "test", "quiz", "assignment", "test_name"),
}
_GUESS_ROWS = 50  # enough rows to see which columns hold numbers


def guess(table: Table) -> Mapping:
    """A first guess at a table's mapping from its header: synonyms for the named columns, and, with no skill and
    score columns, the remaining columns that hold numbers as skills."""
    chosen: dict[str, str] = {}
    for what, synonyms in SYNONYMS.items():
        position = table.column(*(s for s in synonyms if table.columns.get(s) not in _taken(table, chosen)))
        if position is not None:
            chosen[what] = table.written(position)
    if not ("skill" in chosen and "score" in chosen):
        chosen.pop("skill", None)
        chosen.pop("score", None)
        taken = _taken(table, chosen)
        numeric = _numeric_columns(table)
        chosen_skills = tuple(table.written(p) for p in sorted(numeric - taken))
    else:
        chosen_skills = ()
    return Mapping(name=table.sheet or Path(table.file).stem, student_id=chosen.get("student_id", ""),
                   first_name=chosen.get("first_name"), last_name=chosen.get("last_name"), grade=chosen.get("grade"),
                   class_=chosen.get("class_"), flags=chosen.get("flags"), skill=chosen.get("skill"),
                   score=chosen.get("score"), skills=chosen_skills, date=chosen.get("date"),
                   source=chosen.get("source"))


def _taken(table: Table, chosen: dict[str, str]) -> set[int]:
    return {table.columns[key(column)] for column in chosen.values()}


def _numeric_columns(table: Table) -> set[int]:
    """Columns whose filled cells in the first rows are mostly numbers, or whose header is a CCSS code."""
    counts = [[0, 0] for _ in table.header]  # numbers, filled
    for index, (_row, line) in enumerate(table.rows(Problems(table.file))):
        if index >= _GUESS_ROWS:
            break
        for position, written in enumerate(line[:len(counts)]):
            counts[position][0] += _is_number(written)
            counts[position][1] += bool(written)
    return {p for p, (numbers, filled) in enumerate(counts)
            if table.header[p] and (numbers * 2 > filled > 0 or standards.standard_key(table.header[p]))}
