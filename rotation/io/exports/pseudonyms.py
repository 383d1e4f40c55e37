"""A pseudonymised copy of a plan: every student and adult named by a stable code instead of their name and id,
for sharing a plan (a question to a colleague, a bug report) without sharing who is in it.

The code is an HMAC of the id under a secret key kept on this machine: the same student always gets the same
code here, and nobody without the key can find a code by trying ids."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from rotation.domain.plan import Check, Plan, PlannedGroup, Visit
from rotation.domain.school import Rule, School, SchoolClass, Staff, Station, Student, StudentLock
from rotation.io.plan_workbook import write_plan_workbook
from rotation.io.planning_workbook import write_planning_workbook
from rotation.io.problems import Problems
from rotation.io.xlsx import find_sheet, open_workbook, read_rows

KEY_FILE = "pseudonym.key"
KEY_BYTES = 32
LEFT = "left"  # the Checks kind of a student no longer in the class (rotation.planning.changes)


def load_key(folder: Path) -> bytes:
    """The machine's secret key from `folder`, made on first use (readable by its owner only)."""
    path = folder / KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # EXCL: never overwrite a key in use
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
    return path.read_bytes()


class Codes:
    """Codes for students (`S-…`) and adults (`A-…`): 8 letters or digits of an HMAC of the id."""

    def __init__(self, key: bytes):
        self.key = key

    def code(self, prefix: str, identifier: str) -> str:
        digest = hmac.new(self.key, f"{prefix}\x1f{identifier}".encode(), hashlib.sha256).digest()
        return f"{prefix}-{base64.b32encode(digest).decode()[:8]}"

    def student(self, student_id: str) -> str:
        return self.code("S", student_id)

    def adult(self, staff_id: str) -> str:
        return self.code("A", staff_id)


class Pseudonymiser:
    """One school's students and adults coded, in the domain objects and in the words of its Checks."""

    def __init__(self, school: School, codes: Codes):
        self.school = school
        self.codes = codes
        self.students = {s.student_id: codes.student(s.student_id) for s in school.students}
        adults = {a.staff_id for a in school.staff} | {c.teacher for c in school.classes if c.teacher}
        self.adults = {a: codes.adult(a) for a in adults}
        self.words = self._words()
        # One pattern, the longest first ('Ava Kim' before 'Kim'), each only where it stands whole.
        alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if self.words else None

    def _words(self) -> dict[str, str]:
        """Every name and id as Checks may write it, with its code; an id of digits alone is left out, as it
        reads the same as a group or a count ('group 1')."""
        words = {s.name: self.students[s.student_id] for s in self.school.students if s.name}
        words |= {a.name: self.adults[a.staff_id] for a in self.school.staff if a.name}
        words |= {i: c for i, c in (self.students | self.adults).items() if not i.isdigit()}
        return words

    def text(self, text: str) -> str:
        """`text` with every whole name or id replaced by its code."""
        return self.pattern.sub(lambda found: self.words[found[0]], text) if self.pattern else text

    # --- the school ---

    def school_coded(self) -> School:
        s = self.school
        return dataclasses.replace(
            s, name="",
            students=tuple(self.student(x) for x in s.students),
            mastery=tuple(dataclasses.replace(m, student_id=self.students[m.student_id], source=self.text(m.source))
                          for m in s.mastery),
            classes=tuple(self.school_class(c) for c in s.classes),
            stations=tuple(self.station(x) for x in s.stations),
            staff=tuple(self.adult(a) for a in s.staff),
            rules=tuple(self.rule(r) for r in s.rules),
            student_locks=tuple(self.lock(k) for k in s.student_locks),
        )

    def student(self, student: Student) -> Student:
        return dataclasses.replace(student, student_id=self.students[student.student_id],
                                   first_name=self.students[student.student_id], last_name="")

    def school_class(self, cls: SchoolClass) -> SchoolClass:
        return dataclasses.replace(cls, teacher=self.adults.get(cls.teacher, cls.teacher))

    def station(self, station: Station) -> Station:
        return dataclasses.replace(station, staff=self.adults.get(station.staff, station.staff))  # a role stays

    def adult(self, adult: Staff) -> Staff:
        return dataclasses.replace(adult, staff_id=self.adults[adult.staff_id], name=self.adults[adult.staff_id])

    def rule(self, rule: Rule) -> Rule:
        # A note is free text ("ESL with Ms Silva") that may name anyone: it is dropped, not guessed at.
        return dataclasses.replace(rule, students=tuple(self.students.get(s, s) for s in rule.students), note="")

    def lock(self, lock: StudentLock) -> StudentLock:
        return dataclasses.replace(lock, student_id=self.students[lock.student_id])

    # --- the plan ---

    def plan_coded(self, plan: Plan) -> Plan:
        return dataclasses.replace(plan, groups=tuple(self.group(g) for g in plan.groups),
                                   visits=tuple(self.visit(v) for v in plan.visits),
                                   checks=tuple(self.check(c) for c in plan.checks))

    def group(self, group: PlannedGroup) -> PlannedGroup:
        return dataclasses.replace(group, members=tuple(self.students.get(m) or self.codes.student(m)
                                                        for m in group.members))

    def visit(self, visit: Visit) -> Visit:
        return dataclasses.replace(visit, staff=tuple(self.adults.get(a) or self.codes.adult(a) for a in visit.staff))

    def check(self, check: Check) -> Check:
        if check.kind == LEFT:  # a student no longer on the roster: their name is not the school's to replace
            return self.leaver(check)
        who = self.students.get(check.who) or self.adults.get(check.who) or self.text(check.who)
        return dataclasses.replace(check, who=who, when=self.text(check.when),
                                   detail=self.text(check.detail))

    def leaver(self, check: Check) -> Check:
        code = self.codes.student(check.who)
        said = re.fullmatch(r"(.*?): .* (\(in .* last week\).*)", check.detail)
        detail = f"{said[1]}: {code} {said[2]}" if said else f"{code} is no longer in the class"
        return dataclasses.replace(check, who=code, detail=detail)


def read_checks(path: Path) -> tuple[Check, ...]:
    """The Checks sheet's lines as written (the plan reader keeps only whether the plan is proven optimal)."""
    wb = open_workbook(path, Problems.of(path))
    ws = find_sheet(wb, "Checks") if wb is not None else None
    if wb is None or ws is None:
        return ()
    try:
        _, rows = read_rows(ws, Problems.of(path))
        return tuple(Check(_text(row.get("kind")), _text(row.get("rule")), _text(row.get("who")),
                           _text(row.get("when")), _cost(row.get("cost")), _text(row.get("detail"))) for row in rows)
    finally:
        wb.close()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _cost(value: object) -> int:
    return value if isinstance(value, int) else 0


def write_pseudonymised(school: School, plan: Plan, codes: Codes, out: Path, planning_out: Path) -> None:
    """The plan as `out` and its planning workbook as `planning_out`, everyone coded; the two agree, so
    `rotation check planning_out out` checks the coded plan as it would the original."""
    coded = Pseudonymiser(school, codes)
    coded_school = coded.school_coded()
    write_planning_workbook(coded_school, planning_out)
    write_plan_workbook(coded_school, coded.plan_coded(plan), out)

