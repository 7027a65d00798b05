"""Engines and session factories, built lazily once per database URL (never at import time)."""
from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached."""


@functools.lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return engine


def _configure_sqlite(dbapi_connection, _record) -> None:
    # The action server and the web app write to the same file: WAL lets readers and one writer
    # work at once, and foreign keys are off in SQLite unless asked for.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@functools.lru_cache(maxsize=8)
def get_session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(bind=get_engine(url), class_=Session, future=True, expire_on_commit=False)


def check_reachable(url: str) -> None:
    """Connects once and raises DatabaseUnavailable with a readable reason if that fails."""
    engine = create_engine(url, future=True, connect_args=_connect_timeout_args(url))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same thing to the operator
        raise DatabaseUnavailable(f"cannot reach database {make_url(url).render_as_string(hide_password=True)}: {error}") from error
    finally:
        engine.dispose()


def _connect_timeout_args(url: str) -> dict:
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        return {"connect_timeout": 5}
    if backend == "sqlite":
        return {"timeout": 5}
    return {}
