"""`python -m bot.bench.chaos` (`make chaos`): the advisory-period load on the scaled topology while
one fault at a time is injected, with what each fault cost.

The stack runs on its own throwaway PostgreSQL cluster (the plan database behind a proxy that can be
made slow) and Redis server. Faults: kill -9 of the action server and of one Rasa instance (`ilp
serve` starts each again), a PostgreSQL restart, Redis stopped and started again, and a slow plan
database. For each it prints messages sent, replies, student-visible errors (a 200 with no messages
counts as an error), answers acknowledged, answers stored, answers lost (must be 0) and the time to
recover (from the fault until the server is running again and a probe student gets a reply).
Exits 1 when any acknowledged answer is missing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Optional

import httpx

from bot.bench import load, stack
from bot.bench.faults import SlowProxy, ThrowawayPostgres, ThrowawayRedis, kill_child
from bot.bench.stats import acknowledged_answers, lost_answers
from bot.config import PROJECT_ROOT
from bot.db.migrate import create_database
from bot.var_dir import ensure_folder

FAULTS = ("actions", "rasa", "postgres", "redis", "slow_db")
PROBE_STUDENT = "BENCH-PROBE"
RESULTS_PATH = PROJECT_ROOT / "var" / "bench" / "chaos.json"


@dataclass(frozen=True)
class FaultResult:
    fault: str
    sent: int
    replies: int
    errors: int
    acknowledged: int
    stored: int
    lost: int
    recovery_s: Optional[float]


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", default=",".join(FAULTS), help=f"comma-separated, from {', '.join(FAULTS)}")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60, help="load per fault (default 60)")
    parser.add_argument("--inject-at", type=float, default=15, help="seconds into the load (default 15)")
    parser.add_argument("--down-s", type=float, default=5, help="how long PostgreSQL or Redis stays down")
    parser.add_argument("--slow-s", type=float, default=20, help="how long the plan database stays slow")
    parser.add_argument("--delay-s", type=float, default=0.3, help="delay per network read of the slow database")
    parser.add_argument("--mean-gap-s", type=float, default=5.0)
    parser.add_argument("--instances", type=int, default=2, help="Rasa instances behind nginx (default 2)")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "ilp-advisor.tar.gz")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.faults = [fault.strip() for fault in args.faults.split(",") if fault.strip()]
    unknown = set(args.faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults {sorted(unknown)}; choose from {', '.join(FAULTS)}")
    if not args.model.is_file():
        parser.error(f"no trained model at {args.model} (make chaos trains it first)")
    if not 0 < args.inject_at < args.seconds:
        parser.error("--inject-at must fall inside --seconds")
    return args


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    work_dir = Path(tempfile.mkdtemp(prefix="ilp-chaos-"))
    results: list[FaultResult] = []
    try:
        with ThrowawayPostgres() as postgres, ThrowawayRedis(work_dir / "redis") as redis_server, \
                SlowProxy(postgres.port) as proxy:
            run(args, work_dir, postgres, redis_server, proxy, results)
    except (stack.StackError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    print("\n" + table(results))
    ensure_folder(RESULTS_PATH.parent)
    RESULTS_PATH.write_text(json.dumps([asdict(result) for result in results], indent=2) + "\n")
    lost = sum(result.lost for result in results)
    if lost:
        print(f"error: {lost} acknowledged answers are missing from the plan database", file=sys.stderr)
        return 1
    return 0


def run(args, work_dir: Path, postgres: ThrowawayPostgres, redis_server: ThrowawayRedis, proxy: SlowProxy,
        results: list[FaultResult]) -> None:
    for database in ("ilp_plan", "ilp_tracker"):
        create_database(postgres.url(database))
    plan_url = postgres.url("ilp_plan")
    students = stack.student_ids(args.students)
    stack.seed_plan_database(plan_url, [*students, PROBE_STUDENT])
    models_dir = work_dir / "models"
    models_dir.mkdir()
    shutil.copy(args.model, models_dir / "ilp-advisor.tar.gz")
    stores = {"ILP_DATABASE_URL": postgres.url("ilp_plan", proxy.port),
              "ILP_TRACKER_DATABASE_URL": postgres.url("ilp_tracker"),
              "ILP_REDIS_URL": redis_server.url, "ILP_RASA_INSTANCES": str(args.instances)}
    step(f"starting the stack: {args.instances} Rasa instances behind nginx, throwaway PostgreSQL and Redis")
    server = stack.start_ours(work_dir, models_dir, "chaos", stores)
    try:
        print(f"  answering after {stack.wait_healthy(server):.0f} s")
        asyncio.run(load.warm_up(server.rasa_url, server.rasa_headers, PROBE_STUDENT))
        var_dir = work_dir / "var-chaos"
        rasa_name = "rasa-1" if args.instances > 1 else "rasa"
        injections: dict[str, Callable[[], Optional[tuple[str, int]]]] = {
            "actions": lambda: ("actions", kill_child(var_dir, "actions")),
            "rasa": lambda: (rasa_name, kill_child(var_dir, rasa_name)),
            "postgres": lambda: postgres.restart(args.down_s),
            "redis": lambda: redis_server.restart(args.down_s),
            "slow_db": lambda: slow_for(proxy, args.delay_s, args.slow_s),
        }
        for fault in args.faults:
            step(f"{fault}: {args.students} students for {args.seconds:g} s, the fault at {args.inject_at:g} s")
            before = stack.stored_answers(plan_url)
            outcome, recovery_s = asyncio.run(under_fault(server, students, args, injections[fault], var_dir))
            acknowledged = acknowledged_answers(outcome.replies, load.ANSWER_TOPICS)
            after = stack.stored_answers(plan_url)
            result = FaultResult(
                fault, sent=len(outcome.replies), replies=sum(reply.ok for reply in outcome.replies),
                errors=sum(not reply.ok for reply in outcome.replies), acknowledged=sum(acknowledged.values()),
                stored=sum(max(after[key] - before[key], 0) for key in acknowledged),
                lost=lost_answers(acknowledged, before, after), recovery_s=recovery_s)
            results.append(result)
            if result.lost:
                explain_lost(outcome.replies, acknowledged, before, after)
            kinds = Counter(reply.text for reply in outcome.replies if not reply.ok)
            print(f"  {result}\n  errors: " + (", ".join(f"{n} {kind}" for kind, n in kinds.most_common(4)) or "none"))
    finally:
        stack.stop(server)


async def under_fault(server: stack.Server, students: list[str], args, inject, var_dir: Path):
    """The load, with the fault injected part-way; returns the load's outcome and the time to recover."""
    load_task = asyncio.create_task(load.advisory(server.rasa_url, server.rasa_headers, students, args.seconds, args.mean_gap_s, args.seed))
    await asyncio.sleep(args.inject_at)
    injected_at = time.monotonic()
    killed = await asyncio.to_thread(inject)
    if killed:
        await asyncio.to_thread(wait_pid_changed, var_dir, *killed)
    recovery_s = await probe_until_answered(server, injected_at)
    return await load_task, recovery_s


