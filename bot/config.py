"""One settings object, read from the environment (variables prefixed ILP_)."""
from __future__ import annotations

import functools
import ipaddress
import secrets
from pathlib import Path
from typing import List, Optional

from pydantic import BaseSettings, validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-not-secret"


class Settings(BaseSettings):
    environment: str = "development"  # development | test | production
    var_dir: Path = PROJECT_ROOT / "var"

    # Plan data and conversation text live in separate databases on purpose.
    database_url: str = ""
    tracker_database_url: str = ""
    redis_url: Optional[str] = None

    host: str = "127.0.0.1"
    # More than one: that many Rasa servers behind nginx on rasa_port (a shared PostgreSQL tracker
    # store and the Redis lock store are then required); see docs/deploy.md.
    rasa_instances: int = 1
    nginx_bin: Path = Path("/usr/sbin/nginx")
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    rasa_token: str = DEVELOPMENT_SECRET
    secret_key: str = DEVELOPMENT_SECRET
    # Proxies (addresses or networks) whose X-Forwarded-For the web app believes; comma-separated in the
    # environment. Empty: the sign-in throttle counts each connection's own peer address.
    trusted_proxies: List[str] = []

    spacy_pipeline_dir: Path = PROJECT_ROOT / "build" / "spacy" / "ilp_en"
    models_dir: Path = PROJECT_ROOT / "models"
    rasa_reply_timeout_s: float = 30.0

    # Urgent alerts go to the counselor channel; until it is set they wait in the outbox.
    alert_webhook_url: Optional[str] = None
    alert_webhook_secret: str = DEVELOPMENT_SECRET
    alert_poll_interval_s: float = 5.0
    alert_connect_timeout_s: float = 3.0
    alert_read_timeout_s: float = 10.0
    alert_retry_base_s: float = 5.0
    alert_retry_max_s: float = 600.0
    public_url: Optional[str] = None  # where staff open the web app (links in alerts); default web_url

    # `ilp retention apply` deletes conversation events older than this from the tracker store.
    transcript_retention_days: int = 365

    class Config:
        env_prefix = "ILP_"

        @classmethod
        def parse_env_var(cls, field_name: str, raw_value: str):
            if field_name == "trusted_proxies":
                return [part.strip() for part in raw_value.split(",") if part.strip()]
            return cls.json_loads(raw_value)  # type: ignore[attr-defined]

    @validator("database_url", always=True)
    def _default_plan_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'plan.db'}"

    @validator("rasa_instances")
    def _at_least_one_rasa(cls, value: int) -> int:
        if not 1 <= value <= 16:
            raise ValueError("ILP_RASA_INSTANCES must be from 1 to 16")
        return value

    @validator("tracker_database_url", always=True)
    def _default_tracker_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'tracker.db'}"

    @validator("rasa_token", "secret_key")
    def _no_placeholder_secret_in_production(cls, value: str, values: dict) -> str:
        if values.get("environment") == "production":
            _refuse_placeholder(value)
        return value

    @validator("trusted_proxies", each_item=True)
    def _address_or_network(cls, value: str) -> str:
        ipaddress.ip_network(value, strict=False)  # a ValueError names the bad entry
        return value

    @validator("alert_webhook_url")
    def _http_url(cls, value: Optional[str], values: dict) -> Optional[str]:
        if values.get("environment") == "production":
            # The alert names the student and their school: not in clear text across the network.
            if value and not value.startswith("https://"):
                raise ValueError("must start with https:// in production")
        elif value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value or None

    @validator("alert_webhook_secret")
    def _real_alert_secret_in_production(cls, value: str, values: dict) -> str:
        # Only refused once alerts are actually sent, so production can start before the channel exists.
        if values.get("environment") == "production" and values.get("alert_webhook_url"):
            _refuse_placeholder(value)
        return value

    @validator("transcript_retention_days")
    def _at_least_one_day(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1 (day)")
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in self.trusted_proxies)

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def staff_url(self) -> str:
        return (self.public_url or self.web_url).rstrip("/")


def _refuse_placeholder(secret: str) -> None:
    if secret == DEVELOPMENT_SECRET or len(secret) < 16:
        raise ValueError("set a real secret (16+ characters) in production")


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def new_secret() -> str:
    return secrets.token_urlsafe(24)
