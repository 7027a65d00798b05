"""The encoder `make setup` built, against a numpy reference computed from the release's safetensors."""
from __future__ import annotations

import json

import numpy as np
import pytest
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from bot.encoder import release
from bot.encoder.build import MIN_INT8_COSINE
from bot.encoder.runtime import MANIFEST, load_encoder
from bot.encoder.samples import STUDENT_SENTENCES
from tests.encoder.reference import sentence_embedding

# Longer than the 256 tokens the encoder reads, so truncation is compared too.
OVERLONG = " ".join(["My cousin works as a welder on ships and says the pay is good but the hours are long."] * 20)
TEXTS = [*STUDENT_SENTENCES, "", OVERLONG]
# Sentences of 8 to 30 words, the length most student messages have.
ORDINARY = [text for text in STUDENT_SENTENCES if 8 <= len(text.split()) <= 30]


@pytest.fixture(scope="module")
def manifest(encoder_dir):
    return json.loads((encoder_dir / MANIFEST).read_text())


@pytest.fixture(scope="module")
def reference(encoder_dir, manifest):
    weights = load_file(str(encoder_dir / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    return {text: sentence_embedding(weights, tokenizer.encode(text).ids, heads=12) for text in TEXTS}


def test_the_build_used_the_official_weights(encoder_dir, manifest):
    assert manifest["weights"]["sha256"] == release.SAFETENSORS_SHA256 == release.file_sha256(encoder_dir / "model.safetensors")
    assert manifest["licence"] == "Apache-2.0"
    assert (manifest["dim"], manifest["max_tokens"]) == (384, 256)


def test_fp32_graph_matches_the_reference(encoder_dir, reference):
    vectors = load_encoder("fp32", str(encoder_dir)).encode(TEXTS)
    np.testing.assert_allclose(vectors, np.array([reference[text] for text in TEXTS]), atol=1e-4)


def test_int8_graph_agrees_with_the_reference_on_ordinary_sentences(encoder_dir, reference):
    vectors = load_encoder("int8", str(encoder_dir)).encode(ORDINARY)
    cosines = np.sum(vectors * np.array([reference[text] for text in ORDINARY]), axis=1)
    assert cosines.min() >= MIN_INT8_COSINE


def test_default_encoder_agrees_with_the_reference_on_every_sample(encoder_dir, reference):
    # The build picks int8 only when it stays this close to fp32 on every sample, so the default always does.
    vectors = load_encoder(None, str(encoder_dir)).encode(TEXTS)
    cosines = np.sum(vectors * np.array([reference[text] for text in TEXTS]), axis=1)
    assert cosines.min() >= MIN_INT8_COSINE, dict(zip(TEXTS, cosines.round(4)))
