"""Our int8 ONNX MiniLM against reference vectors of the original PyTorch model.

tests/data/minilm_reference.json was computed once with torch (see
benchmarks/minilm_reference.py); this test needs no torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rashomon.annotate.vectors import load_embedder
from rashomon.errors import ConfigError

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "minilm_reference.json"


def test_onnx_vectors_match_the_reference_model():
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    reference = np.asarray(data["vectors"], dtype=np.float32)
    ours = load_embedder("minilm-onnx").embed(data["sentences"])
    assert ours.shape == reference.shape == (len(data["sentences"]), 384)
    cosines = (ours * reference).sum(axis=1) / np.linalg.norm(reference, axis=1)
    assert cosines.min() >= 0.99, dict(zip(data["sentences"], cosines.round(4)))


def test_embedder_is_loaded_once_and_unknown_names_are_refused():
    assert load_embedder() is load_embedder("minilm-onnx")
    with pytest.raises(ConfigError, match="hashing"):
        load_embedder("word2vec")


def test_batches_hold_a_bounded_number_of_padded_tokens():
    from rashomon.annotate.vectors import _BATCH_TOKENS, OnnxMiniLM

    embedder = load_embedder("minilm-onnx")
    assert isinstance(embedder, OnnxMiniLM)
    lengths = [3, 5, 9, 40, 200, 256, 256, 256, 256, 256, 256, 256, 256, 256, 12]
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches = list(embedder._batches(order, lengths))
    assert sorted(i for rows in batches for i in rows) == list(range(len(lengths)))
    assert all(len(rows) <= embedder.batch_size for rows in batches)
    assert all(len(rows) * max(lengths[i] for i in rows) <= _BATCH_TOKENS for rows in batches)
