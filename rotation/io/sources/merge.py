"""What the sources say, matched to each other and merged into a school (a planning workbook's, or a new one).

Students are matched by id: the district's student number, or any other id a source gives them (a sourcedId),
so files from different vendors meet. A roster decides who the students are and their classes; a student a
roster leaves out is kept (a teacher's data is never dropped by an import). A score for a student nobody knows
is refused, and by default that refuses the whole import, naming each such student. Skills named by standards
codes are one skill however each file spells the code. Results already in the school are not added twice.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rotation.domain.school import MasteryResult, School, SchoolClass, Skill, Staff, Student
from rotation.io import cells
from rotation.io.problems import Problems
from rotation.io.sources import standards
from rotation.io.sources.found import Found, Learner, Place, Score, Section

ADDED, CHANGED, REFUSED = "added", "changed", "refused"
_UNSCALED = Skill("")  # the scale of a skill no source or school gives one: Skill's default


@dataclass(frozen=True)
class Change:
    """One line of what an import does, for the preview and the command's summary."""

    verb: str  # ADDED, CHANGED or REFUSED
    what: str  # "student", "class", "adult", "skill", "result"
    name: str  # its id
    detail: str = ""  # in words: "last name Smith -> Smyth", "student 123 is not on the roster (map.csv row 4)"


@dataclass(frozen=True)
class Imported:
    """The school the sources make, with the classes whose settings are still the teacher's to give."""

    school: School
    new_classes: tuple[Section, ...] = ()  # on a roster, not in the school: no start or rotation minutes yet
    changes: tuple[Change, ...] = ()
    results_added: int = 0  # results are many: counted, not listed

    def count(self, verb: str, what: str) -> int:
        if what == "result" and verb == ADDED:
            return self.results_added
        return sum(1 for c in self.changes if c.verb == verb and c.what == what)

    def with_settings(self, start: object, rotation_minutes: int) -> School:
        """The school with each new class given a start and rotation length (the app asks for them)."""
        added = tuple(SchoolClass(s.class_id, start, rotation_minutes, s.teacher, s.room)  # type: ignore[arg-type]
                      for s in self.new_classes)
        return dataclasses.replace(self.school, classes=self.school.classes + added)


@dataclass
class _Merge:
    base: School
    problems: Problems
    skip_unknown: bool
    students: dict[str, Student] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # every id a student goes by -> their student_id
    changes: list[Change] = field(default_factory=list)

    def note(self, verb: str, what: str, name: str, detail: str = "") -> None:
        self.changes.append(Change(verb, what, name, detail))


def combine(founds: Sequence[Found], base: School | None = None, *, skip_unknown: bool = False,
            problems: Problems | None = None) -> Imported:
    """The sources merged into `base` (an empty school when None); BadInput naming each problem."""
    problems = problems if problems is not None else Problems("import")
    merge = _Merge(base or School(), problems, skip_unknown)
    merge.students = {s.student_id: s for s in merge.base.students}
    merge.ids = {s.student_id: s.student_id for s in merge.base.students}
    rosters = [f for f in founds if f.is_roster]
    for found in rosters:
        _take_roster(merge, found)
    if not rosters and not merge.base.students:  # no roster at all: the score files' own names are the students
        for found in founds:
            _take_named(merge, found)
    classes, new_classes = _classes(merge, rosters)
    staff = _staff(merge, founds)
    skills, names = _skills(merge, founds)
    mastery = _mastery(merge, founds, names, {s.skill: s for s in skills})
    problems.raise_if_any()
    school = dataclasses.replace(merge.base, students=tuple(merge.students.values()), classes=classes,
                                 staff=staff, skills=skills, mastery=mastery)
    return Imported(school, new_classes, tuple(merge.changes), len(mastery) - len(merge.base.mastery))


def _where(place: Place) -> str:
    return f"{place.file}" + (f" row {place.row}" if place.row is not None else "")


# ------------------------------------------------------------------ students


