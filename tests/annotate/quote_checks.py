"""Quotes of a text, checked: every span a Quote gives must be exactly its text."""

from __future__ import annotations

from rashomon.annotate.nlp import load_spacy
from rashomon.annotate.quotes import find_quotes
from rashomon.model import Quote


def checked_quotes(text: str) -> tuple[Quote, ...]:
    """``find_quotes`` on ``text`` with the real pipeline, asserting each quote's, speaker's and cue's offsets."""
    quotes = find_quotes(load_spacy()(text))
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker
        if quote.cue is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue
    return quotes
