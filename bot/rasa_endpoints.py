"""Renders Rasa's endpoints.yml from the settings, so every store is named by one ILP_ variable."""
from __future__ import annotations

from urllib.parse import urlsplit

import yaml
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.service_auth import bearer

# Rasa's SQLTrackerStore with a pooled SQLite engine in WAL mode and no count before each save (issue 17).
TRACKER_STORE_CLASS = "components.tracker_store.PooledSQLTrackerStore"


def rasa_endpoints(settings: Settings) -> dict:
    endpoints = {
        # The action server answers only calls that carry this token (components/action_server.py). Rasa sends
        # the domain (28 kB of JSON) only to the actions marked `send_domain` in domain.yml, the forms' validations.
        "action_endpoint": {"url": settings.action_server_url, "headers": bearer(settings.action_token),
                            "enable_selective_domain": True},
        "tracker_store": sql_tracker_store(settings.tracker_database_url),
    }
    endpoints["lock_store"] = redis_lock_store(settings.redis_url) if settings.redis_url else {"type": "in_memory"}
    return endpoints


def sql_tracker_store(url: str) -> dict:
    parsed = make_url(url)
    store = {"type": TRACKER_STORE_CLASS, "dialect": parsed.drivername, "db": parsed.database}
    if parsed.host:
        store["url"] = parsed.host
    if parsed.port:
        store["port"] = parsed.port
    if parsed.username:
        store["username"] = parsed.username
    if parsed.password:
        store["password"] = parsed.password
    return store


def redis_lock_store(url: str) -> dict:
    parsed = urlsplit(url)
    store = {"type": "redis", "url": parsed.hostname or "127.0.0.1", "port": parsed.port or 6379,
             "db": int((parsed.path or "/0").lstrip("/") or 0), "key_prefix": "ilp"}
    if parsed.password:
        store["password"] = parsed.password
    return store


def render(settings: Settings) -> str:
    """The endpoints file: it holds the action token and any database password, so keep it 0600."""
    header = "# Written by `ilp serve` from the ILP_ settings; edit those, not this file.\n"
    return header + yaml.safe_dump(rasa_endpoints(settings), sort_keys=False)
