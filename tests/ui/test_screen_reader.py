"""The app as a screen reader meets it: through AT-SPI on a private accessibility bus, on a virtual screen."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rotation.ui.schools import DEMO

SYSTEM_PYTHON = "/usr/bin/python3"
HANG_GUARD = 900  # seconds: only to end a hung run; the walk takes well under a minute here


def _missing() -> str:
    for tool, package in (("dbus-run-session", "dbus"), ("xvfb-run", "xvfb"), ("at-spi-bus-launcher", "at-spi2-core")):
        if shutil.which(tool) is None and not Path(f"/usr/libexec/{tool}").exists():
            return f"{tool} is missing (Debian package {package})"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode:
        return "the system python3 has no pyatspi (Debian package python3-pyatspi)"
    return ""


def test_a_screen_reader_can_plan_move_a_student_hear_the_verdict_and_undo(tmp_path: Path):
    if why := _missing():
        pytest.skip(why)
    driver = Path(__file__).with_name("screen_reader.py")
    run = subprocess.run(["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x900x24",
                          SYSTEM_PYTHON, str(driver), sys.executable, str(DEMO), str(tmp_path)],
                         capture_output=True, text=True, timeout=HANG_GUARD, cwd=Path(__file__).parents[2])
    heard = run.stdout + run.stderr
    if "Could not load the Qt platform plugin" in heard:  # the machine, not the app: say what it lacks
        pytest.skip("Qt's xcb platform cannot load here: " + next(
            (line for line in heard.splitlines() if "needed" in line or "platform plugin" in line), ""))
    assert run.returncode == 0, heard
    assert "heard: Verdict: Breaks" in heard and heard.count("heard: Verdict: Meets every hard rule") == 2
