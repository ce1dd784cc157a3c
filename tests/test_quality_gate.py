"""The quality gate: small, fixed slices of ../shared/eval with pinned floors.

Each floor sits a little under what the full benchmark measured (see the
README's tables), so a change that makes rashomon worse fails CI. The full
runs are ``python -m benchmarks NAME``. Skipped when ../shared/eval is absent.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.quality


def test_clustering_ecb_dev_subtopics(eval_dir):
    from benchmarks.cluster_eval import ECB_DEV, load_ecbplus, score
    from rashomon.cluster import cluster_features, features_from_texts

    articles, subtopics, _ = load_ecbplus(ECB_DEV)
    features = features_from_texts(articles)
    story = {a: s.id for s in cluster_features(features) for a in s.articles}
    measured = score([story[a.id] for a in articles], subtopics)
    assert measured["F1"] >= 0.89, measured  # full ECB+ dev: 0.918


def test_clustering_clustmcms_dev_across_languages(eval_dir):
    from benchmarks.cluster_eval import CATCH_ALL, load_clustmcms, score
    from rashomon.cluster import cluster_features, features_from_texts

    articles, gold = load_clustmcms("dev")
    story = {a: s.id for s in cluster_features(features_from_texts(articles)) for a in s.articles}
    predicted = [story[a.id] for a in articles]
    as_given = score(predicted, gold)
    singles = score(predicted, [f"single{i}" if g == CATCH_ALL else g for i, g in enumerate(gold)])
    # Full dev: 0.811 as given (a perfect event clustering scores 0.858 there: cluster 166 is a
    # catch-all of 53 unrelated articles) and 0.947 with the catch-all as singletons.
    assert as_given["F1"] >= 0.78 and singles["F1"] >= 0.92, (as_given, singles)


def test_similarity_english_pairs(eval_dir):
    from benchmarks.similarity_semeval import _pearson, features, load_pairs
    from rashomon.compare.similarity import score_pair

    pairs = [p for p in load_pairs() if p["lang1"] == p["lang2"] == "en"]
    x = features(pairs)
    predicted = np.array([dict(score_pair(row))["overall"] for row in x])
    gold = np.array([float(p["Overall"]) for p in pairs])
    assert _pearson(predicted, gold) >= 0.80  # shipped weights: 0.860 (5-fold cross-validated: 0.817)


def test_summary_beats_lexrank_on_multinews_slice(eval_dir):
    from benchmarks.summary_rouge import BUDGETS, load_multinews, prepare, score

    clusters = load_multinews(40)
    result = score(prepare(clusters), clusters, BUDGETS["Multi-News val"])
    ours, lexrank = result["rashomon"]["rouge1"], result["LexRank"]["rouge1"]
    assert ours >= 44.5 and ours >= lexrank + 1.5, result  # first 40: 45.7 against 43.3; full val: 44.9 against 43.3


def test_summary_beats_lexrank_on_neus_slice(eval_dir):
    from benchmarks.summary_rouge import BUDGETS, citation_validity, load_neus, prepare, score

    clusters = load_neus("val", 40)
    annotations = prepare(clusters)
    result = score(annotations, clusters, BUDGETS["NeuS val"])
    ours, lexrank = result["rashomon"]["rouge1"], result["LexRank"]["rouge1"]
    assert ours >= 37.5 and ours >= lexrank + 3.0, result  # first 40: 38.4 against 34.2; full val: 39.5 against 37.2
    pairs = [citation_validity(a, BUDGETS["NeuS val"]) for a in annotations if any(d.sentences for d in a.documents)]
    assert sum(v for v, _ in pairs) == sum(t for _, t in pairs) > 0  # every shown word cited
