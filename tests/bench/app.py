"""The app's speed targets (issue 7): start, Plan week, live checks and responsiveness, as figures and ratios.

`python -m tests.bench app`. Start is timed on fresh `rotation app` processes (offscreen, and on X when Xvfb or a
display is there), the rest in this process on the offscreen platform, with data and settings in a temporary folder.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "grade3-math.xlsx"
SHARED_STAFF = ROOT / "resources" / "demo" / "grade3-team-shared-staff.xlsx"
START, PLAN, CHECK, STALL = 1.0, 0.5, 0.050, 0.100  # the targets, in seconds

# The floor: a bare QMainWindow shown by a fresh process, timed as rotation.ui.app's ROTATION_SHOWN_FILE hook does.
BARE = """
import os, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1200, 760)
window.show()
def shown():
    if not window.windowHandle().isExposed():
        return QTimer.singleShot(0, shown)
    open(os.environ["ROTATION_SHOWN_FILE"], "w").write(repr(time.monotonic()))
    window.close()
QTimer.singleShot(0, shown)
app.exec()
"""


def row(name: str, times: list[float], target: float | None = None, note: str = "") -> None:
    """Median and worst in ms, and the median as a share of the target."""
    median = statistics.median(times)
    against = f"{median / target:4.2f} x target" if target else ""
    print(f"{name:<58} {median * 1000:8.1f} ms  worst {max(times) * 1000:7.1f} ms  {against}  {note}".rstrip())


# --- 1. start -------------------------------------------------------------------------------------------------


def shown_after(cmd: list[str], env: dict[str, str]) -> tuple[float, set[str], str]:
    """Seconds from launching a process to its window on screen, the modules it had loaded by then (it writes both,
    as rotation.ui.app's ROTATION_SHOWN_FILE hook does, then closes), and what it wrote to stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        shown = Path(tmp) / "shown"
        started = time.monotonic()
        done = subprocess.run(cmd, env={**env, "ROTATION_SHOWN_FILE": str(shown), "ROTATION_QUIT_WHEN_SHOWN": "1"},
                              check=True, capture_output=True, text=True)
        when, *modules = shown.read_text().split()
        return float(when) - started, set(modules), done.stderr


def home(tmp: Path) -> dict[str, str]:
    """Data, logs and settings in a folder of their own, never the user's."""
    return {"XDG_DATA_HOME": str(tmp / "data"), "XDG_STATE_HOME": str(tmp / "state"),
            "XDG_CONFIG_HOME": str(tmp / "config")}


def start(platform: str, display: dict[str, str], runs: int = 5) -> None:
    """A fresh `rotation app`: the first time (the demo imported), and on the school database then kept."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": platform, **display}
    app = [sys.executable, "-m", "rotation", "app"]
    bare = [shown_after([sys.executable, "-c", BARE], env)[0] for _ in range(runs)]
    first, again = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            school_env = {**env, **home(Path(tmp))}
            first.append(shown_after(app, school_env)[0])
            database = Path(tmp) / "data" / "Rotation" / "schools" / "demo-school.db"
            again.append(shown_after([*app, str(database)], school_env)[0])
    floor = statistics.median(bare)
    row(f"  {platform}: bare QMainWindow shown (the floor)", bare)
    row(f"  {platform}: first start, demo imported, window shown", first, START,
        f"{statistics.median(first) / floor:.1f} x bare")
    row(f"  {platform}: start on the demo's database, window shown", again, START,
        f"{statistics.median(again) / floor:.1f} x bare")


@contextmanager
def x_display() -> Iterator[dict[str, str] | None]:
    """The display to start on: the one there is, else a private Xvfb, else none."""
    if os.environ.get("DISPLAY"):
        yield {}
        return
    if shutil.which("Xvfb") is None:
        yield None
        return
    server = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        yield {"DISPLAY": f":{server.stdout.readline().strip()}"}
    finally:
        server.terminate()
        server.wait()


def imports() -> None:
    """What the start spends importing until the window shows (`python -X importtime`, self time by package)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **home(Path(tmp))}
        app = [sys.executable, "-X", "importtime", "-m", "rotation", "app"]
        shown_after(app, env)  # the first start imports the demo
        _, loaded, log = shown_after(app, env)
    by_package: dict[str, float] = defaultdict(float)
    for self_us, name in re.findall(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", log):
        if name in loaded:  # imported before the window showed
            by_package[name.split(".")[0]] += int(self_us) / 1e6
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:8]
    print(f"  imports until the window shows (-X importtime, start on the database): "
          f"{sum(by_package.values()) * 1000:.0f} ms; OR-Tools loaded by then: {'ortools' in loaded}")
    print("    " + ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in top) + " (ms, self time)")


# --- 2-4. in the app ------------------------------------------------------------------------------------------


@contextmanager
def window_on(workbook: Path, warm: bool = True) -> Iterator:
    """The app's window on the workbook's school, shown on the offscreen platform (and, with `warm`, its planner
    loaded as the app loads it once the window shows)."""
    with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {**home(Path(tmp)),
                                                                          "QT_QPA_PLATFORM": "offscreen"}):
        from PySide6.QtCore import QSettings, qInstallMessageHandler

        from rotation.ui.app import application
        from rotation.ui.planner import warm_up
        from rotation.ui.schools import open_school
        from rotation.ui.window import MainWindow

        application()
        qInstallMessageHandler(_quiet)
        window = MainWindow(open_school(workbook), QSettings(str(Path(tmp) / "settings.ini"),
                                                            QSettings.Format.IniFormat))
        window.show()
        if warm:
            warm_up().join()
        try:
            yield window
        finally:
            window.close()


