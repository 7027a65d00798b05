"""Sign-in throttling: too many failures for one account, or from one address, pause sign-ins there.

Failures live in the plan database, so every web process (and a restarted one) sees the same
count. Keys are SHA-256 hashes: a mistyped ID or email is not kept in readable form.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Callable, TypeVar

from sqlalchemy import delete, func, select

from bot.db.tables import SignInFailure, utcnow
from bot.db.unit_of_work import UnitOfWork

WINDOW = dt.timedelta(minutes=15)
Identity = TypeVar("Identity")


@dataclass(frozen=True)
class Limit:
    kind: str  # "account" or "address"
    max_failures: int


ACCOUNT = Limit("account", 5)
ADDRESS = Limit("address", 30)
THROTTLED = "Too many sign-in attempts. Wait 15 minutes and try again, or ask your counselor for help."


class Throttled(Exception):
    pass


def attempt_sign_in(scope: str, account: str, address: str, verify: Callable[[], Identity | None],
                    uow_factory: Callable[[], UnitOfWork] = UnitOfWork) -> Identity | None:
    """Runs `verify` unless the account or address is paused (raises Throttled).

    A failure (verify returned None) counts against both; a success forgets the account's failures.
    """
    account_key = _key(ACCOUNT, scope, account[:254])
    keys = {account_key: ACCOUNT, _key(ADDRESS, "web", address): ADDRESS}
    if _is_throttled(uow_factory(), keys):
        raise Throttled()
    identity = verify()
    if identity is None:
        _record_failure(uow_factory(), keys)
    else:
        _clear_account(uow_factory(), account_key)
    return identity


def _key(limit: Limit, scope: str, value: str) -> str:
    return hashlib.sha256(f"{limit.kind}:{scope}:{value.strip().lower()}".encode()).hexdigest()


def _is_throttled(uow: UnitOfWork, keys: dict[str, Limit]) -> bool:
    """True when any key has reached its limit of failures within the window."""
    since = utcnow() - WINDOW
    with uow:
        counts = dict(uow.session.execute(
            select(SignInFailure.key, func.count()).where(SignInFailure.key.in_(list(keys)), SignInFailure.at > since)
            .group_by(SignInFailure.key)).all())
    return any(counts.get(key, 0) >= limit.max_failures for key, limit in keys.items())


def _record_failure(uow: UnitOfWork, keys: dict[str, Limit]) -> None:
    with uow:
        uow.session.execute(delete(SignInFailure).where(SignInFailure.at <= utcnow() - WINDOW))
        uow.session.add_all(SignInFailure(key=key) for key in keys)
        uow.commit()


def _clear_account(uow: UnitOfWork, key: str) -> None:
    """A successful sign-in forgets that account's earlier failures (not the address's)."""
    with uow:
        uow.session.execute(delete(SignInFailure).where(SignInFailure.key == key))
        uow.commit()
