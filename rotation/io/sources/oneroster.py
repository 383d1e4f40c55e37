"""OneRoster 1.1 and 1.2 CSV rosters (a folder or ZIP with manifest.csv, users.csv, classes.csv, enrollments.csv),
and Microsoft School Data Sync 2.1, a OneRoster-derived set without status columns.

Columns are found by header in any order; `tobedeleted` rows are dropped; ids that only a dropped row names are
passed over quietly, ids that no row names are problems. A student's `student_id` is the district's `identifier`
(their sourcedId when it is blank); an adult's `staff_id` is the same `identifier`, else their username, else the
sourcedId. A class is named by its classCode, else its title, else its sourcedId.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from rotation.domain.school import Skill
from rotation.io import cells
from rotation.io.problems import Problems
from rotation.io.sources.found import Adult, Found, Kind, Learner, Place, Score, Section, fresh_id
from rotation.io.sources.standards import skill_name
from rotation.io.sources.tables import Table, text_at

T = TypeVar("T")

GRADEBOOK = "OneRoster gradebook"
SDS = "School Data Sync"
# Roles of family members: never students, never the adults who run stations.
FAMILY = {"parent", "guardian", "relative"}
# Who teaches a class, best first; SDS writes "professor" for college classes.
CLASS_TEACHERS = ("teacher", "professor")
# CEDS grade codes outside K-12 (pre-school, post-secondary, ungraded) are real grades the app does not plan by.
_OTHER_GRADES = re.compile(r"^(IT|PR|PK|TK|PS\d*|UG|13|OTHER)$", re.I)
SDS_FLAGS = {"iep": "IEP", "ell": "ELL", "504": "504"}


def recognise(tables: list[Table]) -> bool:
    """Users and enrollments (and classes), or a manifest naming a OneRoster version."""
    stems = {t.stem for t in tables}
    if {"users", "enrollments"} <= stems:
        return True
    manifest = next((t for t in tables if t.stem == "manifest"), None)
    return manifest is not None and _manifest_version(manifest, Problems("")) is not None


def _manifest_version(manifest: Table, problems: Problems) -> str | None:
    name, value = manifest.column("propertyname"), manifest.column("value")
    if name is None or value is None:
        return None
    for _row, row_cells in manifest.rows(problems):
        if row_cells[name].lower() == "oneroster.version":
            return row_cells[value] or None
    return None


def version(tables: dict[str, Table], problems: Problems) -> str:
    """The manifest's version; else 1.2 when roles leave users.csv for roles.csv, SDS when roles.csv has no
    roleType, 1.1 otherwise."""
    manifest = tables.get("manifest")
    written = _manifest_version(manifest, problems) if manifest else None
    if written:
        return f"OneRoster {written}"
    roles = tables.get("roles")
    if roles is not None:
        return "OneRoster 1.2" if roles.has("usersourcedid", "roletype") else SDS
    return SDS if "userflags" in tables else "OneRoster 1.1"


def live_rows(table: Table, problems: Problems, dropped: set[str] | None = None
              ) -> Iterator[tuple[int, list[str]]]:
    """The rows not marked `tobedeleted` (any case; a blank status is active); the sourcedIds of those that are
    go to `dropped`, so that what names them is passed over quietly."""
    status = table.column("status")
    ids = table.column("sourcedid")
    for number, row in table.rows(problems):
        if status is not None and row[status].lower() == "tobedeleted":
            if dropped is not None and ids is not None and row[ids]:
                dropped.add(row[ids])
            continue
        yield number, row


@dataclass
class _Person:
    sourced_id: str
    person_id: str  # student_id or staff_id
    first: str
    last: str
    role: str
    grade: str | None
    aliases: tuple[str, ...]
    place: Place
    classes: list[str] = field(default_factory=list)  # class sourcedIds
    flags: list[str] = field(default_factory=list)


@dataclass
class _Class:
    sourced_id: str
    name: str  # classCode, title or sourcedId: what the teacher calls it, before being made unique
    title: str
    room: str
    place: Place
    teachers: list[tuple[bool, str]] = field(default_factory=list)  # (primary, user sourcedId), as enrolled


@dataclass
class _Result:
    student: str
    line_item: str
    date: dt.date | None


def read(source: str, tables: list[Table], problems: Problems) -> Found:
    by_stem = {t.stem: t for t in tables}
    kind = version(by_stem, problems)
    found = Found(source, kind, is_roster=True)
    users = by_stem.get("users")
    if users is None:
        problems.add_in(source, f"holds no users.csv: a {kind} roster lists its students there")
        return found
    dropped: set[str] = set()
    roles = read_roles(by_stem.get("roles"), problems, dropped)
    people = read_users(users, roles, problems, dropped)
    courses = course_titles(by_stem.get("courses"), problems)
    classes = read_classes(by_stem.get("classes"), courses, problems, dropped)
    if "enrollments" in by_stem and "classes" not in by_stem:
        problems.add_in(source, "holds enrollments.csv but no classes.csv: the students come in without classes")
    elif "enrollments" in by_stem:
        read_enrollments(by_stem["enrollments"], people, classes, problems, dropped)
    if "userflags" in by_stem:
        read_flags(by_stem["userflags"], people, problems, dropped)
        found.flags_decided = tuple(SDS_FLAGS.values())
    class_ids = unique_class_ids([(c.sourced_id, c.name) for c in classes.values()])
    found.classes = [section(c, class_ids, people) for c in classes.values()]
    found.students = [learner(p, class_ids) for p in people.values() if p.role == "student"]
    found.staff = [adult(p) for p in people.values() if is_staff(p.role)]
    if "lineitems" in by_stem and "results" in by_stem:
        read_gradebook(by_stem, people, found, problems, dropped)
    return found


def is_staff(role: str) -> bool:
    """Teachers, aides, administrators, proctors: anyone with a role who is no student or family member."""
    return bool(role) and role != "student" and role not in FAMILY


def read_roles(roles: Table | None, problems: Problems, dropped: set[str]) -> dict[str, tuple[str, str]]:
    """user sourcedId -> (role, grade) from roles.csv (1.2 and SDS): the primary role when one is marked, else
    the first written."""
    if roles is None:
        return {}
    user, role = roles.column("usersourcedid"), roles.column("role")
    primary = roles.column("roletype", "isprimary")
    grade = roles.column("grade", "grades")
    found: dict[str, tuple[str, str]] = {}
    is_primary: set[str] = set()
    if user is None or role is None:
        roles.problem(problems, "has no userSourcedId or role column; roles are read from users.csv", 1)
        return found
    for _number, row in live_rows(roles, problems, dropped):
        who = row[user]
        marked = text_at(row, primary).lower() in ("primary", "true")
        if who and (who not in found or (marked and who not in is_primary)):
            found[who] = (row[role].lower(), text_at(row, grade))
            if marked:
                is_primary.add(who)
    return found


def read_users(users: Table, roles: dict[str, tuple[str, str]], problems: Problems, dropped: set[str]
               ) -> dict[str, _Person]:
    ids = users.column("sourcedid")
    if ids is None:
        users.problem(problems, "has no sourcedId column", 1)
        return {}
    given, family = users.column("givenname"), users.column("familyname")
    preferred_given, preferred_family = users.column("preferredgivenname"), users.column("preferredfamilyname")
    identifier, username = users.column("identifier"), users.column("username")
    role, grades = users.column("role"), users.column("grades", "grade")
    people: dict[str, _Person] = {}
    students: dict[str, int] = {}  # student_id -> its row
    for number, row in live_rows(users, problems, dropped):
        sourced_id = fresh_id(users, problems, number, row, ids, people, "user")
        if sourced_id is None:
            continue
        user_role, role_grade = roles.get(sourced_id, (text_at(row, role).lower(), ""))
        written_grade = first_grade(text_at(row, grades)) or first_grade(role_grade)
        person_id = text_at(row, identifier) or (text_at(row, username) if user_role != "student" else "") or sourced_id
        if user_role == "student" and not unique_student(users, person_id, students, number, identifier, problems):
            dropped.add(sourced_id)  # told once here, not again on each row that names them
            continue
        people[sourced_id] = _Person(
            sourced_id, person_id,
            text_at(row, preferred_given) or text_at(row, given),
            text_at(row, preferred_family) or text_at(row, family),
            user_role, user_grade(users, written_grade, number, grades, problems) if user_role == "student" else None,
            other_ids(person_id, sourced_id, text_at(row, username) if user_role != "student" else ""),
            Place(users.file, number, users.sheet))
    return people


def unique_student(users: Table, student_id: str, students: dict[str, int], number: int, column: int | None,
                   problems: Problems) -> bool:
    """Two students with one district number would be taken for one child; the second is left out, told."""
    if student_id in students:
        users.problem(problems, f"'{student_id}' is already the student on row {students[student_id]}; "
                      "this row is left out", number, column)
        return False
    students[student_id] = number
    return True


def first_grade(written: str) -> str:
    """The first of a comma list of grades ("09,10")."""
    return written.split(",", 1)[0].strip()


def user_grade(users: Table, written: str, number: int, column: int | None, problems: Problems) -> str | None:
    """K-12 as cells.grade reads CEDS codes ("09" is 9, "KG" is K); pre-school and post-secondary codes are no
    grade the plan uses, so none; anything else is a problem."""
    if not written or _OTHER_GRADES.match(written):
        return None
    try:
        return cells.grade(written)
    except cells.Bad as bad:
        users.problem(problems, str(bad), number, column if column is not None else "grade")
        return None


def other_ids(main: str, *ids: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in ids if i and i != main))


def course_titles(courses: Table | None, problems: Problems) -> dict[str, str]:
    if courses is None:
        return {}
    ids, title = courses.column("sourcedid"), courses.column("title")
    if ids is None or title is None:
        return {}
    return {row[ids]: row[title] for _n, row in live_rows(courses, problems) if row[ids]}


def read_classes(classes: Table | None, courses: dict[str, str], problems: Problems, dropped: set[str]
                 ) -> dict[str, _Class]:
    if classes is None:
        return {}
    ids = classes.column("sourcedid")
    if ids is None:
        classes.problem(problems, "has no sourcedId column", 1)
        return {}
    code, title = classes.column("classcode"), classes.column("title")
    course, location = classes.column("coursesourcedid"), classes.column("location")
    found: dict[str, _Class] = {}
    for number, row in live_rows(classes, problems, dropped):
        sourced_id = fresh_id(classes, problems, number, row, ids, found, "class")
        if sourced_id is None:
            continue
        class_title = text_at(row, title) or courses.get(text_at(row, course), "")
        found[sourced_id] = _Class(sourced_id, text_at(row, code) or class_title or sourced_id, class_title,
                                   text_at(row, location), Place(classes.file, number, classes.sheet))
    return found


def unique_class_ids(named: list[tuple[str, str]]) -> dict[str, str]:
    """(roster id, name) -> roster id -> class_id. Classes that share a name (any case) all get their roster id
    after it ("Math 3 (cls-17)"), so that none of them passes for the one the teacher means."""
    count: dict[str, int] = {}
    for _id, name in named:
        count[name.casefold()] = count.get(name.casefold(), 0) + 1
    return {id_: name if count[name.casefold()] == 1 or name == id_ else f"{name} ({id_})" for id_, name in named}


def read_enrollments(enrollments: Table, people: dict[str, _Person], classes: dict[str, _Class],
                     problems: Problems, dropped: set[str]) -> None:
    """Each student's classes and each class's teachers; an enrollment naming a user or class that is not in the
    roster is a problem, one naming a dropped one is passed over."""
    user, klass = enrollments.column("usersourcedid"), enrollments.column("classsourcedid")
    role, primary = enrollments.column("role"), enrollments.column("primary")
    if user is None or klass is None or role is None:
        enrollments.problem(problems, "needs columns userSourcedId, classSourcedId and role", 1)
        return
    for number, row in live_rows(enrollments, problems):
        who, where, as_what = row[user], row[klass], row[role].lower()
        if who in dropped or where in dropped:
            continue
        if who not in people:
            enrollments.problem(problems, f"names user '{who}', who is not in users.csv", number, user)
            continue
        if where not in classes:
            enrollments.problem(problems, f"names class '{where}', which is not in classes.csv", number, klass)
            continue
        if as_what == "student" and people[who].role == "student":
            people[who].classes.append(where)
        elif as_what in CLASS_TEACHERS:
            classes[where].teachers.append((text_at(row, primary).lower() == "true", who))


def read_flags(flags: Table, people: dict[str, _Person], problems: Problems, dropped: set[str]) -> None:
    """SDS userFlags.csv: iep, ell and 504 named as the planning workbook names them, others kept as written."""
    user, flag = flags.column("usersourcedid"), flags.column("flag")
    if user is None or flag is None:
        flags.problem(problems, "needs columns userSourcedId and flag", 1)
        return
    for number, row in live_rows(flags, problems):
        who, written = row[user], row[flag]
        if who in dropped or not written:
            continue
        if who not in people:
            flags.problem(problems, f"names user '{who}', who is not in users.csv", number, user)
            continue
        named = SDS_FLAGS.get(written.lower(), written)
        if named not in people[who].flags:
            people[who].flags.append(named)


def section(c: _Class, class_ids: dict[str, str], people: dict[str, _Person]) -> Section:
    """The class's teacher: the primary one when marked, then by role order, then as enrolled."""
    ranked = sorted(c.teachers, key=lambda t: (not t[0], CLASS_TEACHERS.index(people[t[1]].role)
                                               if people[t[1]].role in CLASS_TEACHERS else len(CLASS_TEACHERS)))
    teacher = people[ranked[0][1]].person_id if ranked else ""
    class_id = class_ids[c.sourced_id]
    return Section(class_id, c.title, teacher, c.room, other_ids(class_id, c.sourced_id), c.place)


