"""Reported speech and other attributions read from the parse, not from quotation marks.

``find_reported(doc, spans)`` returns the attributions of ``doc`` whose
content is a piece of a clause, before their speakers are resolved
(``quotes.py`` resolves them with the direct quotes). A verb's content is,
by the first pattern that applies to it:

1. **clause**: the clausal complement of a verb of ``REPORTING_VERBS``
   (``X said (on Thursday) that ...``, ``polls show Y leads``); a second
   report coordinated inside it (``... and predicted that ...``) is cut off;
2. **intent**: the ``to``-infinitive of a verb of ``INTENT_VERBS``
   (``Rubio wants to emerge as ...``, ``she refused to apologize``);
3. **object**: the noun object of a verb of ``OBJECT_VERBS`` (``Obama
   announced new steps``, ``voters supported Sanders``); with an object
   predicate, both (``Paul called the credit "a welfare transfer"``);
4. **preposition**: the object of the preposition a verb of ``PREP_VERBS``
   takes (``Trump called for a special prosecutor``, ``she talked about
   the economy``);

each only when the verb has a subject (``subject_of``), and extended over an
infinitive or a second ``that`` clause the parse hung on the verb right after
it (``called for a prosecutor to oversee ...``, ``..., but that ...``).
Besides these:

5. **passive**: the passive subject of such a verb, with the agent as speaker
   (``the plan was criticized by the union``);
6. **claim**: the ``that`` clause of a noun of ``CLAIM_NOUNS``, its owner the
   speaker (``her claim that ...``, ``Trump floated the idea that ...``);
7. ``according to X, CLAUSE`` (or ``CLAUSE, according to X``);
8. a paragraph led by a short name and a colon, the rest of the paragraph
   being what that name said (``SMITH: We never agreed to that.``, a
   transcript or a headline).

A content made up mostly (60%) of direct quotes is those quotes'
attribution and is not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .quote_marks import QuoteSpan
from .speakers import subject_of

__all__ = [
    "SPEECH_VERBS", "REPORTING_VERBS", "OBJECT_VERBS", "INTENT_VERBS", "PREP_VERBS", "CLAIM_NOUNS",
    "Reported", "find_reported", "outside",
]  # fmt: skip

#: Verbs (lemmas) that introduce the words of a speaker, direct or reported.
SPEECH_VERBS = frozenset(
    "say tell add note insist stress warn argue announce write claim state explain declare assert "
    "acknowledge admit affirm assure confirm deny report reply respond comment suggest predict recall "
    "remark observe emphasize emphasise underscore repeat reiterate concede complain contend maintain "
    "allege ask answer tweet post testify promise vow pledge indicate mention continue urge tout boast "
    "joke quip counter retort agree caution signal speak conclude echo exclaim confess point read call charge "
    "label describe dub chant shout yell scream muse thank fume retaliate scoff sneer lament interject".split()
)
#: Verbs of belief, perception and finding that also attribute a reported clause.
REPORTING_VERBS = SPEECH_VERBS | frozenset(
    "believe think hope expect fear worry feel find reveal estimate learn conclude accuse charge blame "
    "show see know realize recognize understand suspect doubt guess imagine assume wonder decide "
    "demonstrate prove determine acknowledge remember forget notice argue".split()
)
#: Verbs whose noun object is what was said or held (``Obama announced new steps``).
OBJECT_VERBS = frozenset(
    "announce criticize criticise defend praise support cite propose promise reject deny confirm blame slam "
    "accuse condemn welcome unveil outline dismiss endorse back oppose mention discuss name offer "
    "list thank congratulate denounce attack blast question demand seek express want prefer "
    "recommend applaud ignore challenge recognize call show favor favour mock tout pledge vow "
    "reiterate acknowledge admit insist dispute suggest predict bash hammer knock rip deride ridicule lambaste "
    "tweet echo reference float".split()
)
#: Nouns whose ``that`` clause is what someone said or holds (``his claim that ...``).
CLAIM_NOUNS = frozenset(
    "claim statement assertion argument suggestion warning promise accusation allegation belief view idea "
    "notion charge remark comment vow pledge insistence message announcement report concern fear hope "
    "assurance admission contention conclusion position line prediction".split()
)
#: Verbs whose ``to``-infinitive is the content (``Rubio wants to emerge as ...``).
INTENT_VERBS = frozenset(
    "want plan hope expect seek refuse vow pledge promise decide intend threaten agree offer urge "
    "prefer aim wish attempt".split()
)
#: Verbs whose content is the object of one preposition (``called for``, ``talked about``).
PREP_VERBS = {
    "call": {"for"}, "vote": {"for"}, "push": {"for"}, "advocate": {"for"}, "argue": {"for", "against"},
    "talk": {"about"}, "speak": {"about", "of"}, "write": {"about"}, "complain": {"about"}, "worry": {"about"},
    "warn": {"about", "of", "against"}, "focus": {"on"}, "comment": {"on"}, "refer": {"to"}, "point": {"to"},
    "ask": {"about", "for"}, "thank": {"for"}, "criticize": {"for"}, "praise": {"for"}, "blame": {"for"},
    "apologize": {"for"}, "testify": {"about"}, "joke": {"about"}, "brag": {"about"}, "boast": {"about"},
    "cheer": {"for"}, "react": {"to"}, "respond": {"to"}, "object": {"to"}, "pray": {"for"},
}  # fmt: skip
COLON_NAME_TOKENS = 6  # a name before a colon has at most this many tokens
COLON_CONTENT_TOKENS = 3  # ... and the words after it at least this many


@dataclass(frozen=True, slots=True)
class Reported:
    """One reported attribution: its content span, cue and the subject to resolve into a speaker."""

    start: int
    end: int
    cue: Token
    subject: Token | None
    cue_end: int | None = None  # for multi-word cues ("according to")


def find_reported(doc: Doc, spans: tuple[QuoteSpan, ...]) -> list[Reported]:
    """Every reported attribution of ``doc`` whose content is not mostly direct quotes."""
    found: list[Reported] = []
    for token in doc:
        if not outside(token, spans):
            continue
        if token.lower_ == "according":
            item = _according(token)
        elif token.text == ":":
            item = _colon_line(token)
        elif token.pos_ in ("VERB", "AUX"):
            item = _verb_content(token) or _passive(token)
        elif token.pos_ == "NOUN" and token.lemma_.lower() in CLAIM_NOUNS:
            item = _claim(token)
        else:
            continue
        if item is not None and item.end > item.start and not _mostly_quoted(item.start, item.end, spans):
            found.append(_around_quotes(item, spans))
    return found


def _around_quotes(item: Reported, spans: tuple[QuoteSpan, ...]) -> Reported:
    """The content widened to whole quotations where it starts or ends inside one."""
    start, end = item.start, item.end
    for span in spans:
        if span.start < start < span.end:
            start = span.start
        if span.start < end < span.end:
            end = span.end
    return Reported(start, end, item.cue, item.subject, item.cue_end)


def outside(token: Token, spans: tuple[QuoteSpan, ...]) -> bool:
    """True when ``token`` is not inside (or on the marks of) any quoted span."""
    return not any(s.open_at <= token.idx <= (s.close_at if s.close_at is not None else s.end) for s in spans)


def _verb_content(verb: Token) -> Reported | None:
    lemma = verb.lemma_.lower()
    clause = _complement(verb, lemma)
    if clause is None:
        return None
    subject = subject_of(_reporter(verb))
    if subject is None:
        return None
    first, last = clause
    start, end = trimmed(verb.doc, first, _continued(verb, last))
    return Reported(start, end, verb, subject)


def _reporter(verb: Token) -> Token:
    """The verb whose subject speaks: for a report the parse coordinated inside another report's clause
    (``X said that ... and predicted that ...``), the outer report."""
    head = verb.head
    if verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.lemma_.lower() in REPORTING_VERBS:
        return head.head
    return verb


def _passive(verb: Token) -> Reported | None:
    """``The plan was criticized by Democrats``: the passive subject is the content, the agent the speaker."""
    if verb.lemma_.lower() not in OBJECT_VERBS | SPEECH_VERBS:
        return None
    thing = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    source = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if thing is None or source is None:
        return None
    start, end = trimmed(verb.doc, thing.left_edge.i, thing.right_edge.i)
    return Reported(start, end, verb, source)


def _claim(noun: Token) -> Reported | None:
    """``his claim that ...``, ``Trump floated the idea that ...``: the ``that`` clause of a noun of saying."""
    clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp", "appos") and c.left_edge.lower_ == "that"), None)
    if clause is None:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None and noun.dep_ in ("dobj", "attr"):
        owner = subject_of(noun.head) if noun.head.pos_ in ("VERB", "AUX") else None
    start, end = trimmed(noun.doc, clause.left_edge.i, clause.right_edge.i)
    return Reported(start, end, noun, owner)


def _continued(verb: Token, last: int) -> int:
    """The content's last token, extended over what the parse hung on the verb after it: an infinitive
    right after it (``called for a prosecutor to oversee ...``) or a second ``that`` clause (``..., but that
    he would not ...``)."""
    doc = verb.doc
    for child in verb.rights:
        if child.i <= last:
            continue
        gap = doc[last + 1 : child.left_edge.i]
        first_word = doc[child.left_edge.i].lower_
        infinitive = child.dep_ in ("xcomp", "advcl") and not len(gap) and first_word == "to"
        that = child.dep_ == "conj" and first_word == "that" and all(t.is_punct or t.dep_ == "cc" for t in gap)
        if not (infinitive or that):
            break
        last = child.right_edge.i
    return last


def _complement(verb: Token, lemma: str) -> tuple[int, int] | None:
    """First and last token of what ``verb`` reports, by the patterns of the module docstring."""
    children = list(verb.children)
    if lemma in REPORTING_VERBS:
        clause = next((c for c in children if c.dep_ == "ccomp"), None)
        if clause is not None:
            return clause.left_edge.i, _clause_end(clause)
    if lemma in INTENT_VERBS:
        intent = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if intent is not None and any(c.lower_ == "to" and c.dep_ == "aux" for c in intent.children):
            return intent.left_edge.i, intent.right_edge.i
    if lemma in OBJECT_VERBS:
        thing = next((c for c in children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        predicate = next((c for c in children if c.dep_ in ("oprd", "ccomp") and c.i > verb.i), None)
        if thing is not None:
            last = predicate.right_edge.i if predicate is not None and thing.i < predicate.i else thing.right_edge.i
            return thing.left_edge.i, last
    for preposition in children:
        if preposition.dep_ == "prep" and preposition.lower_ in PREP_VERBS.get(lemma, ()):
            thing = next((c for c in preposition.children if c.dep_ in ("pobj", "pcomp")), None)
            if thing is not None:
                return thing.left_edge.i, thing.right_edge.i
    return None


def _clause_end(clause: Token) -> int:
    """The last token of a reported clause, cut before a second report coordinated inside it."""
    for conj in clause.children:
        if conj.dep_ == "conj" and conj.i > clause.i and conj.lemma_.lower() in REPORTING_VERBS:
            if any(c.dep_ == "ccomp" for c in conj.children):
                cut = conj.left_edge.i - 1
                cc = [c for c in clause.children if c.dep_ == "cc" and c.i < conj.i]
                return min([cut] + [c.i - 1 for c in cc if c.i > clause.i])
    return clause.right_edge.i


def _according(token: Token) -> Reported | None:
    """``according to X, CLAUSE`` or ``CLAUSE, according to X``."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    head = token.head
    if source is None or head.i == token.i:
        return None
    if token.left_edge.i > head.left_edge.i:
        start, end = trimmed(token.doc, head.left_edge.i, token.left_edge.i - 1)
    else:
        start, end = trimmed(token.doc, token.right_edge.i + 1, head.right_edge.i)
    return Reported(start, end, token, source, cue_end=to.idx + len(to))


