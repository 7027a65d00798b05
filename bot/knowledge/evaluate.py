"""Measures the matcher: on a labelled question set (tests/knowledge/questions.yml), or on the development data.

    python -m bot.knowledge.evaluate                 the held-out student questions (the README's figure)
    python -m bot.knowledge.evaluate --dev           the grid of thresholds and key-term bonuses on development data
    python -m bot.knowledge.evaluate --model M       end to end: the trained model's intent first, then the matcher

Development data: each entry's own example questions, matched against the other examples ("leave one out"),
and the NLU training examples of the bot's other intents, none of which the knowledge base should answer.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import yaml

from bot.config import PROJECT_ROOT
from bot.data_files import DATA_DIR
from bot.knowledge import matcher as matching
from bot.knowledge.entries import shipped_entries

QUESTIONS = PROJECT_ROOT / "tests" / "knowledge" / "questions.yml"
# NLU intents whose examples are never a question the knowledge base answers (out_of_scope and the concerns are
# left out: some of their examples, "what is fafsa", "i can't afford college", are questions it does answer).
OTHER_INTENTS = {
    "greet", "goodbye", "affirm", "deny", "thank", "ask_help", "stop_activity", "share_interest", "start_inventory",
    "answer_inventory", "start_values", "choose_value", "share_strength", "share_career_goal",
    "ask_career_suggestions", "ask_career_info", "choose_postsecondary", "start_goal", "plan_courses",
    "share_activity", "ask_next_step", "report_done", "ask_plan_summary", "vent_everyday_stress",
}


@dataclass(frozen=True)
class Case:
    text: str
    answers: frozenset  # entry ids that answer it; empty when none does
    skip_question: Optional[int] = None


@dataclass
class Tally:
    covered: int = 0  # questions some entry answers
    right: int = 0
    wrong: int = 0  # answered with another entry
    not_covered: int = 0
    answered_not_covered: int = 0
    mistakes: list = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return self.covered - self.right - self.wrong

    def summary(self) -> str:
        answered = self.right + self.wrong + self.answered_not_covered
        precision = self.right / answered if answered else 1.0
        return (f"covered {self.covered}: right {self.right} ({self.right / max(self.covered, 1):.3f}), "
                f"wrong entry {self.wrong}, no answer {self.unanswered}; "
                f"not covered {self.not_covered}: answered anyway {self.answered_not_covered}; "
                f"precision of answers {precision:.3f}")


def held_out_cases(path: Path = QUESTIONS) -> list[Case]:
    """The labelled questions; an id of an entry merged since the set was written reads as the merged entry's."""
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    merged = written.get("merged") or {}
    cases = []
    for item in written["questions"]:
        answer = item["answer"]
        ids = [] if answer is None else [answer] if isinstance(answer, str) else list(answer)
        cases.append(Case(item["text"], frozenset(merged.get(entry_id, entry_id) for entry_id in ids)))
    return cases


