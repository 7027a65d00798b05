"""`python -m bot.encoder.bench`: what the built encoder costs on one core, int8 and fp32. Figures only.

Each variant is measured in a process of its own, pinned to one core, so its memory figures are
its own and its timings are one thread's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bot.config import get_settings
from bot.encoder.runtime import BATCH_SIZE, load_encoder, read_manifest
from bot.encoder.samples import STUDENT_SENTENCES

VARIANTS = ("int8", "fp32")
SINGLE_ROUNDS = 20
BATCHES = 8
# Student messages of 8 to 30 words, what most turns look like.
ORDINARY = [text for text in STUDENT_SENTENCES if 8 <= len(text.split()) <= 30]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(variant: str, directory: str | None) -> dict:
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    before = rss_mb()
    start = time.perf_counter()
    encoder = load_encoder(variant, directory)
    load_s = time.perf_counter() - start
    after_load = rss_mb()

    encoder.encode(ORDINARY)  # warm-up
    singles = []
    for _ in range(SINGLE_ROUNDS):
        for text in ORDINARY:
            start = time.perf_counter()
            encoder.encode([text])
            singles.append((time.perf_counter() - start) * 1000)
    texts = [ORDINARY[index % len(ORDINARY)] for index in range(BATCH_SIZE * BATCHES)]
    start = time.perf_counter()
    encoder.encode(texts)
    batch_s = time.perf_counter() - start
    return {"variant": variant, "load_s": load_s, "rss_load_mb": after_load - before,
            "rss_used_mb": rss_mb() - before, "p50_ms": float(np.percentile(singles, 50)),
            "p95_ms": float(np.percentile(singles, 95)), "batch_per_s": len(texts) / batch_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.encoder.bench", description=__doc__)
    parser.add_argument("--directory", help="the built encoder (default ILP_ENCODER_DIR)")
    parser.add_argument("--variant", choices=VARIANTS, help="measure this one here and print JSON (used internally)")
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(measure(args.variant, args.directory)))
        return 0

    directory = Path(args.directory or get_settings().encoder_dir)
    manifest = read_manifest(directory)
    print(f"{manifest['model']} from {directory}: {len(ORDINARY)} sentences of 8-30 words, one core, "
          f"single sentences x{SINGLE_ROUNDS}, then {BATCHES} batches of {BATCH_SIZE}")
    print(f"{'variant':8} {'p50 ms':>7} {'p95 ms':>7} {'batch/s':>8} {'load s':>7} {'RSS load MB':>12} {'RSS used MB':>12}")
    for variant in VARIANTS:
        command = [sys.executable, "-m", "bot.encoder.bench", "--variant", variant, "--directory", str(directory)]
        figures = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        print(f"{variant:8} {figures['p50_ms']:7.2f} {figures['p95_ms']:7.2f} {figures['batch_per_s']:8.0f} "
              f"{figures['load_s']:7.2f} {figures['rss_load_mb']:12.0f} {figures['rss_used_mb']:12.0f}")
    agreement = manifest["int8_vs_fp32_cosine"]
    print(f"int8 vs fp32 cosine on {agreement['sentences']} samples: min {agreement['min']}, mean {agreement['mean']}; "
          f"default variant: {manifest['default_variant']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
