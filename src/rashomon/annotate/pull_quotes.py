"""Quotes signed with a dash: ``“...” ― Anna Lee``.

Pull quotes, epigraphs and reader comments name their speaker after the
quote, behind a dash of any kind (``-``, ``--``, ``–``, ``—``, ``―``), with
no speech verb. ``dash_name`` reads that convention for one quote:

- the quote opens its paragraph (nothing but punctuation before its mark);
- right after the closing mark (a comma or full stop may sit between) comes
  a dash, then a name that runs to the end of the paragraph or to a comma or
  bracket (``― Anna Lee``, ``— Jan de Vries, a teacher in Gdynia``);
- for a quote alone in its paragraph, the dash and name may open the next
  paragraph instead (an epigraph).

A name is one to ``MAX_NAME_WORDS`` capitalised words (initials and a
particle like ``de`` allowed): so a dash followed by a clause (``"...," -
and the council agreed``, ``- Critics say ...``) is not a signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .quote_marks import QuoteSpan

__all__ = ["DashName", "dash_name"]

#: A dash after a closing quotation mark (a comma or full stop may sit between): the group is the dash.
DASH = re.compile(r"[,.]?\s*(--|[-‐‑‒–—―])\s*(?=\S)")
#: Lower-case words inside a name ("Jan de Vries").
NAME_PARTICLES = frozenset("de da del della der di du la le van von bin al el y".split())
MAX_NAME_WORDS = 6


@dataclass(frozen=True, slots=True)
class DashName:
    """The dash that signs a quote (offsets, and the token holding it) and the last word of the name after it."""

    dash_start: int
    dash_end: int
    dash: Token
    name: Token


def dash_name(doc: Doc, text: str, span: QuoteSpan, alone: bool) -> DashName | None:
    """The dash and name that sign the quote ``span`` (``alone``: the quote is all of its paragraph), or None."""
    line_start = text.rfind("\n", 0, span.open_at) + 1
    if span.close_at is None or any(c.isalnum() for c in text[line_start : span.open_at]):
        return None
    after = span.close_at + 1
    if alone and not text[after : _line_end(text, after)].strip():
        after = len(text) - len(text[after:].lstrip())  # an epigraph: the signature on the next line
    line = text[after : _line_end(text, after)]
    match = DASH.match(line)
    name = _last_name_word(doc, after + match.end(), after + len(line)) if match is not None else None
    dash = doc.char_span(after + match.start(1), after + match.end(1), alignment_mode="expand") if name else None
    if match is None or name is None or dash is None:
        return None
    return DashName(after + match.start(1), after + match.end(1), dash[0], name)


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end == -1 else end


def _last_name_word(doc: Doc, start: int, end: int) -> Token | None:
    """The last word of a name that starts at ``start`` and runs to ``end`` or to a comma or bracket; None when
    the words there are not a name."""
    words = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    name: list[Token] = []
    for token in words or ():
        if token.text in (",", "(", ";") or token.is_space:
            break
        name.append(token)
    name = [t for t in name if t.text != "."]  # initials' and the closing full stops
    if not 0 < len(name) <= MAX_NAME_WORDS or not name[0].text[:1].isupper():
        return None
    if not all(t.text[:1].isupper() or t.lower_ in NAME_PARTICLES for t in name):
        return None
    return name[-1]
