"""Metadata a plain text shows about itself, each value with its evidence.

Values are read from the lines cleaning cut (:mod:`rashomon.ingest.clean`):

=============  ===============  ===============================================
field          method           read from
=============  ===============  ===============================================
title          ``heading``      the leading heading line, ``#`` marks stripped
authors        ``byline``       ``By A and B`` or a bare name line under the title
outlet         ``dateline``     ``LYON (Example Wire - 3rd June, 2024)``: the
                                outlet is everything in the parentheses
                                before the date, as written (``PARIS (AP) —``
                                gives ``AP``)
published      ``dateline``     the date in the dateline
published      ``date-line``    a leading ``date 2021-05-20`` marker
outlet         ``promo-line``   ``CLICK HERE TO READ MORE FROM THE DAILY
                                EXAMPLE`` -> ``Daily Example``
language       ``langid``       py3langid on the cleaned text; the evidence
                                text is the probability
=============  ===============  ===============================================

What the text does not show stays None: nothing is guessed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from rashomon.ingest.clean import Cleaned
from rashomon.ingest.dates import parse_date
from rashomon.model import Evidence

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["infer_metadata", "parse_date", "detect_language"]

_DATELINE = re.compile(r"\(([^()]+)\)")
_DATE_TAIL = re.compile(r"^(?P<outlet>.*?)\s*[-–—,]\s*(?P<date>[^-–—]+)$")
_PROMO_OUTLET = re.compile(r"\bmore (?:from|at|on) (?:the )?(?P<outlet>[^.!?:]+?)\s*[.!]*$", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_MARKS = re.compile(r"^#+\s*|\*\*|__")
_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "a", "an", "to", "de", "la"}
_MIN_LANGUAGE_CHARS = 20
_MIN_LANGUAGE_PROBABILITY = 0.5
_LANGUAGE_SAMPLE_CHARS = 1000  # plenty to tell a language; langid's time grows with length


def _title_case(text: str) -> str:
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _from_dateline(text: str) -> list[Evidence]:
    match = _DATELINE.search(text)
    if not match:
        return []
    inside = " ".join(match.group(1).split())
    tail = _DATE_TAIL.match(inside)
    published = parse_date(tail["date"]) if tail else None
    outlet = tail["outlet"] if published and tail else inside
    found = []
    if outlet and not any(c.isdigit() for c in outlet) and len(outlet.split()) <= 8:
        found.append(Evidence("outlet", outlet, text.strip(), "dateline"))
    if published:
        found.append(Evidence("published", published, text.strip(), "dateline"))
    return found


def _from_byline(text: str) -> list[Evidence]:
    names = [n.strip() for n in _AUTHOR_SPLIT.split(_BYLINE.sub("", text)) if n.strip()]
    return [Evidence("authors", "; ".join(names), text, "byline")] if names else []


def _from_promo(text: str) -> list[Evidence]:
    match = _PROMO_OUTLET.search(text)
    if not match:
        return []
    outlet = match["outlet"]
    outlet = _title_case(outlet) if outlet.isupper() else outlet
    return [Evidence("outlet", outlet, text, "promo-line")]


def _read_cut(reason: str, text: str) -> list[Evidence]:
    if reason == "title":
        title = " ".join(_MARKS.sub("", text).split())
        return [Evidence("title", title, text, "heading")] if title else []
    if reason == "byline":
        return _from_byline(text)
    if reason == "dateline":
        return _from_dateline(text)
    if reason == "date-marker":
        published = parse_date(text)
        return [Evidence("published", published, text.strip(), "date-line")] if published else []
    if reason == "promo":
        return _from_promo(text)
    return []


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> Evidence | None:
    """The language of ``text`` by py3langid, when it is long and sure enough.

    Only the first 1,000 characters are read: enough, and langid's time
    grows with the length.
    """
    if len(text) < _MIN_LANGUAGE_CHARS:
        return None
    language, probability = _identifier().classify(text[:_LANGUAGE_SAMPLE_CHARS])
    if probability < _MIN_LANGUAGE_PROBABILITY:
        return None
    return Evidence("language", str(language), f"{probability:.3f}", "langid")


def infer_metadata(cleaned: Cleaned, known: frozenset[str] = frozenset()) -> tuple[Evidence, ...]:
    """Evidence for every field the cleaned text shows, first finding first.

    Language detection, the one costly rule, is skipped when ``known``
    already holds ``language`` (a given value would win anyway).
    """
    found: list[Evidence] = []
    for cut in cleaned.removed:
        found.extend(_read_cut(cut.reason, cut.text))
    language = None if "language" in known else detect_language(cleaned.text)
    if language:
        found.append(language)
    return tuple(found)
