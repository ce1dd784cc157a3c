"""Properties of the parsers and of span arithmetic, on arbitrary input.

tests/ingest/test_clean.py already checks that cleaning loses no text; here:
bulk parsing only ever yields Articles or SourceErrors, ``article_from_text``
keeps every span inside its text, and records survive dumps/loads.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.errors import EmptyInput, SourceError
from rashomon.ingest import article_from_text
from rashomon.ingest.bulk import iter_csv, iter_jsonl
from rashomon.model import Article
from rashomon.records import dumps, loads

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
PIECES = st.sampled_from(["\n", "\n\n", " ", "\t", "\r\n", "\u00a0", "\u2028", "By Jo Bloggs", "Share this",
                          "LONDON (Wire) - ", "[a link](http://x.example)", "“quoted”", "## Head", "Related",
                          "The council met on Monday.", "é", "\ufeff", "\x0b", "\x1c", "**"])
ARTICLE_TEXT = st.lists(st.one_of(PIECES, TEXT), max_size=20).map("".join)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                      max_leaves=8)
RECORD = st.dictionaries(st.sampled_from(["id", "title", "text", "outlet", "url", "published", "language",
                                          "story", "authors", "extra"]) | TEXT, VALUES, max_size=6)


def _only_articles_or_errors(items) -> None:
    for item in items:
        assert isinstance(item, (Article, SourceError)), item


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(RECORD.map(json.dumps), TEXT), max_size=6).map("\n".join))
def test_jsonl_parsing_never_raises(content):
    _only_articles_or_errors(iter_jsonl(content, "dump.jsonl"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.one_of(TEXT, st.sampled_from(["text", '"', ",", "\n", '""'])), max_size=5)
                .map(",".join), max_size=6).map("\n".join))
def test_csv_parsing_raises_only_a_source_error(content):
    try:
        _only_articles_or_errors(iter_csv(content, "dump.csv"))
    except SourceError as error:
        assert "without a 'text' column" in error.problem


@settings(max_examples=200, deadline=None)
@given(ARTICLE_TEXT)
def test_article_spans_stay_inside_the_text(raw):
    try:
        article = article_from_text(raw, "pasted.txt")
    except EmptyInput:
        return
    size = len(article.text)
    for span in article.paragraphs:
        assert 0 <= span.start <= span.end <= size
    assert list(article.paragraphs) == sorted(article.paragraphs, key=lambda s: (s.start, s.end))
    for removed in article.removed:
        assert 0 <= removed.at <= size
        assert 0 <= removed.start <= removed.end <= len(raw)
        assert raw[removed.start:removed.end] == removed.text


@settings(max_examples=100, deadline=None)
@given(ARTICLE_TEXT, st.dictionaries(st.sampled_from(["title", "outlet", "url", "published", "authors"]),
                                     TEXT.filter(str.strip), max_size=3))
def test_articles_round_trip_through_records(raw, known):
    try:
        article = article_from_text(raw, "pasted.txt", known=known)
    except EmptyInput:
        return
    assert loads(Article, dumps(article)) == article
