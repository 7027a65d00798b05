"""SentenceEncoder and load_encoder: meaning, odd inputs, batching, and how a missing or altered build is refused."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bot.encoder.runtime import MANIFEST, EncoderUnavailable, load_encoder

VARIANTS = ["fp32", "int8"]


@pytest.fixture(params=VARIANTS)
def encoder(request, encoder_dir):
    return load_encoder(request.param, str(encoder_dir))


def assert_unit_rows(vectors: np.ndarray, count: int) -> None:
    assert vectors.shape == (count, 384) and vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_related_activities_are_closer_than_unrelated_ones(encoder):
    engines, motorcycles, poetry = encoder.encode(["I love fixing car engines", "repairing motorcycles", "writing poetry"])
    assert engines @ motorcycles > engines @ poetry + 0.1


@pytest.mark.parametrize("text", [
    "",                                                     # an empty message
    "🚒🔥🤷‍♀️",                                              # emoji only: unknown tokens
    "I like welding. " * 6400,                              # about 100 KB: cut to 2000 characters, then 256 tokens
    bytes(range(256)).decode("latin-1") + "\ud800\udfff",   # control characters and lone surrogates
    "<script>alert(1)</script><p onclick='x'>hi &amp; bye</p>",  # HTML
    "\n\t  \r\n",                                           # whitespace only
])
def test_odd_input_gives_a_unit_vector(encoder, text):
    assert_unit_rows(encoder.encode([text]), 1)


def test_no_texts_gives_no_rows(encoder):
    assert encoder.encode([]).shape == (0, encoder.dim) == (0, 384)


def test_a_bare_string_is_refused_rather_than_read_letter_by_letter(encoder):
    with pytest.raises(TypeError):
        encoder.encode("hello")


def test_batches_keep_each_text_in_its_row(encoder_dir):
    encoder = load_encoder("fp32", str(encoder_dir))  # int8's activation scale depends on the batch; fp32's does not
    texts = [f"{'really ' * (index % 9)}I want to study {subject}" for index, subject in
             enumerate(["law", "music", "biology", "welding", "nursing"] * 8)]  # 40 texts: two batches
    one_at_a_time = np.array([encoder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(encoder.encode(texts), one_at_a_time, atol=1e-5)


def test_load_encoder_is_cached(encoder_dir):
    assert load_encoder(None, str(encoder_dir)) is load_encoder(None, str(encoder_dir))


def test_an_unbuilt_encoder_names_the_make_target(tmp_path):
    with pytest.raises(EncoderUnavailable, match=r"not built at .*make encoder.*make setup"):
        load_encoder(None, str(tmp_path / "no-build"))


def test_a_file_changed_after_the_build_is_refused(tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"not the model the build wrote")
    (tmp_path / "tokenizer.json").write_bytes(b"{}")
    entry = {"path": "model.onnx", "sha256": "0" * 64}
    (tmp_path / MANIFEST).write_text(json.dumps({
        "default_variant": "int8", "max_tokens": 256, "models": {"int8": entry},
        "tokenizer": {"path": "tokenizer.json", "sha256": "0" * 64}}))
    with pytest.raises(EncoderUnavailable, match="model.onnx is not the file the encoder build wrote"):
        load_encoder(None, str(tmp_path))


def test_an_unknown_variant_is_refused(encoder_dir):
    with pytest.raises(EncoderUnavailable, match="no 'int4' encoder"):
        load_encoder("int4", str(encoder_dir))


def test_a_text_encoded_again_soon_is_not_run_through_the_model_twice(encoder, monkeypatch):
    first = encoder.encode(["i like fixing bikes", "i draw comics"])
    monkeypatch.setattr(encoder, "_run", lambda batch: pytest.fail("the model ran again for a recent text"))
    again = encoder.encode(["i draw comics", "i like fixing bikes"])
    assert np.array_equal(again, first[::-1])
