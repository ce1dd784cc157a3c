"""Entity correction and linking on sentences written for these tests."""

from __future__ import annotations

import pytest

from rashomon.annotate import annotate
from rashomon.annotate.entities import correct_mentions, name_tokens, same_person
from rashomon.annotate.linking import entity_id
from rashomon.config import AnnotateSettings
from rashomon.model import Article, Mention

NO_VECTORS = AnnotateSettings(vectors=False)


def _articles(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", source=f"test:{i}", text=t, language="en") for i, t in enumerate(texts)]


def _by_alias(annotation, alias: str):
    found = [e for e in annotation.entities if alias in e.aliases]
    assert len(found) == 1, f"{alias!r} is in {len(found)} entities: {found}"
    return found[0]


def test_name_tokens_drop_case_accents_dots_and_possessives():
    assert name_tokens("Sergéy Lavrov’s") == ("sergey", "lavrov")
    assert name_tokens("U.S.") == ("us",)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sergey Lavrov", "Sergei Lavrov", True),
        ("Alexei Navalny", "Alexei Navalni", True),
        ("Anatoly Antonov", "Anatoli Antonov", True),
        ("J. Sullivan", "John Sullivan", True),
        ("John Sullivan", "Jake Sullivan", False),
        ("Joe Biden", "Joe Manchin", False),
        ("Sergey Lavrov", "Sergey Viktorovich", False),
    ],
)
def test_same_person(a, b, same):
    assert same_person(name_tokens(a), name_tokens(b)) is same


def test_a_bare_surname_tagged_as_a_place_becomes_a_person():
    mentions = [[Mention(0, 10, "Ivan Popov", "PERSON")], [Mention(5, 10, "Popov", "GPE"), Mention(20, 26, "Russia", "GPE")]]
    corrected = correct_mentions(mentions)
    assert [m.label for m in corrected[1]] == ["PERSON", "GPE"]


def test_a_hyphenated_pair_of_surnames_becomes_two_people():
    text = "Popov-Ivanova Talks"
    mentions = [
        [Mention(0, 10, "Ivan Popov", "PERSON"), Mention(11, 23, "Olga Ivanova", "PERSON")],
        [Mention(0, len(text), text, "ORG")],
    ]
    (first, second) = correct_mentions(mentions)[1]
    assert (first.text, first.start, first.end, first.label) == ("Popov", 0, 5, "PERSON")
    assert (second.text, second.start, second.end, second.label) == ("Ivanova", 6, 13, "PERSON")


def test_titles_possessives_and_the_are_not_part_of_names():
    annotation = annotate(
        _articles("President Joe Biden spoke. Sen. Ted Cruz's office objected. The Kremlin said nothing."), NO_VECTORS
    )
    texts = {m.text for m in annotation.documents[0].mentions}
    assert {"Joe Biden", "Ted Cruz", "Kremlin"} <= texts
    assert not any(t.startswith(("President", "Sen", "the ", "The ")) or t.endswith("'s") for t in texts)


def test_spellings_and_surnames_link_across_articles_but_two_joes_stay_apart():
    annotation = annotate(
        _articles(
            "Russian Foreign Minister Sergey Lavrov met Joe Biden in Geneva. Joe Manchin was not there.",
            "Sergei Lavrov said the talks were useful. Lavrov left on Friday.",
            "Later the Russian foreign minister flew home, and Biden returned to Washington.",
        ),
        NO_VECTORS,
    )
    lavrov = _by_alias(annotation, "Sergey Lavrov")
    assert lavrov.name == "Sergey Lavrov" and lavrov.type == "PERSON"
    assert {"Sergei Lavrov", "Lavrov"} <= set(lavrov.aliases)
    assert lavrov.description == "Russian Foreign Minister"
    assert {m[0] for m in lavrov.mentions} == {"a0", "a1", "a2"}  # a2 only through the role
    biden, manchin = _by_alias(annotation, "Joe Biden"), _by_alias(annotation, "Joe Manchin")
    assert biden.id != manchin.id
    assert "Biden" in biden.aliases
    assert lavrov.id == entity_id("PERSON", "Sergey Lavrov")


def test_a_surname_shared_by_two_people_is_not_guessed():
    annotation = annotate(
        _articles("John Sullivan met Jake Sullivan in Moscow.", "Sullivan said the meeting went well."), NO_VECTORS
    )
    john, jake = _by_alias(annotation, "John Sullivan"), _by_alias(annotation, "Jake Sullivan")
    assert john.id != jake.id
    assert "Sullivan" not in john.aliases and "Sullivan" not in jake.aliases


def test_a_company_is_not_its_project_but_an_acronym_is():
    annotation = annotate(
        _articles(
            "Nord Stream 2 AG, the company building Nord Stream 2, was sanctioned by the European Union.",
            "Work on NS2 resumed, the EU said.",
        ),
        NO_VECTORS,
    )
    pipeline, company = _by_alias(annotation, "Nord Stream 2"), _by_alias(annotation, "Nord Stream 2 AG")
    assert pipeline.id != company.id
    assert "NS2" in pipeline.aliases
    assert _by_alias(annotation, "EU").name == "European Union"


def test_a_company_tagged_as_a_person_and_a_glued_byline_are_fixed():
    corrected = correct_mentions([[Mention(0, 12, "Tarvos Hydro", "PERSON"), Mention(20, 31, "Ivan Popov", "PERSON")]])
    assert [m.label for m in corrected[0]] == ["ORG", "PERSON"]
    annotation = annotate(_articles("Photo: Dan Mercer/Daily Clarion\n\nThe river rose overnight."), NO_VECTORS)
    people = [m.text for m in annotation.documents[0].mentions if m.label == "PERSON"]
    assert people == ["Dan Mercer"]
