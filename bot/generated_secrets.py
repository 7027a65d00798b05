"""Secrets for a checkout that runs on one machine: generated once, kept in var/secrets.json (0600).

Every process of the stack (web app, Rasa, action server, alert worker, the `ilp` command) reads
the same file, so they agree without the secrets ever appearing on a command line. A secret given
in the environment always wins. In production nothing is generated: the operator gives every
secret (several hosts must share them), and a server that lacks one refuses to start.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from bot.config import SECRET_SETTINGS, Settings
from bot.var_dir import PRIVATE_FILE, ensure_folder

SECRETS_FILE = "secrets.json"


def with_generated_secrets(settings: Settings) -> Settings:
    """`settings` with every secret the environment did not give taken from var/secrets.json."""
    missing = [name for name in SECRET_SETTINGS if getattr(settings, name) is None]
    if not missing or settings.environment == "production":
        return settings
    stored = stored_secrets(settings.var_dir / SECRETS_FILE)
    return settings.copy(update={name: stored[name] for name in missing})


def stored_secrets(path: Path) -> dict[str, str]:
    """The secrets in `path`, which is first written, one new secret per setting, if missing."""
    if not path.exists():
        ensure_folder(path.parent)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(descriptor, "w") as file:
            json.dump({name: secrets.token_urlsafe(32) for name in SECRET_SETTINGS}, file, indent=2)
        try:
            os.link(draft, path)  # atomic, and fails if another process wrote the file first: theirs wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return json.loads(path.read_text())
