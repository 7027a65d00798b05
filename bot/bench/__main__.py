"""`python -m bot.bench`: trains both assistants, runs both scenarios against ours then the baseline,
prints the figures (with each server's CPU ms per message) and writes var/bench/latest.json.
Exits 1 when an acknowledged answer is lost.

With --scaled N, ours runs twice on PostgreSQL and Redis, as one Rasa instance and as N behind nginx,
and the table adds the scaled figures and their ratios to the single instance measured in the same run.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Optional

from bot.bench import load, stack
from bot.bench.memory import PeakMemory, cpu_snapshot, serve_targets, single_target
from bot.bench.report import BenchResults, table, write_json
from bot.bench.stats import acknowledged_answers, cpu_ms_per_message, lost_answers, summarize
from bot.bench.train import TrainingFailed, train_baseline, train_ours
from bot.config import PROJECT_ROOT

RESULTS_PATH = PROJECT_ROOT / "var" / "bench" / "latest.json"
SATURATION_STUDENTS = 30
WARM_UP_STUDENT = "BENCH-WARMUP"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__)
    parser.add_argument("--advisory-s", type=float, default=180, help="length of the advisory period (default 180)")
    parser.add_argument("--saturation-s", type=float, default=60, help="length of the saturation run (default 60)")
    parser.add_argument("--students", type=int, default=300, help="students in the advisory period (default 300)")
    parser.add_argument("--mean-gap-s", type=float, default=20.0, help="mean seconds between a student's messages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (models, logs, databases)")
    parser.add_argument("--scaled", type=int, default=0, metavar="N",
                        help="also run N Rasa instances behind nginx, and the single instance, on PostgreSQL and Redis")
    parser.add_argument("--postgres", default=os.environ.get("ILP_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="an admin connection for the --scaled run's throwaway databases")
    parser.add_argument("--redis", default=os.environ.get("ILP_TEST_REDIS_URL", DEFAULT_REDIS),
                        help="the Redis lock store of the --scaled run")
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="use this trained model instead of training ours (training time is then not measured)")
    args = parser.parse_args(argv)
    if args.students < 1 or args.advisory_s <= 0 or args.saturation_s <= 0 or args.mean_gap_s <= 0:
        parser.error("--students, --advisory-s, --saturation-s and --mean-gap-s must be positive")
    if args.scaled == 1 or args.scaled < 0 or args.scaled > 16:
        parser.error("--scaled takes the number of Rasa instances, from 2 to 16")
    if args.model is not None and not args.model.is_file():
        parser.error(f"no model at {args.model}")
    return args


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers are stopped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work_dir = Path(tempfile.mkdtemp(prefix="ilp-bench-"))
    config = {"advisory_s": args.advisory_s, "saturation_s": args.saturation_s, "students": args.students,
              "saturation_students": min(SATURATION_STUDENTS, args.students), "mean_gap_s": args.mean_gap_s,
              "timeout_s": load.TIMEOUT.read, "seed": args.seed, "scaled_instances": args.scaled or None,
              "stores": "postgresql+redis" if args.scaled else "sqlite"}
    results = BenchResults(config=config)
    try:
        with PeakMemory() as memory:
            run(args, work_dir, results, memory)
    except (TrainingFailed, stack.StackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    results.peak_rss_mb = memory.peaks_mb
    print("\n" + table(results))
    write_json(results, RESULTS_PATH)
    print(f"\nwrote {os.path.relpath(RESULTS_PATH)}")
    if results.total_lost():
        print(f"error: {results.total_lost()} acknowledged answers are missing from the plan database", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace, work_dir: Path, results: BenchResults, memory: PeakMemory) -> None:
    models_dir = work_dir / "models"
    if args.model:
        step(f"using the trained model {args.model} (training not measured)")
        models_dir.mkdir()
        shutil.copy(args.model, models_dir / "ilp-advisor.tar.gz")
    else:
        step("training our assistant (cold cache, timed)")
        ours = train_ours(models_dir, work_dir / "rasa-cache")
        results.train_s = ours.seconds
        print(f"  {ours.seconds} s")
        # ilp serve loads models_dir/ilp-advisor.tar.gz
        ours.model.rename(ours.model.with_name("ilp-advisor.tar.gz"))
    step("training the bare Rasa baseline")
    baseline = train_baseline(work_dir / "baseline-model", work_dir / "rasa-cache-baseline")
    results.train_baseline_s = baseline.seconds
    print(f"  {baseline.seconds} s")

    students = stack.student_ids(args.students)
    sides = [("ours", 1), ("scaled", args.scaled)] if args.scaled else [("ours", None)]
    for side, instances in sides:
        with side_stores(args, work_dir, side, instances) as (plan_url, stores):
            step(f"seeding the plan database of {side} with {len(students)} synthetic students")
            stack.seed_plan_database(plan_url, [*students, WARM_UP_STUDENT])
            where = f"{instances} Rasa instance(s), PostgreSQL and Redis" if instances else "SQLite"
            step(f"starting {side} (ilp serve: {where}) on free ports")
            server = stack.start_ours(work_dir, models_dir, side, stores)
            try:
                targets = serve_targets(server.process.pid, side, instances or 1)
                memory.watch(targets)
                print(f"  answering after {stack.wait_healthy(server):.0f} s")
                drive(server, args, results, side, plan_url, targets)
            finally:
                stack.stop(server)
                memory.forget_all()

    step("starting the baseline (rasa run, in-memory tracker)")
    server = stack.start_baseline(work_dir, baseline.model)
    try:
        targets = single_target("baseline_rasa", server.process.pid)
        memory.watch(targets)
        print(f"  answering after {stack.wait_healthy(server):.0f} s")
        drive(server, args, results, "baseline", None, targets)
    finally:
        stack.stop(server)
        memory.forget_all()


@contextmanager
def side_stores(args: argparse.Namespace, work_dir: Path, side: str, instances: Optional[int]):
    """(plan database URL, ILP_ settings) for one side: SQLite in its var dir, or throwaway PostgreSQL databases."""
    if instances is None:
        (work_dir / "var").mkdir(exist_ok=True)
        yield f"sqlite:///{work_dir / 'var' / 'plan.db'}", {}
        return
    created = [stack.postgres_database(args.postgres, f"ilp_bench_{side}_plan"),
               stack.postgres_database(args.postgres, f"ilp_bench_{side}_tracker")]
    try:
        yield created[0], {"ILP_DATABASE_URL": created[0], "ILP_TRACKER_DATABASE_URL": created[1],
                           "ILP_REDIS_URL": args.redis, "ILP_RASA_INSTANCES": str(instances)}
    finally:
        for url in created:
            stack.drop_postgres_database(args.postgres, url)


def drive(server: stack.Server, args: argparse.Namespace, results: BenchResults, side: str,
          plan_url: Optional[str], targets: Callable[[dict[int, int]], dict[str, int]]) -> None:
    """Warm-up, then the advisory period and saturation; lost answers are checked only where a plan database exists.
    The CPU time of the `targets` servers is read just before and just after each scenario."""
    warm = asyncio.run(load.warm_up(server.rasa_url, server.rasa_headers, WARM_UP_STUDENT))
    print(f"  warm-up: {sum(reply.ok for reply in warm)}/{len(warm)} answered; "
          f"'{warm[1].message}' -> {warm[1].text!r}")
    students = stack.student_ids(args.students)
    scenarios = {
        "advisory": (f"advisory period: {len(students)} students, one message per ~{args.mean_gap_s:g} s "
                     f"each, {args.advisory_s:g} s",
                     lambda: load.advisory(server.rasa_url, server.rasa_headers, students, args.advisory_s, args.mean_gap_s, args.seed)),
        "saturation": (f"saturation: {min(SATURATION_STUDENTS, len(students))} students back to back, "
                       f"{args.saturation_s:g} s",
                       lambda: load.saturation(server.rasa_url, server.rasa_headers, students[:SATURATION_STUDENTS], args.saturation_s)),
    }
    for name, (title, scenario) in scenarios.items():
        step(f"{side}: {title} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        before = stack.stored_answers(plan_url) if plan_url else Counter()
        cpu_before = cpu_snapshot(targets)
        outcome = asyncio.run(scenario())
        cpu = cpu_ms_per_message(cpu_before, cpu_snapshot(targets), len(outcome.replies), prefix=f"{side}_")
        lost = None
        if plan_url:
            acknowledged = acknowledged_answers(outcome.replies, load.ANSWER_TOPICS)
            lost = lost_answers(acknowledged, before, stack.stored_answers(plan_url))
            if lost:
                explain_lost(outcome.replies)
        result = summarize(outcome.replies, outcome.elapsed_s, lost, cpu)
        results.scenarios.setdefault(name, {})[side] = result
        print(f"  {result.sent} sent, {result.errors} errors, p95 {result.p95_ms} ms, "
              f"{result.msgs_per_s} msgs/s" + ("" if lost is None else f", lost {lost}")
              + "; CPU ms per message: " + (", ".join(f"{role} {ms}" for role, ms in cpu.items()) or "-"))
        if result.errors:
            kinds = Counter(reply.text for reply in outcome.replies if not reply.ok)
            print("  errors: " + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common(5)))


def explain_lost(replies: list) -> None:
    """The replies the answer messages got, most common first: shows whether the bot misread or failed to save."""
    seen = Counter((reply.message, reply.text) for reply in replies if reply.ok and reply.message in load.ANSWER_TOPICS)
    print("  replies to answer messages:")
    for (message, text), count in seen.most_common(8):
        print(f"    {count:>5}  {message!r} -> {text!r}")


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
