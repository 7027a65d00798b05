"""Engines and session factories, built lazily once per database URL (never at import time)."""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_session_factories: dict[str, sessionmaker] = {}


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached."""


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    with _lock:
        if url not in _engines:
            _engines[url] = _create_engine(url)
        return _engines[url]


def get_session_factory(url: str | None = None) -> sessionmaker:
    url = url or get_settings().database_url
    engine = get_engine(url)
    with _lock:
        if url not in _session_factories:
            _session_factories[url] = sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
        return _session_factories[url]


def dispose_all() -> None:
    """Closes every pooled connection and forgets the engines (tests switch databases this way)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _session_factories.clear()


def _create_engine(url: str) -> Engine:
    # hide_parameters: a failed statement's error (and so the log) never carries what a student wrote.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, hide_parameters=True, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, future=True, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(dbapi_connection, _record) -> None:
    # The action server and the web app write to the same file: WAL lets readers and one writer
    # work at once, and foreign keys are off in SQLite unless asked for.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def check_reachable(url: str) -> None:
    """Connects once and raises DatabaseUnavailable with a readable reason if that fails."""
    backend = make_url(url).get_backend_name()
    connect_args = {"connect_timeout": 5} if backend == "postgresql" else {"timeout": 5} if backend == "sqlite" else {}
    engine = create_engine(url, future=True, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means the same thing to the operator
        shown = make_url(url).render_as_string(hide_password=True)
        raise DatabaseUnavailable(f"cannot reach database {shown}: {error.__class__.__name__}: {error}") from error
    finally:
        engine.dispose()
