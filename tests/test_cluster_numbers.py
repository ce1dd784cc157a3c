"""Numbers and years in the text as same-event evidence (rashomon.eventscore).

The reports below were written for these tests: two floods of one river,
years apart, told in nearly the same words; only their numbers and years
tell them apart. Vectors are hand-made (angles in a plane) so each score
can be worked out by hand.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from rashomon.cluster import cluster_features
from rashomon.config import ClusterSettings
from rashomon.eventscore import Features, FeatureTable, mentioned_numbers
from rashomon.storyindex import StoryIndex

#: The default evidence weights, on vectors alone (no cross-lingual channel).
SETTINGS = ClusterSettings(crosslingual=False, entity_weight=0.0)
DIMENSIONS = 384

FLOOD_2011 = [
    "The Varda river burst its banks on 14 March 2011, flooding 1,200 homes in Lenk.",
    "Floods hit Lenk on 14 March 2011 after the Varda rose 3.5 metres; 1,200 homes were under water.",
    "In 2011 the Varda flooded Lenk: 1,200 homes, a 3.5-metre rise, rescuers said on 14 March.",
]
FLOOD_2019 = [
    "The Varda river burst its banks on 2 June 2019, flooding 430 homes in Lenk, the worst since 2011.",
    "Floods hit Lenk on 2 June 2019 after the Varda rose 2.8 metres; 430 homes were under water.",
    "In 2019 the Varda flooded Lenk again: 430 homes, a 2.8-metre rise, rescuers said on 2 June.",
]


def at_angle(degrees: float) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[0], vector[1] = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return vector


def report(article: str, degrees: float, text: str) -> Features:
    return Features(article, at_angle(degrees), frozenset(), None, None, text)


def floods() -> list[Features]:
    """Six reports whose vectors alone make one story: 0.70 the mean cosine across the two floods."""
    return ([report(f"a{k}", 5 * k, text) for k, text in enumerate(FLOOD_2011)]
            + [report(f"b{k}", 45 + 5 * k, text) for k, text in enumerate(FLOOD_2019)])


def test_years_and_numbers_are_read_apart():
    years, numbers = mentioned_numbers("A 6.1 quake on 12 May 2008 killed 2,500 people; IE8 and MS08 are names.")
    assert years == {"2008"}
    assert numbers == {"6.1", "12", "2500"}


def test_numbers_are_read_in_text_without_spaces():
    years, numbers = mentioned_numbers("2019年6月2日，430户被淹。")
    assert years == {"2019"} and numbers == {"6", "2", "430"}


def test_a_text_without_numbers_has_none():
    assert mentioned_numbers("No figures were given.") == (frozenset(), frozenset())


def test_features_read_numbers_from_their_text_unless_given():
    read = report("x", 0, FLOOD_2019[0])
    assert read.years == {"2011", "2019"} and read.numbers == {"2", "430"}
    given_ = Features("y", at_angle(0), frozenset(), None, None, FLOOD_2019[0], years=frozenset(), numbers=frozenset({"7"}))
    assert given_.years == frozenset() and given_.numbers == {"7"}


def pair_score(left: Features, right: Features, settings: ClusterSettings = SETTINGS) -> float:
    return float(FeatureTable.build([left, right]).square(np.arange(2), settings)[0, 1])


def test_shared_numbers_raise_the_score_by_their_jaccard_less_the_offset():
    left = report("x", 0, "Rescuers counted 430 homes and 12 boats.")
    right = report("y", 0, "There were 430 homes flooded and 9 boats.")
    assert math.isclose(pair_score(left, right), 1.0 + SETTINGS.number_weight * (1 / 3 - SETTINGS.number_offset))


def test_no_shared_number_lowers_the_score_by_the_offset():
    left = report("x", 0, "Rescuers counted 430 homes.")
    right = report("y", 0, "Rescuers counted 57 homes.")
    assert math.isclose(pair_score(left, right), 1.0 - SETTINGS.number_weight * SETTINGS.number_offset)


def test_numbers_on_one_side_only_are_left_out():
    left = report("x", 0, "Rescuers counted 430 homes.")
    right = report("y", 0, "Rescuers counted many homes.")
    assert math.isclose(pair_score(left, right), 1.0)


def test_different_latest_years_lower_the_score_and_a_missing_year_does_not():
    old, new = report("x", 0, "The dam, built in 1990, broke in 2011."), report("y", 0, "The dam broke in 2019.")
    background = report("z", 0, "In 2011 the dam broke, as it had in 1990.")
    undated = report("w", 0, "The dam broke.")
    assert math.isclose(pair_score(old, new), 1.0 - SETTINGS.year_penalty)
    assert math.isclose(pair_score(old, background), 1.0)  # latest year 2011 on both sides
    assert math.isclose(pair_score(old, undated), 1.0)


def test_a_pair_scores_the_same_in_any_table():
    features = floods()
    alone = pair_score(features[0], features[4])
    table = FeatureTable.build(features)
    assert math.isclose(float(table.square(np.arange(6), SETTINGS)[0, 4]), alone)
    assert math.isclose(float(table.scores(np.array([0]), np.array([4]), SETTINGS)[0]), alone)


def test_numbers_and_years_split_two_floods_the_vectors_join():
    blind = replace(SETTINGS, number_weight=0.0, year_penalty=0.0)
    assert {frozenset(s.articles) for s in cluster_features(floods(), blind)} == {frozenset(f.id for f in floods())}
    stories = {frozenset(s.articles) for s in cluster_features(floods(), SETTINGS)}
    assert stories == {frozenset({"a0", "a1", "a2"}), frozenset({"b0", "b1", "b2"})}


@hypothesis_settings(max_examples=15, deadline=None)
@given(st.permutations(floods()))
def test_one_at_a_time_in_any_order_ends_in_the_batch_partition(features):
    index = StoryIndex(SETTINGS)
    for feature in features:
        index.add([feature])
    assert {frozenset(s.articles) for s in index.stories()} == {frozenset(s.articles)
                                                                 for s in cluster_features(features, SETTINGS)}


@pytest.mark.parametrize("weight", [0.0, 0.25])
def test_the_number_term_is_zero_without_numbers(weight):
    plain = [report(f"p{k}", 10 * k, "no figures here") for k in range(3)]
    scores = FeatureTable.build(plain).square(np.arange(3), replace(SETTINGS, number_weight=weight))
    assert np.allclose(scores, np.cos(np.radians(10 * np.subtract.outer(np.arange(3), np.arange(3)))))
