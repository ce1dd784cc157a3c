"""Quotes and attributions: who said what, with the words it was read from.

``find_quotes(doc)`` takes the spaCy ``Doc`` of a whole cleaned article and
returns its :class:`~rashomon.model.Quote` records, offsets into ``doc.text``.

Direct quotes are the passages between paired quotation marks
(:mod:`.quote_marks`). A quote that opens its paragraph and is followed by a
dash and a name closing the paragraph (``“...” ― Anna Lee``, any dash; the
name may be on the next line for a quote alone in its paragraph, an
epigraph) is that name's, the dash its cue: the convention of pull quotes,
epigraphs and reader comments. Any other gets its cue (a speech verb
outside the marks) by the first of these rules that applies:

1. **tree**: the quote hangs, in the dependency parse, under a speech verb
   outside the marks (``Peskov said “...”``, ``“...,” Peskov added``,
   ``saying Blinken shared his “understanding ...”``), climbing no higher
   than an adverbial or relative clause (``BLOCKING_DEPS``);
2. **after**: the quote ends with a comma (or ``?``, ``!``, a dash) and the
   clause after it, up to the end of the sentence, holds a speech verb
   (``“...,” said Sen. Ted Cruz``, ``“...,” Lavrov told reporters Monday``);
3. **before**: the text between the previous quote of the paragraph and this
   one holds the cue of the previous quote (the second half of ``“...,”
   Kosachev said. “...”`` gets Kosachev too), or ends with a speech verb
   followed by a colon or comma (``Lavrov said: “...”``), or any verb with a
   subject followed by a colon (``the president released this statement: “...”``),
   or a name followed by a colon, which is then the cue (``Philip Bump: “...”``,
   ``HEADLINE - Pew Research: “...”``);
4. **colon**: a quote alone in its paragraph after a paragraph that ends with
   a colon takes the last verb of that paragraph as its cue, or the colon
   itself when that paragraph is just a name (``Anna Lee:``);
5. **inherit**: a quote with no other words in its paragraph, or the later
   part of a quote running over several paragraphs, takes the speaker of the
   last attribution of the previous paragraph (cue None), provided that
   attribution is in the previous paragraph's last sentence; or, for a
   multi-paragraph quote, the speaker found for any of its parts.

A quote of at most ``SCARE_WORDS`` words that none of these rules attributes
is a scare quote (kind ``"scare"``, speaker None); a longer one stays a direct
quote with speaker None. A short quoted phrase that a rule does attribute is a
partial direct quote. A quote split around its attribution is returned as two
quotes with the same speaker and cue.

Reported speech (kind ``"indirect"``) is read from the parse by
:mod:`.reported` (clausal complements of speech and belief verbs, objects of
verbs like ``announce`` or ``criticize``, ``to``-infinitives of ``want`` or
``refuse``, ``called for X``, passives with an agent, ``his claim that ...``
and ``her criticism of X`` (:mod:`.noun_cues`), cues set off by commas,
``The goal, he said, is ...`` (:mod:`.asides`), ``according to X``,
``NAME: words`` lines). Speakers are resolved by
:class:`.speakers.SpeakerResolver` (pronouns, descriptions, names); a cue
without a subject in the parse falls back to the noun right before it
(``House Speaker Paul Ryan says`` after a headline the parse ran into) or the
name right after it (``said Bolton``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..model import Quote
from .pull_quotes import dash_name
from .quote_marks import QuoteSpan, find_quote_spans
from .reported import REPORTING_VERBS, SPEECH_VERBS, find_reported, lemma_of, outside
from .speakers import (
    SUBJECT_DEPS, Mention, SpeakerResolver, name_after, name_before, name_before_colon, same_paragraph, subject_of,
)  # fmt: skip

__all__ = ["SPEECH_VERBS", "REPORTING_VERBS", "SCARE_WORDS", "find_quotes"]

log = logging.getLogger(__name__)

SCARE_WORDS = 4
#: Verbs that are speech verbs with the particle "back" ("Bennett shot back"); "put" is one with "it".
RETORT_VERBS = frozenset("shoot fire hit snap push".split())
DASHES = ("-", "—", "–", "--", "―")
MAX_NAME_TOKENS = 6
CLAUSE_ENDS = {".", "!", "?"}
AFTER_ENDINGS = (",", "?", "!", "—", "–", "-", "…")
MAX_CUE_TOKENS = 40
SHORT_CLAUSE = 6  # tokens: "Trump said." after a quote that ends with a full stop
#: A quote under an adverbial or relative clause is not the content of the verb above that clause.
BLOCKING_DEPS = {"advcl", "relcl", "acl"}


@dataclass(frozen=True, slots=True)
class _Found:
    """One attribution before its speaker is resolved."""

    start: int
    end: int
    kind: str
    cue: Token | None = None
    cue_end: int | None = None  # for multi-word cues ("according to")
    subject: Token | None = None
    inherit: bool = False
    chain: int | None = None  # index of the first part of a multi-paragraph quote
    cue_start: int | None = None  # for a cue that is part of a token ("”―" read as one)


def find_quotes(doc: Doc) -> tuple[Quote, ...]:
    """Direct, indirect and scare quotes of ``doc``, with speakers and cues, in text order."""
    text = doc.text  # built from the tokens on every access: read it once
    spans = find_quote_spans(text)
    resolver = SpeakerResolver(doc, [(s.open_at, (s.close_at or s.end) + 1) for s in spans])
    found = _direct(doc, text, spans) + [
        _Found(r.start, r.end, "indirect", r.cue, r.cue_end, r.subject) for r in find_reported(doc, spans)
    ]
    found.sort(key=lambda f: (min(f.start, f.cue.idx) if f.cue is not None else f.start, f.start))
    quotes: list[tuple[_Found, Quote]] = []
    for item in found:
        quotes.append((item, _resolve(doc, text, item, resolver, quotes)))
    result = tuple(sorted(_fill_chains(quotes), key=lambda q: (q.start, q.end, q.kind)))
    log.debug("found %d quotes (%d quotation-mark spans)", len(result), len(spans))
    return result


def _direct(doc: Doc, text: str, spans: tuple[QuoteSpan, ...]) -> list[_Found]:
    found: list[_Found] = []
    chain: int | None = None
    for index, span in enumerate(spans):
        chain = chain if span.continued and chain is not None else (index if span.continues else None)
        attributed = _dash_name(doc, text, span) or _attributed(doc, text, span, spans, found)
        if attributed is not None:
            found.append(replace(attributed, chain=chain))
        elif span.continued or _alone(text, span):
            found.append(_Found(span.start, span.end, "direct", inherit=True, chain=chain))
        elif len(text[span.start : span.end].split()) <= SCARE_WORDS:
            found.append(_Found(span.start, span.end, "scare"))
        else:
            found.append(_Found(span.start, span.end, "direct", chain=chain))
    return found


def _attributed(
    doc: Doc, text: str, span: QuoteSpan, spans: tuple[QuoteSpan, ...], found: list[_Found]
) -> _Found | None:
    """The quote with its cue and the subject to resolve, by the rules tree, after, before and colon."""
    cue = (
        _tree_cue(doc, span, spans) or _after_cue(doc, text, span, spans)
        or _before_cue(doc, text, span, spans, found)
    )  # fmt: skip
    if cue is None and _alone(text, span) and not span.continued:
        cue = _colon_cue(doc, text, span)
    if cue is None:
        return None
    subject = subject_of(cue)
    if subject is None or not outside(subject, spans):  # a parse that took a quoted word as subject
        subject = name_before(cue, span.close_at or span.end) if cue.idx > span.end else name_before_colon(cue)
        subject = subject or name_after(cue)
    return _Found(span.start, span.end, "direct", cue, _cue_end(cue), subject)


def _dash_name(doc: Doc, text: str, span: QuoteSpan) -> _Found | None:
    """``“...” ― Anna Lee``: the name after the dash speaks, the dash is the cue (:mod:`.pull_quotes`)."""
    found = dash_name(doc, text, span, _alone(text, span))
    if found is None:
        return None
    return _Found(span.start, span.end, "direct", found.dash, found.dash_end, found.name, cue_start=found.dash_start)


def _cue_end(cue: Token) -> int | None:
    """Where a two-word cue ends ("according to"); None for a one-word cue."""
    to = next((c for c in cue.children if c.lower_ == "to"), None) if cue.lower_ == "according" else None
    return to.idx + len(to) if to is not None else None


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    if end <= start:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _is_cue(token: Token, verbs: frozenset[str] = SPEECH_VERBS) -> bool:
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = lemma_of(token)
    if lemma == "put":  # "as Lee put it, ..."
        return any(c.lower_ == "it" and c.dep_ == "dobj" for c in token.children)
    return lemma in verbs or (lemma in RETORT_VERBS and any(c.lower_ == "back" for c in token.children))


def _tree_cue(doc: Doc, span: QuoteSpan, spans: tuple[QuoteSpan, ...]) -> Token | None:
    """A speech verb outside the marks that the quoted words hang under."""
    words = _tokens(doc, span.start, span.end)
    if words is None:
        return None
    for token in words:
        if words.start <= token.head.i < words.end or token.head.i == token.i:
            continue
        child, ancestor = token, token.head
        while True:
            cue = outside(ancestor, spans) and _is_cue(ancestor) and child.dep_ not in SUBJECT_DEPS
            if cue and same_paragraph(doc, ancestor.i, token.i):
                return ancestor
            if ancestor.head.i == ancestor.i or child.dep_ in SUBJECT_DEPS or ancestor.dep_ in BLOCKING_DEPS:
                break
            child, ancestor = ancestor, ancestor.head
    return None


def _after_cue(doc: Doc, text: str, span: QuoteSpan, spans: tuple[QuoteSpan, ...]) -> Token | None:
    """A speech verb in the clause right after a quote that ends with a comma."""
    if span.close_at is None:
        return None
    ends_open = text[span.end - 1] in AFTER_ENDINGS or text[span.end : span.close_at].strip(" '`") in AFTER_ENDINGS[:1]
    ends_open = ends_open or text[span.close_at + 1 : span.close_at + 3].lstrip().startswith(",")
    window = list(_tokens(doc, span.close_at + 1, _window_end(text, span, spans)) or ())
    clause_end = next((n for n, t in enumerate(window) if t.text in CLAUSE_ENDS), len(window))
    for token in window[: min(clause_end, MAX_CUE_TOKENS)]:
        if not _is_cue(token):
            continue
        # after a full stop only a bare '... Trump said.' attributes; 'Trump said the talks failed' does not
        bare = clause_end <= SHORT_CLAUSE and not any(c.dep_ == "ccomp" for c in token.children)
        return token if ends_open or bare else None
    return None




def _window_end(text: str, span: QuoteSpan, spans: tuple[QuoteSpan, ...]) -> int:
    """Where the text after a quote stops: the next quote or the end of the paragraph."""
    start = span.close_at if span.close_at is not None else span.end
    line_end = text.find("\n", start)
    end = len(text) if line_end == -1 else line_end
    later = [s.open_at for s in spans if s.open_at > start]
    return min([end] + later)


def _before_cue(
    doc: Doc, text: str, span: QuoteSpan, spans: tuple[QuoteSpan, ...], found: list[_Found]
) -> Token | None:
    """The cue in the text between the previous quote of the paragraph and this one."""
    line_start = text.rfind("\n", 0, span.open_at) + 1
    earlier = [s for s in spans if s.open_at < span.open_at and s.close_at is not None and s.close_at >= line_start]
    begin = max([line_start] + [s.close_at + 1 for s in earlier])
    for item in reversed(found):  # the cue after an earlier quote of this paragraph: a split quote
        if item.cue is not None and item.start >= line_start and item.end <= item.cue.idx < span.open_at:
            return item.cue
        if item.start < line_start:
            break
    window = _tokens(doc, begin, begin + len(text[begin : span.open_at].rstrip()))
    if window is None or window[-1].text not in (":", ","):
        return None
    if window[-1].text == ":" and _name_line(window):
        return window[-1]  # "Philip Bump: “...”", "HEADLINE - Pew Research: “...”": the colon is the cue
    verb = _introducing_verb(window, colon=window[-1].text == ":")
    if verb is None and window[-1].text == ":" and name_before_colon(window[-1]) is not None:
        return window[-1]
    return verb


def _name_line(window: Span) -> bool:
    """True when the words before the closing colon of ``window``, back to a dash or a sentence end, are a name."""
    name: list[Token] = []
    for token in reversed(window[:-1]):
        if token.text in DASHES or token.text in CLAUSE_ENDS or "\n" in token.text_with_ws:
            break
        name.append(token)
    allowed = all(_name_word(t) or t.pos_ == "CCONJ" or t.text in (".", "&") for t in name)
    return 0 < len(name) <= MAX_NAME_TOKENS and allowed and _name_word(name[0])


def _name_word(token: Token) -> bool:
    """A proper noun, or a capitalised noun the small model did not tag as one ("Pew Research")."""
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and token.text[:1].isupper())



def _introducing_verb(window: Span, colon: bool) -> Token | None:
    """The verb of the last clause of ``window``: a speech verb, or any verb before a colon."""
    clause = [t for t in window if t.i > max([window.start - 1] + [t.i for t in window if t.text in CLAUSE_ENDS])]
    cues = [
        t for t in clause
        if _is_cue(t) or (t.lower_ == "according" and subject_of(t) is not None)
        or (colon and t.pos_ == "VERB" and subject_of(t) is not None)
    ]  # fmt: skip
    return cues[-1] if cues else None


def _colon_cue(doc: Doc, text: str, span: QuoteSpan) -> Token | None:
    """For a quote alone in its paragraph: the verb of a previous paragraph that ends with a colon."""
    line_start = text.rfind("\n", 0, span.open_at) + 1
    previous_end = len(text[:line_start].rstrip())
    if previous_end == 0 or text[previous_end - 1] != ":":
        return None
    previous_start = text.rfind("\n", 0, previous_end) + 1
    window = _tokens(doc, previous_start, previous_end)
    if window is None:
        return None
    return window[-1] if _name_line(window) else _introducing_verb(window, colon=True)


def _alone(text: str, span: QuoteSpan) -> bool:
    """True when the quote is all there is in its paragraph (punctuation aside)."""
    line_start = text.rfind("\n", 0, span.open_at) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end == -1 else line_end
    close = span.close_at if span.close_at is not None else span.end
    rest = text[line_start : span.open_at] + text[close + 1 : line_end]
    return not any(c.isalnum() for c in rest)






def _resolve(
    doc: Doc, text: str, item: _Found, resolver: SpeakerResolver, done: list[tuple[_Found, Quote]]
) -> Quote:
    speaker: Mention | None = None
    if item.subject is not None:
        speaker = resolver.resolve(item.subject)
    elif item.inherit:
        speaker = _inherited(text, item, done)
        anchor = _tokens(doc, item.start, item.end)
        if speaker is not None and anchor is not None:
            resolver.remember(anchor[0], speaker)
    cue_text = cue_start = cue_end = None
    if item.cue is not None:
        cue_start = item.cue_start if item.cue_start is not None else item.cue.idx
        cue_end = item.cue_end or cue_start + len(item.cue)
        cue_text = text[cue_start:cue_end]
    return Quote(
        text[item.start : item.end], item.start, item.end, item.kind,
        speaker.text if speaker else None, speaker.start if speaker else None, speaker.end if speaker else None,
        cue_text, cue_start, cue_end,
    )  # fmt: skip


def _inherited(text: str, item: _Found, done: list[tuple[_Found, Quote]]) -> Mention | None:
    """The speaker of the last attribution in the previous paragraph's last sentence."""
    line_start = text.rfind("\n", 0, item.start) + 1
    previous_end = len(text[:line_start].rstrip())
    previous_start = text.rfind("\n", 0, previous_end) + 1
    last_sentence = max(text.rfind(mark, previous_start, previous_end - 1) for mark in (". ", "! ", "? "))
    floor = max(previous_start, last_sentence + 1)
    for _found, quote in reversed(done):
        anchor = quote.cue_start if quote.cue_start is not None else quote.start
        if quote.speaker is not None and floor <= anchor < previous_end + 1 and quote.kind != "scare":
            return Mention(quote.speaker, quote.speaker_start, quote.speaker_end)
    return None


def _fill_chains(quotes: list[tuple[_Found, Quote]]) -> list[Quote]:
    """Give every part of a multi-paragraph quote the speaker found for any part."""
    speakers: dict[int, Quote] = {}
    for item, quote in quotes:
        if item.chain is not None and quote.speaker is not None:
            speakers.setdefault(item.chain, quote)
    filled: list[Quote] = []
    for item, quote in quotes:
        source = speakers.get(item.chain) if item.chain is not None and quote.speaker is None else None
        if source is not None:
            quote = Quote(
                quote.text, quote.start, quote.end, quote.kind,
                source.speaker, source.speaker_start, source.speaker_end,
                quote.cue, quote.cue_start, quote.cue_end,
            )  # fmt: skip
        filled.append(quote)
    return filled
