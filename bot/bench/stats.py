"""Pure figures from the replies of one scenario: percentiles, throughput, errors, lost answers, and CPU
time per message from two /proc snapshots."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Optional, Sequence


@dataclass(frozen=True)
class Reply:
    """One message a simulated student sent and what came back (`ok`: HTTP 200 with a non-empty list)."""

    sender: str
    message: str
    latency_s: float
    ok: bool
    text: str = ""  # start of the first reply, kept to explain lost answers


@dataclass(frozen=True)
class ScenarioResult:
    p50_ms: Optional[float]
    p95_ms: Optional[float]
    p99_ms: Optional[float]
    msgs_per_s: float
    errors: int
    lost: Optional[int]
    sent: int
    # server role (rasa, actions, web, alerts, ...) -> user+system CPU ms per message sent, process tree
    cpu_ms_per_msg: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: Sequence[float], fraction: float) -> Optional[float]:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be within [0, 1] (got {fraction})")
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def summarize(replies: Iterable[Reply], elapsed_s: float, lost: Optional[int] = None,
              cpu_ms_per_msg: Optional[dict[str, float]] = None) -> ScenarioResult:
    """Latency percentiles over answered messages only; errors are counted apart, never as fast replies."""
    replies = list(replies)
    latencies_ms = [reply.latency_s * 1000 for reply in replies if reply.ok]

    def rounded(value: Optional[float]) -> Optional[float]:
        return None if value is None else round(value, 1)

    return ScenarioResult(
        p50_ms=rounded(percentile(latencies_ms, 0.50)),
        p95_ms=rounded(percentile(latencies_ms, 0.95)),
        p99_ms=rounded(percentile(latencies_ms, 0.99)),
        msgs_per_s=round(len(latencies_ms) / elapsed_s, 2) if elapsed_s > 0 else 0.0,
        errors=len(replies) - len(latencies_ms),
        lost=lost,
        sent=len(replies),
        cpu_ms_per_msg=dict(cpu_ms_per_msg or {}),
    )


def cpu_ms_per_message(before: Mapping[str, Mapping[int, float]], after: Mapping[str, Mapping[int, float]],
                       messages: int, prefix: str = "") -> dict[str, float]:
    """CPU ms per message per server between two snapshots (server -> pid -> CPU ms used so far), keyed by
    the server's name without `prefix`. A process that started in between counts from zero; one that ended
    in between is not counted (what it used is no longer readable), and none counts below zero (a reused pid)."""
    if messages <= 0:
        return {}
    figures = {}
    for name, processes in after.items():
        earlier = before.get(name, {})
        used_ms = sum(max(0.0, now - earlier.get(pid, 0.0)) for pid, now in processes.items())
        figures[name.removeprefix(prefix)] = round(used_ms / messages, 2)
    return figures


# The start of the bot's reply when a save failed (utter_not_saved): a reply, but no acknowledgement.
NOT_SAVED = "Sorry, I couldn't save that"


def acknowledged_answers(replies: Iterable[Reply], topics: dict[str, str]) -> Counter:
    """(sender, topic) -> how many answer messages got a reply that did not say the save failed;
    `topics` maps answer text to topic."""
    return Counter((reply.sender, topics[reply.message]) for reply in replies
                   if reply.ok and reply.message in topics and not reply.text.startswith(NOT_SAVED))


def lost_answers(acknowledged: Counter, stored_before: Counter, stored_after: Counter) -> int:
    """Acknowledged answers with no row written during the scenario, per (sender, topic)."""
    return sum(max(0, count - (stored_after[key] - stored_before[key])) for key, count in acknowledged.items())


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)
