"""Reads a RIASEC interest type from what a student writes, with a classifier on sentence embeddings.

Keyword mentions (bot.nlp.mentions) name the catalog items a statement contains; this reader places
statements that name none ("i run the scorebook for my brother's team"). It learns from the project's
own words for each type: student statements (data/interests/statements), the interest quiz items,
activity and school-subject phrases, and every catalog occupation's title and description.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.careers.catalog import occupations
from bot.config import PROJECT_ROOT
from bot.data_files import DATA_DIR, load_yaml
from bot.interests.catalog import activities, school_subjects
from bot.nlp.embedding_classifier import EmbeddingClassifier

RIASEC = "RIASEC"
READER_PATH = PROJECT_ROOT / "build" / "readers" / "riasec.npz"
# Below this probability for its top type a statement is kept in the student's words, unplaced, and the
# bot asks for something more concrete. Chosen on the training statements' cross-validation (README).
PLACED_THRESHOLD = 0.55


@dataclass(frozen=True)
class InterestReading:
    scores: dict[str, float]  # RIASEC letter -> probability

    @property
    def top(self) -> str:
        return max(self.scores, key=self.scores.__getitem__)

    @property
    def confidence(self) -> float:
        return self.scores[self.top]

    @property
    def placed(self) -> str | None:
        """The type the statement shows, or None when the reader is not sure enough to say."""
        return self.top if self.confidence >= PLACED_THRESHOLD else None


def read_interest(text: str) -> InterestReading:
    return read_interests([text])[0]


def read_interests(texts: list[str]) -> list[InterestReading]:
    from bot.encoder.runtime import load_encoder

    probabilities = _reader().probabilities(load_encoder().encode(texts))
    labels = _reader().labels
    return [InterestReading({label: round(float(p), 4) for label, p in zip(labels, row, strict=True)}) for row in probabilities]


def training_examples() -> list[tuple[str, str]]:
    """(text, RIASEC letter) pairs the reader learns from; an item with several types teaches its first."""
    examples: list[tuple[str, str]] = []
    for path in sorted((DATA_DIR / "interests" / "statements").glob("*.yml")):
        written = load_yaml(str(path.relative_to(DATA_DIR)))
        examples += [(statement, written["riasec"]) for statement in written["statements"]]
    examples += [(item["text"], item["riasec"]) for item in load_yaml("interests/inventory.yml")["items"]]
    for item in [*activities().values(), *school_subjects().values()]:
        examples += [(phrase, item.riasec[0]) for phrase in dict.fromkeys((item.label, *item.phrases))]
    for occupation in occupations().values():
        if occupation.riasec:
            examples.append((occupation.title, occupation.riasec[0]))
            if occupation.description:
                examples.append((occupation.description, occupation.riasec[0]))
    return examples


@functools.lru_cache(maxsize=1)
def _reader() -> EmbeddingClassifier:
    if not READER_PATH.exists():
        raise FileNotFoundError(f"the interest reader is not built at {READER_PATH}; run `ilp nlp build` (make does this)")
    return EmbeddingClassifier.load(READER_PATH)
