"""Delivery: send due alerts, mark them delivered, or schedule the next try with capped exponential backoff.

Each alert is leased before it is sent: one short transaction claims the row (FOR UPDATE SKIP
LOCKED on PostgreSQL, plus a compare-and-set that also works on SQLite) and pushes its
`next_attempt_at` past the longest possible send, then commits. So no transaction or row lock is
held during the HTTP call, no other worker sends the row meanwhile, and if this process dies
mid-send the lease simply runs out and the alert is sent again (at least once, never lost).
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select, update

from bot.alerts.outbox import count_pending, delivery_id
from bot.alerts.webhook import AlertWebhook, DeliveryFailed
from bot.config import Settings
from bot.db.tables import AlertOutbox, utcnow
from bot.db.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

LOUD_AFTER_ATTEMPTS = 5
LEASE_MARGIN_S = 30
MAX_DOUBLINGS = 30  # 2 ** attempts would overflow a float after about a thousand failures


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 5.0
    max_s: float = 600.0
    jitter: float = 0.1

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetryPolicy":
        return cls(base_s=settings.alert_retry_base_s, max_s=settings.alert_retry_max_s)

    def delay_s(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after `failures` failed tries: base, 2x base, 4x base... capped, plus up to 10 %
        jitter so alerts that failed together do not all retry in the same instant. Never gives up."""
        delay = min(self.base_s * 2 ** min(failures - 1, MAX_DOUBLINGS), self.max_s)
        return delay * (1 + self.jitter * rng())


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    pending: int = 0  # undelivered alerts left in the outbox after the run


@dataclass(frozen=True)
class _Claim:
    row_id: int
    delivery_id: str
    body: bytes
    failures: int


def deliver_pending(uow: UnitOfWork, webhook: AlertWebhook, retry: RetryPolicy, *, retry_all: bool = False,
                    stop: threading.Event | None = None, now: Callable[[], dt.datetime] = utcnow) -> DeliveryReport:
    """Tries each due alert once (each undelivered one, ignoring backoff, with `retry_all`)."""
    due = None if retry_all else now()
    lease = dt.timedelta(seconds=2 * webhook.longest_send_s + LEASE_MARGIN_S)
    report = DeliveryReport()
    for row_id in _candidates(uow, due):
        if stop is not None and stop.is_set():
            break
        claim = _claim(uow, row_id, due, lease_until=now() + lease)
        if claim is None:
            continue  # another worker has it, or it was delivered meanwhile
        try:
            webhook.send(claim.delivery_id, claim.body)
        except DeliveryFailed as error:
            report.failed += 1
            _record_failure(uow, claim, str(error), retry.delay_s(claim.failures + 1), now())
        else:
            report.delivered += 1
            _record_delivery(uow, claim, now())
    report.pending = count_pending(uow)
    return report


def _candidates(uow: UnitOfWork, due: dt.datetime | None) -> list[int]:
    query = _undelivered(select(AlertOutbox.id), due).order_by(AlertOutbox.next_attempt_at, AlertOutbox.id)
    with uow:
        return list(uow.session.scalars(query))


def _undelivered(query, due: dt.datetime | None):
    query = query.where(AlertOutbox.delivered_at.is_(None))
    return query if due is None else query.where(AlertOutbox.next_attempt_at <= due)


def _claim(uow: UnitOfWork, row_id: int, due: dt.datetime | None, lease_until: dt.datetime) -> _Claim | None:
    with uow:
        session = uow.session
        found = session.execute(
            _undelivered(select(AlertOutbox.payload, AlertOutbox.attempts, AlertOutbox.next_attempt_at), due)
            .where(AlertOutbox.id == row_id)
            .with_for_update(skip_locked=True)
        ).first()
        if found is None:
            return None
        # SQLite has no row locks: the update succeeds only if no other worker leased the row since we read it.
        leased = session.execute(
            update(AlertOutbox)
            .where(AlertOutbox.id == row_id, AlertOutbox.next_attempt_at == found.next_attempt_at)
            .values(next_attempt_at=lease_until)
        ).rowcount
        uow.commit()
    if not leased:
        return None
    return _Claim(row_id, delivery_id(found.payload), found.payload.encode(), found.attempts)


def _record_delivery(uow: UnitOfWork, claim: _Claim, at: dt.datetime) -> None:
    _update_undelivered(uow, claim.row_id, delivered_at=at, attempts=AlertOutbox.attempts + 1, last_error="")
    log.info("delivered urgent alert %s after %d attempt(s)", claim.delivery_id, claim.failures + 1)


def _record_failure(uow: UnitOfWork, claim: _Claim, reason: str, delay_s: float, at: dt.datetime) -> None:
    _update_undelivered(uow, claim.row_id, attempts=AlertOutbox.attempts + 1, last_error=reason[:500],
                        next_attempt_at=at + dt.timedelta(seconds=delay_s))
    failures = claim.failures + 1
    # Urgent alerts are never dropped, so a receiver that stays down must be noticed by a person.
    level = logging.ERROR if failures >= LOUD_AFTER_ATTEMPTS else logging.WARNING
    log.log(level, "urgent alert %s not delivered (%d failed attempt(s)): %s; next try in %.0f s",
            claim.delivery_id, failures, reason, delay_s)


def _update_undelivered(uow: UnitOfWork, row_id: int, **values) -> None:
    with uow:
        uow.session.execute(update(AlertOutbox)
                            .where(AlertOutbox.id == row_id, AlertOutbox.delivered_at.is_(None))
                            .values(**values))
        uow.commit()
