"""Compress: shorten a summary sentence by cutting words that tell no fact, keeping every shown word cited.

A news sentence often spends words on who said it or when it was said
rather than on what happened. Two cuts are made, each only where the rest
still reads as a sentence:

- a trailing attribution: "The bridge will close, the council said on Monday."
  becomes "The bridge will close." (also "..., according to the agency.");
- a leading clause of setting of at least :data:`MIN_LEAD_WORDS` words,
  when the rest starts with a capital letter: "In a statement released late
  on Sunday, Mayor Karsh resigned." becomes "Mayor Karsh resigned.".

A sentence that holds quotation marks is never cut (the attribution says
whose words they are), nor one whose attribution has an appositive subject
("..., Jane Roe, a judge, wrote.").

Before those cuts, what precedes the sentence proper is dropped: everything
up to its last line break (a caption, a byline, a share bar or a heading that
the sentence splitter joined to it: "Getty\n\nRihanna is giving ...") and a
dateline ("KATHMANDU, Nepal (AP) — "), when the rest starts like a sentence
and holds at least :data:`MIN_BODY_WORDS` words.

:func:`kept_spans` gives the kept parts as ``(start, end)`` offsets into the
sentence; the shorter sentence is their concatenation, so a summary sentence
cites each part and shows no word its article does not hold.
:func:`covers` checks exactly that for a finished summary sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import SummarySentence

__all__ = ["MIN_LEAD_WORDS", "MIN_BODY_WORDS", "kept_spans", "compressed_text", "content_words", "covers"]

MIN_LEAD_WORDS = 4
MIN_BODY_WORDS = 6
_QUOTES = re.compile(r"[\"“”]")
_END = r"(?=[.!?]$)"
_SAYS = (r"(?:said|says|say|told\s+[\w.\s]{1,30}?|reported|reports|announced|wrote|added|noted|explained"
         r"|tweeted|stated|confirmed)")
_WHEN = r"(?:\s+(?:on\s+|late\s+|early\s+)?\w+day)?(?:\s+(?:in|on|at|to|during)\s+[^,;]{1,40}?)?"
_SAID = re.compile(r",\s+(?:[^,;]{1,50}?\s)?" + _SAYS + _WHEN + r"\s*" + _END)
_ACCORDING = re.compile(r",\s+(?:according\s+to|citing)\s+[^,;]{1,80}?" + _END)
_LEAD = re.compile(r"^(?:In|At|On|During|After|Before|Speaking|As|With|Following|Amid|Earlier|Last|Late|Early)\b"
                   r"[^,;]{0,60}?,\s+(?=[A-Z])")
_LINE_BREAK = re.compile(r"^.*\n\s*", re.S)  # up to the last line break
_DATELINE = re.compile(r"[A-Z][A-Z.'\- ]+(?:,\s[A-Za-z.' ]{2,30})?\s*(?:\([^()]{1,30}\))?\s*[—–-]{1,2}\s+(?=[A-Z])")
_STARTS_SENTENCE = re.compile(r"[\"“‘']?[A-Z0-9]")
_APPOSITIVE = re.compile(r"^\s*(?:a|an|the|who|which|whose)\b", re.I)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_STOP = frozenset("""a an the and or but of to in on at by for from with as is are was were be been being it its
this that these those he she they we you i his her their our your my me him them us not no so than then there
here""".split())


def kept_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The parts of ``text`` a compressed sentence keeps, as offsets into ``text`` (all of it when nothing is cut)."""
    begin = _body_start(text)
    return tuple((begin + start, begin + end) for start, end in _sentence_parts(text[begin:]))


def _body_start(text: str) -> int:
    """Where the sentence proper starts: after a line break (a caption, byline or share-bar before it) or a dateline.

    The rest must start like a sentence and hold at least :data:`MIN_BODY_WORDS` words; otherwise 0.
    """
    begin = 0
    lines = _LINE_BREAK.search(text)
    if lines:
        begin = lines.end()
    dateline = _DATELINE.match(text, begin)
    if dateline:
        begin = dateline.end()
    rest = text[begin:]
    if begin and _STARTS_SENTENCE.match(rest) and len(rest.split()) >= MIN_BODY_WORDS:
        return begin
    return 0


def _sentence_parts(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`kept_spans` of a sentence that starts at its first word."""
    whole = ((0, len(text)),)
    if not text or _QUOTES.search(text) or not re.search(r"[.!?]$", text):
        return whole
    end = len(text) - 1  # the final punctuation mark is always kept
    start, cut = 0, end  # keep text[start:cut] + text[end:]
    trailing = _ACCORDING.search(text) or _SAID.search(text)
    if trailing and not _appositive_subject(text[:trailing.start()]):
        cut = trailing.start()
    lead = _LEAD.match(text)
    if lead and len(text[:lead.end()].split()) >= MIN_LEAD_WORDS and lead.end() < cut:
        start = lead.end()
    if cut == end:
        return ((start, len(text)),)  # the whole sentence or its end after the leading clause: one part
    return ((start, cut), (end, len(text)))


def _appositive_subject(before: str) -> bool:
    """Whether the words before a trailing attribution end in an appositive of its subject (", a judge,")."""
    return "," in before and _APPOSITIVE.match(before.rsplit(",", 1)[1]) is not None


def compressed_text(text: str) -> str:
    """The sentence with its cuts made: the concatenation of :func:`kept_spans`."""
    return "".join(text[start:end] for start, end in kept_spans(text))


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry content: every word but the most common function words."""
    return [w for w in _WORD.findall(text) if w.lower() not in _STOP]


def covers(sentence: SummarySentence, texts: Mapping[str, str]) -> bool:
    """Whether the sentence shows only cited words.

    Its text must be the concatenation of its leading citations from its own
    article (``citations[0].article``), each in bounds, and every content word
    of the text must lie inside those cited spans.
    """
    if not sentence.citations:
        return False
    own = sentence.citations[0].article
    spans = []
    for citation in sentence.citations:
        if citation.article != own:
            break
        text = texts.get(own, "")
        if not 0 <= citation.start < citation.end <= len(text):
            return False
        spans.append(text[citation.start:citation.end])
    if "".join(spans) != sentence.text:
        return False
    cited = [w for span in spans for w in content_words(span)]
    return all(cited.count(w) >= count for w, count in _counts(content_words(sentence.text)).items())


def _counts(words: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts
