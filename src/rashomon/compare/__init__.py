"""Cross-source comparison: Story + Annotation -> Comparison.

    facts          sentences of different sources reporting the same thing
    coverage       fact x source: consensus, each source's omissions, singletons
    discrepancies  numbers, dates, negations, attributes, names that differ
    voices         who is quoted by which source
    framing        tone, tone toward main entities, distinctive and loaded words, headline
    similarity     SemEval-2022 Task 8 dimensions for every pair of sources

``compare(story, annotation, settings)`` runs them all; each module can be
used alone.
"""

from __future__ import annotations

import logging
from collections import Counter

from ..config import CompareSettings
from ..errors import ConfigError
from ..model import Annotation, Article, Comparison, Fact, Story
from .coverage import consensus, coverage, distinct_sources, omissions, singletons, source_of
from .discrepancies import find_discrepancies
from .facts import add_secondary, build_facts, group_units, pair_scores, units_of
from .framing import frame_source, headline_support, terms, top_entities
from .similarity import similarities
from .units import matching_embedder
from .voices import find_voices, unquoted_sources

__all__ = ["compare", "align_facts"]

log = logging.getLogger(__name__)


def _label(article: Article) -> str:
    """How notes name a source: its outlet, else the file or URL it came from."""
    return article.outlet or article.source.rstrip("/").rsplit("/", 1)[-1]


def _check(story: Story, annotation: Annotation) -> None:
    known = {d.id for d in annotation.documents}
    missing = [a for a in story.articles if a not in known]
    if missing:
        raise ConfigError(
            f"story {story.id} names articles the annotation does not hold: {', '.join(missing[:5])}; "
            "annotate every article of the story before comparing it"
        )
    if story.articles and len(annotation.vectors) == 0:
        raise ConfigError(
            f"the annotation of story {story.id} has no sentence vectors; annotate with vectors=True"
        )


def align_facts(story: Story, annotation: Annotation, settings: CompareSettings = CompareSettings()) -> tuple[Fact, ...]:
    """The story's facts: aligned sentences (or clauses of sentences) of its distinct sources."""
    embedder = matching_embedder(annotation, settings.embedder) if settings.clauses else None
    units, matrix = units_of(story, annotation, source_of(story), embedder)
    scores = pair_scores(units, matrix)
    sources = [u.article for u in units]
    groups = group_units(scores, settings.fact_threshold, sources)
    return build_facts(units, groups, add_secondary(groups, scores, settings.fact_threshold, sources))


def _notes(story: Story, annotation: Annotation, facts: tuple[Fact, ...], sources: tuple[str, ...],
           consensus_ids: tuple[str, ...]) -> tuple[str, ...]:
    name = {d.id: _label(d.article) for d in annotation.documents}
    notes = []
    if len(sources) < 2:
        notes.append("nothing to compare: one source" + (" (the others are duplicates of it)" if len(story.articles) > 1 else ""))
        return tuple(notes)
    for original, duplicate in ((o, a) for a, o in story.duplicates):
        notes.append(f"{name.get(duplicate, duplicate)} duplicates {name.get(original, original)}: counted as one source")
    shared = Counter(s for f in facts if len(f.sources) > 1 for s in f.sources)
    for source in sources:
        if not shared[source]:
            notes.append(f"{name[source]} shares no fact with the other sources")
    for source in unquoted_sources(annotation, sources):
        notes.append(f"{name[source]} quotes no named speaker")
    if not consensus_ids:
        notes.append("no fact is reported by at least half of the sources")
    return tuple(notes)


def _headline_notes(annotation: Annotation, framing, facts: tuple[Fact, ...], consensus_ids: tuple[str, ...]) -> list[str]:
    texts = [f.text for f in facts if f.id in consensus_ids]
    notes = []
    for frame in framing:
        if frame.headline and texts:
            share = headline_support(frame.headline, texts)
            notes.append(f"headline of {_label(annotation.document(frame.article).article)}: {share:.0%} of its content words appear in the consensus facts")
    return notes


def compare(story: Story, annotation: Annotation, settings: CompareSettings = CompareSettings()) -> Comparison:
    """Compare the sources of one story: facts, coverage, discrepancies, voices, framing, similarity."""
    _check(story, annotation)
    sources = distinct_sources(story)
    facts = align_facts(story, annotation, settings)
    consensus_ids = consensus(facts, sources) if len(sources) > 1 else ()
    counts = {s: terms(annotation.document(s).article.text) for s in sources}
    entities = top_entities(annotation, sources)
    story_terms = sum(counts.values(), Counter())
    framing = tuple(frame_source(annotation.document(s), counts, story_terms, entities, settings.top_terms) for s in sources)
    notes = _notes(story, annotation, facts, sources, consensus_ids)
    if len(sources) > 1:
        notes += tuple(_headline_notes(annotation, framing, facts, consensus_ids))
    log.info("story %s: %d facts, %d consensus, %d sources", story.id, len(facts), len(consensus_ids), len(sources))
    return Comparison(
        story=story,
        facts=facts,
        consensus=consensus_ids,
        omissions=omissions(facts, sources, consensus_ids) if len(sources) > 1 else (),
        singletons=singletons(facts, sources) if len(sources) > 1 else (),
        discrepancies=find_discrepancies(facts, annotation, sources) if len(sources) > 1 else (),
        voices=find_voices(annotation, sources),
        framing=framing,
        similarity=similarities(annotation, sources),
        notes=notes,
        coverage=coverage(facts, sources, consensus_ids),
    )
