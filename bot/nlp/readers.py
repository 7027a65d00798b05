"""Trains the classifiers that read free text through the sentence encoder (`ilp nlp build` runs this).

The interest reader is a logistic regression on the encoder's vectors of its training examples; the
concern reader averages three perceptrons with one hidden layer (on the regression sets they caught more
crises at fewer false alarms than the linear reader or one perceptron: README, "Safety screen"). Before the
final fit, a fit on four fifths of the examples (one perceptron, to keep the build short) scored on the rest
gives a first accuracy figure: a check that the examples teach something, not a measure on unseen text
(tests/*/unseen is that).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from bot.interests import reader as interest_reader
from bot.nlp.embedding_classifier import train
from bot.safety import classifier as concern_classifier

HELD_OUT_SHARE = 0.2


@dataclass(frozen=True)
class Reader:
    name: str
    path: Path
    examples: Callable[[], list[tuple[str, str]]]
    hidden_units: int = 0  # 0: logistic regression
    members: int = 1  # perceptrons averaged (hidden_units only)


READERS = (
    Reader("riasec", interest_reader.READER_PATH, interest_reader.training_examples),
    # Three perceptrons averaged: one alone was sure (0.95 and more) of a crisis in "idk maybe march" or "who can see
    # this"; the average of three gave as many crises on the regression sets with half the false alarms on ordinary
    # turns (README, "Safety screen").
    Reader("concerns", concern_classifier.CLASSIFIER_PATH, concern_classifier.training_examples, hidden_units=512,
           members=3),
)


def train_readers() -> dict:
    """Trains and saves every reader; returns what was learned from what, written beside them as manifest.json."""
    from bot.encoder.runtime import load_encoder

    encoder = load_encoder()
    manifest = {}
    for reader in READERS:
        examples = _unique(reader.examples())
        texts, labels = [text for text, _ in examples], [label for _, label in examples]
        vectors = encoder.encode(texts)
        train(vectors, labels, hidden_units=reader.hidden_units, members=reader.members).save(reader.path)
        manifest[reader.name] = {"examples": len(examples), "per_label": dict(sorted(Counter(labels).items())),
                                 "hidden_units": reader.hidden_units, "members": reader.members,
                                 "held_out_accuracy": round(_held_out_accuracy(vectors, labels, reader), 4)}
    path = READERS[0].path.parent / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _unique(examples: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each text once, with its first label (the files are read in a fixed order)."""
    seen: dict[str, str] = {}
    for text, label in examples:
        seen.setdefault(" ".join(str(text).lower().split()), label)
    return list(seen.items())


def _held_out_accuracy(vectors: np.ndarray, labels: list[str], reader: Reader) -> float:
    order = np.random.default_rng(7).permutation(len(labels))
    held_out, kept = np.split(order, [int(len(order) * HELD_OUT_SHARE)])
    classifier = train(vectors[kept], [labels[i] for i in kept], hidden_units=reader.hidden_units)
    predicted = np.array(classifier.labels)[classifier.probabilities(vectors[held_out]).argmax(axis=1)]
    return float(np.mean([predicted[j] == labels[i] for j, i in enumerate(held_out)]))
