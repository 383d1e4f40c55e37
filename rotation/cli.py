"""Headless commands: `rotation plan`, `rotation check` and `rotation export` (docs/commands.md).

Exit codes: 0 planned / plan valid, 1 plan breaks a hard rule (check) or an internal error (plan: the
planner's own plan failed the independent check, and nothing was written), 2 bad input, 3 the hard
rules cannot all hold, 4 no plan found within the time limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rotation.domain.plan import Check
    from rotation.io.sources.found import Found
    from rotation.io.sources.mapped import Mapping
    from rotation.io.sources.merge import Imported
    from solver.check import Report

OK, INVALID_PLAN, BAD_INPUT, IMPOSSIBLE, NO_PLAN_IN_TIME = 0, 1, 2, 3, 4
INTERNAL_ERROR = INVALID_PLAN


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "regroup", False) and args.previous is None:
        parser.error("--regroup needs --previous LAST (last week's plan)")
    if args.run is _export and not (args.schedules or args.calendars or args.pseudonymised):
        parser.error("export needs at least one of --schedules DIR, --calendars DIR, --pseudonymised OUT.xlsx")
    if args.run is _export and not args.calendars and (args.timezone or args.first):
        parser.error("--timezone and --from are for --calendars DIR")
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback to the user
        from rotation.io.problems import BadInput

        if isinstance(error, BadInput):
            for line in str(error).splitlines():
                print(line, file=sys.stderr)
            return BAD_INPUT
        print(f"rotation: unexpected error ({type(error).__name__}: {error}); please report it", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rotation", description="Plan station rotation and flexible groups.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    plan = commands.add_parser("plan", help="plan a week from a planning workbook")
    plan.add_argument("input", type=Path, help="the planning workbook (.xlsx)")
    plan.add_argument("--out", type=Path, required=True, help="where to write the plan workbook")
    plan.add_argument("--previous", type=Path, help="an earlier or hand-edited plan: keep its groups and visits "
                      "wherever the hard rules allow")
    plan.add_argument("--regroup", action="store_true", help="with --previous: next week, groups follow the latest "
                      "mastery and the fewest students move")
    plan.add_argument("--time-limit", type=_positive, default=10.0, help="seconds to search (default 10)")
    plan.add_argument("--seed", type=int, help="the same seed gives the same plan on every run "
                      "(the time limit then counts the solver's own deterministic time)")
    plan.set_defaults(run=_plan)
    check = commands.add_parser("check", help="check a plan against the planning workbook's hard rules")
    check.add_argument("input", type=Path, help="the planning workbook (.xlsx)")
    check.add_argument("plan", type=Path, help="the plan workbook to check")
    check.set_defaults(run=_check)
    imports = commands.add_parser("import", help="make a planning workbook from a school's own files: rosters "
                                  "(OneRoster, Clever) and results (MAP Growth, i-Ready, Star, any mapped CSV/XLSX)")
    imports.add_argument("sources", type=Path, nargs="+", metavar="SOURCE",
                         help="a file, folder or ZIP; its kind is recognised from its content")
    imports.add_argument("--out", type=Path, required=True, help="where to write the planning workbook (.xlsx)")
    imports.add_argument("--into", type=Path, help="a planning workbook to import into: its stations, rules and "
                         "settings are kept")
    imports.add_argument("--mapping", help="a column mapping (a .json file, or the name of a saved one) for "
                         "sources of no known kind")
    imports.add_argument("--skip-unknown", action="store_true", help="skip results for students who are on no "
                         "roster (by default they stop the import, each named)")
    imports.set_defaults(run=_import)
    export = commands.add_parser("export", help="export a plan: Schedule CSVs, calendars, a pseudonymised copy")
    export.add_argument("input", type=Path, help="the planning workbook (.xlsx)")
    export.add_argument("plan", type=Path, help="the plan workbook to export")
    export.add_argument("--schedules", type=Path, metavar="DIR", help="a Schedule CSV per class, with names")
    export.add_argument("--calendars", type=Path, metavar="DIR", help="an .ics per adult and per room, weekly")
    export.add_argument("--timezone", type=_zone, help="the calendars' IANA zone (default: this machine's)")
    export.add_argument("--from", dest="first", type=_date, help="the calendars' first week, YYYY-MM-DD "
                        "(default: the Monday of next week)")
    export.add_argument("--pseudonymised", type=Path, metavar="OUT.xlsx", help="the plan with every student "
                        "and adult coded, and OUT-planning.xlsx beside it for `rotation check`")
    export.set_defaults(run=_export)
    app = commands.add_parser("app", help="open the desktop app")
    app.add_argument("path", type=Path, nargs="?", help="a school database or a planning workbook to import "
                     "(default: the last school, or the demo school the first time)")
    app.set_defaults(run=_app)
    return parser


def _app(args: argparse.Namespace) -> int:
    from rotation.ui.app import main as app_main

    return app_main(args.path)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("the time limit must be a number of seconds more than 0")
    return value


def _plan(args: argparse.Namespace) -> int:
    from rotation.io.plan_workbook import read_previous_plan, write_plan_workbook
    from rotation.io.planning_workbook import read_planning_workbook
    from rotation.io.problems import BadInput, Problem
    from rotation.io.xlsx import refuse_unsafe_target
    from rotation.planning.messages import explain
    from rotation.planning.result import proof
    from rotation.planning.service import plan_week
    from solver.plan import Status

    sources = {"the planning workbook": args.input, "the previous plan": args.previous}
    refuse_unsafe_target(args.out, {what: path for what, path in sources.items() if path is not None})
    school = read_planning_workbook(args.input)
    last = read_previous_plan(args.previous, school) if args.previous else None
    if last is not None and last.stale_schedule:
        print(f"{args.previous.name}: {last.stale_schedule}; Groups and the Rotation chart are followed",
              file=sys.stderr)
    planned = plan_week(school, previous=last.plan if last else None, left=last.left if last else (),
                        regroup=args.regroup, time_limit=args.time_limit, seed=args.seed)
    if planned.status == Status.INFEASIBLE:
        print(f"{args.input.name}: the hard rules cannot all hold:", file=sys.stderr)
        for conflict in planned.conflicts:
            print(f"- {explain(conflict)}", file=sys.stderr)
        return IMPOSSIBLE
    if planned.report is None:
        print(f"{args.input.name}: no plan found within {args.time_limit:g} s (that does not prove there is none; "
              "try a longer --time-limit)", file=sys.stderr)
        return NO_PLAN_IN_TIME
    if planned.plan is None:  # the independent checker rejected it: the planner's bug, not the user's
        print(f"rotation: internal error: the plan found for {args.input.name} breaks hard rules, so nothing was "
              "written; please report it with the workbook", file=sys.stderr)
        _print_violations(planned.report, sys.stderr, "- ")
        return INTERNAL_ERROR
    try:
        write_plan_workbook(school, planned.plan, args.out)
    except OSError as error:  # a read-only folder or a full disk: say so plainly, nothing half-written
        raise BadInput([Problem(args.out.name, f"cannot be written: {error.strerror or error}")]) from error
    result = planned.result
    if result.status != Status.OPTIMAL:
        print(f"{args.out}: a good plan, {proof(result, f'not proven optimal within {args.time_limit:g} s')}",
              file=sys.stderr)
    print(f"Planned {len(school.classes)} class(es) in {result.seconds:.2f} s, {proof(result, 'not proven optimal')}: "
          f"{args.out}")
    if last:
        _print_changes(planned.changes)
    return OK


def _export(args: argparse.Namespace) -> int:
    import dataclasses

    from rotation.io.exports.bundle import Asked, export, planning_beside
    from rotation.io.exports.calendars import UTC, machine_zone
    from rotation.io.exports.pseudonyms import Codes, load_key, read_checks
    from rotation.io.folders import user_data
    from rotation.io.plan_workbook import read_plan
    from rotation.io.planning_workbook import read_planning_workbook
    from rotation.io.problems import BadInput, Problem
    from rotation.io.xlsx import refuse_unsafe_target
    from rotation.planning.service import check_plan

    sources = {"the planning workbook": args.input, "the plan": args.plan}
    if args.pseudonymised is not None:  # neither coded file may replace a source
        for out in (args.pseudonymised, planning_beside(args.pseudonymised)):
            refuse_unsafe_target(out, sources)
    files = [f for f in (args.schedules, args.calendars) if f is not None and f.exists() and not f.is_dir()]
    if files:
        raise BadInput([Problem(f.name, "is a file; name a folder to write into") for f in files])
    school = read_planning_workbook(args.input)
    plan = read_plan(args.plan, school).plan
    plan = dataclasses.replace(plan, checks=read_checks(args.plan))  # the pseudonymised copy keeps its Checks
    if not check_plan(school, plan).ok:  # news, not a refusal: a hand-edited plan may be exported as it is
        print(f"{args.plan.name}: breaks hard rules (`rotation check` names them); exported as it is", file=sys.stderr)
    zone = args.timezone or machine_zone()
    if args.calendars is not None and zone is None:
        print(f"rotation: this machine names no time zone, so the calendars use {UTC}; give --timezone ZONE",
              file=sys.stderr)
    codes = Codes(load_key(user_data())) if args.pseudonymised else None
    asked = Asked(args.schedules, args.calendars, zone or UTC, args.first, args.pseudonymised, codes)
    try:
        written = export(school, plan, asked)
    except OSError as error:  # a read-only folder or a full disk: nothing half-written
        what = Path(error.filename).name if error.filename else "the exports"
        raise BadInput([Problem(what, f"cannot be written: {error.strerror or error}")]) from error
    print(f"Exported {len(written)} file(s) of {args.plan.name}:")
    for path in written:
        print(f"  {path}")
    return OK


def _zone(text: str) -> str:
    from rotation.io.exports.calendars import zone_named

    if zone_named(text) is None:
        raise argparse.ArgumentTypeError(f"'{text}' is no IANA time zone (e.g. Europe/Berlin, America/New_York)")
    return text


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _print_changes(changes: Sequence[Check]) -> None:
    """Since last week: who moved, left or is new (the Checks sheet lists the same)."""
    if not changes:
        print("Since the previous plan: no student moved, left or joined.")
        return
    counts = Counter(c.kind for c in changes)
    print("Since the previous plan: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ":")
    for c in changes:
        print(f"  {c.kind}: {c.detail}")


def _import(args: argparse.Namespace) -> int:
    from rotation.io.planning_workbook import read_planning_workbook, write_planning_workbook
    from rotation.io.problems import BadInput, Problem
    from rotation.io.sources import merge, reading
    from rotation.io.xlsx import refuse_unsafe_target

    given = {f"SOURCE {p}": p for p in args.sources} | ({"the --into workbook": args.into} if args.into else {})
    refuse_unsafe_target(args.out, given)
    mapping = _mapping(args.mapping) if args.mapping else None
    base = read_planning_workbook(args.into) if args.into else None
    founds, problems = [], []
    for source in args.sources:
        try:
            founds.append(reading.read(source, mapping))
        except BadInput as bad:  # every source's problems at once, then nothing written
            problems += bad.problems
    if problems:
        raise BadInput(problems)
    for found in founds:
        print(f"{found.source}: {found.kind}: {_counted(found)}")
    imported = merge.combine(founds, base, skip_unknown=args.skip_unknown)
    _refuse_overfull(imported, args.out)
    unfinished = [(c.class_id, c.teacher, c.room) for c in imported.new_classes]
    try:
        write_planning_workbook(imported.school, args.out, unfinished)
    except OSError as error:
        raise BadInput([Problem(args.out.name, f"cannot be written: {error.strerror or error}")]) from error
    _print_imported(imported, args.out)
    return OK


def _refuse_overfull(imported: Imported, out: Path) -> None:
    """A workbook is never written with a sheet longer than the planning workbook's reader takes."""
    from rotation.io.problems import BadInput, Problem
    from rotation.io.xlsx import MAX_ROWS

    school = imported.school
    for sheet, rows, what in (("Students", len(school.students), "students"),
                              ("Mastery", len(school.mastery), "results")):
        if rows > MAX_ROWS:
            raise BadInput([Problem(out.name, f"sheet '{sheet}' would hold {rows:,} {what}, more than the "
                                    f"{MAX_ROWS:,} rows a sheet may (a whole district's export?): import into your "
                                    "school's planning workbook (--into, and --skip-unknown for other schools' "
                                    "students), or fewer terms or subjects at a time")])


