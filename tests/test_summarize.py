"""Tests of the summarize stage: cited neutral summary, angles and timeline.

Unit tests run on a small invented story (written for these tests) with
regex sentences and the ``hashing`` embedder; the acceptance tests read the
seed articles and the demo corpus at run time with the real models.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from rashomon.annotate.tone import aggregate_tone, sentence_tone
from rashomon.annotate.vectors import load_embedder
from rashomon.compress import covers
from rashomon.config import SummarizeSettings
from rashomon.errors import ConfigError, EmptyInput
from rashomon.model import (Annotated, Annotation, Article, Citation, Comparison, Fact, Framing, Sentence, Story,
                            TimeExpression, Tone)
from rashomon.records import to_data
from rashomon.summarize import candidates_from_vectors, summarize, summarize_annotation
from rashomon.timeline import build_timeline

# An invented story: three outlets on the closing of a (fictional) bridge.
STORY = {
    "north": ("2024-03-04", [
        "The city of Valmora closed the Old Harbour Bridge on Monday after engineers found cracks in two piers.",
        "About 40,000 vehicles cross the bridge every day, according to the transport office.",
        "Mayor Ines Karsh said the closure would last at least six weeks.",
        "Commuters faced long queues at the ferry terminal on Tuesday morning.",
    ]),
    "south": ("2024-03-05", [
        "Engineers found cracks in two piers of the Old Harbour Bridge, and Valmora closed it on Monday.",
        "Mayor Ines Karsh said the closure would last at least six weeks.",
        "Shop owners near the bridge warned of a disastrous, ruinous collapse in trade.",
        "The opposition blamed years of neglected maintenance for the damage.",
    ]),
    "east": ("2024-03-05", [
        "Valmora shut the Old Harbour Bridge on Monday when inspectors discovered cracks in two of its piers.",
        "The repair is expected to cost 12 million euros, the council estimated.",
        "A temporary bus line will link both banks from March 11.",
    ]),
}


def _article(key: str, published: str | None, sentences: list[str]) -> Article:
    return Article(id=key, source=f"{key}.txt", text=" ".join(sentences), outlet=key.title(), published=published)


def _times(article: Article) -> tuple[TimeExpression, ...]:
    """Hand-resolved dates of the invented story (what annotate would find)."""
    resolved = {"on Monday": ("2024-03-04", "day"), "on Tuesday": ("2024-03-05", "day"),
                "from March 11": ("2024-03-11", "day")}
    found = []
    for phrase, (value, grain) in resolved.items():
        for match in re.finditer(re.escape(phrase), article.text):
            found.append(TimeExpression(phrase, match.start(), match.end(), value, None, grain))
    return tuple(sorted(found, key=lambda t: t.start))


def annotate_plain(articles: list[Article], embedder: str = "hashing", with_times: bool = True) -> Annotation:
    """Sentences by a regex, VADER tone, given times, vectors from ``embedder``."""
    documents, texts = [], []
    for article in articles:
        sentences = tuple(Sentence(m.start(), m.end(), sentence_tone(m.group()))
                          for m in re.finditer(r"[^\s].*?[.!?](?=\s|$)", article.text))
        texts += [article.text[s.start:s.end] for s in sentences]
        times = _times(article) if with_times else ()
        documents.append(Annotated(article, sentences, (), (), times, aggregate_tone(s.tone for s in sentences)))
    return Annotation(tuple(documents), (), load_embedder(embedder).embed(texts))


@pytest.fixture(scope="module")
def story_annotation() -> Annotation:
    return annotate_plain([_article(k, d, s) for k, (d, s) in STORY.items()])


def _citations_valid(summary, annotation: Annotation) -> None:
    texts = {d.id: d.article.text for d in annotation.documents}
    groups = [s for s in summary.sentences] + [s for a in summary.angles for s in a.sentences]
    for sentence in groups:
        assert covers(sentence, texts), sentence
        for c in sentence.citations:
            assert 0 <= c.start < c.end <= len(texts[c.article])
    for event in summary.timeline:
        first = event.sources[0]
        assert texts[first.article][first.start:first.end] == event.text


@hypothesis_settings(max_examples=40, deadline=None)
@given(words=st.integers(min_value=1, max_value=200))
def test_citations_valid_and_budget_kept_for_any_length(story_annotation, words):
    summary = summarize_annotation(story_annotation, SummarizeSettings(words=words))
    _citations_valid(summary, story_annotation)
    cited = [(c.article, c.start) for s in summary.sentences for c in s.citations]
    assert len(cited) == len(set(cited))  # no sentence backs two summary sentences
    used = sum(len(s.text.split()) for s in summary.sentences)
    assert summary.sentences
    if used > words:
        assert len(summary.sentences) == 1
        assert any("shorter than any sentence" in n for n in summary.notes)
    else:
        assert not any("shorter than any sentence" in n for n in summary.notes)


@hypothesis_settings(max_examples=25, deadline=None)
@given(words=st.integers(min_value=1, max_value=200), angle_sentences=st.integers(min_value=1, max_value=3))
def test_comparison_summary_cites_validly_and_tells_each_fact_once(story_annotation, words, angle_sentences):
    comparison = _comparison(story_annotation)
    summary = summarize(comparison, story_annotation, SummarizeSettings(words=words, angle_sentences=angle_sentences))
    _citations_valid(summary, story_annotation)
    assert len(summary.sentences) == 1 or sum(len(s.text.split()) for s in summary.sentences) <= words
    assert all(1 <= len(a.sentences) <= angle_sentences for a in summary.angles)
    cited = [(c.article, c.start) for s in summary.sentences for c in s.citations]
    assert len(cited) == len(set(cited))  # no sentence backs two summary sentences


def test_budget_shorter_than_any_sentence_gives_one_sentence(story_annotation):
    summary = summarize_annotation(story_annotation, SummarizeSettings(words=3))
    assert len(summary.sentences) == 1
    assert any("3 words is shorter than any sentence" in n for n in summary.notes)


def test_widely_reported_fact_comes_first_and_is_cited_by_all(story_annotation):
    summary = summarize_annotation(story_annotation, SummarizeSettings(words=20))
    # The bridge closure is told by all three outlets: it must be the pick, cited three times.
    assert len(summary.sentences) == 1
    assert "Bridge" in summary.sentences[0].text and "cracks" in summary.sentences[0].text
    assert {c.article for c in summary.sentences[0].citations} == {"north", "south", "east"}


def test_vector_support_counts_other_documents(story_annotation):
    candidates = candidates_from_vectors(story_annotation)
    mayor = [c for c in candidates if c.text.startswith("Mayor Ines Karsh")]
    assert [c.sources for c in mayor] == [2, 2]
    lonely = next(c for c in candidates if "bus line" in c.text)
    assert lonely.sources == 1


def _comparison(annotation: Annotation, loaded: tuple = ()) -> Comparison:
    """A hand-made comparison of the invented story: facts align sentences by content."""
    def cite(key: str, needle: str) -> Citation:
        doc = annotation.document(key)
        s = next(s for s in doc.sentences if needle in doc.article.text[s.start:s.end])
        return Citation(key, s.start, s.end)

    closure = Fact("f-closure", "The bridge was closed.",
                   (cite("north", "closed the Old"), cite("south", "closed it"), cite("east", "shut the Old")))
    mayor = Fact("f-mayor", "Six weeks.", (cite("north", "six weeks"), cite("south", "six weeks")))
    story = Story("s1", "bridge", tuple(sorted(STORY)))
    framing = tuple(Framing(key, Tone(0, 0, 0, 0), (), (("ferry", 2.0),) if key == "north" else (),
                            loaded if key == "south" else ())
                    for key in sorted(STORY))
    return Comparison(story, (closure, mayor), ("f-closure", "f-mayor"), (), (), (), (), framing, ())


def test_summary_from_comparison_tells_each_fact_once(story_annotation):
    comparison = _comparison(story_annotation)
    summary = summarize(comparison, story_annotation, SummarizeSettings(words=200))
    _citations_valid(summary, story_annotation)
    firsts = {(s.citations[0].article, s.citations[0].start) for s in summary.sentences}
    for fact in comparison.facts:
        assert len([c for c in fact.support if (c.article, c.start) in firsts]) <= 1
    closure = next(s for s in summary.sentences if "cracks" in s.text)
    assert len(closure.citations) == 3


def test_loaded_words_and_tone_push_a_sentence_out(story_annotation):
    doc = story_annotation.document("south")
    loaded_sentence = next(s for s in doc.sentences if "ruinous" in doc.article.text[s.start:s.end])
    loaded = tuple((word, loaded_sentence.start, loaded_sentence.end) for word in ("disastrous", "ruinous"))
    summary = summarize(_comparison(story_annotation, loaded), story_annotation, SummarizeSettings(words=60))
    assert summary.sentences and all("ruinous" not in s.text for s in summary.sentences)


def test_summary_is_in_chronological_order(story_annotation):
    summary = summarize(_comparison(story_annotation), story_annotation, SummarizeSettings(words=200))
    published = {k: d for k, (d, _s) in STORY.items()}
    dates = [min(published[c.article] for c in s.citations) for s in summary.sentences]
    assert dates == sorted(dates)


def test_same_input_gives_the_same_summary(story_annotation):
    first = summarize(_comparison(story_annotation), story_annotation, SummarizeSettings(words=80))
    again = summarize(_comparison(story_annotation), story_annotation, SummarizeSettings(words=80))
    assert json.dumps(to_data(first)) == json.dumps(to_data(again))


def test_angles_stress_what_only_that_source_reports(story_annotation):
    settings = SummarizeSettings(words=80, angle_sentences=2)
    summary = summarize(_comparison(story_annotation), story_annotation, settings)
    assert [a.article for a in summary.angles] == ["north", "south", "east"]
    for angle in summary.angles:
        assert 1 <= len(angle.sentences) <= 2
        assert all(s.citations[0].article == angle.article for s in angle.sentences)
    east = next(a for a in summary.angles if a.article == "east")
    assert any("12 million euros" in s.text for s in east.sentences)  # a number no one else gives


def test_timeline_merges_sources_and_keeps_date_order(story_annotation):
    events, notes = build_timeline(story_annotation)
    assert [e.date for e in events] == sorted(e.date for e in events)
    closure = [e for e in events if e.date == "2024-03-04"]
    assert len(closure) == 1 and {c.article for c in closure[0].sources} == {"north", "south", "east"}
    assert closure[0].evidence == ("on Monday",)
    assert any(e.date == "2024-03-11" and e.sources[0].article == "east" for e in events)
    assert not notes


def test_articles_without_dates_are_noted(story_annotation):
    undated = annotate_plain([_article(k, None, s) for k, (_d, s) in STORY.items() if k != "east"]
                             + [_article("east", None, STORY["east"][1])], with_times=False)
    summary = summarize_annotation(undated, SummarizeSettings(words=50))
    assert summary.timeline == ()
    assert len([n for n in summary.notes if "no dated events" in n]) == 3
    assert summary.sentences


def test_one_article_is_summarised_with_a_note():
    key, (published, sentences) = next(iter(STORY.items()))
    annotation = annotate_plain([_article(key, published, sentences)])
    summary = summarize_annotation(annotation, SummarizeSettings(words=40))
    assert "one source: nothing to compare" in summary.notes
    assert summary.sentences and all(s.citations[0].article == key for s in summary.sentences)


@pytest.mark.parametrize("settings", [SummarizeSettings(words=0), SummarizeSettings(angle_sentences=4),
                                      SummarizeSettings(angle_sentences=0)])
def test_unusable_settings_are_refused(story_annotation, settings):
    with pytest.raises(ConfigError, match="words|angle_sentences"):
        summarize_annotation(story_annotation, settings)


def test_an_annotation_without_sentences_is_refused():
    document = Annotated(Article("a", "a.txt", ""), (), (), (), (), Tone(0, 0, 0, 0))
    empty = Annotation((document,), (), np.zeros((0, 384)))
    with pytest.raises(EmptyInput, match="no sentences"):
        summarize_annotation(empty)


# -- acceptance: real models on the seeds and the demo corpus -----------------------------

def _annotate_real(articles: list[Article]) -> Annotation:
    """The real annotate stage when it is there; else spaCy sentences, times and MiniLM vectors."""
    try:
        from rashomon.annotate import annotate
    except ImportError:
        return _annotate_fallback(articles)
    return annotate(articles)


def _annotate_fallback(articles: list[Article]) -> Annotation:
    from rashomon.annotate.nlp import load_spacy
    from rashomon.annotate.times import find_times

    nlp = load_spacy()
    documents, texts = [], []
    for article in articles:
        doc = nlp(article.text)
        sentences = tuple(Sentence(s.start_char, s.end_char, sentence_tone(s.text))
                          for s in doc.sents if s.text.strip())
        texts += [article.text[s.start:s.end] for s in sentences]
        times = find_times(article.text, [e for e in doc.ents if e.label_ in ("DATE", "TIME")], article.published)
        documents.append(Annotated(article, sentences, (), (), times, aggregate_tone(s.tone for s in sentences)))
    return Annotation(tuple(documents), (), load_embedder("minilm-onnx").embed(texts))


@pytest.fixture(scope="module")
def seed_annotation(seeds_dir) -> Annotation:
    from rashomon.ingest import ingest

    articles = list(ingest([str(p) for p in sorted(seeds_dir.glob("*.txt"))]).articles)
    assert len(articles) == 5
    return _annotate_real(articles)


def test_seed_summary_tells_the_waiver_and_the_meeting(seed_annotation):
    summary = summarize_annotation(seed_annotation, SummarizeSettings(words=120))
    _citations_valid(summary, seed_annotation)
    text = " ".join(s.text for s in summary.sentences)
    assert "Nord Stream" in text and re.search(r"waive|sanction", text, re.I)
    assert "Reykjavik" in text
    assert sum(len(s.text.split()) for s in summary.sentences) <= 120
    assert len(summary.angles) == len(seed_annotation.documents)
    assert any(e.date.startswith("2021-05") for e in summary.timeline)


DEMO_EXPECTED = Path(__file__).parent / "data" / "demo_expected.json"


@pytest.fixture(scope="module")
def demo_story(demo_dir) -> tuple[Annotation, dict[str, str], list[dict]]:
    """The demo corpus annotated, each article id's file name, and the ground-truth shared facts."""
    manifest = demo_dir / "manifest.csv"
    if not manifest.is_file() or not DEMO_EXPECTED.is_file():
        pytest.skip(f"the demo corpus is not at {demo_dir} (or its ground truth at {DEMO_EXPECTED}) yet")
    from rashomon.ingest import ingest

    files = sorted(p for p in demo_dir.iterdir() if p.suffix in (".txt", ".html"))
    articles = list(ingest([str(p) for p in files], manifest=str(manifest)).articles)
    names = {a.id: Path(a.source).name for a in articles}
    expected = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))
    # Facts every outlet reports: the consensus facts, and the facts they all report but
    # disagree on in a detail, where only the majority's wording counts.
    facts = expected["consensus_facts"] + [
        {"id": d["id"], "support": {v["file"]: v["text"] for v in d["variants"] if v["value"] == d["majority"]}}
        for d in expected["discrepancies"]]
    return _annotate_real(articles), names, facts


