"""Pair quotation marks in plain text: where each quoted passage starts and ends.

This is the character-level half of quote finding (``quotes.py`` does the
attribution with the parse). The rules, in the order they are applied:

- Double marks (straight ``"``, curly ``“ ”``, low ``„``, guillemets ``« »``,
  and the ASCII style of some news archives: two apostrophes, or two
  backticks opening, standing for one mark) pair up inside one paragraph (a line of the text). Once a quote is open,
  the next double mark of any shape closes it: machine-translated text closes
  quotes with an opening mark (``... world “, Lavrov said``), and plain text
  closes curly quotes with a straight one. A mark that can only close (``”``
  after a word) met while no quote is open is a stray and is skipped.
- A paragraph that ends with a quote still open continues when the next
  paragraph starts with an opening mark (news style for a quotation that runs
  over several paragraphs): each paragraph's part becomes its own span, with
  ``continues``/``continued`` set so the caller can give all parts one speaker.
  Otherwise the open mark is unbalanced and only that quote is dropped.
- Single marks (``'``, ``‘ ’``) count only when paired inside one paragraph:
  an opening mark after a space or the paragraph start and before a letter, a
  closing one after a letter or punctuation and before a space, punctuation
  or the end. So a possessive (``countries'``) or a contraction (``Biden’s``)
  is never a quote mark unless a real opening mark precedes it.

Nothing here raises on odd input: unbalanced marks cost their quote only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quote_spans"]

log = logging.getLogger(__name__)

DOUBLE_MARKS = '"“”„«»'
ONLY_OPENING = "„«"
BACKTICKS = "``"  # two backticks opening a quote (closed by two apostrophes)
ONLY_CLOSING = "»"
#: A double mark: three apostrophes (a double and a single mark), two apostrophes or backticks, or one character.
MARK = re.compile("'{3}|'{2}|`{2}|[" + DOUBLE_MARKS + "]")
SINGLE_OPENING = "'‘"
SINGLE_CLOSING = "'’"
OPEN_BEFORE = " \t([{—–-/:;\u00a0"
MAX_SINGLE_QUOTED_WORDS = 12


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Quoted words at ``[start, end)`` (marks excluded, outer spaces trimmed).

    ``open_at``/``close_at`` are the offsets of the marks (``close_at`` is
    None for a part that runs to the end of its paragraph); ``continued``
    means this part continues a quote opened in an earlier paragraph,
    ``continues`` that it goes on in the next one. A mark of two characters
    is at ``open_at``/``close_at`` by its first/last character: the words
    after a quote always start at ``close_at + 1``.
    """

    start: int
    end: int
    open_at: int
    close_at: int | None
    single: bool = False
    continued: bool = False
    continues: bool = False


def find_quote_spans(text: str) -> tuple[QuoteSpan, ...]:
    """Every quoted passage of ``text``, in order, as character spans."""
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    spans: list[QuoteSpan] = []
    carried = False
    for index, (start, end) in enumerate(paragraphs):
        next_start = _first_mark_at_start(text, *paragraphs[index + 1]) if index + 1 < len(paragraphs) else None
        found, carried = _pair_double(text, start, end, carried, next_start is not None)
        spans.extend(found)
        spans.extend(_pair_single(text, start, end, found))
    return tuple(sorted(spans, key=lambda s: s.start))


def _looks_opening(text: str, at: int, start: int, width: int = 1) -> bool:
    """True when the mark of ``width`` characters at ``at`` sits where a quote opens (space before, word after)."""
    mark = text[at]
    if mark in ONLY_OPENING or text.startswith(BACKTICKS, at):
        return True
    if mark in ONLY_CLOSING:
        return False
    before_ok = at == start or text[at - 1] in OPEN_BEFORE or text[at - 1] in DOUBLE_MARKS
    after_ok = at + width < len(text) and not text[at + width].isspace()
    if mark == "”":
        return before_ok and after_ok and text[at + 1].isalnum()
    return before_ok and after_ok


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(offset, width) of the double marks of ``text[start:end]``. Of three apostrophes, the two that make the
    double mark are the first two where a quote opens (a double then a single mark), else the last two."""
    marks: list[tuple[int, int]] = []
    for match in MARK.finditer(text, start, end):
        at, width = match.start(), match.end() - match.start()
        if width == 3:  # a double and a single mark
            marks.append((at + (not _looks_opening(text, at, start, 3)), 2))
        else:
            marks.append((at, width))
    return marks


def _first_mark_at_start(text: str, start: int, end: int) -> int | None:
    """The offset of an opening double mark that begins the paragraph, if any."""
    at = start + len(text[start:end]) - len(text[start:end].lstrip())
    marks = _double_marks(text, at, min(end, at + 3))
    if marks and marks[0][0] == at and _looks_opening(text, at, start, marks[0][1]):
        return at
    return None


def _pair_double(
    text: str, start: int, end: int, carried: bool, next_opens: bool
) -> tuple[list[QuoteSpan], bool]:
    """Pair the double marks of one paragraph; returns spans and whether a quote carries on."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    open_width = 1
    continued = False
    for position, (at, width) in enumerate(_double_marks(text, start, end)):
        if open_at is None:
            if not _looks_opening(text, at, start, width):
                log.debug("skipping a stray closing quote mark at %d", at)
                continue
            open_at, open_width, continued = at, width, carried and position == 0
            continue
        span = _span(text, open_at, at, continued=continued, widths=(open_width, width))
        if span is not None:
            spans.append(span)
        open_at = None
    if open_at is None:
        return spans, False
    if next_opens:
        span = _span(text, open_at, None, continued=continued, paragraph_end=end, widths=(open_width, 1))
        if span is not None:
            spans.append(span)
        return spans, True
    log.debug("dropping an unbalanced quote opened at %d", open_at)
    return spans, False


def _span(
    text: str, open_at: int, close_at: int | None, *, continued: bool, paragraph_end: int = 0, single: bool = False,
    widths: tuple[int, int] = (1, 1),
) -> QuoteSpan | None:
    """The trimmed span between two marks of ``widths`` characters (or to the paragraph end); None when empty."""
    start, end = open_at + widths[0], close_at if close_at is not None else paragraph_end
    close_at = close_at + widths[1] - 1 if close_at is not None else None
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if end <= start:
        return None
    return QuoteSpan(start, end, open_at, close_at, single, continued, close_at is None)


def _pair_single(text: str, start: int, end: int, taken: list[QuoteSpan]) -> list[QuoteSpan]:
    """Paired single quotes of one paragraph that lie outside the double-quoted spans."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for at in range(start, end):
        mark = text[at]
        if any(s.open_at <= at <= (s.close_at if s.close_at is not None else s.end) for s in taken):
            continue
        if open_at is None and mark in SINGLE_OPENING:
            before_ok = at == start or text[at - 1] in OPEN_BEFORE or text[at - 1] in DOUBLE_MARKS
            if before_ok and at + 1 < end and text[at + 1].isalnum():
                open_at = at
        elif open_at is not None and mark in SINGLE_CLOSING and at > open_at + 1:
            after_ok = at + 1 >= end or not text[at + 1].isalnum()
            if after_ok and (text[at - 1].isalnum() or text[at - 1] in ".!?"):
                span = _span(text, open_at, at, continued=False, single=True)
                if span is not None and len(text[span.start : span.end].split()) <= MAX_SINGLE_QUOTED_WORDS:
                    spans.append(span)
                open_at = None
    return spans
