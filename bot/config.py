"""One settings object, read from the environment (variables prefixed ILP_)."""
from __future__ import annotations

import functools
import secrets
from pathlib import Path
from typing import Optional

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
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    rasa_token: str = DEVELOPMENT_SECRET
    secret_key: str = DEVELOPMENT_SECRET

    spacy_pipeline_dir: Path = PROJECT_ROOT / "build" / "spacy" / "ilp_en"
    models_dir: Path = PROJECT_ROOT / "models"
    rasa_reply_timeout_s: float = 30.0

    class Config:
        env_prefix = "ILP_"

    @validator("database_url", always=True)
    def _default_plan_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'plan.db'}"

    @validator("tracker_database_url", always=True)
    def _default_tracker_database(cls, value: str, values: dict) -> str:
        return value or f"sqlite:///{values['var_dir'] / 'tracker.db'}"

    @validator("rasa_token", "secret_key")
    def _no_placeholder_secret_in_production(cls, value: str, values: dict) -> str:
        if values.get("environment") == "production" and (value == DEVELOPMENT_SECRET or len(value) < 16):
            raise ValueError("set a real secret (16+ characters) in production")
        return value

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}"


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def new_secret() -> str:
    return secrets.token_urlsafe(24)
