"""Watching a plan's search: progress as it goes, and a cancel that any thread may call.

Pure Python (no Qt): the app's worker thread passes a `Watch` to `solver.solve.solve`, its GUI thread calls
`cancel()`. Every CP-SAT solve of a plan runs through `search`, so none escapes a cancel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ortools.sat.python import cp_model


class Phase(StrEnum):
    """What the search is doing: each phase starts with a Progress whose cost is None."""

    GROUPING = "grouping"  # one class's groups (starts once per class)
    ROTATION = "rotation"  # every class's rotation, staffing and shared devices
    JOINT = "joint"  # groups and rotation together: the groups first formed have no rotation
    EXPLAINING = "explaining"  # the hard rules cannot all hold: finding which of them clash


@dataclass(frozen=True)
class Progress:
    phase: Phase
    cost: int | None  # the best plan's cost so far in this phase (None as the phase starts, or with no cost)
    bound: int | None  # no plan of this phase can cost less (None when not known)
    seconds: float  # since planning began


class Watch:
    """Reports progress to `on_progress` and lets another thread cancel the search.

    `on_progress` is called from the solving thread, and for each better plan from one of CP-SAT's own worker
    threads while it searches: keep it quick (e.g. post a signal) and never block in it. It may call `cancel()`.
    After a cancel no further phase starts and the search running stops with the best plan it has.
    """

    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._cancelled = False
        self._running: cp_model.CpSolver | None = None
        self._phase = Phase.GROUPING
        self._best: int | None = None
        self._began = time.perf_counter()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Stop planning as soon as it can: thread-safe, returns at once, and calling it again does nothing more."""
        with self._lock:
            self._cancelled = True
            if self._running is not None:
                _stop(self._running)

    # What the solver calls: not for the app.

    def begin(self) -> None:
        """Planning begins: progress seconds count from now."""
        self._began = time.perf_counter()

    def start(self, phase: Phase) -> None:
        """A phase starts: its costs are compared among themselves only."""
        with self._lock:
            self._phase, self._best = phase, None
        self._report(Progress(phase, None, None, self._seconds()))

    def solve(self, solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
        """`solver.solve(model)`, stopped by `cancel()`, reporting each better plan when anyone listens."""
        reporter = _Reporter(self) if self._on_progress is not None and model.has_objective() else None
        with self._lock:
            if self._cancelled:
                _stop(solver)
            self._running = solver
        try:
            return solver.solve(model, reporter)
        finally:
            with self._lock:
                self._running = None

    def _found(self, cost: int, bound: int) -> None:
        """A plan costing `cost` (from a CP-SAT worker thread): reported if it is the phase's best so far."""
        with self._lock:
            if self._best is not None and cost >= self._best:
                return
            self._best = cost
            progress = Progress(self._phase, cost, bound, self._seconds())
        self._report(progress)  # outside the lock: on_progress may cancel

    def _report(self, progress: Progress) -> None:
        if self._on_progress is not None:
            self._on_progress(progress)

    def _seconds(self) -> float:
        return time.perf_counter() - self._began


def search(solver: cp_model.CpSolver, model: cp_model.CpModel, watch: Watch | None) -> cp_model.CpSolverStatus:
    """`solver.solve(model)`, watched when there is a watch: the one way every solve of a plan runs."""
    return solver.solve(model) if watch is None else watch.solve(solver, model)


def _stop(solver: cp_model.CpSolver) -> None:
    """Stop a solve, whether it has started or is about to: `stop_search` reaches a search already set up, and
    a solve that has yet to set one up (whose stop would be lost) reads a time limit of zero instead."""
    solver.parameters.max_time_in_seconds = 0
    solver.parameters.max_deterministic_time = 0
    solver.stop_search()


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Each plan CP-SAT finds, as its cost and bound, to the watch (kept cheap: CP-SAT waits for it)."""

    def __init__(self, watch: Watch) -> None:
        super().__init__()
        self._watch = watch

    def on_solution_callback(self) -> None:
        self._watch._found(round(self.objective_value), round(self.best_objective_bound))
