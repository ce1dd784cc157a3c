"""Story clustering: the score, the partition, stories, and the incremental index.

Logic tests build Features from hand-made vectors (angles in a plane, or
noisy copies of random centres), so each expected outcome can be worked out
by hand; one acceptance test runs the real models on texts written here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from rashomon.cluster import (
    Features,
    cluster,
    cluster_features,
    entity_key,
    features_from_annotation,
    features_from_texts,
    story_id,
)
from rashomon.config import ClusterSettings
from rashomon.errors import ConfigError, SourceError
from rashomon.model import Annotated, Annotation, Article, Entity, Sentence, Tone
from rashomon.storyindex import StoryEvent, StoryIndex

#: Logic tests score hand-made vectors alone: no cross-lingual channel.
SETTINGS = ClusterSettings(threshold=0.5, time_window_days=7.0, duplicate_threshold=0.9,
                           entity_weight=0.2, time_penalty=0.3, crosslingual=False)
DIMENSIONS = 384


def at_angle(degrees: float) -> np.ndarray:
    """A unit vector in the plane of the first two axes: cos(a - b) between two of them."""
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[0], vector[1] = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return vector


def feature(article: str, vector: np.ndarray, entities=(), published=None, text=None, title=None) -> Features:
    return Features(article, vector, frozenset(entities), published, title, text or f"text of {article}")


def synthetic(stories: int, per_story: int, seed: int = 5, noise: float = 0.035) -> list[Features]:
    """Noisy copies of random centres: cos ~0.8 inside a story, ~0 across."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(stories, DIMENSIONS))
    out = []
    for s in range(stories):
        for k in range(per_story):
            v = centres[s] / np.linalg.norm(centres[s]) + rng.normal(scale=noise, size=DIMENSIONS)
            out.append(feature(f"a{s:02d}-{k:02d}", (v / np.linalg.norm(v)).astype(np.float32)))
    return out


