"""The alert worker: flags crises the action server missed and delivers due alerts, every few seconds.

Run as `python -m bot.alerts.worker` (how `ilp serve` starts it) or `ilp alerts worker`.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading

import httpx
from sqlalchemy.exc import SQLAlchemyError

from bot.alerts.delivery import RetryPolicy, deliver_pending
from bot.alerts.webhook import AlertChannelNotConfigured, AlertWebhook
from bot.config import Settings, get_settings
from bot.db.unit_of_work import UnitOfWorkFactory, units_of_work
from bot.safety.sweep import sweep_unflagged_crises

log = logging.getLogger("bot.alerts.worker")  # not __name__: it is "__main__" under -m


def run_worker(settings: Settings, stop: threading.Event,
               uow_factory: UnitOfWorkFactory) -> None:
    """Returns once `stop` is set. Without a webhook URL alerts keep until one is configured;
    crisis messages whose flag is missing are flagged (and their alerts queued) either way."""
    swept_to = 0
    with contextlib.ExitStack() as stack:
        webhook = stack.enter_context(AlertWebhook.from_settings(settings)) if settings.alert_webhook_url else None
        retry = RetryPolicy.from_settings(settings)
        if webhook is None:
            log.warning("%s; they are delivered once it is set and the worker restarts", AlertChannelNotConfigured())
        else:
            # Only the host: webhook URLs often carry a token in their path.
            log.info("delivering urgent alerts to %s every %g s", httpx.URL(webhook.url).host, settings.alert_poll_interval_s)
        while not stop.is_set():
            try:
                swept = sweep_unflagged_crises(settings.tracker_database_url, uow_factory, after_event_id=swept_to)
                swept_to = swept.last_event_id
            except SQLAlchemyError as error:
                # Rasa may not have created its tracker tables yet, or the database is down: try again later.
                log.warning("cannot sweep the tracker store for unflagged crises yet: %s",
                            str(getattr(error, "orig", error)).strip())
            if webhook is not None:
                try:
                    deliver_pending(uow_factory(), webhook, retry, stop=stop)
                except SQLAlchemyError as error:
                    # The database may come back; alerts wait in the outbox meanwhile.
                    log.error("cannot use the alert outbox, trying again: %s", str(getattr(error, "orig", error)).strip())
            stop.wait(settings.alert_poll_interval_s)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    settings = get_settings()
    run_worker(settings, stop, units_of_work(settings))
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
