"""BERT sentence embeddings in plain numpy (float64), written from the weights' names, to check the ONNX graphs.

One sentence at a time and no padding, so no attention mask is needed: an independent route to the
same numbers (mean of the token vectors, scaled to unit length).
"""
from __future__ import annotations

import numpy as np
from scipy.special import erf


def sentence_embedding(weights: dict[str, np.ndarray], token_ids: list[int], heads: int,
                       eps: float = 1e-12) -> np.ndarray:
    w = {name: value.astype(np.float64) for name, value in weights.items() if value.dtype.kind == "f"}

    def layer_norm(x, prefix):
        centred = x - x.mean(-1, keepdims=True)
        return centred / np.sqrt((centred ** 2).mean(-1, keepdims=True) + eps) * w[f"{prefix}.weight"] + w[f"{prefix}.bias"]

    def linear(x, prefix):
        return x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]

    count = len(token_ids)
    x = (w["embeddings.word_embeddings.weight"][token_ids] + w["embeddings.position_embeddings.weight"][:count]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, "embeddings.LayerNorm")
    hidden = x.shape[1]
    size = hidden // heads
    index = 0
    while f"encoder.layer.{index}.attention.self.query.weight" in w:
        prefix = f"encoder.layer.{index}"
        query, key, value = (linear(x, f"{prefix}.attention.self.{part}").reshape(count, heads, size).transpose(1, 0, 2)
                             for part in ("query", "key", "value"))
        scores = query @ key.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ value).transpose(1, 0, 2).reshape(count, hidden)
        x = layer_norm(linear(context, f"{prefix}.attention.output.dense") + x, f"{prefix}.attention.output.LayerNorm")
        inner = linear(x, f"{prefix}.intermediate.dense")
        inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))
        x = layer_norm(linear(inner, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")
        index += 1
    mean = x.mean(0)
    return mean / np.linalg.norm(mean)


def random_bert_weights(seed: int, vocab: int = 20, positions: int = 16, hidden: int = 8, intermediate: int = 16,
                        layers: int = 2) -> dict[str, np.ndarray]:
    """A tiny BERT with random weights, named as in a transformers checkpoint."""
    rng = np.random.default_rng(seed)

    def tensor(*shape):
        return rng.normal(0, 0.5, shape).astype(np.float32)

    weights = {"embeddings.word_embeddings.weight": tensor(vocab, hidden),
               "embeddings.position_embeddings.weight": tensor(positions, hidden),
               "embeddings.token_type_embeddings.weight": tensor(2, hidden),
               "embeddings.LayerNorm.weight": 1 + tensor(hidden), "embeddings.LayerNorm.bias": tensor(hidden)}
    for index in range(layers):
        prefix = f"encoder.layer.{index}"
        for name, out, inp in (("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
                               ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
                               ("intermediate.dense", intermediate, hidden), ("output.dense", hidden, intermediate)):
            weights[f"{prefix}.{name}.weight"] = tensor(out, inp)
            weights[f"{prefix}.{name}.bias"] = tensor(out)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{prefix}.{name}.weight"] = 1 + tensor(hidden)
            weights[f"{prefix}.{name}.bias"] = tensor(hidden)
    return weights