def partition_of(stories) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def gold_of(features: list[Features]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for f in features:
        groups.setdefault(f.id.split("-")[0], set()).add(f.id)
    return {frozenset(g) for g in groups.values()}


# -- bad and small inputs ---------------------------------------------------

def test_no_articles_make_no_stories():
    assert cluster_features([], SETTINGS) == ()
    assert StoryIndex(SETTINGS).add([]) == ()


def test_one_article_is_one_story_named_by_its_title():
    (story,) = cluster_features([feature("x1", at_angle(0), published="2021-05-20", title="Ministers meet")], SETTINGS)
    assert story.id == story_id("x1")
    assert story.articles == ("x1",)
    assert (story.label, story.first, story.last, story.duplicates) == ("Ministers meet", "2021-05-20", "2021-05-20", ())


def test_undated_untitled_articles_without_entities_still_cluster():
    features = [feature("b", at_angle(0), text="Ships wait at the canal."), feature("a", at_angle(10)), feature("c", at_angle(90))]
    stories = cluster_features(features, SETTINGS)
    assert partition_of(stories) == {frozenset({"a", "b"}), frozenset({"c"})}
    assert stories[0].first is None and stories[0].last is None
    assert stories[0].label  # drawn from the text when there is no title


def test_identical_articles_are_one_story_and_marked_duplicates():
    text = "The central bank raised its main rate by half a point on Thursday, the third rise this year."
    features = [feature("w2", at_angle(0), published="2024-03-02", text=text),
                feature("w1", at_angle(0), published="2024-03-01", text="Reuters - " + text),
                feature("w3", at_angle(5), published="2024-03-01", text="A different report on the rate rise.")]
    (story,) = cluster_features(features, SETTINGS)
    assert story.articles == ("w1", "w2", "w3")
    assert story.duplicates == (("w2", "w1"),)  # duplicate of the earliest copy
    assert (story.first, story.last) == ("2024-03-01", "2024-03-02")


def test_an_article_given_twice_is_an_error_naming_it():
    with pytest.raises(SourceError, match="dup"):
        cluster_features([feature("dup", at_angle(0)), feature("dup", at_angle(3))], SETTINGS)


# -- what the score weighs --------------------------------------------------

def test_shared_entities_link_a_pair_that_text_alone_would_not():
    apart = [feature("p", at_angle(0)), feature("q", at_angle(63))]  # cos 0.45 < 0.5
    assert len(cluster_features(apart, SETTINGS)) == 2
    named = [feature("p", at_angle(0), {"lavrov", "reykjavik"}), feature("q", at_angle(63), {"lavrov", "reykjavik"})]
    assert len(cluster_features(named, SETTINGS)) == 1


def test_time_apart_splits_a_pair_and_unknown_time_does_not():
    def pair(first, second):
        return [feature("m", at_angle(0), published=first), feature("n", at_angle(53), published=second)]  # cos 0.60

    assert len(cluster_features(pair("2023-01-01", "2023-01-03"), SETTINGS)) == 1
    assert len(cluster_features(pair("2023-01-01", "2023-02-10"), SETTINGS)) == 2
    assert len(cluster_features(pair("2023-01-01", None), SETTINGS)) == 1


def test_average_linkage_does_not_chain():
    # each neighbour is close (cos 0.77), but the ends of the chain are not
    chain = [feature(f"c{i}", at_angle(40 * i)) for i in range(5)]
    stories = cluster_features(chain, SETTINGS)
    assert max(len(s.articles) for s in stories) <= 3


# -- reproducible partitions ------------------------------------------------

@hypothesis_settings(max_examples=25, deadline=None)
@given(st.permutations(synthetic(4, 4, seed=1) + [feature("z-lone", at_angle(0))]))
def test_any_order_gives_the_same_stories(features):
    stories = cluster_features(features, SETTINGS)
    assert stories == cluster_features(sorted(features, key=lambda f: f.id), SETTINGS)
    members = [a for s in stories for a in s.articles]
    assert sorted(members) == sorted(f.id for f in features)  # a partition: each article once
    assert partition_of(stories) == gold_of(features)


def test_progress_reports_the_stories_made():
    calls = []
    stories = cluster_features(synthetic(3, 2), SETTINGS, progress=lambda *call: calls.append(call))
    assert calls == [("cluster", len(stories), len(stories))] and len(stories) == 3


def test_large_inputs_take_the_nearest_neighbour_path_and_agree():
    features = synthetic(12, 5, seed=2)
    small = replace(SETTINGS, dense_limit=20, neighbours=8)
    assert partition_of(cluster_features(features, small)) == gold_of(features)
    assert cluster_features(features, small) == cluster_features(features, SETTINGS)


# -- from an annotation -----------------------------------------------------

def annotation_of(texts: dict[str, str], entities: list[Entity]) -> Annotation:
    from rashomon.annotate.vectors import load_embedder

    documents, rows = [], []
    for article, text in texts.items():
        sentences = [s.strip() + "." for s in text.split(".") if s.strip()]
        spans, at = [], 0
        for sentence in sentences:
            start = text.index(sentence[:-1], at)
            spans.append(Sentence(start, start + len(sentence)))
            at = start + len(sentence) - 1
        documents.append(Annotated(Article(article, "test", text), tuple(spans), (), (), (), Tone(0, 0, 0, len(spans))))
        rows.extend(sentences)
    return Annotation(tuple(documents), tuple(entities), load_embedder("hashing").embed(rows))


def test_cluster_reads_vectors_and_entities_from_an_annotation():
    texts = {"d1": "Floods hit the river town. Boats rescued families.",
             "d2": "Floods hit the river town. Boats rescued families. Rain goes on.",
             "d3": "The orchestra played a new symphony. Critics loved it."}
    people = Entity("e1", "Maria Lopez", "PERSON", (), (("d1", 0, 5), ("d2", 0, 5)))
    annotation = annotation_of(texts, [people])
    features = features_from_annotation(annotation, SETTINGS)
    assert [f.entities for f in features] == [frozenset({"lopez"}), frozenset({"lopez"}), frozenset()]
    assert np.allclose([np.linalg.norm(f.vector) for f in features], 1.0)
    assert partition_of(cluster(annotation, SETTINGS)) == {frozenset({"d1", "d2"}), frozenset({"d3"})}


def test_an_annotation_without_vectors_is_a_config_error():
    annotation = annotation_of({"d1": "One sentence here."}, [])
    bare = Annotation(annotation.documents, (), np.zeros((0, DIMENSIONS), dtype=np.float32))
    with pytest.raises(ConfigError, match="vectors=True"):
        cluster(bare, SETTINGS)


def test_entity_keys_name_people_by_surname():
    assert entity_key("Sergey Lavrov", "PERSON") == entity_key("Lavrov's", "PERSON") == "lavrov"
    assert entity_key("the United States", "GPE") == "the united states"
    assert entity_key("...", "ORG") == ""


# -- incremental ------------------------------------------------------------

def test_adding_one_at_a_time_ends_in_the_batch_partition():
    features = synthetic(6, 4, seed=3) + [feature("z-odd", at_angle(0))]
    index = StoryIndex(SETTINGS)
    for f in reversed(features):
        index.add([f])
    assert partition_of(index.stories()) == partition_of(cluster_features(features, SETTINGS))
    assert len(index) == len(features)


@hypothesis_settings(max_examples=8, deadline=None)
@given(st.permutations(synthetic(4, 3, seed=6)))
def test_one_at_a_time_in_any_order_ends_in_the_batch_partition(features):
    index = StoryIndex(SETTINGS)
    for f in features:
        index.add([f])
    assert partition_of(index.stories()) == gold_of(features)


def test_the_index_switches_to_ivf_past_exact_limit_and_keeps_assigning():
    features = synthetic(5, 6, seed=8)
    index = StoryIndex(replace(SETTINGS, exact_limit=12, neighbours=6))
    for f in features:
        index.add([f])
    assert type(index._index).__name__ == "IndexIVFFlat"
    assert partition_of(index.stories()) == gold_of(features)


def test_events_name_created_joined_merged_and_split():
    index = StoryIndex(SETTINGS)
    (created,) = index.add([feature("a", at_angle(0), published="2020-01-01")])
    assert created == StoryEvent("created", story_id("a"), {"articles": ["a"]})
    assert index.add([feature("b", at_angle(70), published="2020-01-02")])[0].action == "created"  # cos 0.34
    merged, joined = index.add([feature("c", at_angle(35), published="2020-01-03")])  # between: bridges a and b
    assert merged == StoryEvent("merged", story_id("a"), {"from": [story_id("b")]})
    assert joined == StoryEvent("joined", story_id("a"), {"articles": ["c"]})
    assert partition_of(index.stories()) == {frozenset("abc")}

    other = StoryIndex(SETTINGS)
    other.add([feature("p", at_angle(0), published="2020-01-01"), feature("q", at_angle(56.6), published="2020-01-02")])
    assert partition_of(other.stories()) == {frozenset("pq")}  # cos 0.55
    events = other.add([feature("r", at_angle(-10), published="2020-01-03")])  # near p, far from q
    assert [e.action for e in events] == ["split", "joined"]
    assert events[0].story == story_id("p") and events[0].detail == {"into": [story_id("q")]}
    assert partition_of(other.stories()) == {frozenset("pr"), frozenset("q")}
    assert partition_of(other.stories()) == partition_of(cluster_features(
        [feature("p", at_angle(0)), feature("q", at_angle(56.6)), feature("r", at_angle(-10))], SETTINGS))


def test_the_index_rebuilds_from_stored_state():
    features = synthetic(3, 3, seed=4)
    index = StoryIndex(SETTINGS)
    index.add(features[:-1])
    ids, matrix = index.vectors()
    rebuilt = StoryIndex.from_state(index.stories(), ids, matrix, settings=SETTINGS)
    assert rebuilt.stories() == index.stories()
    assert rebuilt.add([features[-1]])[0].action == "joined"
    assert partition_of(rebuilt.stories()) == gold_of(features)
    with pytest.raises(SourceError, match="no document vector"):
        StoryIndex.from_state(index.stories(), ids[1:], matrix[1:])


def test_adding_an_article_again_changes_nothing():
    index = StoryIndex(SETTINGS)
    index.add([feature("a", at_angle(0))])
    assert index.add([feature("a", at_angle(0))]) == ()
    assert len(index) == 1


# -- the real models --------------------------------------------------------

QUAKES = {
    "tr-1": ("Strong earthquake shakes eastern Turkey",
             "A magnitude 6.1 earthquake struck Malatya province in eastern Turkey early on Tuesday, "
             "collapsing dozens of buildings. Turkey's disaster agency AFAD said rescuers were searching the rubble."),
    "tr-2": ("Rescuers dig through rubble after Malatya quake",
             "Rescue teams in Malatya pulled survivors from collapsed apartment blocks after Tuesday's earthquake. "
             "AFAD said the 6.1 tremor was felt as far away as Ankara."),
    "tr-3": ("Turkey quake: death toll rises",
             "The death toll from the earthquake in Malatya, Turkey, rose to 19 on Wednesday, "
             "Interior Minister Suleyman Soylu said, as AFAD teams kept searching for survivors."),
    "cl-1": ("Earthquake hits northern Chile",
             "A magnitude 6.8 earthquake struck off the coast of Antofagasta in northern Chile on Tuesday. "
             "Chile's emergency office ONEMI ordered a precautionary evacuation of the coast."),
    "cl-2": ("Chile lifts tsunami warning after Antofagasta tremor",
             "Chilean authorities lifted a tsunami warning for Antofagasta after Tuesday's 6.8 earthquake. "
             "ONEMI said no deaths were reported and power was restored in most of the region."),
}


def test_real_models_keep_one_quake_together_and_two_quakes_apart():
    articles = [Article(a, "test", text, title=title, published="2024-04-02") for a, (title, text) in QUAKES.items()]
    stories = cluster_features(features_from_texts(articles))
    assert partition_of(stories) == {frozenset({"tr-1", "tr-2", "tr-3"}), frozenset({"cl-1", "cl-2"})}


def test_the_seed_reports_are_one_story_beside_two_quakes(seed_texts):
    from rashomon.annotate import annotate

    articles = [Article(a, "test", text, title=title, published="2024-04-02") for a, (title, text) in QUAKES.items()]
    articles += [Article(name, name, text) for name, text in seed_texts.items()]
    stories = cluster(annotate(articles))
    assert partition_of(stories) == {frozenset(seed_texts), frozenset({"tr-1", "tr-2", "tr-3"}), frozenset({"cl-1", "cl-2"})}
    assert stories[0].articles == tuple(sorted(seed_texts))  # largest first
