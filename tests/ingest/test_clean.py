"""Cleaning: boilerplate goes, reporting stays, every cut is recorded."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.ingest.clean import Cleaned, clean, normalise_words

# Whole lines each seed must lose, by reason (the seeds are read at run time).
SEED_CUTS = {
    "000": {"title": 1, "pull-quote": 1},
    "001": {"title": 1, "photo-caption": 1, "photo-credit": 1, "comment-prompt": 1},
    "002": {"title": 1, "byline": 1, "banner": 1},
    "003": {"title": 1, "stray-marker": 1, "teaser-headline": 1, "promo": 1, "related-content": 2},
    "004": {},
}
SPAN_EDITS = {"markdown-heading", "markdown-emphasis", "markdown-link", "dateline", "date-marker"}


def rebuild(raw: str, cleaned: Cleaned) -> str:
    """The raw text put back together from the cleaned text and the cuts."""
    pieces, pos = [], 0
    for cut in cleaned.removed:
        assert cut.at >= pos, f"cuts out of order at {cut}"
        pieces += [cleaned.text[pos:cut.at], cut.text]
        pos = cut.at
    pieces.append(cleaned.text[pos:])
    return "".join(pieces)


def assert_lossless(raw: str, cleaned: Cleaned) -> None:
    for cut in cleaned.removed:
        assert raw[cut.start:cut.end] == cut.text
        assert 0 <= cut.at <= len(cleaned.text)
    assert "".join(rebuild(raw, cleaned).split()) == "".join(raw.split())
    previous = 0
    for span in cleaned.paragraphs:
        assert previous <= span.start < span.end <= len(cleaned.text)
        assert cleaned.text[span.start:span.end].strip()
        previous = span.end
    assert "\n\n".join(cleaned.text[s.start:s.end] for s in cleaned.paragraphs) == cleaned.text


def whole_lines(raw: str, cleaned: Cleaned) -> list:
    return [c for c in cleaned.removed if c.reason not in SPAN_EDITS]


@pytest.mark.parametrize("prefix", sorted(SEED_CUTS))
def test_seed_boilerplate_is_cut_with_its_reason(seed_texts, prefix):
    name = next(n for n in seed_texts if n.startswith(prefix))
    raw = seed_texts[name]
    cleaned = clean(raw)
    lines = whole_lines(raw, cleaned)
    assert Counter(c.reason for c in lines) == Counter(SEED_CUTS[prefix])
    for cut in lines:
        assert cut.text == cut.text.strip() and f"\n{cut.text}\n" in f"\n{raw}\n", "cut a whole line"
        if cut.reason != "pull-quote":  # a pull quote repeats a later sentence by definition
            assert cut.text not in cleaned.text.split("\n\n")
            assert len(cut.text) < 20 or cut.text not in cleaned.text
    for paragraph in cleaned.text.split("\n\n"):
        assert not paragraph.isupper(), paragraph
        assert normalise_words(paragraph) not in {"related content", ""}
        assert not normalise_words(paragraph).startswith(("click here", "read more"))
        assert "#" not in paragraph and "**" not in paragraph and "](#)" not in paragraph
    assert_lossless(raw, cleaned)


@pytest.mark.parametrize("prefix", sorted(SEED_CUTS))
def test_seed_reporting_is_all_kept(seed_texts, prefix):
    """Every line not cut whole is in the text, less only its span edits."""
    name = next(n for n in seed_texts if n.startswith(prefix))
    raw = seed_texts[name]
    cleaned = clean(raw)
    cut_lines = {(c.start, c.end) for c in whole_lines(raw, cleaned)}
    edits = [c for c in cleaned.removed if c.reason in SPAN_EDITS]
    kept_text = normalise_words(cleaned.text)
    offset, checked = 0, 0
    for line in raw.splitlines(keepends=True):
        start = offset + len(line) - len(line.lstrip())
        end = offset + len(line.rstrip())
        offset += len(line)
        if start >= end or (start, end) in cut_lines:
            continue
        kept = "".join(raw[i] for i in range(start, end)
                       if not any(e.start <= i < e.end for e in edits))
        assert normalise_words(kept) in kept_text, f"{name}: lost {kept[:60]!r}"
        checked += 1
    assert checked >= 10
    for edit in edits:
        assert edit.reason.startswith("markdown") or len(edit.text) < 100


def test_datelines_and_date_markers_are_span_edits(seed_texts):
    by_prefix = {name[:3]: clean(raw) for name, raw in seed_texts.items()}
    dateline = [c for c in by_prefix["000"].removed if c.reason == "dateline"]
    assert len(dateline) == 1 and dateline[0].text.rstrip().endswith("2021)")
    marker = [c for c in by_prefix["004"].removed if c.reason == "date-marker"]
    assert len(marker) == 1 and "2021-05-20" in marker[0].text
    assert not by_prefix["004"].text.lower().startswith("date")
    assert by_prefix["004"].text.startswith("The ")


def test_markdown_links_keep_their_text():
    raw = "Intro line that is a sentence.\n\nThe [pipeline](#) was not raised, although a [waiver](https://x.example/a) was."
    cleaned = clean(raw, title=False)
    assert cleaned.text.endswith("The pipeline was not raised, although a waiver was.")
    assert [c.text for c in cleaned.removed] == ["[", "](#)", "[", "](https://x.example/a)"]
    assert_lossless(raw, cleaned)


def test_broken_paragraph_is_joined_and_headings_kept():
    raw = ("## A report\n\nThe ministers met on the sidelines of the\n\nsummit on Friday.\n\n"
           "### What was agreed?\n\nLittle was agreed.\n\n# SPOTLIGHT\n\nMore analysis follows here.")
    cleaned = clean(raw)
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs == ["The ministers met on the sidelines of the summit on Friday.",
                          "What was agreed?", "Little was agreed.", "More analysis follows here."]
    assert [c.reason for c in cleaned.removed] == ["title", "markdown-heading", "banner"]
    assert_lossless(raw, cleaned)


@pytest.mark.parametrize(("line", "reason"), [
    ("Crowds wait outside the court in Lyon on Monday. (Ana Ruiz/Staff Photo via AP)", "photo-caption"),
    ("Ana Ruiz/Staff Photo via AP", "photo-credit"),
    ("Photo: Getty Images", "photo-credit"),
    ("CLICK HERE TO READ MORE FROM THE DAILY EXAMPLE", "promo"),
    ("Read more: the ten best trams", "promo"),
    ("Related Articles", "related-content"),
    ("Let us know if you’re having trouble with comments.", "comment-prompt"),
    ("12 Comments", "comment-prompt"),
    ("Share this article", "share"),
    ("Facebook Twitter Email", "share"),
    ("Subscribe to our newsletter", "share"),
    ("* * *", "stray-marker"),
    ("‘SHOCKING’: MAYOR QUITS AFTER TRAM VOTE", "teaser-headline"),
])
def test_boilerplate_lines(line, reason):
    raw = f"A headline\n\nThe council met on Monday and voted on the budget.\n\n{line}\n\nThe vote passed."
    cleaned = clean(raw)
    assert [c.reason for c in cleaned.removed] == ["title", reason]
    assert cleaned.text == "The council met on Monday and voted on the budget.\n\nThe vote passed."


@pytest.mark.parametrize("line", [
    "Sen. Ted Example (R-TX) said the vote was a mistake.",
    "The photo agency said it would appeal.",
    "NATO said on Monday it would meet again in June.",
    "Wink at the council",
    "“We will read more reports before we decide,” she said.",
])
def test_reporting_lines_are_kept(line):
    raw = f"A headline\n\nThe council met on Monday and voted on the budget.\n\n{line}"
    assert clean(raw).text.endswith(line)


def test_pull_quote_only_when_repeated():
    body = "The meeting ended late. \"We will be back next week,\" the minister said."
    repeated = clean(f"Title here\n\n\"We will be back next week.\"\n\n{body}")
    assert [c.reason for c in repeated.removed] == ["title", "pull-quote"]
    single = clean(f"Title here\n\n\"Nobody expected a deal at all today.\"\n\n{body}")
    assert single.text.startswith("\"Nobody expected")


LINES = st.sampled_from([
    "", " ", "Title words", "## Heading", "**Bold** text here.", ".", "Related Content",
    "CLICK HERE TO READ MORE FROM THE EXAMPLE", "Jo Bloggs", "By Jo Bloggs",
    "WASHINGTON (Example News - 20th May, 2021) The talks ended.", " date 2021-05-20 Body text.",
    "A [link](#) and [another](http://a.example/b) here", "“A quoted line that repeats later.”",
    "The body says: “A quoted line that repeats later.”", "ALL CAPS TEASER ABOUT SOMETHING",
    "Caption of a picture. (Jo Bloggs/Pool Photo via AP)", "broken at the",
    "continues here.", "\u00a0indented\u00a0line\u00a0", "Share this", "tab\tline",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=14), st.booleans())
def test_cleaning_never_loses_text(lines, title):
    raw = "\n".join(lines)
    cleaned = clean(raw, title=title)
    assert_lossless(raw, cleaned)
    assert clean(raw, title=title) == cleaned
