"""A unit of work: one session per call, rolled back unless the service commits.

Entrypoints build one factory from their settings (`units_of_work`) and hand it on; nothing here
reads the environment.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import get_session_factory


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def units_of_work(settings: Settings) -> UnitOfWorkFactory:
    """Units of work on the plan database `settings` name; its engine is built on first use and shared by
    every factory of that URL."""
    database_url = settings.database_url
    return lambda: UnitOfWork(get_session_factory(database_url))
