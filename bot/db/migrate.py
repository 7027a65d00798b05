"""Runs Alembic migrations programmatically (used by `ilp db upgrade` and the tests)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from bot.config import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; escape it in passwords.
    config.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Migrates the plan database to `revision`, creating it first when it is a PostgreSQL database not made yet."""
    url = url or get_settings().database_url
    create_database(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def create_database(url: str) -> bool:
    """Creates the PostgreSQL database `url` names when it is missing; True if it did (SQLite needs nothing).

    Asks the server only when the database cannot be opened, so an account that may not create
    databases (or read the `postgres` database) can still migrate one that exists.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or _opens(url):
        return False
    admin = create_engine(parsed.set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}):
                return False
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
            return True
    finally:
        admin.dispose()


def _opens(url: str) -> bool:
    engine = create_engine(url, future=True, poolclass=NullPool)
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()
