"""The same-event score of two articles, and the features it is computed on.

    score = cos(document vectors) + entity_weight * Jaccard(named entities)
            + number_weight * (Jaccard(numbers) - number_offset)
            - year_penalty * [the latest years mentioned differ]
            - time_penalty * ramp(days apart beyond the time window)

The document cosine is the English (MiniLM) one between two English
articles and, with ``ClusterSettings.crosslingual``, the cross-lingual (USE)
one plus ``crosslingual_offset`` between any others (see :func:`_cosine`).
The entity term counts only when both articles name entities (PERSON, ORG,
GPE, LOC, FAC, EVENT), the number term only when both texts mention numbers
other than years (a count, a magnitude, a day of the month: two reports of
one event repeat them, two events of a kind differ in them), the year term
only when both mention years (1900-2099): the latest one a report mentions
is most often the year it tells of (older ones are background), and the time
term only when both have a publication date: what is unknown is left out of
the decision, never held against a pair. Numbers are read from the text,
so they work in any language written with Western digits. Every term is a
function of the pair alone, so a score is the same in any table (the
incremental :mod:`rashomon.storyindex` relies on it). Weights and window
come from :class:`rashomon.config.ClusterSettings`.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse

from .config import ClusterSettings

__all__ = ["ENTITY_LABELS", "Features", "FeatureTable", "Memberships", "entity_key", "mentioned_numbers"]

log = logging.getLogger(__name__)

#: Entity types that identify an event's who and where.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})

#: Width of the English (MiniLM) channel at the head of every document vector.
ENGLISH_DIMENSIONS = 384
_DENSE_CELLS = 4_000_000  # membership matrices up to this many cells are dense
_BLOCK = 65536  # pairs scored at once
#: A number as written: digits with "." or "," groups, not glued to a word on its left ("IE8", "a00").
_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])[0-9]+(?:[.,][0-9]+)*(?![0-9])")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_SCANNED = 20000  # leading characters of the text read for numbers (as the entity tagger reads)


def mentioned_numbers(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(years, other numbers) the text mentions; thousands commas dropped ("2,500" is "2500", not a year).

    "A 6.1 quake on 12 May 2008 killed 2,500 near IE8 servers" mentions the
    year 2008 and the numbers 6.1, 12 and 2500 ("IE8" is a name, not a number).
    """
    tokens = _NUMBER.findall(text[:_SCANNED])
    years = frozenset(t for t in tokens if _YEAR.fullmatch(t))
    return years, frozenset(t.replace(",", "") for t in tokens if t not in years)