def learner(p: _Person, class_ids: dict[str, str]) -> Learner:
    return Learner(p.person_id, p.first, p.last, p.grade,
                   tuple(dict.fromkeys(class_ids[c] for c in p.classes)), tuple(p.flags), p.aliases, p.place)


def adult(p: _Person) -> Adult:
    return Adult(p.person_id, " ".join(n for n in (p.first, p.last) if n), p.role, p.aliases, p.place)


def read_gradebook(by_stem: dict[str, Table], people: dict[str, _Person], found: Found, problems: Problems,
                   dropped: set[str]) -> None:
    """lineItems.csv + results.csv: a score per student per line item, its skill named by the line item's title;
    1.2's resultLearningObjectiveIds.csv: a score per standard, on the line item's scale."""
    line_items = read_line_items(by_stem["lineitems"], problems, dropped, found)
    results = read_results(by_stem["results"], line_items, people, problems, dropped, found)
    if "resultlearningobjectiveids" in by_stem:
        read_objective_scores(by_stem["resultlearningobjectiveids"], results, line_items, people, problems, dropped,
                              found)


def read_line_items(table: Table, problems: Problems, dropped: set[str], found: Found
                    ) -> dict[str, tuple[str, Skill | None]]:
    """line item sourcedId -> (skill name, its scale when the line item gives resultValueMin or Max)."""
    ids, title = table.column("sourcedid"), table.column("title")
    low, high = table.column("resultvaluemin"), table.column("resultvaluemax")
    if ids is None or title is None:
        table.problem(problems, "needs columns sourcedId and title", 1)
        return {}
    items: dict[str, tuple[str, Skill | None]] = {}
    named: set[str] = set()
    for number, row in live_rows(table, problems, dropped):
        if not row[ids]:
            table.problem(problems, "has no sourcedId", number, ids)
            continue
        name = skill_name(row[title] or row[ids])
        scale = line_item_scale(table, row, number, low, high, name, problems)
        items[row[ids]] = (name, scale)
        if scale is not None and name not in named:
            named.add(name)
            found.skills.append(scale)
    return items