def _take_roster(merge: _Merge, found: Found) -> None:
    """A roster's students: new ones added, known ones brought up to date; its flags decide the flags it knows."""
    seen: dict[str, Place] = {}
    for learner in found.students:
        if learner.student_id in seen:
            merge.problems.add_in(learner.place.file, f"student '{learner.student_id}' is listed twice (also "
                                  f"{_where(seen[learner.student_id])})", learner.place.sheet, learner.place.row,
                                  learner.place.column)
            continue
        seen[learner.student_id] = learner.place
        known = _known(merge, learner.student_id, learner.aliases)
        if known is None:
            _add(merge, _student(learner, ()), learner)
        else:
            _update(merge, merge.students[known], learner, found.flags_decided)


def _take_named(merge: _Merge, found: Found) -> None:
    """Students a score file names (with their names), when no roster says who the students are."""
    for learner in found.students:
        if _known(merge, learner.student_id, learner.aliases) is None:
            _add(merge, _student(learner, ()), learner)


def _known(merge: _Merge, student_id: str, aliases: Iterable[str]) -> str | None:
    known = merge.ids.get(student_id)  # asked for every score: the common case first
    if known is not None:
        return known
    return next((merge.ids[i] for i in aliases if i in merge.ids), None)


def _student(learner: Learner, kept_flags: tuple[str, ...]) -> Student:
    flags = tuple(dict.fromkeys((*kept_flags, *learner.flags)))
    return Student(learner.student_id, learner.first_name, learner.last_name, learner.grade, learner.classes, flags)


def _add(merge: _Merge, student: Student, learner: Learner) -> None:
    merge.students[student.student_id] = student
    for i in (learner.student_id, *learner.aliases):
        merge.ids.setdefault(i, student.student_id)
    merge.note(ADDED, "student", student.student_id, student.name)


def _update(merge: _Merge, old: Student, learner: Learner, flags_decided: tuple[str, ...]) -> None:
    decided = {f.lower() for f in flags_decided}
    kept = tuple(f for f in old.flags if f.lower() not in decided)
    new = dataclasses.replace(_student(learner, kept), student_id=old.student_id,
                              grade=learner.grade or old.grade, classes=_classes_of(merge, old, learner))
    for i in (learner.student_id, *learner.aliases):
        merge.ids.setdefault(i, old.student_id)
    if new != old:
        merge.students[old.student_id] = new
        merge.note(CHANGED, "student", old.student_id, _differences(old, new))


def _classes_of(merge: _Merge, old: Student, learner: Learner) -> tuple[str, ...]:
    """The roster's classes; a student of the school's only class, written with no class, stays so."""
    only = tuple(c.class_id for c in merge.base.classes)
    if not old.classes and len(only) == 1 and learner.classes == only:
        return ()
    return learner.classes or old.classes


def _differences(old: object, new: object) -> str:
    """What changed, field by field: "last_name 'Smith' -> 'Smyth'"."""
    said = []
    for f in dataclasses.fields(old):  # type: ignore[arg-type]
        before, after = getattr(old, f.name), getattr(new, f.name)
        if before != after:
            said.append(f"{f.name} '{_shown(before)}' -> '{_shown(after)}'")
    return "; ".join(said)


