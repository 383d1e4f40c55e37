"""Writing export files safely: names any file system accepts, cells no spreadsheet runs, all or nothing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rotation.io.xlsx import umask

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Windows refuses these names whatever their extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 80


def inert(text: str) -> str:
    """A text cell as a spreadsheet shows it and never runs: a leading ' before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_name(text: str) -> str:
    """A file name part from a class, adult or room: letters, digits, '.', '-', '_' only, never hidden or reserved."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:MAX_NAME] or "_"
    return f"_{name}" if name.split(".")[0].lower() in RESERVED else name


def unique_names(texts: Iterable[str]) -> dict[str, str]:
    """Each text's safe name; two texts that would share one (`3/A`, `3_A`) both get a short digest of their own."""
    texts = list(dict.fromkeys(texts))
    names = {t: safe_name(t) for t in texts}
    shared = {n for n in names.values() if sum(1 for m in names.values() if m.lower() == n.lower()) > 1}
    return {t: f"{n}-{hashlib.sha256(t.encode()).hexdigest()[:6]}" if n in shared else n for t, n in names.items()}


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A private temporary folder to write into; on success its files move into `folder` (created when
    missing), on any error nothing of it is left: never half a set of files."""
    new = not folder.exists()
    made = [p for p in folder.parents if not p.exists()] if new else []
    if new:
        folder.parent.mkdir(parents=True, exist_ok=True)
    # Inside an existing folder, beside a new one: either way one file system, so the moves are renames.
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name or 'export'}.", dir=folder.parent if new else folder))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for parent in made:  # deepest first; one another export still writes into stays
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise
    move_into(tmp, folder)


def move_into(tmp: Path, folder: Path) -> None:
    """The staged files into `folder`: one rename of the whole folder when it is new, else one rename per file
    (each replaces a file of the same name whole; other files there are left alone)."""
    if not folder.exists():
        os.chmod(tmp, 0o777 & ~umask())  # mkdtemp makes the folder private; exports are ordinary documents
        os.replace(tmp, folder)
        return
    for path in sorted(tmp.iterdir()):
        os.replace(path, folder / path.name)
    tmp.rmdir()