def _quiet(kind, context, message: str) -> None:
    """Qt's messages, less the offscreen platform's on every layout change."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run_until(signal, start: Callable[[], object] = lambda: None, timeout_ms: int = 300_000) -> None:
    """Start something, and run the event loop until the signal comes (its earlier slots run first)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def plan_shown(window, seed: int | None) -> float:
    """From "Plan week" to the plan on the board (planner.finished handled, then the repaint)."""
    from PySide6.QtWidgets import QApplication

    window.seed = seed
    started = time.perf_counter()
    run_until(window.planner.finished, window.plan_action.trigger)
    QApplication.processEvents()
    seconds = time.perf_counter() - started
    assert window.banner.text().startswith("Meets every hard rule"), window.banner.text()
    return seconds


def drops(window, times: int = 50) -> tuple[list[float], int]:
    """Drop group 1's first student on group 2, then back, and so on: seconds from each drop to the checker's
    verdict on screen, and how many drops changed the banner's words."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_week import drop, members

    student, seconds, changed = members(window, 1)[0], [], 0
    for n in range(times):
        before = window.banner.text()
        started = time.perf_counter()
        drop(window, student, 2 if n % 2 == 0 else 1)
        QApplication.processEvents()
        seconds.append(time.perf_counter() - started)
        changed += window.banner.text() != before
    return seconds, changed


def stalls(window, seed: int | None) -> tuple[list[float], float, float]:
    """The gaps between the ticks of a 10 ms timer while Plan week runs, until a tick after the plan is taken; how
    long the window's slot took to take the plan (verdict, save, refresh); the longest full garbage collection."""
    from PySide6.QtCore import Qt, QTimer

    window.seed = seed
    ticks, taking, began, pauses = [time.perf_counter()], [], [0.0], []

    def collecting(phase: str, info: dict) -> None:
        if info["generation"] == 2 and phase == "start":
            began[0] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append(time.perf_counter() - began[0])

    def take(ask: object, planned: object) -> None:  # the window's own slot, timed
        started = time.perf_counter()
        window._planned(ask, planned)
        taking.append(time.perf_counter() - started)

    timer = QTimer(interval=10, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.planner.finished.disconnect(window._planned)
    window.planner.finished.connect(take)
    gc.callbacks.append(collecting)
    timer.start()
    run_until(window.planner.finished, window.plan_action.trigger)
    run_until(timer.timeout)
    timer.stop()
    gc.callbacks.remove(collecting)
    window.planner.finished.disconnect(take)
    window.planner.finished.connect(window._planned)
    return [b - a for a, b in pairwise(ticks)], taking[0], max(pauses, default=0.0)


def first_plan_here() -> None:
    """Plan week pressed as soon as the window shows, while OR-Tools still loads (rotation.ui.planner.warm_up)."""
    from rotation.ui.planner import warm_up

    with window_on(DEMO, warm=False) as window:
        warm_up()
        print(plan_shown(window, 1), flush=True)


def first_plan(runs: int = 3) -> list[float]:
    """first_plan_here in fresh processes. Their exit code is not checked: PySide6 6.12.0 takes a reference to True
    off on each Signal.emit, so the interpreter aborts on exit ("bool_dealloc") once a plan has been made."""
    code = "from tests.bench.app import first_plan_here; first_plan_here()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout)
            for _ in range(runs)]


def in_the_app(runs: int = 5) -> None:
    print("  Plan week, grade 3 demo, until the plan is on the board")
    row("    first, in a fresh process, pressed as the window shows, seeded", first_plan(), PLAN)
    with window_on(DEMO) as window:
        for label, seed in (("seeded (1 worker)", 1), ("unseeded (2 workers)", None)):
            row(f"    {label}", [plan_shown(window, seed) for _ in range(runs)], PLAN)
    print("  live checks: a drop until the checker's verdict is on screen, 50 drops")
    for label, workbook in (("grade 3 demo", DEMO), ("four-class shared-staff demo", SHARED_STAFF)):
        with window_on(workbook) as window:
            plan_shown(window, 1)
            seconds, changed = drops(window)
            row(f"    {label}", seconds, CHECK, f"banner changed {changed}/{len(seconds)}")
    print("  responsiveness: event-loop gaps (10 ms timer) while the four-class shared-staff demo plans")
    with window_on(SHARED_STAFF) as window:
        for label, seed in (("seeded (1 worker)", 1), ("unseeded (2 workers)", None)):
            for _ in range(3):
                gaps, taking, collection = stalls(window, seed)
                p99 = statistics.quantiles(gaps, n=100)[98]
                print(f"    {label:<22} longest {max(gaps) * 1000:5.1f} ms ({max(gaps) / STALL:.2f} x target), "
                      f"99th percentile {p99 * 1000:4.1f} ms, {len(gaps)} ticks; taking the plan "
                      f"{taking * 1000:4.1f} ms; longest full GC {collection * 1000:4.1f} ms")


def main() -> None:
    print(f"\nthe app (issue 7), median and worst; x target divides the median by the target "
          f"(start {START:g} s, plan {PLAN:g} s, check {CHECK * 1000:g} ms, stall {STALL * 1000:g} ms); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("  start: launch of a fresh process to its window on screen, 5 runs")
    start("offscreen", {})
    with x_display() as display:
        if display is not None:
            start("xcb", display)
    imports()
    in_the_app()
