import pytest

from rashomon.compare import compare

from .build import build_annotation, story_of
from .small import small_articles


@pytest.fixture(scope="module")
def comparison():
    articles = small_articles()
    annotation = build_annotation(articles)
    return compare(story_of(articles), annotation), annotation


def _kind(comparison, kind):
    return [d for d in comparison.discrepancies if d.kind == kind]


def test_number_words_and_digits_agree_and_the_odd_value_is_flagged(comparison):
    found, annotation = comparison
    [days] = [d for d in _kind(found, "number") if "days" in d.note]
    assert {v.value for v in days.variants} == {"13", "30"}
    assert {v.article for v in days.variants if v.value == "13"} == {"north", "south"}
    for v in days.variants:
        assert annotation.document(v.article).article.text[v.start : v.end].split()[0] in {"thirteen", "13", "30"}


def test_attribute_of_the_same_thing(comparison):
    found, _ = comparison
    [bridge] = _kind(found, "attribute")
    assert {v.value for v in bridge.variants} == {"steel", "wooden"}
    assert "wooden" in bridge.note and bridge.fact


def test_negation(comparison):
    found, _ = comparison
    [raised] = _kind(found, "negation")
    assert {v.article for v in raised.variants} == {"north", "south"}
    assert any(v.value == "not raised" for v in raised.variants)


def test_negation_needs_the_same_claim():
    from rashomon.compare.negation import same_claim

    assert same_claim("Tolls on the Orlen Bridge were not raised after the closure.",
                      "Tolls on the Orlen Bridge were raised after the closure.", "raised")
    # the same verb, about a different return: not a contradiction
    assert not same_claim("Moscow recalled its ambassador, Ivan Petrov, who has not yet returned to his post.",
                          "Ambassador Ivan Petrov returned to Moscow in March for consultations.", "returned")
    assert not same_claim("The council has not raised tolls on the bridge.", "The council raised parking fees.", "raised")
