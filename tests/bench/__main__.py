"""Benchmarks (`make bench`): figures and ratios to report, never assertions in the test suite."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ortools.sat.python import cp_model

from rotation.io.planning_workbook import write_planning_workbook
from rotation.planning.instance import build_instance
from solver import grouping
from solver.check import check
from solver.instance import Instance, Options
from solver.plan import Result
from solver.solve import _Clock, _solve_grouping, solve
from solver.split import sorted_split
from tests.bench import app, imports
from tests.bench.generator import large_class, school, short_of_carts, teacher_class, two_classes_sharing_a_cart
from tests.solver.factory import one_class, sped_class

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "grade3-math.xlsx"
SHARED_STAFF = ROOT / "resources" / "demo" / "grade3-team-shared-staff.xlsx"


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, last = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        last = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), last


def plan_and_check(instance: Instance, options: Options | None = None):
    result = solve(instance, options)
    assert result.plan is not None and check(instance, result.plan).ok, result.status
    return result


def plain_grouping_model(instance: Instance) -> float:
    """The reference: a textbook CP-SAT similar-grouping model, no hint, no bound, no symmetry breaking."""
    cls = instance.classes[0]
    m = cp_model.CpModel()
    groups = range(cls.groups)
    x = {(s.id, g): m.new_bool_var("") for s in cls.students for g in groups}
    hi = [m.new_int_var(0, 1000, "") for _ in groups]
    lo = [m.new_int_var(0, 1000, "") for _ in groups]
    for s in cls.students:
        m.add_exactly_one(x[s.id, g] for g in groups)
        for g in groups:
            m.add(hi[g] >= s.need).only_enforce_if(x[s.id, g])
            m.add(lo[g] <= s.need).only_enforce_if(x[s.id, g])
    for g in groups:
        m.add_linear_constraint(sum(x[s.id, g] for s in cls.students), cls.min_size, cls.max_size)
    m.minimize(sum(hi) - sum(lo))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    started = time.perf_counter()
    solver.solve(m)
    return time.perf_counter() - started


def explained_by_search(instance: Instance, options: Options):
    """Plan with the counting checks switched off: the proof and its explanation come from the search."""
    import solver.solve
    checks = solver.solve.data_checks
    solver.solve.data_checks = lambda instance: []
    try:
        return solve(instance, options)
    finally:
        solver.solve.data_checks = checks


def _named(result: Result) -> str:
    """How many rules the explanation names (on a busy machine the search may end before any proof)."""
    return f"{len(result.conflicts[0].rules)} rules named" if result.conflicts else "no proof within the limit"


def row(name: str, seconds: float, note: str = "") -> None:
    print(f"{name:<58} {seconds * 1000:9.1f} ms  {note}")


def plan_process(workbook: Path, *flags: str) -> tuple[float, str]:
    """A whole `rotation plan` run, start-up to written plan: (seconds, what it proved, from its last line)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "rotation", "plan", str(workbook), "--out", str(Path(tmp) / "plan.xlsx"), *flags]
        started = time.perf_counter()
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    # The last line reads "Planned N class(es) in S s, <what it proved>: <out>".
    return seconds, done.stdout.strip().splitlines()[-1].split(",")[-1].split(":")[0].strip()


def grouping_stage(instance: Instance) -> tuple[float, str]:
    """The first stage alone, as the planner runs it (one class, seeded): seconds, and what it proved."""
    gm = grouping.build(instance.classes[0])
    started = time.perf_counter()
    solver, optimal = _solve_grouping(gm, _Clock(Options(seed=1)))
    seconds = time.perf_counter() - started
    cost, bound = solver.objective_value, solver.best_objective_bound
    if optimal and cost == bound:
        return seconds, "optimal"
    return seconds, f"{'within' if optimal else 'feasible'} (cost {cost:.0f}, bound {bound:.0f})"


def teacher_feels(reference: float) -> None:
    """Issue 6: one class in each grouping mode, two classes sharing a cart, the four-class shared-staff demo.
    Times are medians over five rosters (or runs); `x ref` divides by the plain grouping model's time."""
    print("\nspeed a teacher feels: one class, each grouping mode, 5 rosters, seeded (median, worst)")
    for mode in ("similar", "mixed", "by skill"):
        for n in (24, 28, 35):
            rosters = [teacher_class(n, mode, seed) for seed in range(5)]
            stages = [grouping_stage(inst) for inst in rosters]
            plans = [timed(lambda inst=inst: plan_and_check(inst, Options(seed=1)), 1) for inst in rosters]
            t = statistics.median(t for t, _ in plans)
            unproven = [how for _, how in stages if how != "optimal"]
            row(f"  {mode}, {n} students: whole plan", t,
                f"worst {max(t for t, _ in plans):.2f} s; x ref {t / reference:.1f}; "
                + ", ".join(sorted({r.status for _, r in plans})))
            row(f"  {mode}, {n} students: grouping stage alone", statistics.median(t for t, _ in stages),
                f"worst {max(t for t, _ in stages):.2f} s; {5 - len(unproven)} of 5 proven optimal"
                + "".join(f"; {how}" for how in unproven))
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "two-classes.xlsx"
        school = two_classes_sharing_a_cart()
        write_planning_workbook(school, workbook)
        runs = [plan_process(workbook, "--seed", "1") for _ in range(3)]
        t = statistics.median(t for t, _ in runs)
        row("two classes of 24 sharing a cart, one mixed: `rotation plan --seed 1`", t,
            f"x ref {t / reference:.1f}; {runs[-1][1]}")
        instance = build_instance(school).instance
        t, result = timed(lambda: plan_and_check(instance, Options(seed=1)), 3)
        row("  the same, solve() alone", t, f"x ref {t / reference:.1f}; {result.status}")
    if SHARED_STAFF.exists():
        for label, flags in (("--seed 1", ("--seed", "1")), ("no seed (2 workers)", ())):
            runs = [plan_process(SHARED_STAFF, *flags) for _ in range(3)]
            t = statistics.median(t for t, _ in runs)
            row(f"four-class shared-staff demo: `rotation plan` {label}", t,
                f"x ref {t / reference:.1f}; {runs[-1][1]}")


