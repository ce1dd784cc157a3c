"""Incremental story clustering: new articles join stories without re-clustering all.

A :class:`StoryIndex` holds every article's document vector in a faiss
index (exact inner product up to ``exact_limit`` articles, IVF above). To
add an article it

1. finds its nearest stored neighbours and scores them with the same score
   as :mod:`rashomon.cluster`;
2. takes the stories of the neighbours scoring >= threshold (the only ones
   average linkage could join it to) and re-clusters just their articles plus
   the new one, exactly as the batch does;
3. reconciles the result with the stories as they were and reports events:
   ``created`` (no story took it), ``joined``, ``merged`` (it bridged two or
   more stories), ``split`` (the new evidence shows a story to be two).

Ids stay stable: a story keeps its id as it grows; a merged story keeps the
id of the story holding its earliest article; in a split the part holding
the story's earliest article keeps the id and the others get the id of their
own earliest article. Articles added in publication order therefore get the
ids a batch run gives (see :func:`rashomon.cluster.story_id`).

Adding one at a time ends in the batch partition when each story's articles
are more like each other than like other stories' (tested); it can differ
when average linkage would have grouped some articles before a bridging
article arrived, since only the stories the new article touches are redone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .cluster import DEFAULT_SETTINGS, make_story, seed_order, story_id
from .config import ClusterSettings
from .eventscore import Features, FeatureTable
from .linkage import partition, vector_index
from .errors import ConfigError, SourceError
from .model import Story

__all__ = ["StoryEvent", "StoryIndex"]

log = logging.getLogger(__name__)


class StoryEvent(NamedTuple):
    """What happened to a story; a tuple ``(action, story, detail)`` as the store records it."""

    action: str  # "created", "joined", "merged" or "split"
    story: str
    detail: dict


class StoryIndex:
    """Stories kept up to date as articles arrive, in memory."""

    def __init__(self, settings: ClusterSettings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self._features: dict[str, Features] = {}
        self._row: dict[str, int] = {}
        self._id_at: list[str] = []  # row -> article id
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._index = None
        self._story_of: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}
        self._stories: dict[str, Story] = {}  # cache of built stories; dropped when a story changes

    def __len__(self) -> int:
        return len(self._row)

    @classmethod
    def from_state(cls, stories: Sequence[Story], ids: Sequence[str], matrix: np.ndarray,
                   features: Sequence[Features] = (), settings: ClusterSettings = DEFAULT_SETTINGS) -> StoryIndex:
        """Rebuild from the store: its stories and document vectors, as saved.

        Stories are trusted as given (not re-clustered). Articles whose
        ``features`` are not passed are known by their vector alone: no
        entities, no date (left out of their scores), no title.
        """
        index = cls(settings)
        known = {f.id: f for f in features}
        rows = {article: row for row, article in enumerate(ids)}
        for story in stories:
            missing = [a for a in story.articles if a not in rows]
            if missing:
                raise SourceError(story.id, f"story member {missing[0]!r} has no document vector; "
                                  "store every article's vector with put_document_vectors")
        batch = [known.get(a) or Features(a, np.asarray(matrix[r], dtype=np.float32), frozenset(), None, None, "")
                 for a, r in rows.items()]
        widths = {len(f.vector) for f in batch}
        if len(widths) > 1:
            raise ConfigError(f"the stored document vectors are {np.shape(matrix)[1]} wide but the articles' features "
                              f"give {sorted(widths - {np.shape(matrix)[1]})}: the store was built with other "
                              "ClusterSettings (crosslingual); use those, or pass stored=(ids, matrix) to "
                              "features_from_annotation")
        index._append(batch)
        for story in stories:
            index._members[story.id] = set(story.articles)
            index._story_of.update((a, story.id) for a in story.articles)
            index._stories[story.id] = story
        for article in ids:  # an article in no story is a story of its own
            if article not in index._story_of:
                index._set_story(story_id(article), {article})
        return index

    def vectors(self) -> tuple[tuple[str, ...], np.ndarray]:
        """(ids, document vectors) to save with ``Store.put_document_vectors``."""
        ids = tuple(self._id_at)
        return ids, self._matrix[: len(ids)].copy()

    def stories(self) -> tuple[Story, ...]:
        """The current stories, largest first."""
        for story, members in self._members.items():
            if story not in self._stories:
                self._stories[story] = make_story([self._features[a] for a in members], self.settings, story)
        return tuple(sorted(self._stories.values(), key=lambda s: (-len(s.articles), s.id)))

    def add(self, features: Sequence[Features]) -> tuple[StoryEvent, ...]:
        """Add articles (in publication order, then id) and return what happened to stories."""
        events: list[StoryEvent] = []
        for feature in sorted(features, key=seed_order):
            if feature.id in self._row:
                log.info("article %s is already in the story index; not added again", feature.id)
                continue
            events.extend(self._add_one(feature))
        return tuple(events)

    # -- internals --------------------------------------------------------

    def _append(self, features: Sequence[Features]) -> None:
        if not features:
            return
        vectors = np.stack([f.vector for f in features]).astype(np.float32)
        start = len(self._row)
        if self._matrix.shape[0] < start + len(vectors):  # grow by doubling
            grown = np.zeros((max(2 * self._matrix.shape[0], start + len(vectors), 64), vectors.shape[1]), np.float32)
            if start:
                grown[:start] = self._matrix[:start]
            self._matrix = grown
        self._matrix[start : start + len(vectors)] = vectors
        for offset, feature in enumerate(features):
            self._row[feature.id] = start + offset
            self._id_at.append(feature.id)
            self._features[feature.id] = feature
        self._index_vectors(start, start + len(vectors))

    def _index_vectors(self, start: int, stop: int) -> None:
        """Index rows [start, stop); rebuilt whole when it first passes ``exact_limit`` (exact -> IVF)."""
        if self._index is None or (stop > self.settings.exact_limit >= start):
            if stop > self.settings.exact_limit:
                log.info("story index holds %d articles: switching to approximate search (IVF)", stop)
            self._index = vector_index(self._matrix[:stop], self.settings)
        else:
            self._index.add(self._matrix[start:stop])

    def _neighbour_stories(self, feature: Features) -> list[str]:
        """Stories holding a neighbour of ``feature`` that scores >= threshold."""
        if not self._row:
            return []
        k = min(self.settings.neighbours, len(self._row))
        _, found = self._index.search(feature.vector[None, :].astype(np.float32), k)
        ids = sorted(self._rows_to_ids(found[0]))
        table = FeatureTable.build([feature] + [self._features[a] for a in ids])
        others = np.arange(1, len(ids) + 1)
        scores = table.scores(np.zeros(len(ids), dtype=np.int64), others, self.settings)
        return sorted({self._story_of[a] for a, s in zip(ids, scores) if s >= self.settings.threshold})

    def _rows_to_ids(self, rows: np.ndarray) -> list[str]:
        return [self._id_at[r] for r in rows if r >= 0]

    def _add_one(self, feature: Features) -> list[StoryEvent]:
        touched = self._neighbour_stories(feature)
        self._append([feature])
        if not touched:
            new = self._free_id(story_id(feature.id))
            self._set_story(new, {feature.id})
            return [StoryEvent("created", new, {"articles": [feature.id]})]
        before = {s: set(self._members[s]) for s in touched}
        ordered = sorted([feature.id, *set().union(*before.values())])
        table = FeatureTable.build([self._features[a] for a in ordered])
        groups = [{ordered[i] for i in g} for g in partition(table, self.settings)]
        return self._reconcile(feature.id, before, groups)

    def _reconcile(self, new: str, before: dict[str, set[str]], groups: list[set[str]]) -> list[StoryEvent]:
        """Give each group an id, store it, and name what happened."""
        def order(article: str) -> tuple:
            return seed_order(self._features[article])

        seed = {s: min(m, key=order) for s, m in before.items()}
        for story in before:
            self._drop_story(story)
        events, named = [], {}
        for group in sorted(groups, key=lambda g: order(min(g, key=order))):
            first = min(group, key=order)
            sources = sorted((s for s in before if before[s] & group), key=lambda s: order(seed[s]))
            keep = next((s for s in sources if seed[s] in group and s not in named.values()), None)
            keep = keep or next((s for s in sources if s not in named.values()), None)
            story = keep or self._free_id(story_id(first))
            named[frozenset(group)] = story
            self._set_story(story, group)
            if len(sources) > 1:
                events.append(StoryEvent("merged", story, {"from": [s for s in sources if s != story]}))
            if new in group:
                action = "joined" if sources else "created"
                events.append(StoryEvent(action, story, {"articles": [new]}))
        for story, members in sorted(before.items()):
            parts = sorted(named[frozenset(g)] for g in groups if g & members)
            if len(parts) > 1:
                events.insert(0, StoryEvent("split", story, {"into": [p for p in parts if p != story]}))
        return events

    def _free_id(self, wanted: str) -> str:
        story, n = wanted, 1
        while story in self._members:
            story, n = f"{wanted}-{n}", n + 1
        return story

    def _set_story(self, story: str, members: set[str]) -> None:
        self._members[story] = set(members)
        self._story_of.update((a, story) for a in members)
        self._stories.pop(story, None)

    def _drop_story(self, story: str) -> None:
        self._members.pop(story, None)
        self._stories.pop(story, None)
