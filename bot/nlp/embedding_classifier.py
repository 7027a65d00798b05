"""A linear classifier on sentence embeddings: trained at build time with scikit-learn, kept as plain arrays.

Saved as .npz (weights, bias, labels) and loaded without pickle, so loading a file runs no code. At run
time it is a matrix product and a softmax on vectors from bot.encoder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class EmbeddingClassifier:
    labels: tuple[str, ...]
    weights: np.ndarray  # (len(labels), embedding dim)
    bias: np.ndarray  # (len(labels),)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row per vector: the probability of each label, in the order of `labels`."""
        logits = np.atleast_2d(vectors) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            np.savez(handle, weights=self.weights, bias=self.bias, labels=np.array(self.labels))

    @classmethod
    def load(cls, path: Path) -> "EmbeddingClassifier":
        with np.load(path, allow_pickle=False) as stored:
            return cls(tuple(str(label) for label in stored["labels"]), stored["weights"].astype(np.float32),
                       stored["bias"].astype(np.float32))


def train(vectors: np.ndarray, labels: Sequence[str], *, regularisation: float = 4.0,
          balanced: bool = True) -> EmbeddingClassifier:
    """Multinomial logistic regression. `balanced` weighs each label as if all had as many examples."""
    from sklearn.linear_model import LogisticRegression  # imported here: only the build trains

    model = LogisticRegression(C=regularisation, max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit(vectors, list(labels))
    weights, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:
        # scikit-learn keeps one row for two labels; two rows of ±half give the same probabilities through softmax.
        weights, bias = np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
    return EmbeddingClassifier(tuple(str(label) for label in model.classes_), weights.astype(np.float32),
                               bias.astype(np.float32))
