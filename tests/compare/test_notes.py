import numpy as np
import pytest

from rashomon.compare import compare
from rashomon.errors import ConfigError
from rashomon.model import Annotation, Story

from .build import build_annotation, story_of
from .small import small_articles


@pytest.fixture(scope="module")
def annotation():
    return build_annotation(small_articles())


def test_one_source_has_nothing_to_compare(annotation):
    story = Story("one", "one", ("north",))
    found = compare(story, annotation.subset(["north"]))
    assert found.notes[0] == "nothing to compare: one source"
    assert found.consensus == () and found.omissions == () and found.discrepancies == ()
    assert found.facts and all(f.sources == ("north",) for f in found.facts)


def test_a_duplicate_is_not_a_second_source(annotation):
    story = Story("dup", "dup", ("north", "south"), duplicates=(("south", "north"),))
    found = compare(story, annotation.subset(["north", "south"]))
    assert "nothing to compare: one source (the others are duplicates of it)" in found.notes
    assert all(c.article == "north" for f in found.facts for c in f.support)


def test_sources_with_no_named_quotes_are_noted(annotation):
    found = compare(story_of(small_articles()), annotation)
    assert "West quotes no named speaker" in found.notes  # "the council" is not a name
    assert not any(n.startswith("North quotes no") for n in found.notes)


def test_an_article_missing_from_the_annotation_is_an_error(annotation):
    with pytest.raises(ConfigError, match="annotate every article"):
        compare(Story("s", "s", ("north", "nowhere")), annotation)


def test_no_vectors_is_an_error(annotation):
    bare = Annotation(annotation.documents, annotation.entities, np.zeros((0, 384), dtype=np.float32))
    with pytest.raises(ConfigError, match="vectors"):
        compare(story_of(small_articles()), bare)


def test_an_article_sharing_no_fact_is_noted():
    from rashomon.model import Article

    articles = small_articles() + [Article(
        id="east", source="east.txt", outlet="East",
        text="The regional orchestra announced its autumn season of Baltic composers. "
             "Tickets for the twelve concerts go on sale in the town hall next week.",
    )]
    found = compare(story_of(articles), build_annotation(articles))
    assert "East shares no fact with the other sources" in found.notes
    assert not any(n.startswith("North shares no fact") for n in found.notes)
