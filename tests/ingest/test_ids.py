"""Deterministic ids and records: same input, same output."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rashomon.ingest import article_from_text, article_id, canonical_url, ingest
from rashomon.records import dumps


def test_canonical_url():
    assert canonical_url("HTTPS://News.Example.COM/a/b/?utm_source=x&id=3&utm_medium=y#top") == \
        "https://news.example.com/a/b?id=3"


def test_id_from_url_ignores_tracking_and_case():
    a = article_id("https://news.example.com/story/?utm_campaign=z", "one text")
    b = article_id("HTTPS://NEWS.example.com/story#comments", "another text")
    assert a == b and len(a) == 16 and int(a, 16) >= 0
    assert article_id("https://news.example.com/other", "one text") != a


def test_id_from_text_ignores_whitespace():
    assert article_id(None, "The  council\nmet.") == article_id(None, " The council met. ")
    assert article_id(None, "The council met.") != article_id(None, "The council met!")


@given(st.text(max_size=200))
def test_article_id_is_deterministic(text):
    assert article_id(None, text) == article_id(None, text)


def test_same_input_same_records(seeds_dir):
    first = ingest([str(seeds_dir)]).articles
    second = ingest([str(seeds_dir)]).articles
    assert [dumps(a) for a in first] == [dumps(a) for a in second] and len(first) == 5
    assert len({a.id for a in first}) == 5
    raw = (seeds_dir / first[0].source.rsplit("/", 1)[-1]).read_text(encoding="utf-8")
    assert article_from_text(raw, first[0].source) == first[0]
