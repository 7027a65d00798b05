"""The folders the project writes into at run time, made here and nowhere else.

Nothing in them exists on a fresh clone, so every entry point asks this module for the folder it
writes to instead of assuming an earlier step made it. They hold student data, logs and generated
secrets: folders are owner-only (0700) and files made in them are meant to be 0600.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def ensure_folder(path: Path) -> Path:
    """Creates `path` owner-only, with any missing parents (made under the process's umask); returns it."""
    path = Path(path)
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return path


def log_dir(settings: Settings) -> Path:
    return ensure_folder(settings.var_dir / "log")


def run_dir(settings: Settings) -> Path:
    """Pid files, the rendered endpoints.yml and nginx's config and temp files."""
    return ensure_folder(settings.var_dir / "run")


def ensure_sqlite_folder(url: str) -> None:
    """Creates the folder of a SQLite database file; nothing for other databases or in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        ensure_folder(Path(parsed.database).parent)


def private_umask() -> None:
    """Files this process and its children create are readable by their owner only (logs, SQLite files)."""
    os.umask(0o077)
