"""Where the project's content files live, and how they are read."""
from __future__ import annotations

from typing import Any

import yaml

from bot.config import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "data"


def load_yaml(relative_path: str) -> Any:
    with open(DATA_DIR / relative_path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
