"""Import speed (issue 8): `rotation import SOURCE... --out W.xlsx` on large MAP Growth and OneRoster exports, as
figures and ratios to the targets (MAP 50,000 rows in 3 s, OneRoster 5,000 students in 5 s, under 500 MB), and how
the time grows with rows.

A 50,000-row MAP file is a district's: its 250,000 results are more than the 200,000 rows a planning workbook's
sheet may hold, so it is imported into a school's workbook (the other schools' students skipped), or refused
whole with a message saying so (the time a teacher waits to hear it); 40,000 rows is the most one workbook takes.

`python -m tests.bench imports`. Every run is a fresh process running the command as the CLI runs it, so its peak
memory is that process's own (its VmHWM on Linux). The process times itself from the command's start, so the
import's time leaves out the interpreter's start-up, and splits it into read (each SOURCE), merge and write.
The samples are written once per case beforehand (tests/io/sources/score_samples.py, roster_samples.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.io.sources.roster_samples import write_oneroster_12
from tests.io.sources.score_samples import write_map

ROOT = Path(__file__).resolve().parents[2]
MAP_TARGET, ONEROSTER_TARGET, MEMORY_TARGET = 3.0, 5.0, 500.0  # seconds, seconds, MB
TERMS = ("Fall 2025-2026", "Winter 2025-2026")
SUBJECTS = ("Mathematics", "Reading")  # with the two terms: 4 AssessmentResults rows per student
PHASES = ("read", "merge", "write")


@dataclass
class Run:
    wall: float  # the process, launch to exit
    total: float  # the command alone, as the process timed it
    phases: dict[str, float]
    peak_mb: float


# --- the child: the command, timed from inside -----------------------------------------------------------------


def child(report: str, argv: list[str]) -> None:
    """Run `rotation <argv>` as the CLI does, its reading, merging and writing timed, and write the times and the
    peak memory as JSON to `report`."""
    import resource

    from rotation import cli
    from rotation.io import planning_workbook
    from rotation.io.sources import merge, reading

    phases = dict.fromkeys(PHASES, 0.0)

    def timing(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[phase] += time.perf_counter() - started
        return timed

    reading.read = timing("read", reading.read)  # type: ignore[method-assign]
    merge.combine = timing("merge", merge.combine)  # type: ignore[method-assign]
    planning_workbook.write_planning_workbook = timing(  # type: ignore[method-assign]
        "write", planning_workbook.write_planning_workbook)
    started = time.perf_counter()
    code = cli.main(argv)
    total = time.perf_counter() - started
    peak_kb = _high_water_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(report).write_text(json.dumps({"code": code, "total": total, "phases": phases, "peak_kb": peak_kb}))


def _high_water_kb() -> int | None:
    """This process's peak resident memory since it began running Python (Linux's VmHWM). ru_maxrss would count
    the benchmark's own peak too: a forked child keeps its parent's maximum across exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)


def run_import(sources: list[Path | str], out: Path, expect: int = 0) -> Run:
    """One `rotation import` in a fresh process, which must exit `expect`."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "tests.bench.imports", "child", str(report),
               "import", *map(str, sources), "--out", str(out)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        with open(Path(tmp) / "output", "w+b") as output:
            process = subprocess.Popen(cmd, env=env, stdout=output, stderr=subprocess.STDOUT)
            process.wait()
            wall = time.perf_counter() - started
            if process.returncode != 0 or not report.exists() or json.loads(report.read_text())["code"] != expect:
                output.seek(0)
                raise RuntimeError(f"{' '.join(cmd)} failed:\n{output.read().decode(errors='replace')[-3000:]}")
        done = json.loads(report.read_text())
    return Run(wall, done["total"], done["phases"], done["peak_kb"] / 1024)


# --- the cases ---------------------------------------------------------------------------------------------------


def map_set(folder: Path, rows: int, with_students: bool) -> list[Path]:
    """A MAP Comprehensive Data File of `rows` AssessmentResults rows (4 goals each: 5 results a row)."""
    write_map(folder, students=rows // (len(TERMS) * len(SUBJECTS)), terms=TERMS, subjects=SUBJECTS,
              with_students=with_students)
    return [folder] if with_students else [folder / "AssessmentResults.csv"]


def school_of(folder: Path, students: int) -> Path:
    """A school's planning workbook whose students are the first `students` of a MAP sample's: a district's
    export is imported into it, the other schools' students skipped."""
    from rotation.domain.school import School, SchoolClass, Station, Student
    from rotation.io.planning_workbook import write_planning_workbook
    from tests.io.sources.score_samples import student_ids

    folder.mkdir(parents=True, exist_ok=True)
    school = School(students=tuple(Student(s, f"Student {s}") for s in student_ids(students)),
                    classes=(SchoolClass("5A", dt.time(9), 15),), stations=(Station("Practice"),))
    write_planning_workbook(school, folder / "school.xlsx")
    return folder / "school.xlsx"


