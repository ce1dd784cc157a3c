"""Tests of sentence compression in summaries: what is cut, what is kept, and that every shown word is cited.

The sentences are invented for these tests; the summary tests embed with the
deterministic ``hashing`` embedder.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st

from rashomon.annotate.tone import aggregate_tone, sentence_tone
from rashomon.annotate.vectors import load_embedder
from rashomon.compress import compressed_text, content_words, covers, kept_spans
from rashomon.config import SummarizeSettings
from rashomon.model import Annotated, Annotation, Article, Citation, Sentence, SummarySentence
from rashomon.selection import WEIGHTS, Candidate, compress_candidates
from rashomon.summarize import summarize_annotation


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The bridge will close for six weeks, the council said on Monday.", "The bridge will close for six weeks."),
    ("Repairs will cost 12 million euros, according to the transport office.", "Repairs will cost 12 million euros."),
    ("The ferry will run every hour, officials said.", "The ferry will run every hour."),
    ("Two piers are cracked, the city engineer told reporters.", "Two piers are cracked."),
    ("In a statement released late on Sunday, Mayor Ines Karsh closed the bridge.",
     "Mayor Ines Karsh closed the bridge."),
    ("After a long night of inspections, Valmora closed the bridge, the mayor said.", "Valmora closed the bridge."),
])
def test_attributions_and_long_leading_clauses_are_cut(sentence, expected):
    assert compressed_text(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "On Monday, Valmora closed the bridge.",  # a short leading clause carries the date: kept
    "In a statement released late on Sunday, the mayor closed the bridge.",  # the rest would start in lower case
    '"We will reopen it by April," the mayor said.',  # the attribution says whose words these are
    "The bridge must reopen by May, Jane Roe, a city judge, wrote in her ruling.",  # appositive subject
    "The mayor said the bridge would reopen in April.",  # the attribution is the sentence's verb
    "Valmora closed the bridge, the mayor said",  # no end punctuation: not a sentence to cut
])
def test_sentences_that_would_read_wrong_are_kept_whole(sentence):
    assert kept_spans(sentence) == ((0, len(sentence)),)
    assert compressed_text(sentence) == sentence


_CLAUSES = st.sampled_from(["The bridge closed", "Repairs will cost 12 million euros", "Ferries run hourly",
                            "In a statement released on Sunday, Mayor Karsh resigned", "\"We stay,\" she said"])
_TAILS = st.sampled_from(["", ", the council said", ", according to the office", ", Jane Roe, a judge, wrote",
                          ", officials said on Monday"])


@given(clause=_CLAUSES, tail=_TAILS, end=st.sampled_from([".", "!", "?", ""]))
def test_kept_parts_are_ordered_in_bounds_and_spell_the_compressed_text(clause, tail, end):
    sentence = clause + tail + end
    spans = kept_spans(sentence)
    assert all(0 <= start < stop <= len(sentence) for start, stop in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    shortened = compressed_text(sentence)
    assert shortened == "".join(sentence[a:b] for a, b in spans)
    assert len(shortened.split()) <= len(sentence.split())
    assert set(content_words(shortened)) <= set(content_words(sentence))
    if end and len(spans) > 1:
        assert shortened.endswith(end)


def test_covers_accepts_only_text_made_of_its_cited_parts():
    text = "The bridge will close, the council said. Ferries run hourly."
    texts = {"a": text, "b": "Ferries run every hour."}
    cut = SummarySentence("The bridge will close.", (Citation("a", 0, 21), Citation("a", 39, 40), Citation("b", 0, 23)))
    whole = SummarySentence("Ferries run hourly.", (Citation("a", 41, 60),))
    assert covers(cut, texts) and covers(whole, texts)
    assert not covers(SummarySentence("The bridge will close soon.", cut.citations), texts)  # "soon" is not cited
    assert not covers(SummarySentence("The bridge will close.", (Citation("a", 0, 21),)), texts)  # "." not cited
    assert not covers(SummarySentence("Ferries run hourly.", (Citation("a", 41, 99),)), texts)  # out of bounds
    unknown = SummarySentence("Ferries run every hour.", (Citation("b", 0, 23),))
    assert not covers(unknown, {"a": text})  # its article is not among the texts
    assert not covers(SummarySentence("x", ()), texts)


STORY = {
    "north": "Valmora closed the Old Harbour Bridge on Monday after engineers found cracks in two piers. "
             "About 40,000 vehicles cross the bridge every day, according to the transport office.",
    "south": "Engineers found cracks in two piers of the Old Harbour Bridge, and Valmora closed it on Monday. "
             "Around 40,000 vehicles use the bridge each day, the transport office said.",
}


@pytest.fixture(scope="module")
def bridge_annotation() -> Annotation:
    documents, texts = [], []
    for key, text in STORY.items():
        sentences = tuple(Sentence(m.start(), m.end(), sentence_tone(m.group()))
                          for m in re.finditer(r"[^\s].*?[.!?](?=\s|$)", text))
        texts += [text[s.start:s.end] for s in sentences]
        article = Article(id=key, source=f"{key}.txt", text=text, outlet=key.title(), published="2024-03-04")
        documents.append(Annotated(article, sentences, (), (), (), aggregate_tone(s.tone for s in sentences)))
    return Annotation(tuple(documents), (), load_embedder("hashing").embed(texts))


def test_summary_shows_the_compressed_sentence_and_cites_each_kept_part(bridge_annotation):
    summary = summarize_annotation(bridge_annotation, SummarizeSettings(words=60))
    texts = {d.id: d.article.text for d in bridge_annotation.documents}
    assert all(covers(s, texts) for s in summary.sentences)
    traffic = next(s for s in summary.sentences if "40,000" in s.text)
    assert traffic.text in ("About 40,000 vehicles cross the bridge every day.",
                            "Around 40,000 vehicles use the bridge each day.")
    own = [c for c in traffic.citations if c.article == traffic.citations[0].article]
    assert len(own) == 2 and texts[own[1].article][own[1].start:own[1].end] == "."


def test_compression_can_be_turned_off(bridge_annotation):
    summary = summarize_annotation(bridge_annotation, SummarizeSettings(words=60, compress=False))
    texts = {d.id: d.article.text for d in bridge_annotation.documents}
    for sentence in summary.sentences:
        first = sentence.citations[0]
        assert texts[first.article][first.start:first.end] == sentence.text
    assert any("transport office" in s.text for s in summary.sentences)



def test_a_cut_leading_clause_alone_leaves_one_part():
    sentence = "In a statement released late on Sunday, Mayor Ines Karsh closed the bridge."
    assert kept_spans(sentence) == ((sentence.index("Mayor"), len(sentence)),)


def test_a_summary_sentence_without_its_leading_clause_cites_the_rest():
    text = "In a statement released late on Sunday, Mayor Ines Karsh closed the Old Harbour Bridge."
    candidate = Candidate(article="a", start=10, end=10 + len(text), position=0.0, index=0, words=len(text.split()),
                          sources=1, fact="a:10", consensus=False, penalty=0.0, published="",
                          citations=(Citation("a", 10, 10 + len(text)),), text=text)
    (shortened,) = compress_candidates([candidate])
    assert shortened.text == "Mayor Ines Karsh closed the Old Harbour Bridge."
    assert shortened.citations == (Citation("a", 10 + text.index("Mayor"), 10 + len(text)),)
    assert shortened.words == 8 and (shortened.start, shortened.end) == (candidate.start, candidate.end)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Photo: Getty Images\n\nThe ferry to Valmora will run every hour from Monday.",
     "The ferry to Valmora will run every hour from Monday."),
    ("share tweet email \n \n Engineers found cracks in two piers of the bridge.",
     "Engineers found cracks in two piers of the bridge."),
    ("VALMORA, Norland (AP) — Engineers found cracks in two piers of the bridge.",
     "Engineers found cracks in two piers of the bridge."),
    ("Photo: Getty\n\nVALMORA — Engineers found cracks in two piers, the city said.",
     "Engineers found cracks in two piers."),
])
def test_a_caption_line_or_dateline_before_the_sentence_is_cut(sentence, expected):
    assert compressed_text(sentence) == expected
    parts = kept_spans(sentence)
    assert "".join(sentence[a:b] for a, b in parts) == expected


@pytest.mark.parametrize("sentence", [
    "The ferry runs hourly\nfrom the north pier.",  # the rest does not start like a sentence
    "Ferries, trams and buses run.\n\nSee more.",  # too few words after the break
    "Norland-Valmora talks — The two sides met in Geneva on Monday.",  # not a dateline: mixed case
])
def test_a_line_break_or_dash_inside_a_sentence_is_kept(sentence):
    assert compressed_text(sentence) == sentence


def _titled(titles: tuple[str | None, ...]) -> Annotation:
    texts = ("Tourists filled the cafes along the river promenade on Sunday. "
             "Valmora closed the harbour bridge after engineers found cracks in two piers.",
             "The weather office expects light rain for most of the coming week. "
             "Divers will inspect the cracked piers of the harbour bridge on Tuesday.")
    documents, sentences_text = [], []
    for number, (text, title) in enumerate(zip(texts, titles)):
        sentences = tuple(Sentence(m.start(), m.end(), 0.0) for m in re.finditer(r"[^\s].*?[.!?](?=\s|$)", text))
        sentences_text += [text[s.start:s.end] for s in sentences]
        article = Article(id=f"d{number}", source=f"d{number}.txt", text=text, title=title)
        documents.append(Annotated(article, sentences, (), (), (), 0.0))
    return Annotation(tuple(documents), (), load_embedder("hashing").embed(sentences_text))


def test_summaries_read_the_titles_of_the_articles():
    weights = replace(WEIGHTS, title=20.0)
    settings = SummarizeSettings(words=14)
    untitled = summarize_annotation(_titled((None, None)), settings, weights)
    titled = summarize_annotation(_titled(("Valmora shuts bridge as engineers find cracks", None)), settings, weights)
    assert [s.text for s in titled.sentences] == [
        "Valmora closed the harbour bridge after engineers found cracks in two piers."]
    assert [s.text for s in untitled.sentences] != [s.text for s in titled.sentences]