def explain_lost(replies, acknowledged: Counter, before: Counter, after: Counter) -> None:
    """What the students whose acknowledged answers are missing were told."""
    for key, count in acknowledged.items():
        if after[key] - before[key] < count:
            sender, topic = key
            told = [reply.text for reply in replies if reply.sender == sender and load.ANSWER_TOPICS.get(reply.message) == topic]
            print(f"  missing: {sender} {topic}: acknowledged {count}, stored {after[key] - before[key]}; replies {told}")


def slow_for(proxy: SlowProxy, delay_s: float, seconds: float) -> None:
    proxy.delay_s = delay_s
    try:
        time.sleep(seconds)
    finally:
        proxy.delay_s = 0.0


def wait_pid_changed(var_dir: Path, name: str, old_pid: int, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if int((var_dir / "run" / f"{name}.pid").read_text()) != old_pid:
            return
        time.sleep(0.2)
    raise RuntimeError(f"ilp serve did not start {name} again within {timeout_s} s")


async def probe_until_answered(server: stack.Server, since: float, timeout_s: float = 180) -> Optional[float]:
    """Seconds from `since` until the probe student's "hi" (a custom action, the tracker and the lock) is answered."""
    async with httpx.AsyncClient(timeout=30, headers=server.rasa_headers, trust_env=False) as client:
        while time.monotonic() - since < timeout_s:
            reply = await load.send(client, load.webhook(server.rasa_url), PROBE_STUDENT, "hi")
            if reply.ok:
                return round(time.monotonic() - since, 1)
            await asyncio.sleep(0.5)
    return None


def table(results: list[FaultResult]) -> str:
    names = ("sent", "replies", "errors", "acknowledged", "stored", "lost", "recovery_s")
    header = f"{'fault':<10}" + "".join(f"{name:>14}" for name in names)
    rows = [f"{r.fault:<10}" + "".join(f"{'-' if getattr(r, n) is None else getattr(r, n):>14}" for n in names)
            for r in results]
    return "\n".join([header, "-" * len(header), *rows])


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
