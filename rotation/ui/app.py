"""`rotation app [PATH]`: the desktop app, on a school database, a planning workbook, the last school, or the
demo school the first time."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from rotation.io.problems import BadInput
from rotation.storage.database import APP
from rotation.ui.planner import warm_up
from rotation.ui.schools import Opened, demo_school, open_school

log = logging.getLogger("rotation")


def tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def log_path() -> Path:
    folder = Path(user_log_dir(APP, APP))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "rotation.log"


def _log_to_file() -> None:
    handler = logging.FileHandler(log_path(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _unexpected(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Never a traceback dialog: the error is logged, and the user told where the log is."""
    log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, error, tb)))
    QMessageBox.critical(None, tr("Something went wrong"), tr(
        "Rotation met an unexpected error ({what}). Your work is saved. The details are in {log}; please send "
        "that file with a report.").format(what=kind.__name__, log=log_path()))


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(APP)
    app.setApplicationName(APP)
    app.setApplicationDisplayName(APP)
    return app


def first_school(path: Path | None, settings: QSettings) -> Opened:
    """PATH if given, else the last school opened, else the demo school."""
    if path is not None:
        return open_school(path)
    last = settings.value("last school")
    if isinstance(last, str) and Path(last).exists():
        try:
            return open_school(Path(last))
        except Exception:  # a moved or damaged school must not keep the app from opening
            log.exception("could not reopen %s", last)
    return demo_school()


def main(path: Path | None = None) -> int:
    app = application()
    _log_to_file()
    sys.excepthook = _unexpected
    from rotation.ui.window import MainWindow  # after the QApplication: widgets need it

    settings = QSettings()
    try:
        opened = first_school(path, settings)
    except BadInput as error:
        QMessageBox.warning(None, tr("Cannot open {name}").format(name=path.name if path else ""), str(error))
        return 2
    except Exception as error:  # never a traceback: logged, and the user told where
        _unexpected(type(error), error, error.__traceback__)
        return 1
    window = MainWindow(opened, settings)
    window.show()
    if shown := os.environ.get("ROTATION_SHOWN_FILE"):  # benchmarks: the time it is on screen, the modules loaded
        when_shown(window, lambda: _tell_shown(window, Path(shown)))
    when_shown(window, warm_up)
    return app.exec()


def when_shown(window: QWidget, then: Callable[[], object], patience: float = 2.0) -> None:
    """Call `then` from the event loop once the window is on screen (exposed, so painted), or after `patience`
    seconds if it is not (a window started minimised)."""
    deadline = time.monotonic() + patience

    def poll() -> None:
        handle = window.windowHandle()
        if (handle is not None and handle.isExposed()) or time.monotonic() > deadline:
            then()
        else:
            QTimer.singleShot(1, poll)

    QTimer.singleShot(0, poll)


def _tell_shown(window: QWidget, path: Path) -> None:
    path.write_text(f"{time.monotonic()!r}\n{' '.join(sys.modules)}", encoding="utf-8")
    if os.environ.get("ROTATION_QUIT_WHEN_SHOWN"):
        window.close()
