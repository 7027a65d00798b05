"""A classifier on sentence embeddings: trained at build time with scikit-learn, kept as plain arrays.

Either linear (logistic regression) or with one hidden ReLU layer (a small multi-layer perceptron). Saved
as .npz and loaded without pickle, so loading a file runs no code. At run time it is one or two matrix
products and a softmax on vectors from bot.encoder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class EmbeddingClassifier:
    labels: tuple[str, ...]
    weights: np.ndarray  # (len(labels), embedding dim, or hidden units when there is a hidden layer)
    bias: np.ndarray  # (len(labels),)
    hidden_weights: np.ndarray | None = None  # (hidden units, embedding dim)
    hidden_bias: np.ndarray | None = None  # (hidden units,)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row per vector: the probability of each label, in the order of `labels`."""
        inputs = np.atleast_2d(vectors)
        if self.hidden_weights is not None:
            # einsum runs in this thread. A BLAS product of this size wakes OpenBLAS's worker threads, which then
            # spin on the other core: the screen used twice its wall time in CPU, taken from the other servers.
            inputs = np.maximum(np.einsum("ve,he->vh", inputs, self.hidden_weights) + self.hidden_bias, 0.0)
        logits = inputs @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            hidden: dict[str, np.ndarray] = {}
            if self.hidden_weights is not None and self.hidden_bias is not None:
                hidden = {"hidden_weights": self.hidden_weights, "hidden_bias": self.hidden_bias}
            np.savez(handle, weights=self.weights, bias=self.bias, labels=np.array(self.labels), **hidden)

    @classmethod
    def load(cls, path: Path) -> "EmbeddingClassifier":
        with np.load(path, allow_pickle=False) as stored:
            hidden = ((stored["hidden_weights"].astype(np.float32), stored["hidden_bias"].astype(np.float32))
                      if "hidden_weights" in stored.files else (None, None))
            return cls(tuple(str(label) for label in stored["labels"]), stored["weights"].astype(np.float32),
                       stored["bias"].astype(np.float32), *hidden)


def train(vectors: np.ndarray, labels: Sequence[str], *, regularisation: float = 4.0, balanced: bool = True,
          hidden_units: int = 0) -> EmbeddingClassifier:
    """Multinomial logistic regression, or with `hidden_units` a perceptron with one hidden layer of that size.

    `balanced` (logistic regression only) weighs each label as if all had as many examples.
    """
    if hidden_units:
        return _train_perceptron(vectors, labels, hidden_units)
    from sklearn.linear_model import LogisticRegression  # imported here: only the build trains

    model = LogisticRegression(C=regularisation, max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit(vectors, list(labels))
    weights, bias = _two_rows_for_two_labels(model.coef_, model.intercept_)
    return EmbeddingClassifier(tuple(str(label) for label in model.classes_), weights.astype(np.float32),
                               bias.astype(np.float32))


def _train_perceptron(vectors: np.ndarray, labels: Sequence[str], hidden_units: int) -> EmbeddingClassifier:
    from sklearn.neural_network import MLPClassifier  # imported here: only the build trains

    model = MLPClassifier(hidden_layer_sizes=(hidden_units,), alpha=1e-3, max_iter=300, random_state=0)
    model.fit(vectors, list(labels))
    (hidden_weights, output_weights), (hidden_bias, output_bias) = model.coefs_, model.intercepts_
    weights, bias = _two_rows_for_two_labels(output_weights.T, output_bias)
    return EmbeddingClassifier(tuple(str(label) for label in model.classes_), weights.astype(np.float32),
                               bias.astype(np.float32), hidden_weights.T.astype(np.float32),
                               hidden_bias.astype(np.float32))


def _two_rows_for_two_labels(weights: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn keeps one row for two labels; two rows of ±half give the same probabilities through softmax."""
    if len(bias) == 1:
        return np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
    return weights, bias
