"""The planning workbook's sheets and columns: in code (COLUMNS), and in words for teachers, as the blank
template's Instructions sheet and docs/workbook.md say them (the two made from INSTRUCTIONS and INTRO)."""

from __future__ import annotations

# The sheets in the order they are written, each with its columns in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Students": ("student_id", "first_name", "last_name", "grade", "class", "flags"),
    "Mastery": ("student_id", "skill", "score", "date", "source", "detail"),
    "Skills": ("skill", "min", "max", "mastered_at"),
    "Classes": (
        "class", "teacher", "room", "days", "start", "rotations", "rotation_minutes",
        "transition_minutes", "groups", "min_group_size", "max_group_size", "grouping", "focus",
    ),
    "Stations": ("class", "station", "kind", "capacity", "staff", "devices", "must_do", "visits", "mirror_of"),
    "Staff": ("staff_id", "name", "role", "available"),
    "Devices": ("pool", "count", "classes"),
    "Rules": ("rule", "students", "group", "station", "count", "day", "start", "end", "note"),
    "Locks": ("class", "student_id", "group", "day", "slot", "station"),
}
REQUIRED_SHEETS = ("Students", "Classes", "Stations")
# Columns of a wide Mastery sheet that are not skills (a teacher may paste names beside the scores).
NOT_SKILLS = frozenset({"student_id", "first_name", "last_name", "name", "grade", "class", "flags",
                        "date", "source", "detail"})


