"""Similarity of two articles on the SemEval-2022 Task 8 dimensions.

Scores run from 1 (very similar) to 4 (very dissimilar), as in the task.
Each dimension is a linear model over twelve pair features (below); the
coefficients were fitted with ridge regression on the task's English pairs
(``benchmarks/similarity_semeval.py --fit`` rewrites
``similarity_weights.json``; only the learned numbers ship, never the data).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..errors import ConfigError
from ..model import Annotated, Annotation, Similarity
from .lexicon import content_words

__all__ = ["DocFeatures", "FEATURES", "DIMENSIONS", "doc_features", "pair_features", "score_pair", "shipped_weights", "similarities"]

FEATURES = (
    "document_cosine", "best_match", "lead_cosine", "geography_overlap", "entity_overlap", "time_overlap",
    "word_overlap", "tone_difference", "negative_share_difference", "sentence_length_ratio",
    "length_ratio", "quote_share_difference",
)
DIMENSIONS = ("geography", "entities", "time", "narrative", "style", "tone", "overall")
_PLACES = ("GPE", "LOC", "NORP", "FAC")
_ACTORS = ("PERSON", "ORG")
_MONTHS = "january february march april may june july august september october november december".split()
_TIME_WORD = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“«„]([^\"“”«»„]{10,}?)[\"”»“]")


@dataclass(frozen=True, slots=True)
class DocFeatures:
    """What pair similarity needs of one article."""

    vectors: np.ndarray  # unit sentence vectors (the first sentences)
    places: frozenset[str]
    actors: frozenset[str]
    times: frozenset[str]
    words: frozenset[str]
    tone: float
    negative: float
    sentence_length: float
    length: int
    quote_share: float


def _names(doc: Annotated, labels: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for mention in doc.mentions:
        if mention.label in labels:
            name = mention.text.lower().removeprefix("the ")
            found.add(name)
            if mention.label == "PERSON" and " " in name:
                found.add(name.rsplit(" ", 1)[1])  # "Lavrov" meets "Sergey Lavrov"
    return frozenset(found)


def doc_features(doc: Annotated, vectors: np.ndarray) -> DocFeatures:
    """Features of one article; ``vectors`` are its sentence vectors (possibly the first few)."""
    text = doc.article.text
    times = {m.group(0).lower() for m in _TIME_WORD.finditer(text)}
    times |= {t.value for t in doc.times if t.value}
    sentences = max(len(doc.sentences), 1)
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    return DocFeatures(
        vectors=vectors,
        places=_names(doc, _PLACES),
        actors=_names(doc, _ACTORS),
        times=frozenset(times),
        words=frozenset(content_words(text)),
        tone=doc.tone.mean,
        negative=doc.tone.negative,
        sentence_length=len(text.split()) / sentences,
        length=max(len(text.split()), 1),
        quote_share=quoted / max(len(text), 1),
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _mean_unit(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def pair_features(a: DocFeatures, b: DocFeatures) -> np.ndarray:
    """The twelve features of ``FEATURES`` for one pair, in that order."""
    if len(a.vectors) and len(b.vectors):
        cosines = a.vectors @ b.vectors.T
        document = float(_mean_unit(a.vectors) @ _mean_unit(b.vectors))
        best = float((cosines.max(axis=1).mean() + cosines.max(axis=0).mean()) / 2)
        lead = float(cosines[0, 0])
    else:
        document = best = lead = 0.0
    return np.array([
        document, best, lead,
        _jaccard(a.places, b.places), _jaccard(a.actors, b.actors), _jaccard(a.times, b.times),
        _jaccard(a.words, b.words),
        abs(a.tone - b.tone), abs(a.negative - b.negative),
        abs(math.log(max(a.sentence_length, 1) / max(b.sentence_length, 1))),
        abs(math.log(a.length / b.length)),
        abs(a.quote_share - b.quote_share),
    ], dtype=np.float64)


@cache
def shipped_weights() -> dict[str, tuple[float, np.ndarray]]:
    data = json.loads(resources.files(__package__).joinpath("similarity_weights.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ConfigError(
            f"similarity_weights.json lists features {data['features']}, expected {list(FEATURES)}; "
            "rerun 'python -m benchmarks.similarity_semeval --fit'"
        )
    return {d: (float(w["intercept"]), np.array(w["weights"], dtype=np.float64)) for d, w in data["dimensions"].items()}


def score_pair(features: np.ndarray) -> tuple[tuple[str, float], ...]:
    """(dimension, score on 1-4) for one pair's features."""
    weights = shipped_weights()
    return tuple(
        (d, round(float(np.clip(weights[d][0] + weights[d][1] @ features, 1.0, 4.0)), 3)) for d in DIMENSIONS
    )


def similarities(annotation: Annotation, sources: Sequence[str]) -> tuple[Similarity, ...]:
    """Similarity of every pair of ``sources`` (in order)."""
    features = {s: doc_features(annotation.document(s), annotation.sentence_vectors(s)) for s in sources}
    return tuple(
        Similarity(first, second, score_pair(pair_features(features[first], features[second])))
        for i, first in enumerate(sources)
        for second in sources[i + 1 :]
    )
