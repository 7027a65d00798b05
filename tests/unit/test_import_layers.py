"""The import layers declared in pyproject.toml ([tool.importlinter]) hold, and every runtime module is in one.

`make lint` runs the same check (`lint-imports`); this test keeps it in the unit tier too.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
tomli = pytest.importorskip("tomli")  # import-linter's own TOML reader (the dev extra) on Python 3.10


def _contracts() -> dict[str, dict]:
    config = tomli.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {contract["id"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def _modules_in_layers() -> set[str]:
    layers = _contracts()["layers"]["layers"]
    return {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}


def test_no_import_runs_back_up_a_layer():
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (the dev extra: make setup)")
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_of_bot_is_in_a_layer():
    # A module no layer names would be checked by nothing: a new module of bot/ is given its layer.
    # bot/alerts is split: its worker is an entrypoint, the outbox and its delivery are core.
    in_layers = _modules_in_layers()
    bot = PROJECT_ROOT / "bot"
    modules = {f"bot.{path.stem}" for path in bot.glob("*.py") if path.stem != "__init__"}
    modules |= {f"bot.{path.name}" for path in bot.iterdir() if (path / "__init__.py").exists()} - {"bot.alerts"}
    modules |= {f"bot.alerts.{path.stem}" for path in (bot / "alerts").glob("*.py") if path.stem != "__init__"}
    assert modules - in_layers == set()
    assert in_layers - modules - {"actions", "components"} == set()  # no layer names a module that is gone
