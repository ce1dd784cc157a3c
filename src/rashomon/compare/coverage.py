"""Coverage: which source reports which fact; consensus, omissions, singletons.

A duplicate article (``Story.duplicates``) counts as its original: the same
report published twice is one source, not two.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Coverage, Fact, Story

__all__ = ["source_of", "distinct_sources", "coverage_matrix", "coverage", "consensus", "omissions", "singletons"]


def source_of(story: Story) -> dict[str, str]:
    """Article id -> the article that speaks for it (itself, or its original)."""
    originals = dict(story.duplicates)
    mapping = {}
    for article in story.articles:
        seen, current = set(), article
        while current in originals and current not in seen:
            seen.add(current)
            current = originals[current]
        mapping[article] = current
    return mapping


def distinct_sources(story: Story) -> tuple[str, ...]:
    mapping = source_of(story)
    return tuple(a for a in story.articles if mapping[a] == a)


def coverage_matrix(facts: Sequence[Fact], sources: Sequence[str]) -> list[list[bool]]:
    """Rows are facts, columns are ``sources``: True where the source reports the fact."""
    return [[source in fact.sources for source in sources] for fact in facts]


def coverage(facts: Sequence[Fact], sources: Sequence[str], consensus_ids: Sequence[str]) -> Coverage:
    """The facts x sources matrix, each fact marked consensus, singleton or shared."""
    agreed = set(consensus_ids)
    marks = tuple(
        "consensus" if f.id in agreed else "singleton" if len(set(f.sources) & set(sources)) == 1 else "shared"
        for f in facts
    )
    rows = tuple(tuple(row) for row in coverage_matrix(facts, sources))
    return Coverage(tuple(sources), tuple(f.id for f in facts), rows, marks)


def consensus(facts: Sequence[Fact], sources: Sequence[str]) -> tuple[str, ...]:
    """Ids of the facts reported by at least half the sources, and at least two."""
    need = max(2, -(-len(sources) // 2))
    return tuple(f.id for f in facts if len(set(f.sources) & set(sources)) >= need)


def omissions(facts: Sequence[Fact], sources: Sequence[str], consensus_ids: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per source, the consensus facts it does not report."""
    by_id = {f.id: f for f in facts}
    return tuple(
        (source, tuple(i for i in consensus_ids if source not in by_id[i].sources)) for source in sources
    )


def singletons(facts: Sequence[Fact], sources: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per source, the facts only it reports."""
    return tuple((source, tuple(f.id for f in facts if f.sources == (source,))) for source in sources)
