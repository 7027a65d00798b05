"""Timed `rasa train` runs of our assistant and of the bare baseline."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.var_dir import ensure_folder

RASA = Path(sys.executable).parent / "rasa"
TRAIN_TIMEOUT_S = 3600
BASELINE_DIR = PROJECT_ROOT / "data" / "benchmarks" / "baseline"


class TrainingFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Trained:
    model: Path
    seconds: float


def train_ours(out_dir: Path, cache_dir: Path) -> Trained:
    return _train(["--config", "config.yml", "--domain", "domain.yml",
                   "--data", "data/nlu", "data/rules", "data/stories"], "ours", out_dir, cache_dir)


def train_baseline(out_dir: Path, cache_dir: Path) -> Trained:
    return _train(["--config", str(BASELINE_DIR / "config.yml"), "--domain", str(BASELINE_DIR / "domain.yml"),
                   "--data", str(BASELINE_DIR / "data")], "baseline", out_dir, cache_dir)


def _train(arguments: list[str], name: str, out_dir: Path, cache_dir: Path) -> Trained:
    ensure_folder(out_dir)
    log_path = out_dir / f"train-{name}.log"
    # An empty cache of our own: the repo's .rasa/cache would turn the timed run into a cache lookup.
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache_dir),
           "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}
    command = [str(RASA), "train", *arguments, "--out", str(out_dir), "--fixed-model-name", name]
    started = time.monotonic()
    with open(log_path, "wb") as log:
        try:
            result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, timeout=TRAIN_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            raise TrainingFailed(f"training {name} took over {TRAIN_TIMEOUT_S} s") from error
    seconds = time.monotonic() - started
    model = out_dir / f"{name}.tar.gz"
    if result.returncode != 0 or not model.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
        raise TrainingFailed(f"training {name} failed (exit {result.returncode}):\n{tail}")
    return Trained(model, round(seconds, 1))
