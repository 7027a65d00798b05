"""One settings object, read from the environment (variables prefixed ILP_)."""
from __future__ import annotations

import functools
import ipaddress
from pathlib import Path
from typing import List, Optional

from pydantic import BaseSettings, ValidationError, root_validator, validator

from bot.errors import IlpError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Secrets that once stood in this repository as defaults: public, so never accepted.
PUBLIC_PLACEHOLDERS = frozenset({"development-only-not-secret"})
MIN_SECRET_CHARS = 16
# Given in the environment, or generated once into var/secrets.json outside production (bot/generated_secrets.py).
SECRET_SETTINGS = ("secret_key", "rasa_token", "action_token", "alert_webhook_secret")


class Settings(BaseSettings):
    # development | test | production. Unset: production when a server binds beyond loopback.
    environment: str = "development"
    var_dir: Path = PROJECT_ROOT / "var"

    # Plan data and conversation text live in separate databases on purpose.
    database_url: str = ""
    tracker_database_url: str = ""
    redis_url: Optional[str] = None

    host: str = "127.0.0.1"  # the web app, the only server people reach
    internal_host: str = "127.0.0.1"  # Rasa and the action server: reached by the web app and Rasa only
    # More than one: that many Rasa servers behind nginx on rasa_port (a shared PostgreSQL tracker
    # store and the Redis lock store are then required); see docs/deploy.md.
    rasa_instances: int = 1
    nginx_bin: Path = Path("/usr/sbin/nginx")
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    # None until given or generated; a server that needs one refuses to start without it.
    secret_key: Optional[str] = None  # signs the web app's session cookies
    rasa_token: Optional[str] = None  # the web app's credential for Rasa's REST channel and HTTP API
    action_token: Optional[str] = None  # Rasa's credential for the action server
    # Proxies (addresses or networks) whose X-Forwarded-For the web app believes; comma-separated in the
    # environment. Empty: the sign-in throttle counts each connection's own peer address.
    trusted_proxies: List[str] = []

    spacy_pipeline_dir: Path = PROJECT_ROOT / "build" / "spacy" / "ilp_en"
    models_dir: Path = PROJECT_ROOT / "models"
    rasa_reply_timeout_s: float = 30.0

    # Urgent alerts go to the counselor channel; until it is set they wait in the outbox.
    alert_webhook_url: Optional[str] = None
    alert_webhook_secret: Optional[str] = None
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

    @root_validator(pre=True)
    def _production_off_loopback(cls, values: dict) -> dict:
        if not values.get("environment"):
            hosts = (values.get("host") or "127.0.0.1", values.get("internal_host") or "127.0.0.1")
            values["environment"] = "development" if all(map(is_loopback, hosts)) else "production"
        return values

    @validator("database_url", always=True)
    def _default_plan_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'plan.db'}"

    @validator("rasa_instances")
    def _at_least_one_rasa(cls, value: int) -> int:
        if not 1 <= value <= 16:
            raise ValueError("must be from 1 to 16")
        return value

    @validator("tracker_database_url", always=True)
    def _default_tracker_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'tracker.db'}"

    @validator(*SECRET_SETTINGS)
    def _never_a_public_or_short_secret(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and (value in PUBLIC_PLACEHOLDERS or len(value) < MIN_SECRET_CHARS):
            raise ValueError(f"set a real secret ({MIN_SECRET_CHARS}+ random characters), never a published one")
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
        return f"http://{self.internal_host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.internal_host}:{self.action_port}/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"

    @property
    def staff_url(self) -> str:
        return (self.public_url or self.web_url).rstrip("/")


    def missing_secrets(self, *names: str) -> list[str]:
        """The environment variables of the named secrets that are not set, e.g. ["ILP_RASA_TOKEN"]."""
        return [f"ILP_{name.upper()}" for name in names if getattr(self, name) is None]


class MissingSecret(IlpError):
    def __init__(self, variables: list[str]) -> None:
        super().__init__(f"set {', '.join(variables)} (random, {MIN_SECRET_CHARS}+ characters each; "
                         "docs/deploy.md lists every setting); outside production `ilp serve` generates them")


def require_secrets(settings: Settings, *names: str) -> None:
    """Raises MissingSecret naming every one of `names` that is not set."""
    missing = settings.missing_secrets(*names)
    if missing:
        raise MissingSecret(missing)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SettingsError(IlpError):
    """A setting in the environment breaks a rule; the message names each variable and its rule."""

    def __init__(self, error: ValidationError) -> None:
        problems = [f"ILP_{str(problem['loc'][0]).upper()}: {problem['msg']}" for problem in error.errors()]
        super().__init__("; ".join(problems))


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    from bot.generated_secrets import with_generated_secrets

    try:
        settings = Settings()
    except ValidationError as error:
        raise SettingsError(error) from None
    return with_generated_secrets(settings)