def _shown(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else "" if value is None else cells.text(value)


# ------------------------------------------------------------------ classes and adults


def _classes(merge: _Merge, rosters: Sequence[Found]) -> tuple[tuple[SchoolClass, ...], tuple[Section, ...]]:
    """The school's classes with a roster's teacher and room; the roster's other classes are new."""
    classes = {c.class_id: c for c in merge.base.classes}
    new: dict[str, Section] = {}
    for found in rosters:
        # A class a student is in that the roster does not describe (a mapped file's class column) is one too.
        named = {c.class_id for c in found.classes}
        unnamed = (Section(c, place=s.place) for s in found.students for c in s.classes if c not in named)
        for section in (*found.classes, *unnamed):
            if section.class_id in classes:
                old = classes[section.class_id]
                now = dataclasses.replace(old, teacher=section.teacher or old.teacher, room=section.room or old.room)
                if now != old:
                    classes[section.class_id] = now
                    merge.note(CHANGED, "class", section.class_id, _differences(old, now))
            elif section.class_id not in new:
                new[section.class_id] = section
                merge.note(ADDED, "class", section.class_id,
                           f"{section.title or section.class_id}: give its start and rotation_minutes")
    return tuple(classes.values()), tuple(new.values())


def _staff(merge: _Merge, founds: Sequence[Found]) -> tuple[Staff, ...]:
    staff = {a.staff_id: a for a in merge.base.staff}
    for found in founds:
        for adult in found.staff:
            old = staff.get(adult.staff_id)
            if old is None:
                staff[adult.staff_id] = Staff(adult.staff_id, adult.name, adult.role)
                merge.note(ADDED, "adult", adult.staff_id, adult.name)
            elif (adult.name and adult.name != old.name) or (adult.role and not old.role):
                now = dataclasses.replace(old, name=adult.name or old.name, role=old.role or adult.role)
                staff[adult.staff_id] = now
                merge.note(CHANGED, "adult", adult.staff_id, _differences(old, now))
    return tuple(staff.values())


# ------------------------------------------------------------------ skills and results


def _skills(merge: _Merge, founds: Sequence[Found]) -> tuple[tuple[Skill, ...], dict[str, str]]:
    """The school's skills, then the sources' new ones; and each source skill name -> the school's name for it
    (a standard keeps the name the school already gives it)."""
    ours = {standards.standard_key(s.skill) or s.skill: s.skill for s in merge.base.skills}
    written = [s.skill for f in founds for s in f.skills] + [r.skill for f in founds for r in f.scores]
    chosen = standards.unified(written)
    names = {name: ours.get(standards.standard_key(name) or name, chosen[name]) for name in chosen}
    skills = {s.skill: s for s in merge.base.skills}
    for found in founds:
        for skill in found.skills:
            name = names[skill.skill]
            if name not in skills:
                skills[name] = dataclasses.replace(skill, skill=name)
                merge.note(ADDED, "skill", name, f"scale {cells.text(skill.min)} to {cells.text(skill.max)}")
    return tuple(skills.values()), names


def _mastery(merge: _Merge, founds: Sequence[Found], names: dict[str, str],
             scales: dict[str, Skill]) -> tuple[MasteryResult, ...]:
    """The school's results, then each source's new ones; scores for students nobody knows are refused."""
    results = dict.fromkeys(merge.base.mastery)
    unknown: dict[str, list[Score]] = defaultdict(list)
    for found in founds:
        for score in found.scores:
            student = _known(merge, score.student, score.aliases)
            if student is None:
                unknown[score.student].append(score)
                continue
            result = MasteryResult(student, names[score.skill], score.score, score.date, score.source, score.detail)
            if not _outside_scale(merge, score, result, scales):
                results[result] = None  # a result already there stays once
    _refuse_unknown(merge, unknown)
    return tuple(results)


def _outside_scale(merge: _Merge, score: Score, result: MasteryResult, scales: dict[str, Skill]) -> bool:
    scale = scales.get(result.skill) or _UNSCALED  # asked for every score: no default made each time
    if scale.min <= result.score <= scale.max:
        return False
    merge.problems.add_in(score.place.file, f"score {cells.text(result.score)} is outside "
                          f"{cells.text(scale.min)} to {cells.text(scale.max)}, the scale of skill '{result.skill}'",
                          score.place.sheet, score.place.row, score.place.score_column)
    return True


def _refuse_unknown(merge: _Merge, unknown: dict[str, list[Score]]) -> None:
    """Each student nobody knows, once, at the first row that names them; a problem unless told to skip them."""
    for student, scores in unknown.items():
        first, more = scores[0].place, len(scores) - 1
        rows = f" (and {more} more row{'s' * (more > 1)})" if more else ""
        if merge.skip_unknown:
            merge.note(REFUSED, "result", student, f"{len(scores)} result(s): not a student of the school, skipped")
        else:
            merge.problems.add_in(first.file, f"student '{student}' is not on the roster or sheet Students{rows}; "
                                  "add them, or skip such students (--skip-unknown)", first.sheet, first.row,
                                  first.column)
