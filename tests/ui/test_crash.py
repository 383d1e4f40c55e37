"""A kill -9 loses nothing: an edit saved by the app is there when the school is opened again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from rotation.ui.schools import DEMO, import_workbook, open_school

HANG_GUARD = 600.0  # seconds

# The app in a process of its own: plan, move a student, wait for the save, say so, then run on until killed.
CHILD = """
import sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QModelIndex, QSettings, Qt
from rotation.ui.app import application
app = application()
from rotation.ui.schools import open_school
from rotation.ui.window import MainWindow
window = MainWindow(open_school(Path(sys.argv[1])), QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.seed = 1
window.show()
loop = QEventLoop()
window.planner.finished.connect(loop.quit)
window.plan_action.trigger()
loop.exec()
source, target = window.board.columns[0].model, window.board.columns[1].model
student = source.cards[0].student_id
target.dropMimeData(source.mimeData([source.index(0)]), Qt.DropAction.MoveAction, -1, 0, QModelIndex())
if window.document.unsaved:
    saving = QEventLoop()
    window.document.saved.connect(saving.quit)
    saving.exec()
print("saved", student, flush=True)
app.exec()
"""


def test_an_edit_saved_survives_a_kill_9_and_reopens_as_left(home: Path):
    school = home / "school.db"
    import_workbook(DEMO, school).engine.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(school), str(home / "settings.ini")], env=env,
                             stdout=subprocess.PIPE, text=True)
    guard = threading.Timer(HANG_GUARD, child.kill)  # only ends a hung child; never reached in a passing run
    guard.start()
    try:
        line = child.stdout.readline() if child.stdout else ""
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        guard.cancel()
    assert line.startswith("saved "), line
    student = line.split()[1]
    again = open_school(school)
    try:
        assert again.plan is not None
        assert student in next(g.members for g in again.plan.groups if g.number == 2)
        assert not again.plan.optimal  # the edited plan, not the planner's
    finally:
        again.engine.dispose()
