"""One settings object, read from the environment (variables prefixed ILP_)."""
from __future__ import annotations

import functools
import ipaddress
from pathlib import Path
from typing import List, Optional

from pydantic import BaseSettings, Field, ValidationError, root_validator, validator

from bot.errors import IlpError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Secrets that once stood in this repository as defaults: public, so never accepted.
PUBLIC_PLACEHOLDERS = frozenset({"development-only-not-secret"})
MIN_SECRET_CHARS = 16
# Given in the environment, or generated once into var/secrets.json outside production (bot/generated_secrets.py).
SECRET_SETTINGS = ("secret_key", "rasa_token", "action_token", "alert_webhook_secret")


class Settings(BaseSettings):
    """Every setting, with the description docs/deploy.md's table is generated from (`ilp settings`)."""

    environment: str = Field(default="development", shown="`development` on loopback, else `production`", description=(
        "`development`, `test` or `production`. Production generates no secret, refuses the demo school and "
        "marks cookies Secure (HTTPS only). Unset: production once `ILP_HOST` or `ILP_INTERNAL_HOST` is "
        "not a loopback address"))
    var_dir: Path = Field(default=PROJECT_ROOT / "var", shown="`var`", description=(
        "SQLite databases, logs, pid files and generated secrets; made on first use, owner-only"))

    # Plan data and conversation text live in separate databases on purpose.
    database_url: str = Field(default="", shown="`sqlite:///var/plan.db`", production=True,
                              description="the plan database, e.g. `postgresql://ilp@db/ilp_plan`")
    tracker_database_url: str = Field(default="", shown="`sqlite:///var/tracker.db`", production=True, description=(
        "Rasa's tracker store: every word students type, kept apart from plans"))
    redis_url: Optional[str] = Field(default=None, description=(
        "Redis lock store, needed by several Rasa instances, e.g. `redis://cache:6379/0`"))

    host: str = Field(default="127.0.0.1", description="where the web app listens: the only server people reach")
    internal_host: str = Field(default="127.0.0.1", description=(
        "where Rasa and the action server listen and are reached (by the web app and Rasa only)"))
    rasa_instances: int = Field(default=1, description=(
        "Rasa servers behind nginx on `ILP_RASA_PORT` (1 to 16; above 1 needs PostgreSQL and Redis)"))
    nginx_bin: Path = Field(default=Path("/usr/sbin/nginx"), description="nginx, for several Rasa instances")
    rasa_port: int = Field(default=5005, description="Rasa (or the nginx in front of its instances)")
    action_port: int = Field(default=5055, description="the action server")
    web_port: int = Field(default=8000, description="the web app")
    # None until given or generated; a server that needs one refuses to start without it.
    secret_key: Optional[str] = Field(default=None, shown="generated outside production", production=True,
                                      description="signs session cookies; the same on every web process")
    rasa_token: Optional[str] = Field(default=None, shown="generated outside production", production=True, description=(
        "the web app's credential for Rasa's REST channel and HTTP API"))
    action_token: Optional[str] = Field(default=None, shown="generated outside production", production=True,
                                        description="Rasa's credential for the action server")
    trusted_proxies: List[str] = Field(default=[], shown="none", description=(
        "comma-separated addresses or networks of reverse proxies whose `X-Forwarded-For` the web app believes"))

    spacy_pipeline_dir: Path = Field(default=PROJECT_ROOT / "build" / "spacy" / "ilp_en", shown="`build/spacy/ilp_en`",
                                     description="the spaCy pipeline `ilp nlp build` makes")
    encoder_dir: Path = Field(default=PROJECT_ROOT / "build" / "encoder", shown="`build/encoder`", description=(
        "the sentence encoder `ilp encoder build` makes (all-MiniLM-L6-v2 as ONNX)"))
    models_dir: Path = Field(default=PROJECT_ROOT / "models", shown="`models`",
                             description="the trained Rasa model's folder")
    rasa_reply_timeout_s: float = Field(default=30.0, description="how long the web app waits for Rasa's reply")

    # Urgent alerts go to the counselor channel; until it is set they wait in the outbox.
    alert_webhook_url: Optional[str] = Field(default=None, description=(
        "the counselor channel urgent alerts are posted to (https in production); unset, they wait in the outbox"))
    alert_webhook_secret: Optional[str] = Field(default=None, shown="generated outside production", production=True,
                                                description="signs each alert (needed once the webhook is set)")
    alert_poll_interval_s: float = Field(default=5.0, description="how often the alert worker looks for work")
    alert_connect_timeout_s: float = Field(default=3.0, description="connect timeout of an alert's POST")
    alert_read_timeout_s: float = Field(default=10.0, description="read timeout of an alert's POST")
    alert_retry_base_s: float = Field(default=5.0, description="first wait before an alert is tried again (it doubles)")
    alert_retry_max_s: float = Field(default=600.0, description="longest wait between tries of an alert")
    public_url: Optional[str] = Field(default=None, shown="the web app's own address", description=(
        "where staff open the web app: the links in alerts"))

    transcript_retention_days: int = Field(default=365, description=(
        "`ilp retention apply` deletes conversation events older than this from the tracker store"))

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



class MissingSecret(IlpError):
    def __init__(self, variables: list[str]) -> None:
        super().__init__(f"set {', '.join(variables)} (random, {MIN_SECRET_CHARS}+ characters each; "
                         "docs/deploy.md lists every setting); outside production `ilp serve` generates them")


def require_secrets(settings: Settings, *names: str) -> None:
    """Raises MissingSecret naming every one of `names` that is not set."""
    missing = [f"ILP_{name.upper()}" for name in names if getattr(settings, name) is None]
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


def settings_table() -> str:
    """The Markdown table of every setting (docs/deploy.md holds it; a test keeps the two the same)."""
    rows = ["| variable | default | must be given in production | meaning |", "|---|---|---|---|"]
    for name, field in Settings.__fields__.items():
        extra = field.field_info.extra
        shown = extra.get("shown") or (f"`{field.default}`" if field.default not in (None, "", []) else "unset")
        rows.append(f"| `ILP_{name.upper()}` | {shown} | {'yes' if extra.get('production') else ''} | "
                    f"{field.field_info.description} |")
    return "\n".join(rows) + "\n"