def _mapping(given: str) -> Mapping | None:
    """A mapping file, or a mapping saved by name (the app saves them in the user data folder)."""
    from rotation.io.folders import mappings_folder
    from rotation.io.problems import Problems
    from rotation.io.sources.mapped import Mapping, mapping_path

    path = Path(given)
    if not path.exists() and path.suffix.lower() != ".json":
        path = mapping_path(mappings_folder(), given)
    problems = Problems.of(path)
    mapping = Mapping.load(path, problems)
    problems.raise_if_any()
    return mapping


def _counted(found: Found) -> str:
    """What a source holds: "28 students, 2 classes, 1 adult"."""
    parts = [(len(found.students), "student"), (len(found.classes), "class"), (len(found.staff), "adult"),
             (len(found.scores), "result"), (len(found.skills), "skill")]
    return ", ".join(_many(n, word) for n, word in parts if n) or "nothing to import"


def _many(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}{'es' if word.endswith('s') else 's'}"


def _print_imported(imported: Imported, out: Path) -> None:
    """What the import did, by kind of thing: "students 28 (3 added, 2 changed)"; then what needs the teacher."""
    from rotation.io.sources.merge import ADDED, CHANGED, REFUSED

    school = imported.school
    totals = {"student": len(school.students), "class": len(school.classes) + len(imported.new_classes),
              "adult": len(school.staff), "skill": len(school.skills), "result": len(school.mastery)}
    words = {"student": "students", "class": "classes", "adult": "staff", "skill": "skills", "result": "results"}
    parts = []
    for what, total in totals.items():
        counts = [f"{n:,} {verb}" for verb in (ADDED, CHANGED) if (n := imported.count(verb, what))]
        parts.append(f"{words[what]} {total:,}" + (f" ({', '.join(counts)})" if counts else ""))
    print(f"Wrote {out}: " + ", ".join(parts))
    for change in imported.changes:
        if change.verb == REFUSED:
            print(f"  skipped: student '{change.name}': {change.detail}")
    if imported.new_classes:
        names = ", ".join(c.class_id for c in imported.new_classes[:10])
        more = f" and {len(imported.new_classes) - 10} more" if len(imported.new_classes) > 10 else ""
        print(f"New classes ({names}{more}): fill in their start and rotation_minutes on sheet Classes, and their "
              "stations on sheet Stations, before planning.")


def _check(args: argparse.Namespace) -> int:
    from rotation.io.plan_workbook import read_plan
    from rotation.io.planning_workbook import read_planning_workbook
    from rotation.planning.service import check_plan

    school = read_planning_workbook(args.input)
    read = read_plan(args.plan, school)
    report = check_plan(school, read.plan)
    _print_violations(report, sys.stdout, f"{args.plan.name}: ")
    if read.stale_schedule:  # news, not a violation: the plan checked is Groups and the Rotation chart
        print(f"{args.plan.name}: {read.stale_schedule}")
    print("Cost per rule:")
    for rule, cost in sorted(report.cost_by_rule().items()):
        print(f"  {rule}: {cost}")
    if report.ok:
        print(f"{args.plan.name}: meets every hard rule")
        return OK
    return INVALID_PLAN


def _print_violations(report: Report, stream: TextIO, prefix: str) -> None:
    """Each broken hard rule as `rule: class: what is wrong`, students and adults by id as the workbooks have them."""
    from rotation.planning.messages import violation_words

    for v in report.violations:
        print(f"{prefix}{v.rule}: {(v.class_id + ': ') if v.class_id else ''}{violation_words(v)}", file=stream)


if __name__ == "__main__":
    sys.exit(main())
