"""Acceptance on the project's demo corpus against tests/data/demo_expected.json."""

import json
from pathlib import Path

import pytest

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "demo_expected.json"


@pytest.fixture(scope="module")
def expected():
    if not EXPECTED.is_file():
        pytest.skip(f"the demo ground truth is not at {EXPECTED}")
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(demo_comparison):
    comparison, annotation = demo_comparison
    files = {Path(d.article.source).name: d.id for d in annotation.documents}
    return comparison, annotation, files


def _span(annotation, article, text):
    body = annotation.document(article).article.text
    start = body.find(text)
    assert start >= 0, f"{text!r} not in {article}"
    return start, start + len(text)


def _covers(fact, article, span):
    return any(c.article == article and c.start < span[1] and span[0] < c.end for c in fact.support)


def _matching_fact(comparison, annotation, files, support):
    spans = {files[f]: _span(annotation, files[f], t) for f, t in support.items()}
    return max(comparison.facts, key=lambda f: sum(_covers(f, a, s) for a, s in spans.items())), spans


def test_consensus_facts(demo, expected):
    """Every consensus fact of the ground truth, including the two that share a
    sentence with another fact ("no deaths", "inquiry ordered"), is found."""
    comparison, annotation, files = demo
    missed = []
    for want in expected["consensus_facts"]:
        fact, spans = _matching_fact(comparison, annotation, files, want["support"])
        covered = sum(_covers(fact, a, s) for a, s in spans.items())
        if fact.id not in comparison.consensus or covered < 3:
            missed.append((want["id"], covered))
    assert not missed, missed


def test_clause_support_is_an_exact_span_inside_its_sentence(demo, expected):
    comparison, annotation, files = demo
    want = next(f for f in expected["consensus_facts"] if f["id"] == "no-deaths")
    fact, spans = _matching_fact(comparison, annotation, files, want["support"])
    for citation in fact.support:
        doc = annotation.document(citation.article)
        sentence = next(s for s in doc.sentences if s.start <= citation.start < s.end)
        assert citation.end <= sentence.end
        text = doc.article.text[citation.start : citation.end]
        assert text == text.strip() and text[-1] not in ",;"
    ledger = files["ledger_tarvos_shares.html"]
    [clause] = [c for c in fact.support if c.article == ledger]
    assert annotation.document(ledger).article.text[clause.start : clause.end] == "no fatalities were reported"


def test_paraphrased_apology_is_not_an_omission(demo, expected):
    """The wire's "asked forgiveness" reports the apology the others word "apologised"."""
    comparison, annotation, files = demo
    want = next(f for f in expected["consensus_facts"] if f["id"] == "minister-apologised")
    fact, _ = _matching_fact(comparison, annotation, files, want["support"])
    assert fact.id not in dict(comparison.omissions)[files["meridian_wire_kesh.txt"]]
    assert set(fact.sources) == {files[f] for f in want["support"]}


def test_number_discrepancy(demo, expected):
    comparison, _, files = demo
    want = next(d for d in expected["discrepancies"] if d["kind"] == "number")
    found = [d for d in comparison.discrepancies if d.kind == "number" and {"120", "1200"} <= {v.value for v in d.variants}]
    assert found
    assert {v.article for v in found[0].variants if v.value == "1200"} == {
        files[v["file"]] for v in want["variants"] if v["value"] == 1200
    }


def test_attribute_discrepancy(demo, expected):
    comparison, _, files = demo
    want = next(d for d in expected["discrepancies"] if d["kind"] == "attribute")
    found = [d for d in comparison.discrepancies if d.kind == "attribute" and {"earthen", "concrete"} <= {v.value for v in d.variants}]
    assert found
    odd = {v["file"] for v in want["variants"] if v["value"] != want["majority"]}
    assert {v.article for v in found[0].variants if v.value == "concrete"} == {files[f] for f in odd}


def test_omission(demo, expected):
    comparison, annotation, files = demo
    want = expected["omission"]
    fact_want = next(f for f in expected["consensus_facts"] if f["id"] == want["fact"])
    fact, _ = _matching_fact(comparison, annotation, files, fact_want["support"])
    assert fact.id in dict(comparison.omissions)[files[want["file"]]]