def into_school(folder: Path, rows: int, known: int) -> list[Path | str]:
    """A district's MAP export of `rows` rows into a school that knows `known` of its students."""
    return [*map_set(folder / "map", rows, False), "--into", school_of(folder / "school", known), "--skip-unknown"]


def oneroster_set(folder: Path, students: int, gradebook: bool) -> list[Path]:
    """A OneRoster 1.2 set: a class per 25 students, each student in 5 classes."""
    write_oneroster_12(folder, students=students, classes=max(2, students // 25), per_student=5, gradebook=gradebook)
    return [folder]


def measure(sources: Callable[[Path], list[Path | str]], runs: int, expect: int = 0) -> list[Run]:
    with tempfile.TemporaryDirectory() as tmp:
        given = sources(Path(tmp) / "source")
        return [run_import(given, Path(tmp) / f"planning-{n}.xlsx", expect) for n in range(runs)]


def line(name: str, measured: list[Run], target: float | None, per: int | None = None) -> None:
    """Median and worst of the command's own time, its share of the target, the phases (median), the process's
    time from launch and its peak memory (worst)."""
    totals = [r.total for r in measured]
    median = statistics.median(totals)
    split = " / ".join(f"{statistics.median(r.phases[p] for r in measured):.2f}" for p in PHASES)
    peak = max(r.peak_mb for r in measured)
    against = f"{median / target:5.2f}" if target else "     "
    rate = f"{median / per * 1000:6.3f}" if per else "      "
    print(f"{name:<44} {median:6.2f} {max(totals):6.2f} {target or '':>6} {against}  {split:<18} "
          f"{statistics.median(r.wall for r in measured):6.2f} {peak:6.0f} {peak / MEMORY_TARGET:5.2f} {rate}")


def header() -> None:
    print(f"{'':<44} {'median':>6} {'worst':>6} {'target':>6} {'ratio':>5}  {'read / merge / write':<18} "
          f"{'launch':>6} {'peak':>6} {'ratio':>5} {'s/1000':>6}")
    print(f"{'':<44} {'s':>6} {'s':>6} {'s':>6} {'':>5}  {'s':<18} {'s':>6} {'MB':>6} {'500MB':>5} {'rows':>6}")


def main() -> None:
    runs = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))
    print(f"\nimport (issue 8): `rotation import SOURCE --out W.xlsx` in a fresh process, {runs} runs; the command's "
          f"own time (no interpreter start-up), phases, launch-to-exit, peak RSS; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header()
    line("MAP 50,000 rows into a school of 1,250", measure(lambda f: into_school(f, 50_000, 1_250), runs),
         MAP_TARGET)
    line("MAP 50,000 rows, whole district: refused", measure(lambda f: map_set(f, 50_000, False), runs, 2),
         MAP_TARGET)
    line("  with StudentsBySchool: refused", measure(lambda f: map_set(f, 50_000, True), runs, 2), MAP_TARGET)
    line("MAP 40,000 rows, whole district (200,000)", measure(lambda f: map_set(f, 40_000, False), runs), None)
    line("OneRoster 1.2 5,000 students, 200 classes", measure(lambda f: oneroster_set(f, 5_000, False), runs),
         ONEROSTER_TARGET)
    line("  with a gradebook", measure(lambda f: oneroster_set(f, 5_000, True), runs), ONEROSTER_TARGET)
    growth = max(1, runs - 1)
    print(f"\ngrowth, {growth} run(s) each; s/1000 rows is the median per 1,000 AssessmentResults rows (MAP) or "
          "students (OneRoster): flat means linear")
    for rows in (10_000, 25_000, 50_000, 100_000):
        line(f"MAP {rows:,} rows into a school of 1,250", measure(lambda f, n=rows: into_school(f, n, 1_250), growth),
             None, rows)
    for rows in (10_000, 20_000, 40_000):
        line(f"MAP {rows:,} rows, whole district", measure(lambda f, n=rows: map_set(f, n, False), growth), None, rows)
    for students in (1_000, 2_500, 5_000, 10_000):
        line(f"OneRoster 1.2 {students:,} students, {students // 25} classes",
             measure(lambda f, n=students: oneroster_set(f, n, False), growth), None, students)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        main()
