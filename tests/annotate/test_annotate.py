"""The annotate stage end to end, on short articles written for these tests."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rashomon.annotate import annotate, to_lines
from rashomon.config import AnnotateSettings
from rashomon.errors import SourceError
from rashomon.model import Article
from rashomon.records import from_data

FAKE = AnnotateSettings(embedder="hashing")

FIRST = (
    "Foreign ministers Anna Kovacs and Pedro Alves met in Lisbon on Wednesday.\n\n"
    "“We had a frank and useful conversation,” Kovacs told reporters after the talks.\n\n"
    "Alves said the two countries would meet again in March."
)
SECOND = "Kovacs praised the meeting. The Hungarian minister flew home on Thursday, a day after the talks."
SPANISH = (
    "Los ministros de Exteriores se reunieron el miércoles en Lisboa. "
    "La reunión fue cordial, según fuentes diplomáticas. Hablaron durante dos horas."
)


def _article(key: str, text: str, **fields) -> Article:
    return Article(id=key, source=f"test:{key}", text=text, **fields)


@pytest.fixture(scope="module")
def two_articles():
    articles = [
        _article("a", FIRST, published="2021-05-20", language="en"),
        _article("b", SECOND, published="2021-05-21"),
    ]
    return annotate(articles, FAKE)


def test_sentences_have_offsets_and_tone(two_articles):
    first = two_articles.document("a")
    texts = [first.article.text[s.start : s.end] for s in first.sentences]
    assert texts[0].startswith("Foreign ministers") and texts[-1].endswith("in March.")
    assert all(t == t.strip() and t for t in texts)
    assert any(s.tone > 0.3 for s in first.sentences)  # "frank and useful"
    assert first.tone.sentences == len(first.sentences)


def test_entities_quotes_and_times_come_together(two_articles):
    kovacs = next(e for e in two_articles.entities if e.name == "Anna Kovacs")
    assert kovacs.type == "PERSON" and {m[0] for m in kovacs.mentions} == {"a", "b"}
    quotes = two_articles.document("a").quotes
    assert quotes, "the direct quote was not found"
    assert quotes[0].speaker == "Anna Kovacs"  # the surname mention, named canonically
    times = {t.text: t.value for t in two_articles.document("b").times}
    assert times["Thursday"] == "2021-05-20"  # the day before a Friday's publication


def test_vectors_are_one_unit_row_per_sentence_in_document_order(two_articles):
    total = sum(len(d.sentences) for d in two_articles.documents)
    assert two_articles.vectors.shape == (total, 384)
    assert np.allclose(np.linalg.norm(two_articles.vectors, axis=1), 1.0, atol=1e-5)
    rows = two_articles.rows("b")
    first_b = two_articles.document("b").sentences[0]
    expected = FAKE_EMBED([SECOND[first_b.start : first_b.end]])[0]
    assert np.allclose(two_articles.vectors[rows.start], expected)


def FAKE_EMBED(texts):
    from rashomon.annotate.vectors import load_embedder

    return load_embedder("hashing").embed(texts)


def test_no_vectors_when_not_asked():
    annotation = annotate([_article("a", SECOND)], AnnotateSettings(vectors=False))
    assert annotation.vectors.shape == (0, 384)


def test_a_non_english_article_keeps_sentences_and_tone_but_not_entities():
    annotation = annotate([_article("es", SPANISH), _article("en", SECOND)], FAKE)
    spanish = annotation.document("es")
    assert any("language 'es' is not supported" in n for n in spanish.notes)
    assert spanish.mentions == () and spanish.quotes == ()
    assert len(spanish.sentences) == 3
    assert not any(m[0] == "es" for e in annotation.entities for m in e.mentions)
    assert len(annotation.vectors) == len(spanish.sentences) + len(annotation.document("en").sentences)


def test_empty_one_sentence_and_unbalanced_texts_do_not_crash():
    articles = [
        _article("empty", "   \n  "),
        _article("one", "The minister resigned."),
        _article("open", "“We will not give up, the mayor said on Monday. Nobody answered."),
    ]
    annotation = annotate(articles, FAKE)
    assert annotation.document("empty").sentences == ()
    assert any("empty text" in n for n in annotation.document("empty").notes)
    assert len(annotation.document("one").sentences) == 1
    assert any("unbalanced quotation marks" in n for n in annotation.document("open").notes)


def test_an_article_id_given_twice_is_refused():
    with pytest.raises(SourceError, match="drop duplicates"):
        annotate([_article("a", SECOND), _article("a", FIRST)], FAKE)


def test_progress_is_reported_per_article():
    calls = []
    annotate([_article("a", SECOND), _article("b", FIRST)], FAKE, progress=lambda *args: calls.append(args))
    assert calls == [("annotate", 1, 2), ("annotate", 2, 2)]


def test_same_input_gives_the_same_output():
    articles = [_article("a", FIRST, published="2021-05-20"), _article("b", SECOND)]
    first, second = annotate(articles, FAKE), annotate(articles, FAKE)
    assert first.documents == second.documents and first.entities == second.entities
    assert np.array_equal(first.vectors, second.vectors)
    assert json.dumps(list(to_lines(first, vectors=True))) == json.dumps(list(to_lines(second, vectors=True)))


def test_to_lines_is_json_with_each_articles_own_mentions(two_articles):
    lines = [json.loads(json.dumps(line)) for line in to_lines(two_articles, vectors=True)]
    assert [line["id"] for line in lines] == ["a", "b"]
    second = lines[1]
    assert from_data(Article, {k: v for k, v in second.items() if k in Article.__dataclass_fields__}) == two_articles.document("b").article
    kovacs = next(e for e in second["entities"] if e["name"] == "Anna Kovacs")
    assert all(SECOND[s:e] for s, e in kovacs["mentions"])
    assert len(second["vectors"]) == len(second["sentences"]) and len(second["vectors"][0]) == 384
    assert "vectors" not in next(to_lines(two_articles))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["Anna Kovacs", " met ", "“", "”", "Lisbon", ".", "\n\n", "on Monday", "the EU", " "]), max_size=25))
def test_every_span_is_in_bounds(pieces):
    text = "".join(pieces)
    annotation = annotate([_article("x", text, published="2021-05-20", language="en")], AnnotateSettings(vectors=False))
    doc = annotation.documents[0]
    spans = [(s.start, s.end) for s in doc.sentences] + [(m.start, m.end) for m in doc.mentions]
    spans += [(t.start, t.end) for t in doc.times] + [(q.start, q.end) for q in doc.quotes]
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(text[m.start : m.end] == m.text for m in doc.mentions)


def test_a_speaker_that_is_not_an_entity_keeps_its_words():
    text = "“We will not give in,” American officials said on Friday. “It went well,” Foreign Minister Anna Kovacs said."
    annotation = annotate([_article("q", text, language="en")], FAKE)
    speakers = {q.speaker for q in annotation.documents[0].quotes}
    assert "American officials" in speakers and "American" not in speakers
    assert "Anna Kovacs" in speakers
