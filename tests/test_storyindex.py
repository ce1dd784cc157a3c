"""The incremental story index's machinery: its thread pools and its vector rows.

What the index decides (joins, merges, splits, ids) is tested in
tests/test_cluster.py; here, that adding runs single-threaded and that the
faiss rows, the saved vectors and the article ids stay aligned as the index
grows, one article at a time and in bulk, across the exact -> IVF switch.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from threadpoolctl import ThreadpoolController

from rashomon import storyindex
from rashomon.cluster import Features, story_id
from rashomon.config import ClusterSettings
from rashomon.model import Story
from rashomon.storyindex import StoryIndex

SETTINGS = ClusterSettings(threshold=0.5, entity_weight=0.2, crosslingual=False)
DIMENSIONS = 384


def noisy_stories(stories: int, per_story: int, seed: int = 9) -> list[Features]:
    """Noisy copies of random centres (cos ~0.8 inside a story), ids ``a<story>-<k>``."""
    rng = np.random.default_rng(seed)
    out = []
    for s, centre in enumerate(rng.normal(size=(stories, DIMENSIONS))):
        vectors = centre / np.linalg.norm(centre) + rng.normal(scale=0.035, size=(per_story, DIMENSIONS))
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        out.extend(Features(f"a{s:02d}-{k:02d}", v, frozenset(), None, None, f"text {s} {k}")
                   for k, v in enumerate(vectors))
    return out


def thread_counts(controller: ThreadpoolController) -> list[int]:
    return [pool["num_threads"] for pool in controller.info()]


class RecordingIndex(StoryIndex):
    """A StoryIndex that notes the thread pools' sizes while it places each article."""

    def __init__(self, settings: ClusterSettings) -> None:
        super().__init__(settings)
        self.seen: list[list[int]] = []

    def _add_one(self, feature):
        self.seen.append(thread_counts(ThreadpoolController()))
        return super()._add_one(feature)


def test_adding_holds_blas_and_openmp_to_one_thread_and_restores_them():
    import faiss  # noqa: F401 -- its OpenMP and BLAS are among the pools checked

    controller = ThreadpoolController()
    index = RecordingIndex(SETTINGS)
    with controller.limit(limits=2):
        before = thread_counts(controller)
        index.add(noisy_stories(2, 3))
        after = thread_counts(controller)
    assert before and all(n == 2 for n in before)
    assert len(index.seen) == 6 and all(n == 1 for counts in index.seen for n in counts)
    assert after == before


def assert_rows_aligned(index: StoryIndex, features: list[Features]) -> None:
    """Each article's vector finds itself first in faiss, and vectors() gives it back in its row."""
    ids, matrix = index.vectors()
    assert ids == tuple(f.id for f in features) and matrix.dtype == np.float32
    assert np.array_equal(matrix, np.stack([f.vector for f in features]))
    assert index._index.ntotal == len(index) == len(features)
    _, found = index._index.search(matrix, 1)
    assert [ids[row] for row in found[:, 0]] == list(ids)


def test_rows_stay_aligned_one_at_a_time_across_the_switch_to_ivf():
    features = noisy_stories(8, 6)
    index = StoryIndex(replace(SETTINGS, exact_limit=20, neighbours=6))
    for f in features:
        index.add([f])
    assert type(index._index).__name__ == "IndexIVFFlat"
    assert_rows_aligned(index, sorted(features, key=lambda f: f.id))


def test_single_searches_turn_approximate_at_their_own_limit_below_exact_limit(monkeypatch):
    monkeypatch.setattr(storyindex, "EXACT_SEARCH_LIMIT", 20)
    features = noisy_stories(8, 6)
    index = StoryIndex(replace(SETTINGS, neighbours=6))  # exact_limit 20,000: the batch stays exact
    index.add(features[:20])
    assert type(index._index).__name__ == "IndexFlatIP"
    index.add(features[20:])
    assert type(index._index).__name__ == "IndexIVFFlat"
    assert_rows_aligned(index, sorted(features[:20], key=lambda f: f.id) + sorted(features[20:], key=lambda f: f.id))
    assert {frozenset(s.articles) for s in index.stories()} == {
        frozenset(f.id for f in features if f.id.startswith(f"a{n:02d}-")) for n in range(8)}


def test_rows_stay_aligned_after_a_rebuild_from_stored_state():
    features = noisy_stories(6, 5)
    stored, arriving = features[::2], features[1::2]
    stories = [Story(story_id(f.id), f.id, (f.id,)) for f in stored]
    matrix = np.stack([f.vector for f in stored])
    index = StoryIndex.from_state(stories, [f.id for f in stored], matrix, stored,
                                  settings=replace(SETTINGS, exact_limit=10, neighbours=6))
    assert type(index._index).__name__ == "IndexIVFFlat"
    index.add(arriving)
    assert_rows_aligned(index, stored + sorted(arriving, key=lambda f: f.id))
    assert len(index.stories()) == 6


def test_an_empty_index_saves_no_vectors():
    ids, matrix = StoryIndex(SETTINGS).vectors()
    assert ids == () and matrix.shape[0] == 0


def test_stored_features_are_loaded_only_for_the_stories_an_article_touches():
    features = noisy_stories(8, 5)
    stored, arriving = [f for f in features if not f.id.endswith("-04")], features[4]  # a00-04
    stories = [Story(story_id(f"a{n:02d}-00"), f"story {n}", tuple(f.id for f in stored if f.id.startswith(f"a{n:02d}-")))
               for n in range(8)]
    asked: list[str] = []

    def load(ids):
        asked.extend(ids)
        return [f for f in stored if f.id in ids]

    matrix = np.stack([f.vector for f in stored])
    index = StoryIndex.from_state(stories, [f.id for f in stored], matrix, settings=SETTINGS, load=load)
    assert asked == []  # nothing read to rebuild
    events = index.add([arriving])
    assert [(e.action, e.story) for e in events] == [("joined", story_id("a00-00"))]
    assert {a for a in asked if a.startswith("a00-")} == {f"a00-{k:02d}" for k in range(4)}
    assert len(set(asked)) < len(stored)  # the neighbours' and the touched story's, not the store's
    assert index.vectors([arriving.id])[1].tolist() == [arriving.vector.tolist()]


def test_features_of_another_width_than_the_stored_vectors_are_refused():
    import pytest

    from rashomon.errors import ConfigError

    stored = noisy_stories(2, 2)
    index = StoryIndex.from_state([], [f.id for f in stored], np.stack([f.vector for f in stored]), settings=SETTINGS)
    wider = Features("new", np.full(DIMENSIONS + 8, 0.05, dtype=np.float32), frozenset(), None, None, "")
    with pytest.raises(ConfigError, match="other ClusterSettings"):
        index.add([wider])
