from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import get_settings
from bot.encoder.runtime import MANIFEST


@pytest.fixture(scope="session")
def encoder_dir() -> Path:
    """The encoder `make setup` built; tests that need it skip (saying how to build it) when it is absent."""
    directory = get_settings().encoder_dir
    if not (directory / MANIFEST).exists():
        pytest.skip(f"no sentence encoder built at {directory}: run `make encoder` (part of `make setup`)")
    return directory
