"""Reports set off by commas: the cue stands aside from the words it attributes.

``aside(verb, spans, text)`` reads two shapes the clause patterns of :mod:`.reported`
miss, because the parse does not make the reported words the verb's
complement:

1. **inside**: the cue and its subject between commas inside the clause they
   report (``The goal, he said, is a lasting cease-fire``; ``It was, she
   added, a mistake``): the parse hangs the cue on the clause's verb
   (``parataxis``, ``advcl``); the content is that whole clause, the aside
   included (PolNeAR marks it so);
2. **after**: the cue and its subject closing the sentence after a comma
   (``A girl was hurt outside the venue, police said.``, ``Sorry, Sanders
   said.``, ``..., said Ann Lee, a teacher.``) with no complement of its own:
   the content is the sentence up to that comma.

The first also takes ``as`` (``As the Times reported, ...``, ``..., as Lee
noted, ...``), its content then leaving the aside out when it opens or
closes the clause.
Neither applies right after a closing quotation mark (``"...," she said``: a
direct quote's cue), to a verb with a complement of its own, or to a verb
subordinated otherwise (``when he said``); the verb must be one of
``REPORTING_VERBS`` and have its own subject.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .quote_marks import QuoteSpan
from .speakers import SUBJECT_DEPS, same_paragraph

__all__ = ["aside"]

#: Children that give a verb a content of its own: no aside then.
COMPLEMENT_DEPS = {"ccomp", "dobj", "xcomp", "oprd", "dative"}
ASIDE_DEPS = {"parataxis", "advcl"}
#: Words that may follow a closing cue in its sentence ("police said Monday.", "said Ann Lee, a teacher.").
MAX_AFTER_TOKENS = 30


def aside(verb: Token, spans: tuple[QuoteSpan, ...], text: str) -> tuple[int, int] | None:
    """First and last token of the content ``verb`` reports from aside (``text``: the doc's text), or None."""
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if any(c.dep_ in COMPLEMENT_DEPS for c in verb.children) or [m.lower_ for m in marks] not in ([], ["as"]):
        return None
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
        return None
    doc = verb.doc
    group = min([subject.left_edge.i, verb.i] + [m.i for m in marks])  # the cue's words: "he said", "as X noted"
    if marks and (group == verb.sent.start or doc[group - 1].text == ","):
        return _inside(verb) if verb.dep_ in ASIDE_DEPS and verb.head.i != verb.i else None
    if group == 0 or doc[group - 1].text != "," or _after_quote(doc[group - 1], spans, text):
        return None
    if verb.dep_ in ASIDE_DEPS and verb.head.i != verb.i:
        return _inside(verb)
    if verb.dep_ == "ROOT" and not marks:
        return _after(verb, group)
    return None


def _inside(verb: Token) -> tuple[int, int] | None:
    """The clause the aside sits in, without the aside when it opens or closes the clause (paragraph-bounded)."""
    clause = verb.head
    first, last = clause.left_edge.i, clause.right_edge.i
    if verb.right_edge.i >= last:
        last = verb.left_edge.i - 1  # "..., she said." closes the clause: leave it out
    elif verb.left_edge.i <= first:
        first = verb.right_edge.i + 1  # "As the Times noted, ..." opens it
    if first > last or not (same_paragraph(verb.doc, first, verb.i) and same_paragraph(verb.doc, verb.i, last)):
        return None
    return first, last


def _after(verb: Token, group: int) -> tuple[int, int] | None:
    """The sentence before ``..., police said.``, when the cue's words run to the sentence end."""
    sentence: Span = verb.sent
    cue_words = verb.doc[verb.i + 1 : verb.right_edge.i + 1]
    rest = verb.doc[verb.right_edge.i + 1 : sentence.end]
    if len(cue_words) > MAX_AFTER_TOKENS or not all(t.is_punct or t.is_space for t in rest):
        return None
    first = sentence.start
    while first < group and not same_paragraph(verb.doc, first, group):
        first += 1
    return (first, group - 2) if group - 2 >= first else None


def _after_quote(comma: Token, spans: tuple[QuoteSpan, ...], text: str) -> bool:
    """True when a quotation closes right at ``comma`` (``"...," she said``, ``"...", she said``)."""
    for span in spans:
        if span.close_at is None or span.close_at > comma.idx + 1 or span.close_at < comma.idx - 3:
            continue
        if span.end <= comma.idx or not text[span.close_at + 1 : comma.idx].strip():
            return True
    return False
