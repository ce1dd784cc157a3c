"""Incremental story clustering: new articles join stories without re-clustering all.

A :class:`StoryIndex` holds every article's document vector in a faiss
index (exact inner product up to :data:`EXACT_SEARCH_LIMIT` articles, or
``exact_limit`` when lower; IVF above). To add an article it

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
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .cluster import DEFAULT_SETTINGS, make_story, seed_order, story_id
from .config import ClusterSettings
from .eventscore import Features, FeatureTable
from .linkage import partition, vector_index
from .errors import ConfigError, SourceError
from .model import Story

__all__ = ["StoryEvent", "StoryIndex", "FeatureLoader"]

log = logging.getLogger(__name__)

#: Above this many articles the index searches approximately (IVF), even when
#: ``ClusterSettings.exact_limit`` is higher. One article's exact search reads
#: every stored vector (measured: 5.6 ms CPU at 20,000 of 896 dimensions,
#: against 0.5 ms for IVF at 100,000); the batch, which searches for all its
#: articles at once, keeps ``exact_limit``.
EXACT_SEARCH_LIMIT = 8000

#: Gives the features of stored articles by id (those it cannot give are known by their vector alone).
FeatureLoader = Callable[[Sequence[str]], Sequence[Features]]


class StoryEvent(NamedTuple):
    """What happened to a story; a tuple ``(action, story, detail)`` as the store records it."""

    action: str  # "created", "joined", "merged" or "split"
    story: str
    detail: dict


class StoryIndex:
    """Stories kept up to date as articles arrive, in memory."""

    def __init__(self, settings: ClusterSettings = DEFAULT_SETTINGS, load: FeatureLoader | None = None) -> None:
        self.settings = settings
        self._load = load
        self._features: dict[str, Features] = {}  # of new articles, and of stored ones once needed
        self._stored = np.zeros((0, 0), dtype=np.float32)  # the stored vectors from_state was given
        self._stored_row: dict[str, int] = {}
        self._row: dict[str, int] = {}
        self._id_at: list[str] = []  # row -> article id
        self._index = None  # faiss holds the vectors; _stored and the features hold them too
        self._story_of: dict[str, str] = {}
        self._members: dict[str, set[str]] = {}
        self._stories: dict[str, Story] = {}  # cache of built stories; dropped when a story changes
        _thread_controller()  # found once per process (~7 ms), here rather than in the first add

    def __len__(self) -> int:
        return len(self._row)

    @classmethod
    def from_state(cls, stories: Sequence[Story], ids: Sequence[str], matrix: np.ndarray,
                   features: Sequence[Features] = (), settings: ClusterSettings = DEFAULT_SETTINGS,
                   load: FeatureLoader | None = None) -> StoryIndex:
        """Rebuild from the store: its stories and document vectors, as saved.

        Stories are trusted as given (not re-clustered). A stored article's
        features come from ``features``, else from ``load`` when first needed
        (when a new article's neighbours or touched stories include it), so a
        large store need not be read whole; an article neither gives is known
        by its vector alone: no entities, no date (left out of its scores), no title.
        """
        index = cls(settings, load)
        rows = {article: row for row, article in enumerate(ids)}
        for story in stories:
            missing = [a for a in story.articles if a not in rows]
            if missing:
                raise SourceError(story.id, f"story member {missing[0]!r} has no document vector; "
                                  "store every article's vector with put_document_vectors")
        index._stored, index._stored_row = np.ascontiguousarray(matrix, dtype=np.float32), rows
        given = [f for f in features if f.id in rows]
        if ids:
            _check_width(given, index._stored.shape[1])
        index._features.update((f.id, f) for f in given)
        index._index_rows(list(ids))
        for story in stories:
            index._members[story.id] = set(story.articles)
            index._story_of.update((a, story.id) for a in story.articles)
            index._stories[story.id] = story
        for article in ids:  # an article in no story is a story of its own
            if article not in index._story_of:
                index._set_story(story_id(article), {article})
        return index

    def vectors(self, ids: Sequence[str] | None = None) -> tuple[tuple[str, ...], np.ndarray]:
        """(ids, document vectors) of ``ids`` (default: all) to save with ``Store.put_document_vectors``."""
        ids = tuple(self._id_at if ids is None else ids)
        return ids, self._stacked(ids)

    def stories(self) -> tuple[Story, ...]:
        """The current stories, largest first."""
        for story, members in self._members.items():
            if story not in self._stories:
                self._stories[story] = make_story(self._features_of(sorted(members)), self.settings, story)
        return tuple(sorted(self._stories.values(), key=lambda s: (-len(s.articles), s.id)))

    def add(self, features: Sequence[Features]) -> tuple[StoryEvent, ...]:
        """Add articles (in publication order, then id) and return what happened to stories.

        While it runs, BLAS and OpenMP are held to one thread, process-wide (see :func:`_one_thread`).
        """
        events: list[StoryEvent] = []
        if features and self._row:
            _check_width(features, self._index.d)
        with _one_thread():
            for feature in sorted(features, key=seed_order):
                if feature.id in self._row:
                    log.info("article %s is already in the story index; not added again", feature.id)
                    continue
                events.extend(self._add_one(feature))
        return tuple(events)

    # -- internals --------------------------------------------------------

    def _vector(self, article: str) -> np.ndarray:
        known = self._features.get(article)
        return known.vector if known is not None else self._stored[self._stored_row[article]]

    def _stacked(self, ids: Sequence[str]) -> np.ndarray:
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        return np.ascontiguousarray(np.stack([self._vector(a) for a in ids]), dtype=np.float32)

    def _features_of(self, ids: Sequence[str]) -> list[Features]:
        """The features of ``ids``, asking ``load`` for stored articles not seen yet."""
        missing = [a for a in ids if a not in self._features]
        if missing and self._load is not None:
            loaded = [f for f in self._load(missing) if f.id in self._stored_row]
            _check_width(loaded, self._stored.shape[1])
            self._features.update((f.id, f) for f in loaded)
        for article in missing:
            if article not in self._features:
                self._features[article] = Features(article, self._vector(article), frozenset(), None, None, "")
        return [self._features[a] for a in ids]

    def _append(self, features: Sequence[Features], cells: np.ndarray | None = None) -> None:
        """Keep and index new articles' ``features``; ``cells``, their IVF cells when already known."""
        self._features.update((f.id, f) for f in features)
        self._index_rows([f.id for f in features], cells)

    def _index_rows(self, ids: list[str], cells: np.ndarray | None = None) -> None:
        """Give ``ids`` the next rows and index their vectors; rebuilt whole on passing the exact limit."""
        if not ids:
            return
        start = len(self._row)
        for offset, article in enumerate(ids):
            self._row[article] = start + offset
        self._id_at.extend(ids)
        stop, limit = len(self._row), min(self.settings.exact_limit, EXACT_SEARCH_LIMIT)
        if self._index is None or (stop > limit >= start):  # exact -> IVF
            if stop > limit:
                log.info("story index holds %d articles: switching to approximate search (IVF)", stop)
            self._index = vector_index(self._stacked(self._id_at), replace(self.settings, exact_limit=limit))
        elif cells is not None:
            from faiss.contrib.ivf_tools import add_preassigned

            add_preassigned(self._index, self._stacked(ids), cells)
        else:
            self._index.add(self._stacked(ids))

    def _search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Rows of the ``k`` nearest stored vectors and, with IVF, the cell ``vector`` falls in.

        With IVF the cells are found here and searched (as ``index.search``
        does), and the nearest cell is kept: adding the article later needs it.
        """
        query = np.ascontiguousarray(vector[None, :], dtype=np.float32)
        if not hasattr(self._index, "nprobe"):
            return self._index.search(query, k)[1][0], None
        nearness, cells = self._index.quantizer.search(query, self._index.nprobe)
        _, found = self._index.search_preassigned(query, k, cells, nearness)
        return found[0], cells[0, :1]

    def _neighbour_stories(self, feature: Features) -> tuple[list[str], np.ndarray | None]:
        """Stories holding a neighbour of ``feature`` that scores >= threshold, and its IVF cell."""
        if not self._row:
            return [], None
        found, cell = self._search(feature.vector, min(self.settings.neighbours, len(self._row)))
        ids = sorted(self._rows_to_ids(found))
        table = FeatureTable.build([feature, *self._features_of(ids)])
        others = np.arange(1, len(ids) + 1)
        scores = table.scores(np.zeros(len(ids), dtype=np.int64), others, self.settings)
        return sorted({self._story_of[a] for a, s in zip(ids, scores) if s >= self.settings.threshold}), cell

    def _rows_to_ids(self, rows: np.ndarray) -> list[str]:
        return [self._id_at[r] for r in rows if r >= 0]

    def _add_one(self, feature: Features) -> list[StoryEvent]:
        touched, cell = self._neighbour_stories(feature)
        self._append([feature], cell)
        if not touched:
            new = self._free_id(story_id(feature.id))
            self._set_story(new, {feature.id})
            return [StoryEvent("created", new, {"articles": [feature.id]})]
        before = {s: set(self._members[s]) for s in touched}
        ordered = sorted([feature.id, *set().union(*before.values())])
        table = FeatureTable.build(self._features_of(ordered))
        groups = [{ordered[i] for i in g} for g in partition(table, self.settings)]
        return self._reconcile(feature.id, before, groups)

    def _reconcile(self, new: str, before: dict[str, set[str]], groups: list[set[str]]) -> list[StoryEvent]:
        """Give each group an id, store it, and name what happened."""
        members = sorted(set().union(*groups))
        keys = {f.id: seed_order(f) for f in self._features_of(members)}
        order = keys.__getitem__
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


def _check_width(features: Sequence[Features], width: int) -> None:
    widths = {len(f.vector) for f in features} - {width}
    if widths:
        raise ConfigError(f"the stored document vectors are {width} wide but the articles' features "
                          f"give {sorted(widths)}: the store was built with other "
                          "ClusterSettings (crosslingual); use those, or pass stored=(ids, matrix) to "
                          "features_from_annotation")


@lru_cache(maxsize=1)
def _thread_controller():
    import faiss  # noqa: F401 -- loaded first, so that the controller sees its OpenMP and BLAS too
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_thread():
    """BLAS and OpenMP held to one thread while articles are added one by one.

    Each article's work is small matrices (its touched stories, tens of rows):
    a second BLAS thread saves nothing there, and on a busy machine its
    hand-offs and spinning cost tens of milliseconds per product (measured with
    100,000 stored on a loaded 2-core machine: a median of 50 ms wall, 21 ms CPU
    an article with two threads; 2.7 ms CPU with one).
    """
    return _thread_controller().limit(limits=1)
