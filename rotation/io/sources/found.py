"""What a school's own files say, as each format reader finds it, before the sources are matched to each other:
students with every id that names them, classes, adults, skills and scores, each with the file and row it came
from, so a problem about it names them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from rotation.domain.school import Skill
from rotation.io.problems import Problems
from rotation.io.sources.tables import Table


@dataclass(frozen=True, slots=True)  # many thousands of them
class Place:
    """Where a record came from: a file (a ZIP's member as `roster.zip/users.csv`), its sheet and row."""

    file: str
    row: int | None = None
    sheet: str | None = None
    column: str | None = None  # the column that names the student, as the file writes it
    score_column: str | None = None  # for a score: the column it is in


@dataclass(frozen=True)
class Learner:
    """A student as a source names them. `student_id` is the district's student number (OneRoster
    `identifier`, Clever `Student_number`, MAP `StudentID`), or the source's own id when that is blank;
    `aliases` are the other ids the source gives them (the sourcedId), so that files from other vendors match."""

    student_id: str
    first_name: str
    last_name: str = ""
    grade: str | None = None  # "K" or "1".."12", as cells.grade reads it
    classes: tuple[str, ...] = ()  # class ids as Section.class_id
    flags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    place: Place = Place("")


@dataclass(frozen=True, slots=True)  # many thousands of them
class Score:
    """A result for one student on one skill. `student` is whichever id the file gives; `aliases` any other."""

    student: str
    skill: str
    score: float
    date: dt.date | None = None
    source: str = ""  # what the result is from: "MAP Growth Fall 2025-2026", "i-Ready Diagnostic"
    detail: str = ""  # kept beside the score, never planned on: percentile, placement, benchmark category
    aliases: tuple[str, ...] = ()
    place: Place = Place("")


@dataclass(frozen=True)
class Section:
    """A class as a roster names it. `class_id` is what the planning workbook calls it (the class code when
    there is one); `aliases` are the roster's own ids for it, which enrolments use."""

    class_id: str
    title: str = ""
    teacher: str = ""  # a staff_id
    room: str = ""
    aliases: tuple[str, ...] = ()
    place: Place = Place("")


@dataclass(frozen=True)
class Adult:
    staff_id: str
    name: str = ""
    role: str = ""  # "teacher", "aide", ...
    aliases: tuple[str, ...] = ()
    place: Place = Place("")


@dataclass
class Found:
    """Everything one SOURCE holds, as its format reader read it."""

    source: str  # the SOURCE as given on the command line
    kind: str  # the format's name, e.g. "OneRoster 1.2"
    students: list[Learner] = field(default_factory=list)
    classes: list[Section] = field(default_factory=list)
    staff: list[Adult] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)  # the scales of the skills its scores are on
    scores: list[Score] = field(default_factory=list)
    flags_decided: tuple[str, ...] = ()  # flags this source decides (IEP, ELL): they follow it, others are kept
    is_roster: bool = False  # a roster: the students it lists are the school's, with their classes


@dataclass(frozen=True)
class Kind:
    """A format: its name, how it is recognised from a SOURCE's tables, and how they are read."""

    name: str
    recognise: Callable[[list[Table]], bool]
    read: Callable[[str, list[Table], Problems], Found]
