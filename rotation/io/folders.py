"""Where the app keeps a user's own files: the same folders for the app and the commands (the database's is
rotation.storage.database's, under the same name)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

APP = "Rotation"


def user_data() -> Path:
    """The user data folder: ~/.local/share/Rotation on Linux, %LOCALAPPDATA%\\Rotation\\Rotation on Windows."""
    return Path(user_data_dir(APP, APP))


def mappings_folder() -> Path:
    """Column mappings kept by name: the wizard saves them here, `rotation import --mapping NAME` reads them."""
    return user_data() / "mappings"
