"""The cross-lingual channel of the document vector (USE multilingual v3, the real model).

The texts below were written for these tests: one event told in English,
Malay and Chinese, and an unrelated event in English and Chinese.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rashomon.cluster import DEFAULT_SETTINGS, cluster_features, document_vectors, features_from_texts, join_channels
from rashomon.crosslingual import CROSSLINGUAL_DIMENSIONS, crosslingual_vectors, lead_passage
from rashomon.errors import ConfigError
from rashomon.eventscore import Features, FeatureTable
from rashomon.model import Article

FLOOD = {
    "flood-en": ("Floods force thousands from homes in Kelantan",
                 "Heavy monsoon rain flooded large parts of Kelantan on Monday, forcing more than 8,000 people "
                 "into relief centres. Rivers rose above danger levels in Kota Bharu and Pasir Mas.", "en"),
    "flood-ms": ("Banjir paksa ribuan penduduk Kelantan tinggalkan rumah",
                 "Hujan monsun lebat membanjiri sebahagian besar Kelantan pada hari Isnin, memaksa lebih 8,000 "
                 "penduduk berpindah ke pusat pemindahan. Paras sungai melepasi tahap bahaya di Kota Bharu dan Pasir Mas.",
                 "ms"),
    "flood-zh": ("吉兰丹水灾 数千人被迫撤离家园",
                 "周一季候风带来的豪雨导致吉兰丹州大片地区发生水灾，超过8000人被迫前往疏散中心。"
                 "哥打巴鲁和巴西马的河水水位超过危险水平。", "zh"),
}
SATELLITE = {
    "sat-en": ("Space agency launches weather satellite",
               "The national space agency launched a new weather satellite on a rocket from its coastal launch site "
               "on Thursday. Engineers said the satellite reached orbit and its solar panels opened.", "en"),
    "sat-zh": ("航天局发射气象卫星",
               "国家航天局周四在沿海发射场用火箭发射了一颗新的气象卫星。工程师表示，卫星已进入轨道，太阳能电池板已展开。", "zh"),
}


def articles_of(texts: dict) -> list[Article]:
    return [Article(a, "test", text, title=title, published="2024-11-25", language=language)
            for a, (title, text, language) in texts.items()]


def test_one_event_in_three_languages_is_one_story_beside_another():
    stories = cluster_features(features_from_texts(articles_of(FLOOD | SATELLITE)))
    assert {frozenset(s.articles) for s in stories} == {frozenset(FLOOD), frozenset(SATELLITE)}


def test_without_the_channel_the_languages_fall_apart():
    english_only = replace(DEFAULT_SETTINGS, crosslingual=False)
    stories = cluster_features(features_from_texts(articles_of(FLOOD), settings=english_only), english_only)
    assert len(stories) > 1


def test_translations_are_closer_than_other_events():
    vectors = crosslingual_vectors([lead_passage(a, 1500) for a in articles_of(FLOOD | SATELLITE)])
    assert vectors.shape == (5, CROSSLINGUAL_DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar = vectors @ vectors.T
    assert min(similar[0, 1], similar[0, 2], similar[3, 4]) > max(similar[0, 4], similar[2, 3], similar[1, 3])


def test_an_empty_passage_gets_a_zero_vector():
    vectors = crosslingual_vectors(["", "Floods in Kelantan."])
    assert not vectors[0].any() and np.isclose(np.linalg.norm(vectors[1]), 1.0, atol=1e-5)


def test_the_score_reads_each_channel_from_the_joined_vector():
    english = np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32)  # orthogonal English vectors ...
    other = np.array([[1, 0], [1, 0]], dtype=np.float32)  # ... identical cross-lingual ones
    joined = join_channels(np.pad(english, ((0, 0), (0, 381))), other, np.array([True, True]))
    assert np.isclose(joined[0] @ joined[0], 1.0)
    table = FeatureTable.build([Features(f"a{i}", v, frozenset(), None, None, "") for i, v in enumerate(joined)])
    weighted = replace(DEFAULT_SETTINGS, crosslingual_weight=0.25, crosslingual_offset=0.05, entity_weight=0.0)
    assert np.isclose(table.square(np.arange(2), weighted)[0, 1], 0.25)  # 0.75 * 0 + 0.25 * 1
    alone = join_channels(np.pad(english, ((0, 0), (0, 381))), other, np.array([True, False]))
    assert not alone[1, :384].any()
    table = FeatureTable.build([Features(f"a{i}", v, frozenset(), None, None, "") for i, v in enumerate(alone)])
    assert np.isclose(table.square(np.arange(2), weighted)[0, 1], 1.05)  # not both English: cross-lingual + offset


def test_stored_vectors_are_reused_and_must_match_the_settings():
    articles = articles_of(FLOOD)
    english = np.eye(3, 384, dtype=np.float32)
    stored = (("flood-en",), np.full((1, 384 + CROSSLINGUAL_DIMENSIONS), 0.5, dtype=np.float32))
    vectors = document_vectors(articles, english, DEFAULT_SETTINGS, stored)
    assert np.all(vectors[0] == 0.5) and not np.all(vectors[1] == 0.5)
    with pytest.raises(ConfigError, match="dimensions"):
        document_vectors(articles, english, replace(DEFAULT_SETTINGS, crosslingual=False), stored)


def test_the_story_index_agrees_with_the_batch_on_joined_vectors():
    from rashomon.storyindex import StoryIndex

    rng = np.random.default_rng(3)
    features = []
    for event in range(4):
        english, other = rng.normal(size=384), rng.normal(size=CROSSLINGUAL_DIMENSIONS)
        for k, is_english in enumerate([True, True, False, False]):
            e = english + rng.normal(scale=0.03, size=384)
            o = other + rng.normal(scale=0.03, size=CROSSLINGUAL_DIMENSIONS)
            row = join_channels((e / np.linalg.norm(e))[None, :], (o / np.linalg.norm(o))[None, :], np.array([is_english]))
            features.append(Features(f"e{event}-{k}", row[0], frozenset(), None, None, f"text {event} {k}"))
    batch = {frozenset(s.articles) for s in cluster_features(features)}
    assert batch == {frozenset(f"e{event}-{k}" for k in range(4)) for event in range(4)}
    index = StoryIndex()
    for feature in features[::-1]:
        index.add([feature])
    assert {frozenset(s.articles) for s in index.stories()} == batch


def test_a_store_of_other_width_is_a_config_error_when_rebuilt():
    from rashomon.storyindex import StoryIndex

    old = np.eye(2, 384, dtype=np.float32)  # vectors saved without the cross-lingual channel
    new = Features("b", np.full(384 + CROSSLINGUAL_DIMENSIONS, 0.03, dtype=np.float32), frozenset(), None, None, "")
    with pytest.raises(ConfigError, match="other ClusterSettings"):
        StoryIndex.from_state([], ["a", "b"], old, [new])