# The blank workbook's Instructions sheet, and docs/workbook.md made from it: (sheet, column, needed, what to
# write, example). A row without a column says something about the whole sheet.
INSTRUCTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Students", "", "sheet needed", "One row per student.", ""),
    ("Students", "student_id", "yes", "A code for the student, different for every student.", "S001"),
    ("Students", "first_name", "yes", "The student's first name.", "Maya"),
    ("Students", "last_name", "", "The student's last name.", "Lopez"),
    ("Students", "grade", "", "K or 1 to 12 (KG and 01 to 12 also work).", "3"),
    ("Students", "class", "if more than one class",
     "The class the student is in, as written on sheet Classes. Several classes: separate with commas. "
     "Blank: the school's only class.", "3A"),
    ("Students", "flags", "", "Tags for the student, separated by commas: IEP, ELL, 504, GT or your own. "
     "Rules may name a flag instead of students, and mixed grouping spreads each flag evenly.", "IEP, ELL"),
    ("Mastery", "", "", "Scores that decide who needs most support. One row per result.", ""),
    ("Mastery", "", "",
     "Instead of one row per result you may also write student_id and then one column per skill.", ""),
    ("Mastery", "", "",
     "Need: a student's need is 1 minus the mean, over the class's focus skills the student has results for, "
     "of (score - min) / (max - min). It runs from 0% (every focus skill at the top of its scale) to 100% "
     "(at the bottom); the plan's Groups sheet shows it from 0 to 1. The newest result per student and skill "
     "counts (a result without a date is the oldest; on the same date the lower row wins). A student with no "
     "result on any focus skill is given the class's median need and is listed in the plan's Checks sheet. "
     "Need decides similar grouping, the order of group numbers and the visits of a 'by need' station.", ""),
    ("Mastery", "student_id", "yes", "A student of sheet Students.", "S001"),
    ("Mastery", "skill", "yes", "The skill the score is for.", "Fractions"),
    ("Mastery", "score", "yes", "A number on the skill's scale (sheet Skills), or 0 to 100.", "72"),
    ("Mastery", "date", "", "When the result was taken (YYYY-MM-DD). The newest result counts.", "2024-09-30"),
    ("Mastery", "source", "", "Where the result came from.", "Unit 2 quiz"),
    ("Mastery", "detail", "", "Kept beside the score, never planned on: a percentile, a placement, a benchmark "
     "category (rotation import fills it from district exports).", "PR 45; At/Above Benchmark"),
    ("Skills", "", "", "The scale of each skill you score. Leave the sheet out to score every skill 0 to 100.", ""),
    ("Skills", "skill", "yes", "A skill you score.", "Fractions"),
    ("Skills", "min", "", "The lowest score (0 if blank).", "0"),
    ("Skills", "max", "", "The highest score (100 if blank).", "4"),
    ("Skills", "mastered_at", "", "The score from which the skill counts as mastered.", "3"),
    ("Classes", "", "sheet needed", "One row per class that rotates through stations.", ""),
    ("Classes", "", "",
     "Grouping: similar puts students of similar need together, as close as the group sizes allow, and numbers "
     "the groups by need (group 1 needs the most support, unless pins, locks or an earlier plan fix the "
     "numbers). mixed makes each group a mix: every group's mean need near the class's, and each flag (IEP, "
     "ELL ...) spread evenly. by skill gives group 1 the first focus skill, group 2 the second and so on "
     "(starting again when there are more groups than skills), and puts each student, as far as the sizes "
     "allow, in a group of the skill they need most. Students without results are spread over the groups.", ""),
    ("Classes", "class", "yes", "A name for the class, different for every class.", "3A"),
    ("Classes", "teacher", "",
     "The teacher's staff_id. A teacher missing from sheet Staff is always available.", "T-RIVERA"),
    ("Classes", "room", "", "Where the class meets.", "Room 12"),
    ("Classes", "days", "", "The days the class rotates (Mon to Fri if blank).", "Mon,Tue,Thu"),
    ("Classes", "start", "yes", "When the first rotation starts (HH:MM).", "09:00"),
    ("Classes", "rotations", "", "Rotations a day (blank: one per station, not counting mirrors).", "4"),
    ("Classes", "rotation_minutes", "yes", "Minutes at each station.", "20"),
    ("Classes", "transition_minutes", "", "Minutes to change stations (0 if blank).", "2"),
    ("Classes", "groups", "", "How many groups (blank: one per station, not counting mirrors).", "4"),
    ("Classes", "min_group_size", "", "The smallest group (blank: groups as even as possible, sizes differing "
     "by at most one).", "4"),
    ("Classes", "max_group_size", "", "The largest group (blank: groups as even as possible).", "7"),
    ("Classes", "grouping", "", "similar (the default), mixed or by skill: see above.", "similar"),
    ("Classes", "focus", "", "The skills the grouping and need look at, separated by commas (blank: all).",
     "Fractions, Decimals"),
    ("Stations", "", "sheet needed",
     "One row per station. A row with a blank class is copied into every class. Classes share only adults "
     "(sheet Staff) and devices (sheet Devices), never a station.", ""),
    ("Stations", "", "",
     "Visits: a station with must_do yes is visited by every group at least once every class day. A station "
     "with a number of visits is visited exactly that many times a week by every group. A station with "
     "neither fills the other slots, spread evenly over the week. A staffed station serves one group at a "
     "time. A group is not at the same station twice in a day while it has stations left to visit that day, "
     "and no station holds two groups at once while another station that could take one of them sits empty "
     "(both as far as the other rules allow). Must-do stations that outnumber a day's rotations, or visits "
     "that cannot fit in the week, make the plan impossible, and the planner says which and how to fix it.", ""),
    ("Stations", "class", "", "The class of the station. Blank: every class gets this station.", "3A"),
    ("Stations", "station", "yes", "The station's name, different within its class.", "Teacher table"),
    ("Stations", "kind", "", "teacher, online, collaborative, independent or other (the default).", "teacher"),
    ("Stations", "capacity", "", "The most students there at once (blank: no limit). A station every group "
     "visits must seat a whole group.", "6"),
    ("Stations", "staff", "",
     "Who runs it: a staff_id, or a role of sheet Staff. Blank: the class teacher for a teacher station, "
     "nobody for the others.", "AIDE"),
    ("Stations", "devices", "", "A device pool of sheet Devices; each student there uses one device.",
     "Chromebooks"),
    ("Stations", "must_do", "",
     "yes: every group visits it at least once every class day. Blank: yes when visits is blank and the class "
     "has at least as many rotations a day as stations (not counting mirrors); no otherwise.", "yes"),
    ("Stations", "visits", "",
     "A number N: every group visits it exactly N times a week. by need: the station is used in every slot "
     "its adult is there, and the visits are shared by need: the group needing most support at least every "
     "class day, the group needing least at least twice a week, the others in between (4 groups over 5 days: "
     "at least 5, 4, 3 and 2), the rest going to the groups needing most support first.", "by need"),
    ("Stations", "mirror_of", "",
     "Another station of the class that this one copies, for large classes: a visit to either counts for the "
     "original's must_do and visits; each copy has its own staff, capacity and devices.", "Teacher table"),
    ("Staff", "", "", "The adults who run stations: teachers, aides, specialists.", ""),
    ("Staff", "staff_id", "yes", "A code for the adult, different for every adult.", "AIDE-1"),
    ("Staff", "name", "", "The adult's name.", "Sam Lee"),
    ("Staff", "role", "",
     "What the adult does. A station may name a role instead of a person: any adult with that role who is "
     "not leading their own class then may run it. A staff_id wins over a role of the same name.", "AIDE"),
    ("Staff", "available", "",
     "When the adult can help (blank: always). Parts separated by ';', each days then times, several times "
     "separated by commas, or 'off'; a later part replaces earlier ones for the days it names.",
     "Mon-Fri 08:00-15:00; Wed 08:00-12:00"),
    ("Devices", "", "", "Sets of devices shared between stations and classes. A pool's count limits the "
     "students using it at once, across all its classes, in slots that overlap in time on the same day.", ""),
    ("Devices", "pool", "yes", "A name for a set of devices.", "Chromebooks"),
    ("Devices", "count", "yes", "How many devices the pool has.", "12"),
    ("Devices", "classes", "",
     "The classes sharing the pool, separated by commas (blank: all). Only their stations may use it.", "3A, 3B"),
    ("Rules", "", "", "Who must or should be together, apart, in a group, away or at a station.", ""),
    ("Rules", "rule", "yes",
     "apart: never in the same group. together: in the same group. prefer_apart, prefer_together: the same "
     "as wishes the plan keeps when it can. group: in group number 'group' (numbers as in the plan). away: "
     "out of class on 'day' from 'start' to 'end' (speech, SPED or ELL pull-out): away in every rotation the "
     "time overlaps, using no seat or device, and their group kept from a teacher station then when possible. "
     "needs: at 'station' at least 'count' times a week.", "apart"),
    ("Rules", "students", "yes", "student_ids or flags (every student with the flag), separated by commas.",
     "S001, S014"),
    ("Rules", "group", "for group", "The group number.", "2"),
    ("Rules", "station", "for needs", "The station.", "SPED"),
    ("Rules", "count", "for needs", "Times a week.", "3"),
    ("Rules", "day", "", "The days the rule is about (blank: every class day).", "Tue,Thu"),
    ("Rules", "start", "for away", "When the students leave (HH:MM).", "09:30"),
    ("Rules", "end", "for away", "When they are back (HH:MM).", "10:00"),
    ("Rules", "note", "", "Anything you want to remember about the rule.", "speech"),
    ("Locks", "", "", "Choices you locked in the app; you rarely fill this in by hand. A row with a student_id "
     "keeps the student in the group; a row with day, slot and station keeps the group at the station then.", ""),
    ("Locks", "class", "yes", "The class.", "3A"),
    ("Locks", "student_id", "", "A student kept in a group.", "S001"),
    ("Locks", "group", "yes", "The group number.", "1"),
    ("Locks", "day", "", "With slot and station: a group kept at a station then.", "Mon"),
    ("Locks", "slot", "", "The rotation of the day, 1 = the first.", "2"),
    ("Locks", "station", "", "The station.", "Teacher table"),
)
INTRO = (
    "How to fill in this planning workbook",
    "Fill in sheets Students, Classes and Stations; the other sheets are optional. Keep the first row of "
    "each sheet as it is and write one item per row below it.",
    "Sheet and column names may be written in any case, with spaces, hyphens or underscores alike. Extra "
    "columns and sheets are ignored; blank rows are skipped.",
    "Times are written HH:MM (09:30), dates YYYY-MM-DD (2024-09-30), days Mon, Tue, Wed, Thu, Fri, Sat, Sun "
    "(or a range such as Mon-Fri). Numbers, times and dates typed as such in the spreadsheet work too; a "
    "formula counts by the value it last showed.",
    "A problem is named by sheet, row and column, every problem at once (up to 200), and nothing is planned "
    "until the workbook has none.",
    "",
)


def instructions_markdown() -> str:
    """The blank workbook's instructions as the repository's docs/workbook.md, so the two never drift apart."""
    lines = ["# The planning workbook", "", "<!-- Made by `python -m resources.demo.build` from the instructions of "
             "resources/blank-planning-workbook.xlsx; edit those (rotation/io/planning_sheets.py), not this. -->",
             "", *(x for line in INTRO[1:] if line for x in (line, "")),
             "What `rotation plan` makes of it, and how to plan from an earlier plan: [commands.md](commands.md).", ""]
    for sheet in COLUMNS:
        rows = [r for r in INSTRUCTIONS if r[0] == sheet]
        about = [line for r in rows if not r[1] for line in (r[3], "")]
        needed = " (needed)" if any(r[2] == "sheet needed" for r in rows) else ""
        lines += [f"## {sheet}{needed}", "", *about, "| column | needed | what to write | example |",
                  "|---|---|---|---|"]
        lines += [f"| {c} | {n} | {w} | {e} |" for _, c, n, w, e in rows if c]
        lines.append("")
    return "\n".join(lines)
