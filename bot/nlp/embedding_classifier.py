"""A classifier on sentence embeddings: trained at build time with scikit-learn, kept as plain arrays.

Either linear (logistic regression) or with one hidden ReLU layer (a small multi-layer perceptron), or the
average of several such perceptrons trained from different random starts. Saved as .npz and loaded without
pickle, so loading a file runs no code. At run time it is a few matrix products and a softmax on vectors from
bot.encoder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class EmbeddingClassifier:
    labels: tuple[str, ...]
    # Linear: weights (len(labels), embedding dim), bias (len(labels),). With a hidden layer, one row per member
    # perceptron first: weights (members, len(labels), hidden units), bias (members, len(labels)).
    weights: np.ndarray
    bias: np.ndarray
    hidden_weights: np.ndarray | None = None  # (members, hidden units, embedding dim)
    hidden_bias: np.ndarray | None = None  # (members, hidden units)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row per vector: the probability of each label, in the order of `labels` (with several member
        perceptrons, the mean of theirs)."""
        inputs = np.atleast_2d(vectors)
        if self.hidden_weights is None or self.hidden_bias is None:
            return _softmax(inputs @ self.weights.T + self.bias)
        # einsum runs in this thread. A BLAS product of this size wakes OpenBLAS's worker threads, which then
        # spin on the other core: the screen used twice its wall time in CPU, taken from the other servers.
        hidden = np.maximum(np.einsum("ve,mhe->mvh", inputs, self.hidden_weights) + self.hidden_bias[:, None, :], 0.0)
        logits = np.einsum("mvh,mlh->mvl", hidden, self.weights) + self.bias[:, None, :]
        return _softmax(logits).mean(axis=0)

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
          hidden_units: int = 0, members: int = 1) -> EmbeddingClassifier:
    """Multinomial logistic regression, or with `hidden_units` a perceptron with one hidden layer of that size:
    `members` of them, each from its own random start, whose probabilities are averaged.

    `balanced` (logistic regression only) weighs each label as if all had as many examples.
    """
    if hidden_units:
        return _train_perceptrons(vectors, labels, hidden_units, members)
    from sklearn.linear_model import LogisticRegression  # imported here: only the build trains

    model = LogisticRegression(C=regularisation, max_iter=5000, class_weight="balanced" if balanced else None)
    model.fit(vectors, list(labels))
    weights, bias = _two_rows_for_two_labels(model.coef_, model.intercept_)
    return EmbeddingClassifier(tuple(str(label) for label in model.classes_), weights.astype(np.float32),
                               bias.astype(np.float32))


def _train_perceptrons(vectors: np.ndarray, labels: Sequence[str], hidden_units: int,
                       members: int) -> EmbeddingClassifier:
    from sklearn.neural_network import MLPClassifier  # imported here: only the build trains

    trained = []
    for seed in range(members):
        model = MLPClassifier(hidden_layer_sizes=(hidden_units,), alpha=1e-3, max_iter=300, random_state=seed)
        model.fit(vectors, list(labels))
        (hidden_weights, output_weights), (hidden_bias, output_bias) = model.coefs_, model.intercepts_
        trained.append((*_two_rows_for_two_labels(output_weights.T, output_bias), hidden_weights.T, hidden_bias))
    weights, bias, hidden_weights, hidden_bias = (np.stack(arrays).astype(np.float32) for arrays in zip(*trained, strict=True))
    return EmbeddingClassifier(tuple(str(label) for label in model.classes_), weights, bias, hidden_weights,
                               hidden_bias)


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def _two_rows_for_two_labels(weights: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn keeps one row for two labels; two rows of ±half give the same probabilities through softmax."""
    if len(bias) == 1:
        return np.vstack([-weights / 2, weights / 2]), np.concatenate([-bias / 2, bias / 2])
    return weights, bias
