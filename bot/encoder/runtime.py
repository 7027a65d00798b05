"""The sentence encoder at run time: all-MiniLM-L6-v2 on onnxruntime, one thread, from build/encoder."""
from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from bot.config import get_settings
from bot.encoder.graph import OUTPUT
from bot.encoder.release import file_sha256
from bot.errors import IlpError

MANIFEST = "manifest.json"
MAX_CHARS = 2000  # cut before tokenizing, so a huge message costs no more than a long one
BATCH_SIZE = 32
RECENT_TEXTS = 256  # vectors kept for texts encoded again soon (fp32 vectors do not depend on their batch)
BUILD_HINT = "run `make encoder` (part of `make setup`), which runs `ilp encoder build`"


class EncoderUnavailable(IlpError):
    """The built encoder is missing, or its files are not the ones its manifest names."""


def session_options() -> ort.SessionOptions:
    # One thread: Rasa and the action server run many conversations side by side on 2 cores.
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return options


class SentenceEncoder:
    """Turns texts into unit-length float32 vectors (rows of `encode`), one per text."""

    def __init__(self, model_path: Path, tokenizer_path: Path, *, max_tokens: int,
                 max_chars: int = MAX_CHARS, batch_size: int = BATCH_SIZE) -> None:
        self._session = ort.InferenceSession(str(model_path), sess_options=session_options(),
                                             providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # tokenizer.json pads and cuts everything to 128 tokens; sentence-transformers reads up to
        # max_seq_length (256) and pads to the longest text of a batch, which encode does itself.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._max_chars = max_chars
        self._batch_size = batch_size
        self._dim = int(self._session.get_outputs()[0].shape[1])
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts; wrap a single text in a list")
        clipped = [self._clip(text) for text in texts]
        # In Rasa, DIET's featurizer and then the safety screen encode the same message: the second
        # finds it among the recent vectors.
        with self._recent_lock:
            found = {text: self._recent[text] for text in clipped if text in self._recent}
        missing = list(dict.fromkeys(text for text in clipped if text not in found))
        if missing:
            found.update(zip(missing, self._encode_all(missing), strict=True))
            with self._recent_lock:
                for text in missing:
                    self._recent[text] = found[text]
                while len(self._recent) > RECENT_TEXTS:
                    self._recent.popitem(last=False)
        vectors = np.empty((len(clipped), self._dim), dtype=np.float32)
        for row, text in enumerate(clipped):
            vectors[row] = found[text]
        return vectors

    def _encode_all(self, texts: list[str]) -> np.ndarray:
        # Encoded one by one: encode_batch would start a thread per core.
        token_ids = [self._tokenizer.encode(text).ids for text in texts]
        vectors = np.empty((len(token_ids), self._dim), dtype=np.float32)
        # Texts of similar length share a batch, so little of it is padding.
        order = sorted(range(len(token_ids)), key=lambda index: len(token_ids[index]))
        for start in range(0, len(order), self._batch_size):
            rows = order[start:start + self._batch_size]
            vectors[rows] = self._run([token_ids[index] for index in rows])
        return vectors

    def _clip(self, text: str) -> str:
        # Lone surrogates (possible in a Python str) cannot cross into the Rust tokenizer.
        return text[:self._max_chars].encode("utf-8", errors="replace").decode("utf-8")

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        attention_mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, :len(ids)] = ids
            attention_mask[row, :len(ids)] = 1
        return self._session.run([OUTPUT], {"input_ids": input_ids, "attention_mask": attention_mask})[0]


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.exists():
        raise EncoderUnavailable(f"the sentence encoder is not built at {directory}; {BUILD_HINT}")
    return json.loads(path.read_text())


def checked_file(directory: Path, entry: dict) -> Path:
    """The manifest entry's file, refused unless its sha256 is the one the build recorded."""
    path = directory / entry["path"]
    if not path.exists():
        raise EncoderUnavailable(f"{path} is missing; {BUILD_HINT}")
    if file_sha256(path) != entry["sha256"]:
        raise EncoderUnavailable(f"{path} is not the file the encoder build wrote (sha256 differs); {BUILD_HINT}")
    return path


@functools.lru_cache(maxsize=4)
def load_encoder(variant: str | None = None, directory: str | None = None) -> SentenceEncoder:
    """The encoder built in `directory` (default ILP_ENCODER_DIR); variant "int8" or "fp32", default
    the one the build chose."""
    folder = Path(directory or get_settings().encoder_dir)
    manifest = read_manifest(folder)
    variant = variant or manifest["default_variant"]
    if variant not in manifest["models"]:
        raise EncoderUnavailable(f"no {variant!r} encoder in {folder}; built: {', '.join(manifest['models'])}")
    return SentenceEncoder(checked_file(folder, manifest["models"][variant]),
                           checked_file(folder, manifest["tokenizer"]),
                           max_tokens=manifest["max_tokens"])