def _consensus_hits(annotation: Annotation, names: dict[str, str], facts: list[dict],
                    citation: Citation) -> list[str]:
    """Ground-truth shared facts whose support in that file overlaps the cited span."""
    text = annotation.document(citation.article).article.text
    hits = []
    for fact in facts:
        phrase = fact["support"].get(names[citation.article])
        at = text.find(phrase) if phrase else -1
        if at >= 0 and at < citation.end and citation.start < at + len(phrase):
            hits.append(fact["id"])
    return hits


def test_demo_summary_comes_from_consensus_facts(demo_story):
    annotation, names, facts = demo_story
    summary = summarize_annotation(annotation, SummarizeSettings(words=60))
    _citations_valid(summary, annotation)
    assert summary.sentences
    told = []
    for sentence in summary.sentences:
        hits = _consensus_hits(annotation, names, facts, sentence.citations[0])
        assert hits, f"not a consensus fact: {sentence.text!r}"
        assert len({c.article for c in sentence.citations}) >= 2  # another outlet's sentence backs it
        told += hits
    assert len(told) == len(set(told))  # no fact twice


def test_demo_summary_from_the_compare_stage(demo_story):
    annotation, names, facts = demo_story
    try:
        from rashomon.compare import compare
    except ImportError as error:
        pytest.skip(f"the compare stage is not there yet: {error}")
    story = Story("demo", "demo", tuple(sorted(names)))
    comparison = compare(story, annotation)
    summary = summarize(comparison, annotation, SummarizeSettings(words=60))
    _citations_valid(summary, annotation)
    consensus = {(c.article, c.start) for f in comparison.facts if f.id in comparison.consensus for c in f.support}
    for sentence in summary.sentences:
        first = sentence.citations[0]
        assert _consensus_hits(annotation, names, facts, first), f"not a consensus fact: {sentence.text!r}"
        assert any(a == first.article and first.start <= start < first.end for a, start in consensus)


def test_a_compared_summary_tells_shared_facts_in_the_comparisons_wording(demo_story):
    from rashomon.compare import compare

    annotation, names, _facts = demo_story
    story = Story("demo", "demo", tuple(sorted(names)))
    comparison = compare(story, annotation)
    summary = summarize(comparison, annotation, SummarizeSettings(words=120))
    wordings = [f.text for f in comparison.facts if len(f.sources) > 1]
    assert summary.sentences
    for sentence in summary.sentences:
        own = sentence.citations[0]
        whole = annotation.document(own.article).article.text[own.start:]
        assert any(w in sentence.text or w in whole[: len(sentence.text) + 200] for w in wordings), sentence.text
        assert len({c.article for c in sentence.citations}) > 1  # a shared fact, cited from each source