@dataclass(frozen=True, slots=True, eq=False)
class Features:
    """What clustering needs to know about one article (compared by identity: it holds an array).

    ``years`` and ``numbers`` are read from ``text`` (:func:`mentioned_numbers`) unless given.
    """

    id: str
    vector: np.ndarray  # unit length (all zeros for an article without text)
    entities: frozenset[str]  # entity_key() of its PERSON/ORG/GPE/LOC/FAC/EVENT mentions
    published: str | None
    title: str | None
    text: str
    years: frozenset[str] | None = None  # years 1900-2099 its text mentions
    numbers: frozenset[str] | None = None  # other numbers its text mentions

    def __post_init__(self) -> None:
        if self.years is None or self.numbers is None:
            years, numbers = mentioned_numbers(self.text)
            object.__setattr__(self, "years", years if self.years is None else self.years)
            object.__setattr__(self, "numbers", numbers if self.numbers is None else self.numbers)


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
class Memberships:
    """Which keys (entities, numbers) each row holds: a 0/1 matrix, dense when small, and row sizes."""

    matrix: np.ndarray | sparse.csr_matrix  # (n, vocabulary)
    sizes: np.ndarray  # keys per row

    @classmethod
    def build(cls, sets: Sequence[frozenset[str]]) -> Memberships:
        vocabulary: dict[str, int] = {}
        columns = [sorted(vocabulary.setdefault(k, len(vocabulary)) for k in keys) for keys in sets]
        shape = (len(sets), max(len(vocabulary), 1))
        sizes = np.array([len(c) for c in columns], dtype=np.float64)
        rows = np.repeat(np.arange(len(sets)), sizes.astype(np.int64))
        flat = np.fromiter((c for cs in columns for c in cs), dtype=np.int64, count=len(rows))
        if shape[0] * shape[1] <= _DENSE_CELLS:  # small: dense arithmetic is much faster than sparse
            matrix = np.zeros(shape, dtype=np.float32)
            matrix[rows, flat] = 1.0
        else:
            matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, flat)), shape=shape)
        return cls(matrix, sizes)

    def pairs(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(keys shared, keys of the row, keys of the column) of each pair (rows[i], cols[i])."""
        if not self.sizes[rows].any() or not self.sizes[cols].any():
            shared = np.zeros(len(rows))
        elif sparse.issparse(self.matrix):
            shared = np.asarray(self.matrix[rows].multiply(self.matrix[cols]).sum(axis=1)).ravel()
        else:
            shared = np.einsum("ij,ij->i", self.matrix[rows], self.matrix[cols])
        return shared, self.sizes[rows], self.sizes[cols]

    def square(self, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(keys shared, keys of the row, keys of the column) of all pairs among ``members``."""
        sizes = self.sizes[members]
        if not sizes.any():
            return np.zeros((len(members), len(members)), dtype=np.float32), sizes[:, None], sizes[None, :]
        matrix = self.matrix[members]
        shared = matrix @ matrix.T
        return (shared.toarray() if sparse.issparse(shared) else shared), sizes[:, None], sizes[None, :]


@dataclass(frozen=True, slots=True, eq=False)
class FeatureTable:
    """Features as matrices, rows in the order given: what the score is computed on."""

    ids: tuple[str, ...]
    vectors: np.ndarray  # (n, d) float32
    entities: Memberships
    numbers: Memberships  # numbers other than years mentioned in the text
    years: np.ndarray  # latest year the text mentions, NaN when none
    days: np.ndarray  # publication day, NaN when unknown
    english: np.ndarray  # True where the row's vector has an English channel (always, without cross-lingual)

    @classmethod
    def build(cls, features: Sequence[Features]) -> FeatureTable:
        vectors = np.stack([f.vector for f in features]).astype(np.float32) if features else np.zeros((0, 1), np.float32)
        english = np.abs(vectors[:, :ENGLISH_DIMENSIONS]).sum(axis=1) > 0
        return cls(tuple(f.id for f in features), vectors, Memberships.build([f.entities for f in features]),
                   Memberships.build([f.numbers for f in features]),
                   np.array([max(map(float, f.years), default=math.nan) for f in features]),
                   np.array([_day(f.published) for f in features]), english)

    def scores(self, rows: np.ndarray, cols: np.ndarray, settings: ClusterSettings) -> np.ndarray:
        """The same-event score of each pair (rows[i], cols[i]), in blocks to bound memory."""
        out = np.empty(len(rows), dtype=np.float64)
        for begin in range(0, len(rows), _BLOCK):
            r, c = rows[begin : begin + _BLOCK], cols[begin : begin + _BLOCK]
            cosine = _cosine(self.vectors[r], self.vectors[c], self.english[r] & self.english[c], settings, pairs=True)
            overlaps = (self.entities.pairs(r, c), self.numbers.pairs(r, c))
            out[begin : begin + _BLOCK] = _combine(cosine, overlaps, (self.years[r], self.years[c]),
                                                   (self.days[r], self.days[c]), settings)
        return out

    def square(self, members: np.ndarray, settings: ClusterSettings) -> np.ndarray:
        """The score matrix of all pairs among ``members``."""
        vectors, english = self.vectors[members], self.english[members]
        years, days = self.years[members], self.days[members]
        cosine = _cosine(vectors, vectors, english[:, None] & english[None, :], settings, pairs=False)
        overlaps = (self.entities.square(members), self.numbers.square(members))
        return _combine(cosine, overlaps, (years[:, None], years[None, :]), (days[:, None], days[None, :]), settings)


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


def _jaccard(overlap) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard of each pair, and whether both sides hold any key (else the Jaccard says nothing)."""
    shared, left, right = overlap
    union = left + right - shared
    jaccard = np.divide(shared, union, out=np.zeros(np.broadcast_shapes(np.shape(shared), np.shape(union))),
                        where=union > 0)
    return jaccard, (left > 0) & (right > 0)


def _combine(cosine, overlaps, years, days, settings: ClusterSettings) -> np.ndarray:
    """The score from the cosine, the (entities, numbers) overlaps, the latest years and the days.

    Unknowns (no entity, no number, no year, no date on either side) are left out.
    """
    entities, _ = _jaccard(overlaps[0])
    numbers, both_numbered = _jaccard(overlaps[1])
    window = max(settings.time_window_days, 1e-9)
    with np.errstate(invalid="ignore"):
        other_year = np.abs(years[0] - years[1]) > 0  # NaN (no year) on either side: False
        late = np.clip((np.abs(days[0] - days[1]) - window) / window, 0.0, 1.0)
    return (cosine + settings.entity_weight * entities
            + settings.number_weight * (numbers - settings.number_offset) * both_numbered
            - settings.year_penalty * other_year
            - settings.time_penalty * np.nan_to_num(late, nan=0.0))