def line_item_scale(table: Table, row: list[str], number: int, low: int | None, high: int | None, name: str,
                    problems: Problems) -> Skill | None:
    least, most = (read_cell(table, row, number, position, problems, cells.number) for position in (low, high))
    if least is None and most is None:
        return None
    least = 0.0 if least is None else least
    most = 100.0 if most is None else most
    if most <= least:
        table.problem(problems, f"resultValueMax {most:g} is not above resultValueMin {least:g}", number, high)
        return None
    return Skill(name, least, most)


def read_results(table: Table, line_items: dict[str, tuple[str, Skill | None]], people: dict[str, _Person],
                 problems: Problems, dropped: set[str], found: Found) -> dict[str, _Result]:
    """Each result's score; a blank score (not submitted, exempt) is no score. Results by sourcedId, for the
    per-standard scores that name them."""
    ids, item, student = table.column("sourcedid"), table.column("lineitemsourcedid"), table.column("studentsourcedid")
    score, when = table.column("score"), table.column("scoredate")
    if item is None or student is None:
        table.problem(problems, "needs columns lineItemSourcedId and studentSourcedId", 1)
        return {}
    results: dict[str, _Result] = {}
    for number, row in live_rows(table, problems, dropped):
        who, what = row[student], row[item]
        if who in dropped or what in dropped:
            if ids is not None:
                dropped.add(row[ids])
            continue
        if who not in people:
            table.problem(problems, f"names student '{who}', who is not in users.csv", number, student)
            continue
        if what not in line_items:
            table.problem(problems, f"names line item '{what}', which is not in lineItems.csv", number, item)
            continue
        date = read_cell(table, row, number, when, problems, cells.date)
        if ids is not None and row[ids]:
            results[row[ids]] = _Result(who, what, date)
        value = read_cell(table, row, number, score, problems, cells.number)
        if value is not None:
            found.scores.append(Score(who, line_items[what][0], value, date, GRADEBOOK,
                                      aliases=other_ids(who, people[who].person_id),
                                      place=Place(table.file, number, table.sheet, table.written(student),
                                                  table.written(score))))
    return results


