"""Facts: sentences of different sources that report the same thing, grouped.

Every sentence of every source (headings and bylines under five words, and
questions, left out) is a *unit*. Two units of different sources are linked when a combined
score passes ``CompareSettings.fact_threshold``:

    score = cosine(sentence vectors) + 0.10 * Jaccard(entities)
            + 0.10 * Jaccard(numbers, "thirteen" = "13")

Links are merged strongest first into groups (one source may support a fact
with several sentences); a merge must keep the mean score between the two
groups within ``LINKAGE_SLACK`` of the threshold, so chains of loosely
similar sentences do not snowball into one giant fact; a group holds at most
``PER_SOURCE`` sentences of one source. A long sentence often carries two
facts, so a sentence may then also *support* other groups it matches well
(:func:`add_secondary`) without merging them. A unit no other source matches
becomes a single-source fact, so coverage and omissions can be told.

Measured against ECB+ cross-document event coreference (a proxy, see
``benchmarks/alignment_ecb.py``): pairwise precision 0.85, recall 0.50 at the
default threshold 0.62.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Annotation, Citation, Fact, Story
from .lexicon import content_words, loaded_words
from .values import numbers

__all__ = ["Unit", "units_of", "pair_scores", "group_units", "add_secondary", "build_facts", "fact_id", "MIN_WORDS"]

MIN_WORDS = 5
LINKAGE_SLACK = 0.0
SECONDARY_SLACK = 0.12
PER_SOURCE = 2  # at most this many sentences of one source support one fact
ENTITY_WEIGHT = 0.10
NUMBER_WEIGHT = 0.10


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one source with what alignment compares."""

    article: str
    start: int
    end: int
    text: str
    tone: float
    row: int  # row in the story's vector matrix
    entities: frozenset[str]
    values: frozenset[str]


def _entity_index(annotation: Annotation) -> dict[str, list[tuple[int, str]]]:
    index: dict[str, list[tuple[int, str]]] = {}
    for entity in annotation.entities:
        for article, start, _end in entity.mentions:
            index.setdefault(article, []).append((start, entity.id))
    return index


def units_of(story: Story, annotation: Annotation, sources: dict[str, str]) -> tuple[list[Unit], np.ndarray]:
    """The units of the story's distinct sources and their vectors (one row each)."""
    index = _entity_index(annotation)
    units, rows = [], []
    for article_id in story.articles:
        if sources.get(article_id, article_id) != article_id:
            continue  # a duplicate: its original speaks for it
        doc = annotation.document(article_id)
        text = doc.article.text
        vectors = annotation.sentence_vectors(article_id)
        for i, sentence in enumerate(doc.sentences):
            pieces = _pieces(text, sentence.start, sentence.end)
            for start, end in pieces:
                body = text[start:end]
                if (start, end) != max(pieces, key=lambda p: p[1] - p[0]):
                    continue  # a heading glued to the sentence: the vector speaks for the rest
                if len(body.split()) < MIN_WORDS or body.endswith("?"):
                    continue
                found = frozenset(e for s, e in index.get(article_id, ()) if start <= s < end)
                units.append(Unit(article_id, start, end, body, sentence.tone, len(rows), found, frozenset(numbers(body))))
                rows.append(vectors[i] if len(vectors) else np.zeros(384, dtype=np.float32))
    matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), dtype=np.float32)
    return units, matrix


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence split at line breaks (the model glues headings to the next line), trimmed."""
    pieces, cursor = [], start
    for part in text[start:end].split("\n"):
        left = cursor + len(part) - len(part.lstrip())
        right = cursor + len(part.rstrip())
        if right > left:
            pieces.append((left, right))
        cursor += len(part) + 1
    return pieces


def _jaccard_matrix(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Jaccard index of every pair of sets (0 where both are empty)."""
    vocabulary = {item: i for i, item in enumerate(sorted(set().union(*sets)))} if sets else {}
    incidence = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for row, items in enumerate(sets):
        incidence[row, [vocabulary[x] for x in items]] = 1.0
    shared = incidence @ incidence.T
    sizes = incidence.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def pair_scores(units: Sequence[Unit], matrix: np.ndarray) -> np.ndarray:
    """Combined scores of every pair of units; pairs of the same source get -1."""
    if not units:
        return np.zeros((0, 0), dtype=np.float32)
    scores = matrix @ matrix.T
    scores += ENTITY_WEIGHT * _jaccard_matrix([u.entities for u in units])
    scores += NUMBER_WEIGHT * _jaccard_matrix([u.values for u in units])
    articles = np.array([u.article for u in units])
    scores[articles[:, None] == articles[None, :]] = -1.0
    return scores


