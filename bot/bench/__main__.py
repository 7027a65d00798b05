"""`python -m bot.bench`: trains both assistants, runs both scenarios against ours then the baseline,
prints the figures and writes var/bench/latest.json. Exits 1 when an acknowledged answer is lost.
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
from pathlib import Path
from typing import Optional

from bot.bench import load, stack
from bot.bench.memory import PeakMemory, serve_targets, single_target
from bot.bench.report import BenchResults, table, write_json
from bot.bench.stats import acknowledged_answers, lost_answers, summarize
from bot.bench.train import TrainingFailed, train_baseline, train_ours
from bot.config import PROJECT_ROOT

RESULTS_PATH = PROJECT_ROOT / "var" / "bench" / "latest.json"
SATURATION_STUDENTS = 30
WARM_UP_STUDENT = "BENCH-WARMUP"


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__)
    parser.add_argument("--advisory-s", type=float, default=180, help="length of the advisory period (default 180)")
    parser.add_argument("--saturation-s", type=float, default=60, help="length of the saturation run (default 60)")
    parser.add_argument("--students", type=int, default=300, help="students in the advisory period (default 300)")
    parser.add_argument("--mean-gap-s", type=float, default=20.0, help="mean seconds between a student's messages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (models, logs, databases)")
    args = parser.parse_args(argv)
    if args.students < 1 or args.advisory_s <= 0 or args.saturation_s <= 0 or args.mean_gap_s <= 0:
        parser.error("--students, --advisory-s, --saturation-s and --mean-gap-s must be positive")
    return args


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers are stopped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work_dir = Path(tempfile.mkdtemp(prefix="ilp-bench-"))
    config = {"advisory_s": args.advisory_s, "saturation_s": args.saturation_s, "students": args.students,
              "saturation_students": min(SATURATION_STUDENTS, args.students), "mean_gap_s": args.mean_gap_s,
              "timeout_s": load.TIMEOUT.read, "seed": args.seed}
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
    step("training our assistant (cold cache, timed)")
    ours = train_ours(work_dir / "models", work_dir / "rasa-cache")
    results.train_s = ours.seconds
    print(f"  {ours.seconds} s")
    step("training the bare Rasa baseline")
    baseline = train_baseline(work_dir / "baseline-model", work_dir / "rasa-cache-baseline")
    results.train_baseline_s = baseline.seconds
    print(f"  {baseline.seconds} s")
    # ilp serve loads models_dir/ilp-advisor.tar.gz
    ours.model.rename(ours.model.with_name("ilp-advisor.tar.gz"))

    students = stack.student_ids(args.students)
    (work_dir / "var").mkdir()
    plan_url = f"sqlite:///{work_dir / 'var' / 'plan.db'}"
    step(f"seeding a temporary plan database with {len(students)} synthetic students")
    stack.seed_plan_database(plan_url, [*students, WARM_UP_STUDENT])

    step("starting our stack (ilp serve) on free ports")
    server = stack.start_ours(work_dir, ours.model.parent)
    try:
        memory.watch(serve_targets(server.process.pid))
        print(f"  answering after {stack.wait_healthy(server):.0f} s")
        drive(server, args, results, "ours", plan_url)
    finally:
        stack.stop(server)
        memory.forget_all()

    step("starting the baseline (rasa run, in-memory tracker)")
    server = stack.start_baseline(work_dir, baseline.model)
    try:
        memory.watch(single_target("baseline_rasa", server.process.pid))
        print(f"  answering after {stack.wait_healthy(server):.0f} s")
        drive(server, args, results, "baseline", None)
    finally:
        stack.stop(server)
        memory.forget_all()


def drive(server: stack.Server, args: argparse.Namespace, results: BenchResults, side: str,
          plan_url: Optional[str]) -> None:
    """Warm-up, then the advisory period and saturation; lost answers are checked only where a plan database exists."""
    warm = asyncio.run(load.warm_up(server.rasa_url, WARM_UP_STUDENT))
    print(f"  warm-up: {sum(reply.ok for reply in warm)}/{len(warm)} answered; "
          f"'{warm[1].message}' -> {warm[1].text!r}")
    students = stack.student_ids(args.students)
    scenarios = {
        "advisory": (f"advisory period: {len(students)} students, one message per ~{args.mean_gap_s:g} s "
                     f"each, {args.advisory_s:g} s",
                     lambda: load.advisory(server.rasa_url, students, args.advisory_s, args.mean_gap_s, args.seed)),
        "saturation": (f"saturation: {min(SATURATION_STUDENTS, len(students))} students back to back, "
                       f"{args.saturation_s:g} s",
                       lambda: load.saturation(server.rasa_url, students[:SATURATION_STUDENTS], args.saturation_s)),
    }
    for name, (title, scenario) in scenarios.items():
        step(f"{side}: {title} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        before = stack.stored_answers(plan_url) if plan_url else Counter()
        outcome = asyncio.run(scenario())
        lost = None
        if plan_url:
            acknowledged = acknowledged_answers(outcome.replies, load.ANSWER_TOPICS)
            lost = lost_answers(acknowledged, before, stack.stored_answers(plan_url))
            if lost:
                explain_lost(outcome.replies)
        result = summarize(outcome.replies, outcome.elapsed_s, lost)
        results.scenarios.setdefault(name, {})[side] = result
        print(f"  {result.sent} sent, {result.errors} errors, p95 {result.p95_ms} ms, "
              f"{result.msgs_per_s} msgs/s" + ("" if lost is None else f", lost {lost}"))
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
