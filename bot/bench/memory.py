"""Peak resident memory of the servers, sampled from /proc every half second in a background thread,
and the CPU time they used, read from /proc before and after each scenario.

A server's memory and CPU time are those of its process plus every descendant (workers it forks), so a
server that moves work into child processes is not flattered.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, Optional

from bot.serve import command_line, server_role

PROC = Path("/proc")
SAMPLE_EVERY_S = 0.5
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def parse_ppid(stat: str) -> int:
    """The parent pid from /proc/<pid>/stat; the command name in parentheses may hold spaces or ')'."""
    return int(stat[stat.rindex(")") + 2:].split()[1])


def parse_cpu_ticks(stat: str) -> int:
    """User plus system CPU time (utime + stime, fields 14 and 15) from /proc/<pid>/stat, in clock ticks;
    the command name in parentheses may hold spaces or ')'. Children's cutime and cstime are left out."""
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def parse_rss_kb(status: str) -> int:
    """VmRSS from /proc/<pid>/status in kB (0 for a zombie, which has none)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def parent_map() -> dict[int, int]:
    parents = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = parse_ppid((PROC / entry.name / "stat").read_text())
            except (OSError, ValueError, IndexError):
                pass  # the process ended while we looked
    return parents


def descendants(pid: int, parents: Optional[dict[int, int]] = None) -> list[int]:
    parents = parent_map() if parents is None else parents
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def rss_kb(pid: int) -> int:
    try:
        return parse_rss_kb((PROC / str(pid) / "status").read_text())
    except OSError:
        return 0


def tree_rss_kb(pid: int, parents: dict[int, int]) -> int:
    return sum(rss_kb(each) for each in [pid, *descendants(pid, parents)])


def cpu_ms(pid: int) -> Optional[float]:
    """CPU milliseconds the process has used so far; None once it has ended."""
    try:
        return parse_cpu_ticks((PROC / str(pid) / "stat").read_text()) * 1000 / CLOCK_TICKS_PER_S
    except (OSError, ValueError, IndexError):
        return None


def cpu_snapshot(targets: Callable[[dict[int, int]], dict[str, int]]) -> dict[str, dict[int, float]]:
    """Per named server, the CPU ms used so far by its process and each current descendant, by pid."""
    parents = parent_map()
    snapshot = {}
    for name, pid in targets(parents).items():
        used = {each: cpu_ms(each) for each in [pid, *descendants(pid, parents)]}
        snapshot[name] = {each: ms for each, ms in used.items() if ms is not None}
    return snapshot


def serve_targets(serve_pid: int, prefix: str = "ours",
                  rasa_instances: int = 1) -> Callable[[dict[int, int]], dict[str, int]]:
    """Names the servers `ilp serve` started (its children), found by their command lines.

    With several Rasa instances each is rasa_1, rasa_2, ... in the order first seen, and keeps its name
    while it runs: a sample taken while only one of them is up (at the start or the stop) must not
    give it a name of its own.
    """
    names: dict[int, str] = {}

    def targets(parents: dict[int, int]) -> dict[str, int]:
        found = {}
        for child, parent in sorted(parents.items()):
            if parent != serve_pid or not (role := server_role(command_line(child))):
                continue
            if child not in names:
                name = f"{prefix}_{role}"
                if role == "rasa" and rasa_instances > 1:
                    name += f"_{sum(other.startswith(name) for other in names.values()) + 1}"
                names[child] = name
            found[names[child]] = child
        return found
    return targets


def single_target(name: str, pid: int) -> Callable[[dict[int, int]], dict[str, int]]:
    return lambda _parents: {name: pid}


class PeakMemory:
    """Samples the named process trees until stopped; `peaks_mb` holds the highest sum seen per name."""

    def __init__(self) -> None:
        self.peaks_mb: dict[str, float] = {}
        self._targets: list[Callable[[dict[int, int]], dict[str, int]]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def watch(self, targets: Callable[[dict[int, int]], dict[str, int]]) -> None:
        with self._lock:
            self._targets.append(targets)

    def forget_all(self) -> None:
        with self._lock:
            self._targets.clear()

    def sample(self) -> None:
        with self._lock:
            targets = list(self._targets)
        if not targets:
            return
        parents = parent_map()
        for find in targets:
            for name, pid in find(parents).items():
                megabytes = round(tree_rss_kb(pid, parents) / 1024, 1)
                if megabytes > self.peaks_mb.get(name, 0):
                    self.peaks_mb[name] = megabytes

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            self.sample()