def _colon_line(colon: Token) -> Reported | None:
    """``NAME: words`` at the start of a paragraph: the words are what the name said."""
    doc = colon.doc
    first = colon.i
    while first > 0 and "\n" not in doc[first - 1].text_with_ws:
        first -= 1
    name = doc[first : colon.i]
    last = colon.i
    while last + 1 < len(doc) and "\n" not in doc[last].text_with_ws:
        last += 1
    content = [t for t in doc[colon.i + 1 : last + 1] if not t.is_punct and not t.is_space]
    if not 0 < len(name) <= COLON_NAME_TOKENS or len(content) < COLON_CONTENT_TOKENS:
        return None
    heads = [t for t in name if t.pos_ in ("PROPN", "NOUN")]
    named = any(t.pos_ == "PROPN" for t in name) or name.text.isupper()
    if not heads or not named or any(t.pos_ in ("VERB", "AUX") for t in name) or name[0].is_punct:
        return None
    start, end = trimmed(doc, colon.i + 1, last)
    return Reported(start, end, colon, heads[-1])


def trimmed(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character span of tokens ``first..last`` without punctuation or quote marks at either end."""
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last < first:
        return 0, 0
    return doc[first].idx, doc[last].idx + len(doc[last])


def _mostly_quoted(start: int, end: int, spans: tuple[QuoteSpan, ...]) -> bool:
    """True when direct quotes make up most of a clause: the clause is those quotes."""
    marks = [(s.open_at, s.close_at + 1 if s.close_at is not None else s.end) for s in spans]
    return sum(max(0, min(end, close) - max(start, open_at)) for open_at, close in marks) > (end - start) * 0.6
