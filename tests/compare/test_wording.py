"""Fact wording and generic-entity down-weighting, on invented units."""

import numpy as np

from rashomon.compare.facts import (
    _anchored_secondary,
    build_facts,
    entity_weights,
    leans_on_previous,
    lone_people,
    pair_scores,
)
from rashomon.compare.units import Unit


def _unit(article, text, entities=(), people=(), row=0, values=()):
    return Unit(article, 0, len(text), text, 0.0, row, frozenset(entities), frozenset(values), True, frozenset(people))


def test_a_sentence_opening_with_a_pronoun_or_connective_leans_on_its_previous_one():
    assert leans_on_previous("However, he stressed that the harbour would reopen in May.")
    assert leans_on_previous("That decision will anger the fishermen of Vell.")
    assert leans_on_previous("It was the first closure in ten years.")
    assert not leans_on_previous("The harbour of Vell will reopen in May, the port authority said.")
    assert not leans_on_previous("Thermal pumps were installed in the harbour.")  # "The..." is not "Then"


def test_the_wording_that_names_a_person_no_other_support_names_loses():
    supports = [
        _unit("a", "Port engineer Odile Marsk agreed that the harbour of Vell will reopen in May.", {"marsk", "vell"}, {"marsk"}),
        _unit("b", "The harbour of Vell will reopen in May after the storm repairs.", {"vell"}),
        _unit("c", "Vell's harbour is to reopen in May, once repairs end.", {"vell"}),
    ]
    assert lone_people(supports[0], supports[1:]) == {"marsk"}
    assert lone_people(supports[0], supports[1:], common=frozenset({"marsk"})) == frozenset()
    facts = build_facts(supports, [[0, 1, 2]])
    assert "Marsk" not in facts[0].text


def test_the_wording_that_leans_on_its_previous_sentence_loses():
    supports = [
        _unit("a", "However, he stressed that the harbour of Vell will reopen in May.", {"vell"}),
        _unit("b", "The harbour of Vell will reopen in May, the port authority said.", {"vell"}),
    ]
    assert build_facts(supports, [[0, 1]])[0].text.startswith("The harbour")


def test_the_wording_that_leaves_out_the_shared_event_loses():
    supports = [
        _unit("a", "The assembly sent a list of firms and ships that should be fined over the Vell harbour works to the council on Monday.", {"vell", "council"}),
        _unit("b", "The council waived the fines on Vell Dredging and its director.", {"vell", "council"}),
        _unit("c", "Vell Dredging was exempted from the fines by the council.", {"vell", "council"}),
    ]
    text = build_facts(supports, [[0, 1, 2]])[0].text
    assert "waived" in text or "exempted" in text


def test_entities_every_source_names_weigh_nothing():
    units = [_unit("a", "x y z", {"story", "only_a"}), _unit("b", "x y z", {"story", "ab"}),
             _unit("c", "x y z", {"story", "ab"})]
    weights = entity_weights(units)
    assert weights["story"] == 0.0 and weights["only_a"] == 1.0 and weights["ab"] == 0.5
    assert set(entity_weights(units[:2]).values()) == {1.0}  # two sources: frequency tells nothing


def _vectors(cosine: float, count: int) -> np.ndarray:
    """``count`` unit vectors, each pair at ``cosine``."""
    base = np.zeros((count, count + 1), dtype=np.float32)
    base[:, 0] = np.sqrt(cosine)
    base[np.arange(count), np.arange(count) + 1] = np.sqrt(1 - cosine)
    return base


def test_sharing_only_the_story_subjects_scores_lower_than_sharing_a_rare_entity():
    texts = ["Envoys from Vell and Oros held talks at the lake resort.", "Vell and Oros envoys met at the lake resort."]
    units = [
        _unit("a", texts[0], {"vell", "oros"}, row=0), _unit("b", texts[1], {"vell", "oros"}, row=1),
        _unit("a", texts[0], {"vell", "oros", "resort"}, row=2), _unit("b", texts[1], {"vell", "oros", "resort"}, row=3),
        _unit("c", "Vell and Oros signed nothing.", {"vell", "oros"}, row=4),
    ]
    scores = pair_scores(units, _vectors(0.7, 5))
    assert scores[2, 3] > scores[0, 1] + 0.1  # "resort" is named by two sources, "Vell" and "Oros" by all


def test_a_secondary_support_needs_more_than_the_story_subjects():
    units = [
        _unit("a", "Vell waived the harbour fees of Oros ships.", {"vell", "oros", "fees"}),
        _unit("b", "Oros ships will pay no harbour fees in Vell.", {"vell", "oros", "fees"}),
        _unit("c", "Vell and Oros met again on Tuesday.", {"vell", "oros"}),
        _unit("d", "The fees of Oros ships in Vell were dropped.", {"vell", "oros", "fees"}),
        _unit("e", "Vell and Oros signed nothing.", {"vell", "oros"}),
    ]
    assert _anchored_secondary(units, [[0, 1]], [[2, 3]]) == [[3]]