def read_cell(table: Table, row: list[str], number: int, position: int | None, problems: Problems,
              parse: Callable[[str], T]) -> T | None:
    """A cell as `parse` reads it (cells.number, or cells.date: a date or a date-time, with T or a space); None
    for a blank one, or with a problem for one it cannot read."""
    written = text_at(row, position)
    if not written:
        return None
    try:
        return parse(written)
    except cells.Bad as bad:
        table.problem(problems, str(bad), number, position)
        return None


def read_objective_scores(table: Table, results: dict[str, _Result], line_items: dict[str, tuple[str, Skill | None]],
                          people: dict[str, _Person], problems: Problems, dropped: set[str], found: Found) -> None:
    """A score per standard of a result: the student and date are the result's, the skill its CCSS code."""
    result, objective, score = table.column("resultsourcedid"), table.column("learningobjectiveid"), table.column(
        "score")
    if result is None or objective is None:
        table.problem(problems, "needs columns resultSourcedId and learningObjectiveId", 1)
        return
    named = {s.skill for s in found.skills}
    for number, row in live_rows(table, problems):
        of = results.get(row[result])
        if row[result] in dropped:
            continue
        if of is None:
            table.problem(problems, f"names result '{row[result]}', which is not in results.csv", number, result)
            continue
        value = read_cell(table, row, number, score, problems, cells.number)
        if value is None or not row[objective]:
            continue
        skill = skill_name(row[objective])
        scale = line_items[of.line_item][1]
        if scale is not None and skill not in named:
            named.add(skill)
            found.skills.append(Skill(skill, scale.min, scale.max))
        found.scores.append(Score(of.student, skill, value, of.date, GRADEBOOK,
                                  aliases=other_ids(of.student, people[of.student].person_id),
                                  place=Place(table.file, number, table.sheet, table.written(result),
                                              table.written(score))))


KIND = Kind("OneRoster", recognise, read)
