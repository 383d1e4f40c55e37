"""Planning in the background: the window stays responsive, shows the phase and the best cost so far, and
Cancel keeps the best plan found."""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from rotation.domain.plan import Plan
from rotation.domain.school import School

if TYPE_CHECKING:
    from rotation.planning.service import Planned
    from solver.watch import Watch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ask:
    """What to plan: from scratch, around the plan there is (`previous`), or regrouped from new mastery."""

    school: School
    previous: Plan | None = None
    regroup: bool = False
    time_limit: float = 10.0
    seed: int | None = None


class Planner(QObject):
    """Runs one plan at a time on a worker thread; its signals arrive on the window's thread."""

    progressed = Signal(object)  # solver.watch.Progress
    finished = Signal(object, object)  # Ask, Planned
    failed = Signal(str)  # an unexpected error, already logged

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._watch: Watch | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, ask: Ask) -> None:
        if self.running:
            return
        from solver.watch import Watch  # loaded by warm_up() by now, or loaded here

        self._watch = Watch(self.progressed.emit)
        self._thread = threading.Thread(target=self._run, args=(ask, self._watch), name="planner", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        if self._watch is not None:
            self._watch.cancel()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self, ask: Ask, watch: Watch) -> None:
        from rotation.planning.service import plan_week

        try:
            planned: Planned = plan_week(ask.school, previous=ask.previous, regroup=ask.regroup,
                                         time_limit=ask.time_limit, seed=ask.seed, watch=watch)
        except Exception as error:  # never a traceback dialog: logged, and the window says where
            log.exception("planning failed")
            self.failed.emit(f"{type(error).__name__}: {error}")
            return
        self.finished.emit(ask, planned)


def warm_up() -> threading.Thread:
    """Load the planner and OR-Tools (a fifth of a second of imports) on a thread of their own: the window shows
    without waiting for them, and Plan week finds them loaded."""
    thread = threading.Thread(target=_load_and_settle, name="warm-up", daemon=True)
    thread.start()
    return thread


def _load_and_settle() -> None:
    importlib.import_module("rotation.planning.service")
    # What is loaded by now lives as long as the app: kept out of the collector's walks, a full collection no
    # longer stalls the window for 60-70 ms as it takes a plan (tests/bench/app.py measures it).
    gc.freeze()
