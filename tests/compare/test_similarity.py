import json
from importlib import resources

import numpy as np

from rashomon.compare import compare
from rashomon.compare.similarity import DIMENSIONS, FEATURES, score_pair

from .build import build_annotation, story_of
from .small import small_articles


def test_shipped_weights_are_small_and_match_the_features():
    data = json.loads(resources.files("rashomon.compare").joinpath("similarity_weights.json").read_text())
    assert data["features"] == list(FEATURES)
    assert set(data["dimensions"]) == set(DIMENSIONS)
    assert all(len(d["weights"]) == len(FEATURES) for d in data["dimensions"].values())


def test_identical_articles_score_more_similar_than_unrelated_ones():
    same = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], dtype=float)
    unrelated = np.array([0.1, 0.2, 0.05, 0, 0, 0, 0.02, 0.5, 0.5, 0.7, 1.5, 0.1])
    assert dict(score_pair(same))["overall"] < dict(score_pair(unrelated))["overall"]
    assert all(1.0 <= s <= 4.0 for _, s in score_pair(unrelated))


def test_every_pair_of_sources_is_scored():
    articles = small_articles()
    found = compare(story_of(articles), build_annotation(articles))
    assert [(s.first, s.second) for s in found.similarity] == [("north", "south"), ("north", "west"), ("south", "west")]
    assert all(dict(s.scores).keys() == set(DIMENSIONS) for s in found.similarity)
