"""Metadata a text shows about itself, with evidence; nothing guessed."""

from __future__ import annotations

import pytest

from rashomon.ingest import article_from_text
from rashomon.ingest.metadata import detect_language, parse_date

# prefix -> (outlet, outlet method, published, published method, authors)
SEED_METADATA = {
    "000": ("UrduPoint News / Sputnik", "dateline", "2021-05-20", "dateline", ()),
    "001": (None, None, None, None, ()),
    "002": (None, None, None, None, ("Mateusz Piotrowski",)),
    "003": ("Washington Examiner", "promo-line", None, None, ()),
    "004": (None, None, "2021-05-20", "date-line", ()),
}


@pytest.mark.parametrize("prefix", sorted(SEED_METADATA))
def test_seed_metadata(seed_texts, prefix):
    name = next(n for n in seed_texts if n.startswith(prefix))
    article = article_from_text(seed_texts[name], name)
    outlet, outlet_method, published, published_method, authors = SEED_METADATA[prefix]
    assert (article.outlet, article.published, article.authors) == (outlet, published, authors)
    for field, method in (("outlet", outlet_method), ("published", published_method)):
        evidence = article.evidence_for(field)
        assert (evidence.method if evidence else None) == method
        if evidence:
            assert evidence.text in seed_texts[name]
    if authors:
        assert article.evidence_for("authors").method == "byline"
    assert article.language == "en" and article.evidence_for("language").method == "langid"
    assert 0.5 <= float(article.evidence_for("language").text) <= 1.0


def test_seed_titles(seed_texts):
    titles = {name[:3]: article_from_text(raw, name).title for name, raw in seed_texts.items()}
    assert titles["004"] is None  # it starts with its body
    for prefix in ("000", "001", "002", "003"):
        assert titles[prefix] and not titles[prefix].startswith("#")
        assert len(titles[prefix].split()) >= 5


def test_given_values_win():
    raw = "Tram vote\n\nLYON (Example Wire - 3 June 2024) The council approved the tram line on Monday."
    article = article_from_text(raw, "pasted", known={"outlet": "Le Courrier", "title": "Given title"})
    assert article.outlet == "Le Courrier" and article.evidence_for("outlet").method == "given"
    assert article.title == "Given title"
    assert article.published == "2024-06-03" and article.evidence_for("published").method == "dateline"


def test_unknown_given_field_is_refused():
    from rashomon.errors import ConfigError

    with pytest.raises(ConfigError, match="valid fields are"):
        article_from_text("Some text of an article.", "pasted", known={"colour": "red"})


@pytest.mark.parametrize(("text", "expected"), [
    ("20th May, 2021", "2021-05-20"), ("May 20, 2021", "2021-05-20"), ("2021-05-20", "2021-05-20"),
    ("3 June 2024", "2024-06-03"), ("Sept. 1, 2023", "2023-09-01"), ("31st February, 2021", None),
    ("Thursday", None), ("in 2021", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_language_of_spanish_and_of_too_little_text():
    spanish = detect_language("El consejo aprobó el martes la nueva línea de tranvía para el centro de la ciudad.")
    assert spanish is not None and spanish.value == "es"
    assert detect_language("Yes.") is None


@pytest.mark.parametrize(("raw", "outlet", "authors", "first_words"), [
    ("Title\n\nNATO (the alliance) said on Monday that it would meet.", None, (), "NATO (the alliance)"),
    ("Title\n\nPARIS (AP) — The talks ended on Monday.", "AP", (), "The talks ended"),
    ("Title\n\nBreaking News\n\nThe talks ended on Monday.", None, (), "Breaking News"),
    ("Title\n\nBy Ana Ruiz, Jo Bloggs\n\nThe talks ended on Monday.", None, ("Ana Ruiz", "Jo Bloggs"), "The talks"),
])
def test_datelines_and_bylines_need_their_shape(raw, outlet, authors, first_words):
    article = article_from_text(raw, "pasted")
    assert (article.outlet, article.authors) == (outlet, authors)
    assert article.text.startswith(first_words)
