"""all-MiniLM-L6-v2's forward pass as an ONNX graph, written from its weights with onnx.helper (no torch).

The graph is what sentence-transformers runs for this model: BERT (word, position and token-type
embeddings, LayerNorm, self-attention layers masked by the attention mask, GELU feed-forward),
then the mean of the token vectors the attention mask keeps, scaled to unit length.
Inputs `input_ids` and `attention_mask` (int64, batch x tokens); output `sentence_embedding`
(float32, batch x hidden). Every sentence is one segment, so the token type is always 0.
"""
from __future__ import annotations

import collections
import math
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17  # LayerNormalization is an ONNX operator from 17 on
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "sentence_embedding"


@dataclass(frozen=True)
class BertShape:
    hidden: int
    heads: int
    layers: int
    intermediate: int
    layer_norm_eps: float

    @classmethod
    def from_config(cls, config: dict) -> "BertShape":
        if config.get("hidden_act") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only BERT with exact GELU and absolute positions is supported")
        return cls(hidden=config["hidden_size"], heads=config["num_attention_heads"],
                   layers=config["num_hidden_layers"], intermediate=config["intermediate_size"],
                   layer_norm_eps=config["layer_norm_eps"])

    @property
    def head_size(self) -> int:
        return self.hidden // self.heads


class _GraphBuilder:
    """Collects nodes and initializers; every name is made from a counter, so builds are byte-identical."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._counts: collections.Counter[str] = collections.Counter()
        self._scalars: dict[float, str] = {}

    def _name(self, stem: str) -> str:
        self._counts[stem] += 1
        return f"{stem}_{self._counts[stem]}"

    def const(self, stem: str, value) -> str:
        name = self._name(stem)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def scalar(self, value: float) -> str:
        """A float32 scalar constant, one initializer per value."""
        if value not in self._scalars:
            self._scalars[value] = self.const("scalar", np.array(value, dtype=np.float32))
        return self._scalars[value]

    def op(self, op_type: str, *inputs: str, output: str | None = None, **attributes) -> str:
        output = output or self._name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], name=self._name(f"n_{op_type}"),
                                           **attributes))
        return output


def build_model(weights: dict[str, np.ndarray], shape: BertShape) -> onnx.ModelProto:
    g = _GraphBuilder()
    f32 = np.float32

    def weight(name: str) -> np.ndarray:
        return weights[name].astype(f32, copy=False)

    def linear(x: str, prefix: str) -> str:
        # torch stores a Linear layer's weight as (out, in); MatMul wants (in, out)
        kernel = g.const(f"{prefix}.weight_t", np.ascontiguousarray(weight(f"{prefix}.weight").T))
        return g.op("Add", g.op("MatMul", x, kernel), g.const(f"{prefix}.bias", weight(f"{prefix}.bias")))

    def layer_norm(x: str, prefix: str) -> str:
        return g.op("LayerNormalization", x, g.const(f"{prefix}.weight", weight(f"{prefix}.weight")),
                    g.const(f"{prefix}.bias", weight(f"{prefix}.bias")), axis=-1, epsilon=shape.layer_norm_eps)

    split_heads = g.const("split_heads", np.array([0, 0, shape.heads, shape.head_size], dtype=np.int64))
    join_heads = g.const("join_heads", np.array([0, 0, shape.hidden], dtype=np.int64))

    def heads(x: str, perm: list[int]) -> str:
        return g.op("Transpose", g.op("Reshape", x, split_heads), perm=perm)

    # Embeddings: the position table is cut to the batch's token count.
    token_count = g.op("Shape", "input_ids", start=1, end=2)
    positions = g.op("Slice", g.const("embeddings.position_embeddings", weight("embeddings.position_embeddings.weight")),
                     g.const("zero", np.array([0], dtype=np.int64)), token_count)
    x = g.op("Gather", g.const("embeddings.word_embeddings", weight("embeddings.word_embeddings.weight")), "input_ids")
    x = g.op("Add", x, positions)
    x = g.op("Add", x, g.const("embeddings.token_type_0", weight("embeddings.token_type_embeddings.weight")[0]))
    x = layer_norm(x, "embeddings.LayerNorm")

    # Masked tokens get the lowest float added to their attention scores, as transformers does.
    mask = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    masked = g.op("Sub", g.scalar(1.0), mask)
    score_bias = g.op("Mul", masked, g.scalar(float(np.finfo(f32).min)))
    score_bias = g.op("Unsqueeze", score_bias, g.const("axes_1_2", np.array([1, 2], dtype=np.int64)))
    scale = g.scalar(math.sqrt(shape.head_size))

    for index in range(shape.layers):
        prefix = f"encoder.layer.{index}"
        query = heads(linear(x, f"{prefix}.attention.self.query"), [0, 2, 1, 3])
        key = heads(linear(x, f"{prefix}.attention.self.key"), [0, 2, 3, 1])
        value = heads(linear(x, f"{prefix}.attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Add", g.op("Div", g.op("MatMul", query, key), scale), score_bias)
        context = g.op("MatMul", g.op("Softmax", scores, axis=-1), value)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), join_heads)
        attended = linear(context, f"{prefix}.attention.output.dense")
        x = layer_norm(g.op("Add", attended, x), f"{prefix}.attention.output.LayerNorm")
        inner = linear(x, f"{prefix}.intermediate.dense")
        inner = _gelu(g, inner)
        x = layer_norm(g.op("Add", linear(inner, f"{prefix}.output.dense"), x), f"{prefix}.output.LayerNorm")

    # Mean over the tokens the mask keeps, then unit length (sentence-transformers' Pooling, Normalize).
    token_axis = g.const("axis_1", np.array([1], dtype=np.int64))
    mask3 = g.op("Unsqueeze", mask, g.const("axis_2", np.array([2], dtype=np.int64)))
    summed = g.op("ReduceSum", g.op("Mul", x, mask3), token_axis, keepdims=0)
    counts = g.op("Max", g.op("ReduceSum", mask3, token_axis, keepdims=0), g.scalar(1e-9))
    mean = g.op("Div", summed, counts)
    length = g.op("Max", g.op("ReduceL2", mean, axes=[1], keepdims=1), g.scalar(1e-12))
    g.op("Div", mean, length, output=OUTPUT)

    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        inputs=[helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"]) for name in INPUTS],
        outputs=[helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", shape.hidden])],
        initializer=g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="ilp-advisor",
                              ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    return model


def _gelu(g: _GraphBuilder, x: str) -> str:
    """Exact GELU, x * (1 + erf(x / sqrt 2)) / 2, as BERT's "gelu" is."""
    erf = g.op("Erf", g.op("Div", x, g.scalar(math.sqrt(2.0))))
    one_plus = g.op("Add", erf, g.scalar(1.0))
    return g.op("Mul", g.op("Mul", x, one_plus), g.scalar(0.5))
