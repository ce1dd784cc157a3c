"""Tone: VADER per sentence, aggregated per article or per entity.

An article's tone is built from its sentences' compound scores, never from
one lexicon pass over the whole text, so long articles are not pushed to the
extremes of the scale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from ..model import Annotated, Entity, Tone

__all__ = ["POSITIVE", "NEGATIVE", "sentence_tone", "aggregate_tone", "entity_tone"]

POSITIVE = 0.05  # VADER's conventional thresholds on the compound score
NEGATIVE = -0.05


@cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_tone(text: str) -> float:
    """VADER's compound score of one sentence, in [-1, 1]."""
    if not text.strip():
        return 0.0
    return round(float(_analyzer().polarity_scores(text)["compound"]), 4)


def aggregate_tone(scores: Iterable[float]) -> Tone:
    """Mean compound score and shares of positive and negative sentences."""
    values = list(scores)
    if not values:
        return Tone(mean=0.0, positive=0.0, negative=0.0, sentences=0)
    count = len(values)
    return Tone(
        mean=round(sum(values) / count, 4),
        positive=round(sum(v >= POSITIVE for v in values) / count, 4),
        negative=round(sum(v <= NEGATIVE for v in values) / count, 4),
        sentences=count,
    )


def entity_tone(annotated_docs: Sequence[Annotated], entity: Entity) -> Tone:
    """Tone of the sentences, over all documents, that mention ``entity``.

    A sentence counts once however many times it names the entity.
    """
    starts: dict[str, list[int]] = {}
    for article_id, start, _end in entity.mentions:
        starts.setdefault(article_id, []).append(start)
    scores = []
    for doc in annotated_docs:
        positions = starts.get(doc.id)
        if not positions:
            continue
        scores.extend(s.tone for s in doc.sentences if any(s.start <= p < s.end for p in positions))
    return aggregate_tone(scores)
