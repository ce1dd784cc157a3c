"""Entities across the five seed reports of one event (read at run time)."""

from __future__ import annotations

import hashlib
import re

import pytest

from rashomon.annotate import annotate
from rashomon.annotate.entities import name_tokens, same_person
from rashomon.config import AnnotateSettings

#: People the seeds name in two or more articles, by one spelling each.
KNOWN = ["Sergey Lavrov", "Antony Blinken", "Joe Biden", "Vladimir Putin", "Matthias Warnig",
         "Paul Whelan", "Anatoly Antonov", "John Sullivan", "Alexei Navalny"]  # fmt: skip
SPELLINGS = [("Sergey Lavrov", "Sergei Lavrov"), ("Anatoly Antonov", "Anatoli Antonov"), ("Alexei Navalny", "Alexei Navalni")]


@pytest.fixture(scope="module")
def seed_annotation(seed_texts):
    from rashomon.model import Article

    articles = [
        Article(id=hashlib.sha1(text.encode()).hexdigest()[:16], source=name, text=text, published="2021-05-20")
        for name, text in seed_texts.items()
    ]
    return annotate(articles, AnnotateSettings(vectors=False))


def _people(annotation):
    return [e for e in annotation.entities if e.type == "PERSON"]


def _entities_for(annotation, full_name: str):
    tokens = name_tokens(full_name)
    return [
        e for e in _people(annotation)
        if any(same_person(tokens, name_tokens(a)) or name_tokens(a) == tokens[-1:] for a in e.aliases)
    ]  # fmt: skip


@pytest.mark.parametrize("name", KNOWN)
def test_each_known_person_is_one_entity_named_in_two_or_more_articles(seed_annotation, name):
    found = _entities_for(seed_annotation, name)
    assert len(found) == 1, f"{name}: {[(e.name, e.aliases) for e in found]}"
    assert len({m[0] for m in found[0].mentions}) >= 2


@pytest.mark.parametrize(("first", "second"), SPELLINGS)
def test_spelling_variants_in_the_texts_are_aliases_of_one_entity(seed_annotation, seed_texts, first, second):
    written = {s for s in (first, second) if any(s in t for t in seed_texts.values())}
    (entity,) = _entities_for(seed_annotation, first)
    assert written <= set(entity.aliases)


def test_people_named_in_two_articles_are_never_split_or_merged(seed_annotation):
    shared = [e for e in _people(seed_annotation) if len({m[0] for m in e.mentions}) >= 2]
    assert len(shared) >= len(KNOWN)
    for entity in shared:  # no merge: every full-name alias names the same person
        full = [name_tokens(a) for a in entity.aliases if len(name_tokens(a)) >= 2]
        assert all(same_person(full[0], other) for other in full[1:]), entity
    for i, a in enumerate(shared):  # no split: two entities never share a person
        for b in shared[i + 1 :]:
            assert not same_person(name_tokens(a.name), name_tokens(b.name)), (a.name, b.name)


def test_the_company_is_distinct_from_the_pipeline(seed_annotation):
    company = [e for e in seed_annotation.entities if "Nord Stream 2 AG" in e.aliases]
    pipeline = [e for e in seed_annotation.entities if "Nord Stream 2" in e.aliases]
    assert len(company) == 1 and len(pipeline) == 1
    assert company[0].id != pipeline[0].id


def test_mentions_and_entities_agree_and_stay_in_bounds(seed_annotation):
    texts = {d.id: d.article.text for d in seed_annotation.documents}
    for entity in seed_annotation.entities:
        for article_id, start, end in entity.mentions:
            assert 0 <= start < end <= len(texts[article_id])
            assert not re.match(r"(?i)the\s", texts[article_id][start:end])
    linked = {m for e in seed_annotation.entities for m in e.mentions}
    listed = {(d.id, m.start, m.end) for d in seed_annotation.documents for m in d.mentions}
    assert linked == listed


def test_the_hyphenated_headline_pair_is_two_people(seed_annotation):
    for doc in seed_annotation.documents:
        for found in re.finditer(r"Blinken-Lavrov", doc.article.text):
            spans = {(m.start, m.end, m.label) for m in doc.mentions}
            assert (found.start(), found.start() + 7, "PERSON") in spans
            assert (found.start() + 8, found.end(), "PERSON") in spans
