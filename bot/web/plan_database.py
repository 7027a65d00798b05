"""The web app's way to the plan database: the factory of units of work create_app builds from its settings."""
from __future__ import annotations

from fastapi import Request

from bot.db.unit_of_work import UnitOfWorkFactory


def uow_factory_of(request: Request) -> UnitOfWorkFactory:
    """A FastAPI dependency (`Depends(uow_factory_of)`); helpers that hold the request call it directly."""
    return request.app.state.uow_factory
