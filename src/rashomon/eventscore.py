"""The same-event score of two articles, and the features it is computed on.

    score = cos(document vectors) + entity_weight * Jaccard(named entities)
            - time_penalty * ramp(days apart beyond the time window)

The document cosine is the English (MiniLM) one between two English
articles and, with ``ClusterSettings.crosslingual``, the cross-lingual (USE)
one plus ``crosslingual_offset`` between any others (see :func:`_cosine`).
The entity term counts only when both articles name entities (PERSON, ORG,
GPE, LOC, FAC, EVENT) and the time term only when both have a publication
date: what is unknown is left out of the decision, never held against a pair.
Weights and window come from :class:`rashomon.config.ClusterSettings`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse

from .config import ClusterSettings

__all__ = ["ENTITY_LABELS", "Features", "FeatureTable", "entity_key"]

log = logging.getLogger(__name__)

#: Entity types that identify an event's who and where.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})

#: Width of the English (MiniLM) channel at the head of every document vector.
ENGLISH_DIMENSIONS = 384
_DENSE_CELLS = 4_000_000  # entity matrices up to this many cells are dense
_BLOCK = 65536  # pairs scored at once


@dataclass(frozen=True, slots=True, eq=False)
class Features:
    """What clustering needs to know about one article (compared by identity: it holds an array)."""

    id: str
    vector: np.ndarray  # unit length (all zeros for an article without text)
    entities: frozenset[str]  # entity_key() of its PERSON/ORG/GPE/LOC/FAC/EVENT mentions
    published: str | None
    title: str | None
    text: str


def entity_key(name: str, label: str) -> str:
    """A canonical key for an entity: a person by surname, anything else by its words."""
    from .annotate.entities import name_tokens

    tokens = name_tokens(name)
    if not tokens:
        return ""
    return tokens[-1] if label == "PERSON" else " ".join(tokens)


def _day(published: str | None) -> float:
    """Days since year 1 of an ISO date or datetime; NaN when absent or unreadable."""
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        log.debug("publication date %r is not ISO; time is left out for it", published)
        return math.nan


@dataclass(frozen=True, slots=True, eq=False)
class FeatureTable:
    """Features as matrices, rows in the order given: what the score is computed on."""

    ids: tuple[str, ...]
    vectors: np.ndarray  # (n, d) float32
    entities: np.ndarray | sparse.csr_matrix  # (n, vocabulary) 0/1; dense when small
    sizes: np.ndarray  # entities per row
    days: np.ndarray  # publication day, NaN when unknown
    english: np.ndarray  # True where the row's vector has an English channel (always, without cross-lingual)

    @classmethod
    def build(cls, features: Sequence[Features]) -> FeatureTable:
        vocabulary: dict[str, int] = {}
        columns = [sorted(vocabulary.setdefault(k, len(vocabulary)) for k in f.entities) for f in features]
        shape = (len(features), max(len(vocabulary), 1))
        sizes = np.array([len(c) for c in columns], dtype=np.float64)
        rows = np.repeat(np.arange(len(features)), sizes.astype(np.int64))
        flat = np.fromiter((c for cs in columns for c in cs), dtype=np.int64, count=len(rows))
        if shape[0] * shape[1] <= _DENSE_CELLS:  # small: dense arithmetic is much faster than sparse
            matrix = np.zeros(shape, dtype=np.float32)
            matrix[rows, flat] = 1.0
        else:
            matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, flat)), shape=shape)
        vectors = np.stack([f.vector for f in features]).astype(np.float32) if features else np.zeros((0, 1), np.float32)
        english = np.abs(vectors[:, :ENGLISH_DIMENSIONS]).sum(axis=1) > 0
        return cls(tuple(f.id for f in features), vectors, matrix, sizes,
                   np.array([_day(f.published) for f in features]), english)

    def scores(self, rows: np.ndarray, cols: np.ndarray, settings: ClusterSettings) -> np.ndarray:
        """The same-event score of each pair (rows[i], cols[i]), in blocks to bound memory."""
        out = np.empty(len(rows), dtype=np.float64)
        for begin in range(0, len(rows), _BLOCK):
            r, c = rows[begin : begin + _BLOCK], cols[begin : begin + _BLOCK]
            cosine = _cosine(self.vectors[r], self.vectors[c], self.english[r] & self.english[c], settings, pairs=True)
            if sparse.issparse(self.entities):
                shared = np.asarray(self.entities[r].multiply(self.entities[c]).sum(axis=1)).ravel()
            else:
                shared = np.einsum("ij,ij->i", self.entities[r], self.entities[c])
            out[begin : begin + _BLOCK] = _combine(cosine, shared, (self.sizes[r], self.sizes[c]),
                                                   (self.days[r], self.days[c]), settings)
        return out

    def square(self, members: np.ndarray, settings: ClusterSettings) -> np.ndarray:
        """The score matrix of all pairs among ``members``."""
        vectors, entities = self.vectors[members], self.entities[members]
        shared = entities @ entities.T
        shared = shared.toarray() if sparse.issparse(shared) else shared
        sizes, days, english = self.sizes[members], self.days[members], self.english[members]
        cosine = _cosine(vectors, vectors, english[:, None] & english[None, :], settings, pairs=False)
        return _combine(cosine, shared, (sizes[:, None], sizes[None, :]),
                        (days[:, None], days[None, :]), settings)


def _cosine(left: np.ndarray, right: np.ndarray, both_english: np.ndarray, settings: ClusterSettings,
            pairs: bool) -> np.ndarray:
    """The document cosine of rows of ``left`` and ``right``: pairwise (``pairs``) or all against all.

    A vector with a cross-lingual channel is ``[english, crosslingual] / sqrt(2)``
    (see ``cluster.join_channels``). Between two English articles the cosine
    is ``(1 - w) * cos(English) + w * cos(cross-lingual)``, ``w`` being
    ``crosslingual_weight``; between any others, the cross-lingual cosine alone
    plus ``crosslingual_offset`` (the two encoders' cosines are not on one scale).
    """
    def product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.einsum("ij,ij->i", a, b) if pairs else a @ b.T

    if left.shape[1] <= ENGLISH_DIMENSIONS or not settings.crosslingual:
        return product(left, right)
    split = ENGLISH_DIMENSIONS
    part = np.ascontiguousarray  # a column slice is strided: matmul on it is many times slower
    english = 2.0 * product(part(left[:, :split]), part(right[:, :split]))
    other = 2.0 * product(part(left[:, split:]), part(right[:, split:]))
    weight = settings.crosslingual_weight
    return np.where(both_english, (1.0 - weight) * english + weight * other, other + settings.crosslingual_offset)


def _combine(cosine, shared, sizes, days, settings: ClusterSettings) -> np.ndarray:
    """score = cosine + entity_weight * Jaccard - time_penalty * lateness (unknowns left out)."""
    union = sizes[0] + sizes[1] - shared
    jaccard = np.divide(shared, union, out=np.zeros(np.shape(cosine)), where=union > 0)
    window = max(settings.time_window_days, 1e-9)
    with np.errstate(invalid="ignore"):
        late = np.clip((np.abs(days[0] - days[1]) - window) / window, 0.0, 1.0)
    return cosine + settings.entity_weight * jaccard - settings.time_penalty * np.nan_to_num(late, nan=0.0)