def group_units(scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[list[int]]:
    """Groups of unit indexes: strongest links merged first, under average linkage."""
    group_of = list(range(len(scores)))
    members = {i: [i] for i in range(len(scores))}
    pairs = np.argwhere(np.triu(scores >= threshold, k=1))
    order = sorted(pairs.tolist(), key=lambda p: (-scores[p[0], p[1]], p[0], p[1]))
    for i, j in order:
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        counts = Counter(sources[k] for k in members[a] + members[b])
        if max(counts.values()) > PER_SOURCE:
            continue
        block = scores[np.ix_(members[a], members[b])]
        if float(block[block > -1].mean()) < threshold - LINKAGE_SLACK:
            continue
        for k in members[b]:
            group_of[k] = a
        members[a].extend(members.pop(b))
    return [sorted(m) for _, m in sorted(members.items())]


def add_secondary(groups: list[list[int]], scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[list[int]]:
    """For each group, the units of other sources that also support it (see below)."""
    return [sorted(_secondary(group, scores, threshold, sources)) for group in groups]


def _secondary(group: list[int], scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[int]:
    """Let a sentence also support other facts it matches well enough.

    A long sentence often carries two facts, but grouping puts it in one. A
    unit of a source a multi-source group lacks joins that group too when it
    links to one member (score >= ``threshold``) and its mean score to the
    members is at least ``threshold - SECONDARY_SLACK``. Groups are only extended, never merged.
    """
    present = {sources[i] for i in group}
    if len(present) < 2:
        return []
    block = scores[:, group]
    means, strongest = block.mean(axis=1), block.max(axis=1)
    best: dict[str, tuple[float, int]] = {}
    for unit in np.flatnonzero((means >= threshold - SECONDARY_SLACK) & (strongest >= threshold)):
        source = sources[unit]
        if source not in present and (source not in best or means[unit] > best[source][0]):
            best[source] = (float(means[unit]), int(unit))
    return [u for _, u in best.values()]


def fact_id(support: Sequence[Citation]) -> str:
    """A deterministic id: a hash of the sorted support spans."""
    key = "|".join(f"{c.article}:{c.start}:{c.end}" for c in sorted(support, key=lambda c: (c.article, c.start)))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _wording_cost(unit: Unit, others: Sequence[Unit]) -> tuple[float, int, str]:
    """Lower is better: tone, loaded words, minus how much of the others it covers."""
    mine = content_words(unit.text)
    theirs = set().union(*(content_words(o.text) for o in others)) if others else set()
    coverage = len(mine & theirs) / len(theirs) if theirs else 0.0
    cost = abs(unit.tone) + 0.25 * len(loaded_words(unit.text)) - 0.5 * coverage
    quoted = 0.2 if any(q in unit.text for q in "\"“”") else 0.0
    return (round(cost + quoted, 6), len(unit.text), unit.article)


def build_facts(units: Sequence[Unit], groups: Sequence[Sequence[int]],
                secondary: Sequence[Sequence[int]] | None = None) -> tuple[Fact, ...]:
    """One Fact per group, worded by its most neutral, most complete support.

    ``secondary[i]`` are further supports of group ``i``; they count for
    coverage but do not word the fact.
    """
    facts = []
    for n, group in enumerate(groups):
        members = [units[i] for i in group]
        extra = [units[i] for i in (secondary[n] if secondary else ())]
        support = tuple(sorted((Citation(u.article, u.start, u.end) for u in members + extra), key=lambda c: (c.article, c.start)))
        best = min(members, key=lambda u: _wording_cost(u, [o for o in members if o.article != u.article]))
        facts.append(Fact(fact_id(support), best.text, support))
    facts.sort(key=lambda f: (-len(f.sources), f.support[0].article, f.support[0].start))
    return tuple(facts)
