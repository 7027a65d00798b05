"""Sign-in throttling: after a few failures, each further attempt waits a little longer, then succeeds.

Nobody is locked out: a student whose ID a classmate keeps failing waits seconds, at most a minute,
between tries, and the right code then signs in. What a guesser gains is small: after the free
failures one try a minute per account (an 8-character code has 31^8 = 8.5e11 values; a staff
password at least 12 characters). Failures are counted per account and per address, with students
and staff counted apart, so a school's students failing behind one NAT never slow its counselors.

Failures live in the plan database, so every web process (and a restarted one) sees the same
count. Keys are SHA-256 hashes: a mistyped ID or email is not kept in readable form.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Callable, TypeVar

from sqlalchemy import delete, func, select

from bot.db.tables import SignInFailure, utcnow
from bot.db.unit_of_work import UnitOfWork, UnitOfWorkFactory

WINDOW = dt.timedelta(minutes=15)  # failures older than this are forgotten
Identity = TypeVar("Identity")


@dataclass(frozen=True)
class Backoff:
    """After `free_failures` failures within the window, the next attempt waits `first_wait` from the latest
    failure, and each further failure doubles the wait, up to `max_wait`."""

    free_failures: int
    first_wait: dt.timedelta
    max_wait: dt.timedelta

    def wait_after(self, failures: int) -> dt.timedelta:
        if failures < self.free_failures:
            return dt.timedelta(0)
        return min(self.first_wait * 2 ** min(failures - self.free_failures, 16), self.max_wait)


# Five typos cost nothing; then 2, 4, 8, 16, 32 s, then a minute per try.
ACCOUNT_BACKOFF = Backoff(5, dt.timedelta(seconds=2), dt.timedelta(minutes=1))
# An address pays only after far more failures than a school's busiest quarter hour makes (a class
# signing in has a few typos); students and staff each have their own count.
ADDRESS_BACKOFF = {
    "student": Backoff(200, dt.timedelta(seconds=1), dt.timedelta(minutes=1)),
    "staff": Backoff(50, dt.timedelta(seconds=1), dt.timedelta(minutes=1)),
}


class Throttled(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s

    @property
    def message(self) -> str:
        return f"Too many sign-in attempts. Wait {self.retry_after_s} seconds and try again."


def attempt_sign_in(scope: str, account: str, address: str, verify: Callable[[], Identity | None],
                    uow_factory: UnitOfWorkFactory,
                    clock: Callable[[], dt.datetime] = utcnow) -> Identity | None:
    """Runs `verify` unless the account or the address must wait (raises Throttled).

    `scope` is "student" or "staff". A failure (verify returned None) counts against both the account
    and the address; a success forgets the account's failures. A refused attempt counts for nothing.
    """
    account_key = _key("account", scope, account[:254])
    backoffs = {account_key: ACCOUNT_BACKOFF, _key("address", scope, address): ADDRESS_BACKOFF[scope]}
    now = clock()
    wait = _longest_wait(uow_factory(), backoffs, now)
    if wait > dt.timedelta(0):
        raise Throttled(math.ceil(wait.total_seconds()))
    identity = verify()
    if identity is None:
        _record_failure(uow_factory(), list(backoffs), now)
    else:
        _clear_account(uow_factory(), account_key)
    return identity


def _key(kind: str, scope: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{scope}:{value.strip().lower()}".encode()).hexdigest()


def _longest_wait(uow: UnitOfWork, backoffs: dict[str, Backoff], now: dt.datetime) -> dt.timedelta:
    """How long from `now` until every key's wait, counted from its latest failure, has passed."""
    with uow:
        failures = uow.session.execute(
            select(SignInFailure.key, func.count(), func.max(SignInFailure.at))
            .where(SignInFailure.key.in_(list(backoffs)), SignInFailure.at > now - WINDOW)
            .group_by(SignInFailure.key)).all()
    return max((latest + backoffs[key].wait_after(count) - now for key, count, latest in failures),
               default=dt.timedelta(0))


def _record_failure(uow: UnitOfWork, keys: list[str], now: dt.datetime) -> None:
    with uow:
        uow.session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
        uow.session.add_all(SignInFailure(key=key, at=now) for key in keys)
        uow.commit()


def _clear_account(uow: UnitOfWork, key: str) -> None:
    """A successful sign-in forgets that account's earlier failures (not the address's)."""
    with uow:
        uow.session.execute(delete(SignInFailure).where(SignInFailure.key == key))
        uow.commit()
