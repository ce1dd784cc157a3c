"""Acceptance on the five seed reports (read at run time from ../shared/seeds)."""

import time

from rashomon.compare import compare
from rashomon.compare.lexicon import loaded_words


def _text(annotation, citation):
    return annotation.document(citation.article).article.text[citation.start : citation.end]


def test_the_waiver_is_a_consensus_fact(seed_comparison, seed_annotation, by_file):
    waiver = []
    for fact in seed_comparison.facts:
        if fact.id not in seed_comparison.consensus:
            continue
        texts = [_text(seed_annotation, c) for c in fact.support]
        if any("Nord Stream 2" in t and ("waive" in t or "exempt" in t) for t in texts):
            waiver.append(fact)
    assert waiver, "no consensus fact about the Nord Stream 2 waiver"
    assert len(waiver[0].sources) >= 3
    assert {by_file["000"], by_file["004"]} <= set(waiver[0].sources)


def test_the_waiver_is_told_once(seed_comparison):
    """Sources that report the waiver in several sentences support one fact, not two."""
    shared = [f for f in seed_comparison.facts if len(f.sources) > 1
              and "waive" in f.text and "Nord Stream 2" in f.text]
    assert len(shared) == 1, [f.text for f in shared]


def test_oil_against_gas_pipeline_is_a_discrepancy(seed_comparison, seed_annotation, by_file):
    found = [d for d in seed_comparison.discrepancies if d.kind == "attribute" and {"oil", "gas"} <= {v.value for v in d.variants}]
    assert found, [d.note for d in seed_comparison.discrepancies]
    oil = [v for v in found[0].variants if v.value == "oil"]
    assert [v.article for v in oil] == [by_file["001"]]
    assert seed_annotation.document(oil[0].article).article.text[oil[0].start : oil[0].end] == "Nord Stream 2 oil pipeline"


def test_each_source_has_its_omissions_listed(seed_comparison):
    omissions = dict(seed_comparison.omissions)
    assert set(omissions) == set(seed_comparison.story.articles)
    by_id = {f.id: f for f in seed_comparison.facts}
    for source, missing in omissions.items():
        assert set(missing) <= set(seed_comparison.consensus)
        assert all(source not in by_id[i].sources for i in missing)
    assert any(omissions.values())


def test_framing_and_voices(seed_comparison, by_file):
    framing = {f.article: f for f in seed_comparison.framing}
    loaded_001 = {w for w, _, _ in framing[by_file["001"]].loaded}
    assert {"stunning", "gift", "regime"} <= loaded_001
    assert "cave" in loaded_words(framing[by_file["001"]].headline or "")
    assert framing[by_file["001"]].distinctive
    speakers = {v.speaker for v in seed_comparison.voices}
    assert {"Antony Blinken", "Sergey Lavrov"} & speakers


def test_compare_takes_under_a_second(seed_story, seed_annotation):
    compare(seed_story, seed_annotation)  # warm the lexicons
    started = time.perf_counter()
    compare(seed_story, seed_annotation)
    assert time.perf_counter() - started < 1.0


def test_consensus_facts_stand_alone_and_name_no_lone_person(seed_comparison, seed_annotation):
    from rashomon.compare.facts import leans_on_previous

    people = [e for e in seed_annotation.entities if e.type == "PERSON"]
    sources = seed_comparison.story.articles

    def named(person, citation):
        return any(a == citation.article and citation.start <= s < citation.end for a, s, _ in person.mentions)

    consensus = [f for f in seed_comparison.facts if f.id in seed_comparison.consensus]
    assert consensus
    for fact in consensus:
        assert not leans_on_previous(fact.text), fact.text
        wording = next(c for c in fact.support if _text(seed_annotation, c) == fact.text)
        for person in people:
            story_wide = len({a for a, _, _ in person.mentions}) * 2 > len(sources)
            if named(person, wording) and not story_wide:
                others = [c for c in fact.support if c.article != wording.article and named(person, c)]
                assert others, f"{person.name} is named only by the wording of {fact.text!r}"


def test_consensus_facts_are_not_all_told_by_every_source(seed_comparison):
    """Generic sentences about the meeting no longer merge into five-source facts; the
    waiver is the one claim every seed report makes."""
    everyone = [f for f in seed_comparison.facts if f.id in seed_comparison.consensus and len(f.sources) == 5]
    assert len(everyone) <= 2, [f.text for f in everyone]
