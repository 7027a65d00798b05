"""Plays the whole conversations through the real stack and prints what passed (issue 19).

    python -m tests.whole_conversations.report [--model PATH] [--set YAML] [--save-run FILE] [--from-run FILE]

Prints, per expectation kind, passed/total; the false "saved" replies; then each failure in one line:
conversation, turn, expectation, what happened. `--save-run` keeps everything the stack said and every
plan snapshot as JSON; `--from-run` judges such a file again without starting the stack. Exit code 0
(it measures; tests/integration/test_whole_conversations.py is the gate), 2 when the stack could not run.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pytest

from tests.whole_conversations.runner import (
    DEFAULT_SET, EXPECTATION_KINDS, NOTHING_TO_TAKE_BACK, Judgement, judge, played_from_json, played_to_json, run,
)


def format_report(judgement: Judgement, conversations: int, turns: int) -> str:
    lines = [f"Whole conversations: {conversations} conversations, {turns} turns"]
    counts = judgement.counts()
    for kind in EXPECTATION_KINDS:
        passed, total = counts[kind]
        lines.append(f"  {kind:<14} {passed:>3}/{total:<3}")
    passed = sum(p for p, _ in counts.values())
    total = sum(t for _, t in counts.values())
    lines.append(f"  {'all':<14} {passed:>3}/{total:<3}")
    by_detail: dict[str, list[int]] = {}
    for result in judgement.results:
        if result.expectation.kind in ("save", "must_have", "must_not_have"):
            detail = f"{result.expectation.kind} {result.expectation.item_kind}"
        elif result.expectation.kind == "answer":
            detail = f"answer {result.expectation.topic}"
        elif result.expectation.kind == "undo" and result.what.startswith(NOTHING_TO_TAKE_BACK):
            detail = f"undo with {NOTHING_TO_TAKE_BACK}"
        else:
            continue
        tally = by_detail.setdefault(detail, [0, 0])
        tally[0] += result.passed
        tally[1] += 1
    lines.append("  by kind of item and topic: " + "; ".join(
        f"{detail} {p}/{t}" for detail, (p, t) in sorted(by_detail.items())))
    lines.append(f'False "saved" (a reply says saved or added, the plan did not change): {len(judgement.false_saved)}')
    for claim in judgement.false_saved:
        lines.append(f"  {claim.conversation} turn {claim.turn} {claim.say!r}: "
                     f"{'[' + claim.response + '] ' if claim.response else ''}“{claim.sentence}”")
    failures = judgement.failures()
    lines.append(f"Failures: {len(failures)}")
    for failure in failures:
        where = f"turn {failure.turn}" if failure.turn else "end"
        lines.append(f"  {failure.conversation} {where}: {failure.expectation.describe()}: {failure.what}")
    lines.append(f"Writes on questions (an `answer` turn that changed the plan): {len(judgement.writes_on_questions)}")
    lines += [f"  {line}" for line in judgement.writes_on_questions]
    lines.append(f"Hidden writes (answers table only, My plan unchanged; not judged): {len(judgement.hidden_writes)}")
    lines += [f"  {line}" for line in judgement.hidden_writes]
    if judgement.errors:
        lines.append(f"Errors: {len(judgement.errors)}")
        lines += [f"  {line}" for line in judgement.errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.whole_conversations.report",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, help="the trained Rasa model (default: models/ilp-advisor.tar.gz)")
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the conversations (default: %(default)s)")
    parser.add_argument("--save-run", type=Path, help="write every reply and plan snapshot to this JSON file")
    parser.add_argument("--from-run", type=Path, help="judge a run saved with --save-run; starts no stack")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.from_run:
        played = played_from_json(json.loads(args.from_run.read_text()), args.set)
        judgement = judge(played)
    else:
        if args.model is not None and not args.model.exists():
            print(f"error: no model at {args.model}", file=sys.stderr)
            return 2
        try:
            played, judgement = run(args.set, args.model, progress=lambda line: print(line, file=sys.stderr))
        except (Exception, pytest.fail.Exception, pytest.skip.Exception) as error:  # the stack did not start or died
            print(f"error: the whole conversations could not run: {type(error).__name__}: {error}", file=sys.stderr)
            return 2
        if args.save_run:
            args.save_run.parent.mkdir(parents=True, exist_ok=True)
            args.save_run.write_text(json.dumps(played_to_json(played), indent=1, ensure_ascii=False))
    print(format_report(judgement, len(played), sum(len(p.turns) for p in played)))
    print(f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