def dev_cases(matcher: matching.Matcher) -> list[Case]:
    """Leave-one-out cases from the entries' questions, and the other intents' NLU examples."""
    cases = []
    row = 0
    for entry in matcher.entries:
        for question in entry.questions:
            cases.append(Case(question, frozenset([entry.id]), skip_question=row))
            row += 1
    for path in sorted((DATA_DIR / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if block.get("intent") in OTHER_INTENTS:
                cases += [Case(line[2:].strip(), frozenset()) for line in block["examples"].splitlines()
                          if line.startswith("- ")]
    return cases


def measure(matcher: matching.Matcher, cases: Sequence[Case]) -> Tally:
    tally = Tally()
    for case in cases:
        found = matcher.match(case.text, skip_question=case.skip_question)
        if case.answers:
            tally.covered += 1
            if found is not None and found.entry.id in case.answers:
                tally.right += 1
            elif found is not None:
                tally.wrong += 1
                tally.mistakes.append((case.text, sorted(case.answers), found.entry.id, round(found.score, 3)))
            else:
                tally.mistakes.append((case.text, sorted(case.answers), None, None))
        else:
            tally.not_covered += 1
            if found is not None:
                tally.answered_not_covered += 1
                tally.mistakes.append((case.text, [], found.entry.id, round(found.score, 3)))
    return tally


# Intents whose action consults the knowledge base (ask_career_info only when no catalog job is named).
ROUTED = {"ask_question", "out_of_scope", "ask_help", "nlu_fallback"}


def routed_cases(model: Path, cases: Sequence[Case]) -> tuple[list[Case], Counter]:
    """The cases the trained model sends to the knowledge base; and the intents of those it sends elsewhere."""
    import asyncio
    import logging

    from rasa.core.agent import Agent  # imported here: it loads TensorFlow
    from rasa.utils.log_utils import configure_structlog

    from bot.nlp.mentions import find_mentions

    configure_structlog(logging.WARNING)  # Rasa's debug log would print every message text
    logging.getLogger("rasa").setLevel(logging.WARNING)
    agent = Agent.load(str(model))

    async def intents() -> list[str]:
        return [(await agent.parse_message(case.text))["intent"]["name"] for case in cases]

    routed: list[Case] = []
    elsewhere: Counter[str] = Counter()
    for case, intent in zip(cases, asyncio.run(intents()), strict=True):
        names_a_job = any(mention.kind == "career" for mention in find_mentions(case.text))
        if intent in ROUTED or (intent == "ask_career_info" and not names_a_job):
            routed.append(case)
        elif case.answers:
            elsewhere[intent] += 1
    return routed, elsewhere


def default_matcher(**settings) -> matching.Matcher:
    from bot.encoder.runtime import load_encoder

    return matching.Matcher(shipped_entries(), load_encoder().encode, **settings)


def memo(encode: matching.Encode) -> matching.Encode:
    """The encoder with every vector kept (the encoder itself keeps only its most recent texts)."""
    kept: dict[str, np.ndarray] = {}

    def encode_kept(texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in kept]
        if missing:
            kept.update(zip(missing, encode(missing), strict=True))
        return np.stack([kept[text] for text in texts])

    return encode_kept


def _dev_grid() -> None:
    from bot.encoder.runtime import load_encoder

    encode = memo(load_encoder().encode)
    base = matching.Matcher(shipped_entries(), encode)
    cases = dev_cases(base)
    encode([case.text for case in cases])  # once, for every point of the grid
    print(f"development data: {sum(1 for c in cases if c.answers)} entry questions (leave one out), "
          f"{sum(1 for c in cases if not c.answers)} NLU examples of other intents")
    for bonus in (0.0, 0.05, 0.1, 0.15):
        for threshold in (0.65, 0.7, 0.75, 0.8):
            for lead_threshold, lead in ((threshold, 0.0), (0.6, 0.15), (0.65, 0.15), (0.65, 0.2)):
                if lead_threshold > threshold:
                    continue
                matcher = matching.Matcher(shipped_entries(), encode, threshold=threshold,
                                           lead_threshold=lead_threshold, lead=lead, key_term_bonus=bonus)
                print(f"{matcher.settings}: {measure(matcher, cases).summary()}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.knowledge.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="the threshold grid on development data")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--mistakes", action="store_true", help="list every miss")
    parser.add_argument("--model", type=Path, help="a trained Rasa model: count only what its intents route here")
    args = parser.parse_args(argv)
    if args.dev:
        _dev_grid()
        return 0
    matcher = default_matcher()
    examples = {" ".join(question.casefold().split()) for question in matcher.questions}
    cases = [case for case in held_out_cases(args.questions) if " ".join(case.text.casefold().split()) not in examples]
    left_out = len(held_out_cases(args.questions)) - len(cases)
    tally = measure(matcher, cases)
    print(f"{args.questions.name} ({matcher.settings}; {left_out} questions left out because an entry now has them "
          f"as examples): {tally.summary()}")
    if args.model:
        routed, elsewhere = routed_cases(args.model, cases)
        end_to_end = measure(matcher, routed)
        end_to_end.covered, end_to_end.not_covered = tally.covered, tally.not_covered  # the rest got no answer
        print(f"end to end with {args.model} (the model's intent, then the matcher): {end_to_end.summary()}")
        print(f"  questions an entry covers that the model sent to intents that never consult it: "
              f"{sum(elsewhere.values())} ({', '.join(f'{n} {i}' for i, n in elsewhere.most_common())})")
    if args.mistakes:
        for mistake in tally.mistakes:
            print("  ", mistake)
    return 0


if __name__ == "__main__":
    sys.exit(main())