def main() -> None:
    print(f"Rotation benchmarks on {sys.platform}, median of repeated runs\n")
    if "app" in sys.argv[1:]:
        app.main()
        return
    if "imports" in sys.argv[1:]:
        imports.main()
        return
    reference = statistics.median(plain_grouping_model(one_class()) for _ in range(5))
    row("reference: plain CP-SAT grouping model, one class of 28", reference, "(each `x ref` divides by this)")
    teacher_feels(reference)
    if "teacher" in sys.argv[1:]:
        return
    print()
    one = one_class()
    t, result = timed(lambda: plan_and_check(one), 15)
    best, _ = sorted_split([s.need for s in one.classes[0].students], 4, 7, 7)
    spread = sum(c.cost for c in result.costs if c.rule == "need_spread")
    row("one class 28 students/4 groups/3 stations/5 days", t,
        f"{result.status}; spread {spread} vs exact split {best}")
    row("  reference: plain CP-SAT grouping model alone", reference,
        f"ratio full plan / plain grouping {t / reference:.2f}")

    big = large_class()
    t, result = timed(lambda: plan_and_check(big), 9)
    cls = big.classes[0]
    best, _ = sorted_split([s.need for s in cls.students], 5, 6, 8)
    spread = sum(c.cost for c in result.costs if c.rule == "need_spread")
    row("35 students/5 groups of 6-8/5 stations", t, f"{result.status}; spread {spread} vs exact split {best}")
    plain = statistics.median(plain_grouping_model(big) for _ in range(3))
    row("  reference: plain CP-SAT grouping model alone", plain, f"ratio {t / plain:.2f}")

    if DEMO.exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "plan.xlsx"
            cmd = [sys.executable, "-m", "rotation", "plan", str(DEMO), "--out", str(out), "--seed", "1"]
            t, _ = timed(lambda: subprocess.run(cmd, check=True, capture_output=True), 7)
        row("whole `rotation plan` process, grade 3 demo", t, "start-up + read + solve + write")

    four = school(4)
    for label, options in (("1 worker, seeded (reproducible)", lambda seed: Options(seed=seed)),
                           ("2 workers, unseeded (the CLI without --seed)",
                            lambda seed: Options(seed=seed, workers=2, reproducible=False))):
        runs = [timed(lambda seed=seed, options=options: plan_and_check(four, options(seed)), 1) for seed in range(5)]
        statuses = ", ".join(sorted({r.status for _, r in runs}))
        row(f"four classes sharing a cart and an interventionist, {label}", statistics.median(t for t, _ in runs),
            f"{statuses}; over 5 seeds {min(t for t, _ in runs):.1f}-{max(t for t, _ in runs):.1f} s")

    print("\nexit 3 is a proof")
    t, result = timed(lambda: plan_and_check(sped_class(5)), 5)
    row("  groups first formed have no rotation; the joint model plans", t, result.status)
    t, result = timed(lambda: solve(sped_class(6)), 5)
    row("  no grouping has a rotation: proof and explanation", t,
        f"{result.status}; {_named(result)}")
    t, result = timed(lambda: solve(short_of_carts(8), Options(time_limit=2, seed=1)), 5)
    row("  eight classes short of carts: the counting check", t, f"{result.status}, {result.conflicts[0].reason}")
    for limit, options in ((2, Options(time_limit=2, seed=1)), (10, Options(time_limit=10, seed=1)),
                           (2, Options(time_limit=2, workers=2, reproducible=False))):
        t, result = timed(lambda options=options: explained_by_search(short_of_carts(8), options), 1)
        how = "seeded" if options.reproducible else "2 workers"
        row(f"  the same by search alone, --time-limit {limit}, {how}", t,
            f"{result.status}; {_named(result)}; {t / limit:.2f} x the limit")

    print("\ncost curve: classes 30 min apart sharing interventionists (a team of one per 4 classes) and carts")
    previous = None
    for n in (1, 4, 16, 64):
        inst = school(n)
        t, result = timed(lambda inst=inst: plan_and_check(inst, Options(time_limit=60, workers=2,
                                                                          reproducible=False)), 1)
        growth = f"x{t / previous:.1f} for x4 classes" if previous else ""
        cost = sum(c.cost for c in result.costs)
        row(f"  {n:>2} classes", t, f"{result.status}, cost {cost} {growth}")
        previous = t

    app.main()
    imports.main()


if __name__ == "__main__":
    main()
