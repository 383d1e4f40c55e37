"""The planning workbook (docs/workbook.md): read into a School naming every problem, and written back.

Its parts: planning_sheets.py (the sheets, their columns and the words that explain them), cells.py (what a
cell may say), planning_reader.py (each sheet read), planning_checks.py (the sheets checked against each
other), planning_writer.py (the workbook and the blank template written).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from rotation.domain.school import School
from rotation.io import xlsx
from rotation.io.planning_checks import (
    Known,
    check_class_days,
    check_classes,
    check_devices,
    check_ids,
    check_rules,
    check_stations,
    check_student_locks,
    check_students,
    check_visit_locks,
)
from rotation.io.planning_reader import (
    open_sheet,
    read_classes,
    read_devices,
    read_locks,
    read_mastery,
    read_rules,
    read_skills,
    read_staff,
    read_stations,
    read_students,
)
from rotation.io.planning_sheets import COLUMNS, instructions_markdown
from rotation.io.planning_writer import write_blank_template, write_planning_workbook
from rotation.io.problems import Problems

__all__ = ["COLUMNS", "instructions_markdown", "read_planning_workbook", "write_blank_template",
           "write_planning_workbook"]


def read_planning_workbook(path: str | Path) -> School:
    """The School a planning workbook describes; BadInput naming every problem when there is any."""
    problems = Problems.of(path)
    wb = xlsx.open_workbook(path, problems)
    school = School()
    if wb is not None:
        try:
            school = _read_school(wb, problems, Path(path).name)
        except Exception as error:  # whatever a strange file trips in openpyxl is bad input, never a traceback
            problems.add(f"cannot be read ({type(error).__name__}: {error})")
        finally:
            wb.close()
    problems.raise_if_any()
    return school


def _read_school(wb: Workbook, problems: Problems, name: str) -> School:
    sheets = {title: open_sheet(wb, title, problems) for title in COLUMNS}
    students = read_students(sheets["Students"])
    skills = read_skills(sheets["Skills"])
    classes = read_classes(sheets["Classes"])
    stations = read_stations(sheets["Stations"])
    staff = read_staff(sheets["Staff"])
    devices = read_devices(sheets["Devices"])
    twice = check_ids(students, skills, classes, stations, staff, devices)  # the causes, before their echoes
    mastery = read_mastery(sheets["Mastery"], students, skills, twice)
    rules = read_rules(sheets["Rules"])
    student_locks, visit_locks = read_locks(sheets["Locks"])

    known = Known.of(students, skills, mastery, classes, stations, staff, devices, twice)
    check_students(students, known)
    check_classes(classes, known)
    check_class_days(classes, stations)
    check_stations(stations, known)
    check_devices(devices, known)
    check_rules(rules, known)
    check_student_locks(student_locks, known)
    check_visit_locks(visit_locks, known)
    return School(
        students.objects(), skills.objects(), mastery.objects(), classes.objects(), stations.objects(),
        staff.objects(), devices.objects(), rules.objects(), student_locks.objects(), visit_locks.objects(),
        name=name,
    )
