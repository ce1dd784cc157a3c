import pytest
from hypothesis import given, settings, strategies as st
import numpy as np

from rashomon.compare import align_facts, compare
from rashomon.compare.facts import fact_id, group_units
from rashomon.model import Citation

from .build import build_annotation, story_of
from .small import small_articles


@pytest.fixture(scope="module")
def small():
    articles = small_articles()
    return story_of(articles), build_annotation(articles, embedder="minilm-onnx")


def test_the_same_event_in_three_wordings_is_one_fact(small):
    story, annotation = small
    facts = align_facts(story, annotation)
    closed = [f for f in facts if "crack" in f.text and "Monday" in f.text]
    assert len(closed) == 1 and closed[0].sources == ("north", "south", "west")


def test_single_source_sentences_are_facts_and_headings_are_not(small):
    story, annotation = small
    facts = align_facts(story, annotation)
    assert any(f.sources == ("south",) and "Shopkeepers" in f.text for f in facts)
    assert not any(f.text.startswith("Crack shuts") for f in facts)  # four words: a heading


def test_support_spans_are_the_fact_sentences(small):
    story, annotation = small
    for fact in align_facts(story, annotation):
        texts = [annotation.document(c.article).article.text[c.start : c.end] for c in fact.support]
        assert fact.text in texts
        assert fact.id == fact_id(fact.support)


def test_same_input_same_output(small):
    story, annotation = small
    assert compare(story, annotation) == compare(story, annotation)


def test_fact_wording_prefers_the_neutral_support(small):
    story, annotation = small
    facts = align_facts(story, annotation)
    closed = next(f for f in facts if "crack" in f.text and "Monday" in f.text)
    assert "scandal" not in closed.text.lower()


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2, max_value=12), st.integers(min_value=0, max_value=10**6))
def test_grouping_is_a_partition_and_never_links_one_source_alone(size, seed):
    rng = np.random.default_rng(seed)
    sources = [f"s{i % 3}" for i in range(size)]
    vectors = rng.normal(size=(size, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = vectors @ vectors.T
    same = np.array(sources)[:, None] == np.array(sources)[None, :]
    scores[same] = -1.0
    groups = group_units(scores, 0.2, sources)
    assert sorted(i for g in groups for i in g) == list(range(size))
    for group in groups:
        if len(group) > 1:
            assert len({sources[i] for i in group}) > 1


def test_fact_id_ignores_support_order():
    a, b = Citation("x", 0, 5), Citation("y", 3, 9)
    assert fact_id((a, b)) == fact_id((b, a)) != fact_id((a,))


def test_every_span_is_inside_its_article(small):
    story, annotation = small
    found = compare(story, annotation)
    spans = [(c.article, c.start, c.end) for f in found.facts for c in f.support]
    spans += [(v.article, v.start, v.end) for d in found.discrepancies for v in d.variants]
    spans += [(q[0], q[1], q[2]) for v in found.voices for q in v.quotes]
    for article, start, end in spans:
        assert 0 <= start < end <= len(annotation.document(article).article.text)


def test_a_fact_told_twice_through_secondary_support_is_told_once():
    from rashomon.compare.facts import drop_repeats

    sources = ["a", "b", "c", "a", "b", "d"]
    # group 0 (a, b, c) also takes units 3 and 4 as secondary support; group 1 is units 3, 4 (a, b) and 5 (d)
    groups, secondary = drop_repeats([[0, 1, 2], [3, 4, 5]], [[3, 4], []], sources)
    assert [0, 1, 2] in groups and [5] in groups
    assert not any(3 in g for g in groups)
    assert sorted(i for g, e in zip(groups, secondary) for i in g + e) == [0, 1, 2, 3, 4, 5]
    # groups that share one source only are left alone
    assert drop_repeats([[0, 1], [3, 5]], [[3], []], sources)[0] == [[0, 1], [3, 5]]


def test_a_fact_told_again_in_other_sentences_becomes_further_support():
    from rashomon.compare.facts import drop_repeats

    sources = ["a", "b", "c", "d", "a", "c"]
    # group 1 (units 4, 5 of a and c) takes units 1 and 3 of group 0 (b, d) as secondary support:
    # the same fact, told again by other sentences of a and c, is more support, not a second fact
    groups, secondary = drop_repeats([[0, 1, 2, 3], [4, 5]], [[], [1, 3]], sources)
    assert groups == [[0, 1, 2, 3]] and secondary == [[4, 5]]
