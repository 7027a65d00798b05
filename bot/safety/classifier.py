"""The safety screen's second reader: concern categories from sentence embeddings, sentence by sentence.

The rules (bot.safety.lexicon) catch the phrasings they list; this classifier reads what they do not
("i took a bunch of my mom's pills to see what happens"). It learns from data/safety/examples (every
category, near misses and ordinary turns, some Spanish) and from the NLU examples in data/nlu (a
concern intent teaches its category; every other intent is an ordinary turn).
"""
from __future__ import annotations

import functools
import re

from bot.config import PROJECT_ROOT
from bot.data_files import DATA_DIR, load_yaml
from bot.nlp.embedding_classifier import EmbeddingClassifier
from bot.safety.categories import CATEGORIES, category_of_intent

NONE = "none"
CLASSIFIER_PATH = PROJECT_ROOT / "build" / "readers" / "concerns.npz"
# A crisis told after a school question is a sentence of its own; a huge message is screened in its
# first sentences by this reader (the rules read all of it).
SENTENCE_END = re.compile(r"(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<=[.!?])\s+|\n+|;\s*|(?<=[\w,])\s+(?=(?:also|and also|btw|anyway)\s)", re.IGNORECASE)
MAX_SENTENCES = 40
# A sentence of one or two words ("ok whatever.", "seriously.") is too little to read on its own: the perceptrons
# gave such fragments a crisis at 0.98. They are still read as part of the whole message, and the rules read them.
MIN_SENTENCE_WORDS = 3
WORD = re.compile(r"[\w']+")


def screened_units(text: str) -> list[str]:
    """The whole message, then each of its sentences of three words or more when it has several."""
    sentences = [part.strip() for part in SENTENCE_END.split(text) if len(WORD.findall(part)) >= MIN_SENTENCE_WORDS]
    units = [text[:5000]]
    if len(sentences) > 1:
        units += sentences[:MAX_SENTENCES]
    return units


def concern_probabilities(texts: list[str]) -> list[dict[str, float]]:
    """For each text, the probability of each category and of "none"."""
    from bot.encoder.runtime import load_encoder

    classifier = _classifier()
    rows = classifier.probabilities(load_encoder().encode(texts))
    return [dict(zip(classifier.labels, map(float, row), strict=True)) for row in rows]


def training_examples() -> list[tuple[str, str]]:
    """(text, category or "none") pairs the classifier learns from."""
    examples: list[tuple[str, str]] = []
    for path in sorted((DATA_DIR / "safety" / "examples").glob("*.yml")):
        written = load_yaml(str(path.relative_to(DATA_DIR)))
        category = written["category"]
        if category != NONE and category not in CATEGORIES:
            raise ValueError(f"{path}: unknown category {category!r}")
        examples += [(example["text"], category) for example in written["examples"]]
    for path in sorted((DATA_DIR / "nlu").glob("*.yml")):
        for entry in load_yaml(str(path.relative_to(DATA_DIR))).get("nlu") or []:
            if "intent" not in entry:
                continue
            category = category_of_intent(entry["intent"])
            label = category.name if category else NONE
            examples += [(line[2:].strip(), label) for line in entry["examples"].splitlines() if line.startswith("- ")]
    return examples


@functools.lru_cache(maxsize=1)
def _classifier() -> EmbeddingClassifier:
    if not CLASSIFIER_PATH.exists():
        raise FileNotFoundError(f"the concern classifier is not built at {CLASSIFIER_PATH}; run `ilp nlp build` "
                                "(make does this)")
    return EmbeddingClassifier.load(CLASSIFIER_PATH)
