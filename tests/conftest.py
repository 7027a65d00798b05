"""Shared fixtures: a real plan database on SQLite (always) and PostgreSQL (when ILP_TEST_POSTGRES_URL is set)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import Settings, get_settings
from bot.db import engine as db_engine
from bot.db.migrate import upgrade
from bot.db.tables import metadata
from bot.db.unit_of_work import UnitOfWorkFactory, units_of_work

POSTGRES_ADMIN_URL = os.environ.get("ILP_TEST_POSTGRES_URL")


@contextmanager
def throwaway_postgres_database(prefix: str):
    """Creates an empty PostgreSQL database, yields its URL, drops it afterwards (skips without PostgreSQL)."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("ILP_TEST_POSTGRES_URL is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        db_engine.dispose_all()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database, migrated once, dropped at the end of the run."""
    with throwaway_postgres_database("ilp_test") as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, monkeypatch):
    """A migrated, empty plan database. Code under test is given it (settings, a factory of units of work); only
    what reads the environment itself, the `ilp` command and the servers' mains, needs `database_in_environment`."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'plan.db'}"
        upgrade(url)
    else:
        url = request.getfixturevalue("postgres_url")
        tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        with db_engine.get_engine(url).begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    monkeypatch.setenv("ILP_VAR_DIR", str(tmp_path / "var"))  # generated secrets and logs stay in the test's folder
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    if request.param == "sqlite":
        db_engine.dispose_all()


@pytest.fixture
def database_in_environment(database_url, monkeypatch):
    """The test's plan database as ILP_DATABASE_URL, for code that reads its settings from the environment."""
    monkeypatch.setenv("ILP_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return database_url


@pytest.fixture
def uow_factory(database_url) -> UnitOfWorkFactory:
    return units_of_work(Settings(database_url=database_url))
