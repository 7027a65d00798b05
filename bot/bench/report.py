"""The bench's results as a readable table and as var/bench/latest.json."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from bot.bench.stats import ScenarioResult, ratio
from bot.var_dir import ensure_folder

SCENARIOS = ("advisory", "saturation")
SIDES = ("ours", "scaled", "baseline")
FIGURES = ("p50_ms", "p95_ms", "p99_ms", "msgs_per_s", "errors", "lost")


@dataclass
class BenchResults:
    config: dict
    train_s: Optional[float] = None
    train_baseline_s: Optional[float] = None
    scenarios: dict[str, dict[str, ScenarioResult]] = field(default_factory=dict)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def result(self, scenario: str, side: str) -> Optional[ScenarioResult]:
        return self.scenarios.get(scenario, {}).get(side)

    def total_lost(self) -> int:
        return sum(result.lost or 0 for sides in self.scenarios.values() for result in sides.values())


def as_json(results: BenchResults) -> dict:
    def figures(scenario: str, side: str) -> Optional[dict]:
        result = results.result(scenario, side)
        return None if result is None else result.as_dict()

    def figure(scenario: str, side: str, name: str) -> Optional[float]:
        result = results.result(scenario, side)
        return None if result is None else getattr(result, name)

    def rasa_cpu(scenario: str, side: str) -> Optional[float]:
        result = results.result(scenario, side)
        return None if result is None else result.cpu_ms_per_msg.get("rasa")

    return {
        **{scenario: {side: figures(scenario, side) for side in SIDES} for scenario in SCENARIOS},
        "ratio_p95": ratio(figure("advisory", "ours", "p95_ms"), figure("advisory", "baseline", "p95_ms")),
        "ratio_throughput": ratio(figure("saturation", "ours", "msgs_per_s"),
                                  figure("saturation", "baseline", "msgs_per_s")),
        "ratio_scaled_p95": ratio(figure("advisory", "scaled", "p95_ms"), figure("advisory", "ours", "p95_ms")),
        "ratio_scaled_throughput": ratio(figure("saturation", "scaled", "msgs_per_s"),
                                         figure("saturation", "ours", "msgs_per_s")),
        # Rasa's CPU ms per message, ours over bare Rasa's: what our pipeline, stores and action calls add
        "ratio_rasa_cpu_ms_per_msg": {scenario: ratio(rasa_cpu(scenario, "ours"), rasa_cpu(scenario, "baseline"))
                                      for scenario in SCENARIOS},
        "train_s": results.train_s,
        "train_baseline_s": results.train_baseline_s,
        "peak_rss_mb": dict(sorted(results.peak_rss_mb.items())),
        "config": results.config,
    }


def write_json(results: BenchResults, path: Path) -> None:
    ensure_folder(path.parent)
    path.write_text(json.dumps(as_json(results), indent=2) + "\n")


def table(results: BenchResults) -> str:
    data = as_json(results)
    header = f"{'scenario':<11} {'stack':<9}" + "".join(f"{name:>12}" for name in FIGURES)
    lines = [header, "-" * len(header)]
    for scenario in SCENARIOS:
        for side in SIDES:
            if data[scenario][side] is None and side == "scaled":
                continue
            row = data[scenario][side] or {}
            lines.append(f"{scenario:<11} {side:<9}" + "".join(f"{_cell(row.get(name)):>12}" for name in FIGURES))
    lines.append("")
    lines.append(f"ours/baseline p95 (advisory):            {_cell(data['ratio_p95'])}")
    lines.append(f"ours/baseline throughput (saturation):   {_cell(data['ratio_throughput'])}")
    if data["ratio_scaled_p95"] is not None or data["ratio_scaled_throughput"] is not None:
        lines.append(f"scaled/single p95 (advisory):            {_cell(data['ratio_scaled_p95'])}")
        lines.append(f"scaled/single throughput (saturation):   {_cell(data['ratio_scaled_throughput'])}")
    lines.append("CPU ms per message (user+system, process and its descendants, over the messages sent):")
    for scenario in SCENARIOS:
        for side in SIDES:
            per_role = (data[scenario][side] or {}).get("cpu_ms_per_msg")
            if per_role:
                lines.append(f"  {scenario:<11} {side:<9} " + "  ".join(f"{role} {ms}" for role, ms in per_role.items()))
    cpu_ratios = data["ratio_rasa_cpu_ms_per_msg"]
    lines.append("ours/baseline Rasa's CPU ms per message:  "
                 + "   ".join(f"{scenario} {_cell(cpu_ratios[scenario])}" for scenario in SCENARIOS))
    lines.append(f"train ours: {_cell(data['train_s'])} s   train baseline: {_cell(data['train_baseline_s'])} s")
    lines.append("peak RSS (MB, process and its descendants):")
    lines += [f"  {name:<16} {megabytes:>8.1f}" for name, megabytes in data["peak_rss_mb"].items()]
    return "\n".join(lines)


def _cell(value) -> str:
    return "-" if value is None else str(value)
