"""A unit of work: one session per call, rolled back unless the service commits."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import get_session_factory


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker | None = None) -> None:
        self._session_factory = session_factory
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = (self._session_factory or get_session_factory())()
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
