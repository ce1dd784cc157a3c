"""Framing: each source's tone, its tone toward the story's main entities,
the words that set it apart, its loaded words and its headline.

Distinctive terms are scored with the log-odds ratio with an informative
Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words"): uni- and
bigrams of one source against the rest of the story, the prior taken from the
whole story, z-scores so rare words do not dominate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from ..annotate.tone import aggregate_tone, sentence_tone
from ..model import Annotated, Annotation, Entity, Framing
from .lexicon import STOPWORDS, content_words, loaded_words, words

__all__ = ["terms", "log_odds", "top_entities", "frame_source", "headline_of", "headline_support"]

PRIOR_SIZE = 1000.0  # alpha_0: how many pseudo-counts the story prior is worth
MIN_COUNT = 2  # a distinctive term must occur at least this often in the source
_ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP")


def terms(text: str) -> Counter:
    """Unigrams (content words) and bigrams of two adjacent content words."""
    tokens = [w for w in words(text) if not w.isdigit()]
    grams = Counter(w for w in tokens if w not in STOPWORDS and len(w) > 2)
    for first, second in zip(tokens, tokens[1:]):
        if first not in STOPWORDS and second not in STOPWORDS and len(first) > 2 and len(second) > 2:
            grams[f"{first} {second}"] += 1
    return grams


def log_odds(mine: Counter, rest: Counter, prior: Counter, top: int) -> tuple[tuple[str, float], ...]:
    """Terms most typical of ``mine`` against ``rest``: (term, z-score), highest first."""
    prior_total = sum(prior.values()) or 1
    n_mine, n_rest = sum(mine.values()), sum(rest.values())
    scored = []
    for term, count in mine.items():
        if count < MIN_COUNT:
            continue
        alpha = PRIOR_SIZE * prior[term] / prior_total
        other = rest[term]
        delta = math.log((count + alpha) / (n_mine + PRIOR_SIZE - count - alpha)) - math.log(
            (other + alpha) / (n_rest + PRIOR_SIZE - other - alpha)
        )
        z = delta / math.sqrt(1 / (count + alpha) + 1 / (other + alpha))
        if z > 0:
            scored.append((term, round(z, 3)))
    scored.sort(key=lambda t: (-t[1], t[0]))
    return tuple(scored[:top])


def top_entities(annotation: Annotation, sources: Sequence[str], count: int = 5) -> list[Entity]:
    """The entities named by the most sources (then most often)."""
    keep = set(sources)

    def weight(entity: Entity) -> tuple[int, int, str]:
        found = [m for m in entity.mentions if m[0] in keep]
        return (-len({m[0] for m in found}), -len(found), entity.name)

    ranked = sorted((e for e in annotation.entities if e.type in _ENTITY_TYPES), key=weight)
    return [e for e in ranked if weight(e)[0] <= -2][:count]


def headline_of(doc: Annotated) -> str | None:
    """The article's title, else its first line when that is short."""
    if doc.article.title:
        return doc.article.title
    first = doc.article.text.strip().split("\n", 1)[0]
    return first if 0 < len(first.split()) <= 20 else None


def headline_support(headline: str, consensus_texts: Sequence[str]) -> float:
    """Share of the headline's content words that appear in the consensus facts."""
    mine = content_words(headline)
    pool = set().union(*(content_words(t) for t in consensus_texts)) if consensus_texts else set()
    return round(len(mine & pool) / len(mine), 3) if mine else 0.0


def _entity_tone(doc: Annotated, entity: Entity) -> float | None:
    starts = [s for a, s, _ in entity.mentions if a == doc.id]
    scores = [s.tone for s in doc.sentences if any(s.start <= p < s.end for p in starts)]
    return round(aggregate_tone(scores).mean, 4) if scores else None


def frame_source(doc: Annotated, counts: dict[str, Counter], story: Counter, entities: Sequence[Entity], top: int) -> Framing:
    """How one source frames the story: ``counts`` are each source's terms, ``story`` their sum."""
    rest = story - counts[doc.id]
    text = doc.article.text
    loaded = tuple(
        (word, s.start, s.end) for s in doc.sentences for word in loaded_words(text[s.start : s.end])
    )
    entity_tone = tuple(
        (e.name, tone) for e in entities if (tone := _entity_tone(doc, e)) is not None
    )
    headline = headline_of(doc)
    return Framing(
        article=doc.id,
        tone=doc.tone,
        entity_tone=entity_tone,
        distinctive=log_odds(counts[doc.id], rest, story, top),
        loaded=loaded,
        headline=headline,
        headline_tone=sentence_tone(headline) if headline else None,
    )
