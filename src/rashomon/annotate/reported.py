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
3. **object**: the noun object of a verb of ``OBJECT_VERBS`` or
   ``SPEECH_VERBS`` (``Obama announced new steps``, ``voters supported
   Sanders``), over what is said of it after it: an object predicate (``Paul
   called the credit "a welfare transfer"``; after a pronoun, only with
   such words: ``called it a fraud``) or a preposition of ``OBJECT_PREPOSITIONS`` (``accused Lee
   of lying``, ``described the plan as a fantasy``); a speech verb's noun
   that has a content of its own (``repeated her claim that ...``) is left to
   that noun; for a speech verb without a noun object, its infinitive or
   participle (``admitted taking the money``), unless the verb has a plain
   use (``PLAIN_USE_VERBS``: ``continued to fall``);
4. **preposition**: the object of the preposition a verb of ``PREP_VERBS``
   takes (``Trump called for a special prosecutor``, ``she talked about
   the economy``);

each only when the verb has a subject (``subject_of``), and extended over an
infinitive or a second ``that`` clause the parse hung on the verb right after
it (``called for a prosecutor to oversee ...``, ``..., but that ...``).
Besides these:

5. **passive**: the passive subject of such a verb, with the agent as speaker
   (``the plan was criticized by the union``);
6. **noun**: the ``that`` clause of a noun of ``CLAIM_NOUNS`` (``her claim
   that ...``) or the object of a noun of stance (``his criticism of the
   plan``), its owner the speaker (:mod:`.noun_cues`);
7. **aside**: a reporting verb set off by commas inside or after its
   clause (``The goal, he said, is ...``, ``..., police said.``, ``As the
   Times reported, ...``; :mod:`.asides`);
8. ``according to X, CLAUSE`` (or ``CLAUSE, according to X``, or ``A,
   according to X, B``): the sentence, without the phrase at either end;
9. a paragraph led by a short name and a colon, the rest of the paragraph
   being what that name said (``SMITH: We never agreed to that.``, a
   transcript or a headline).

A content is cut to the cue's paragraph (a parse may run over a paragraph
break, and a clausal complement hung on the verb from another paragraph is
passed over); one made up mostly (60%) of direct quotes is those quotes'
attribution and is not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .asides import aside
from .noun_cues import CLAIM_NOUNS, STANCE_NOUNS, noun_content
from .quote_marks import QuoteSpan
from .speakers import same_paragraph, subject_of

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
#: Verbs whose ``to``-infinitive is the content (``Rubio wants to emerge as ...``).
INTENT_VERBS = frozenset(
    "want plan hope expect seek refuse vow pledge promise decide intend threaten agree offer urge "
    "prefer aim wish attempt".split()
)
#: Verbs whose content is the object of one preposition (``called for``, ``talked about``).
PREP_VERBS = {
    "call": {"for"}, "push": {"for"}, "advocate": {"for"}, "argue": {"for", "against"},
    "talk": {"about"}, "speak": {"about", "of"}, "write": {"about"}, "complain": {"about"}, "worry": {"about"},
    "warn": {"about", "of", "against"}, "focus": {"on"}, "comment": {"on"}, "refer": {"to"}, "point": {"to"},
    "ask": {"about", "for"}, "thank": {"for"}, "criticize": {"for"}, "praise": {"for"}, "blame": {"for"},
    "apologize": {"for"}, "testify": {"about"}, "joke": {"about"}, "brag": {"about"}, "boast": {"about"},
    "cheer": {"for"}, "react": {"to"}, "respond": {"to"}, "object": {"to"}, "pray": {"for"},
}  # fmt: skip
#: Speech verbs with a plain use whose object or infinitive is no content ("continued the fight",
#: "maintained a lead", "called to ask").
PLAIN_USE_VERBS = frozenset("continue maintain call point signal read charge".split())
#: Verbs that hold an object to be something ("regards the plan as a fraud"), beside ``REPORTING_VERBS``.
REGARD_VERBS = frozenset("view regard consider".split())
#: Prepositions after an object that belong to what is said of it (``accused Lee of lying``, ``saw it as a threat``).
OBJECT_PREPOSITIONS = frozenset("of for as to with".split())
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
    text = doc.text  # built from the tokens on every access: read it once
    for token in doc:
        if not outside(token, spans):
            continue
        if token.lower_ == "according":
            item = _according(token)
        elif token.text == ":":
            item = _colon_line(token)
        elif token.pos_ in ("VERB", "AUX"):
            item = _verb_content(token) or _passive(token) or _aside(token, spans, text)
        elif token.pos_ == "NOUN" and (token.lemma_.lower() in CLAIM_NOUNS or token.lemma_.lower() in STANCE_NOUNS):
            item = _noun(token)
        else:
            continue
        item = _in_paragraph(item, text) if item is not None else None
        if item is not None and not _mostly_quoted(item.start, item.end, spans):
            found.append(_around_quotes(item, spans))
    return found


def _in_paragraph(item: Reported, text: str) -> Reported | None:
    """The content cut to the cue's paragraph (a parse may run over a paragraph break); None when empty."""
    start = max(item.start, text.rfind("\n", 0, item.cue.idx) + 1)
    after = text.find("\n", item.cue.idx)
    end = min(item.end, len(text) if after == -1 else after)
    end = start + len(text[start:end].rstrip(" ,;:-—–\"“”'‘’"))
    return Reported(start, end, item.cue, item.subject, item.cue_end) if end > start else None


def _around_quotes(item: Reported, spans: tuple[QuoteSpan, ...]) -> Reported:
    """The content widened to whole quotations where it starts or ends inside one."""
    start, end = item.start, item.end
    for span in spans:
        if span.start < start < span.end:
            start = span.start
        if span.start < end < span.end:
            end = span.end
    return Reported(start, end, item.cue, item.subject, item.cue_end)


def lemma_of(verb: Token) -> str:
    """The lowercased lemma, mended where the small model errs ("hopes", "hoping" -> "hop")."""
    lemma = verb.lemma_.lower()
    return "hope" if lemma == "hop" and verb.lower_.startswith(("hope", "hoping")) else lemma


def outside(token: Token, spans: tuple[QuoteSpan, ...]) -> bool:
    """True when ``token`` is not inside (or on the marks of) any quoted span."""
    return not any(s.open_at <= token.idx <= (s.close_at if s.close_at is not None else s.end) for s in spans)


def _verb_content(verb: Token) -> Reported | None:
    lemma = lemma_of(verb)
    clause = _complement(verb, lemma)
    if clause is None:
        return None
    subject = subject_of(_reporter(verb))
    if subject is None:
        return None
    first, last = clause
    start, end = trimmed(verb.doc, first, _continued(verb, last))
    return Reported(start, end, verb, subject)


def _aside(verb: Token, spans: tuple[QuoteSpan, ...], text: str) -> Reported | None:
    """``The goal, he said, is ...``, ``..., police said.``: a cue set off by commas (:mod:`.asides`)."""
    if lemma_of(verb) not in REPORTING_VERBS:
        return None
    tokens = aside(verb, spans, text)
    subject = subject_of(verb) if tokens is not None else None
    if subject is None:
        return None
    start, end = trimmed(verb.doc, *tokens)
    return Reported(start, end, verb, subject)


def _reporter(verb: Token) -> Token:
    """The verb whose subject speaks: for a report the parse coordinated inside another report's clause
    (``X said that ... and predicted that ...``), the outer report."""
    head = verb.head
    if verb.dep_ == "conj" and head.dep_ == "ccomp" and lemma_of(head.head) in REPORTING_VERBS:
        return head.head
    return verb


def _passive(verb: Token) -> Reported | None:
    """``The plan was criticized by Democrats``: the passive subject is the content, the agent the speaker."""
    if lemma_of(verb) not in OBJECT_VERBS | SPEECH_VERBS:
        return None
    thing = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    source = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if thing is None or source is None:
        return None
    start, end = trimmed(verb.doc, thing.left_edge.i, thing.right_edge.i)
    return Reported(start, end, verb, source)


def _noun(noun: Token) -> Reported | None:
    """``his claim that ...``, ``her criticism of the plan``: a noun's content (:mod:`.noun_cues`)."""
    found = noun_content(noun)
    if found is None:
        return None
    first, last, owner = found
    start, end = trimmed(noun.doc, first, last)
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
        clause = _reported_clause(verb)
        if clause is not None:
            return clause.left_edge.i, _clause_end(clause)
    if lemma in INTENT_VERBS:
        intent = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if intent is not None and any(c.lower_ == "to" and c.dep_ == "aux" for c in intent.children):
            return intent.left_edge.i, intent.right_edge.i
    thing = _object(verb, lemma)
    if thing is not None:
        return thing.left_edge.i, _object_end(verb, thing, ("as",) if lemma not in OBJECT_VERBS | SPEECH_VERBS else ())
    if lemma in SPEECH_VERBS and lemma not in PLAIN_USE_VERBS:  # "reported holding shares", "admitted lying"
        doing = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if doing is not None:
            return doing.left_edge.i, doing.right_edge.i
    for preposition in children:
        if preposition.dep_ == "prep" and preposition.lower_ in PREP_VERBS.get(lemma, ()):
            thing = next((c for c in preposition.children if c.dep_ in ("pobj", "pcomp")), None)
            if thing is not None:
                return thing.left_edge.i, thing.right_edge.i
    return None


def _when(noun: Token) -> bool:
    """True for a time noun the parse took as an object ("said Monday")."""
    return noun.ent_type_ in ("DATE", "TIME")


def _object(verb: Token, lemma: str) -> Token | None:
    """The object that is ``verb``'s content: a noun object of an object or speech verb (a pronoun only with
    something said of it after it: ``called him divisive``, ``accused her of lying``), or any object that a
    verb of belief or perception sees as something (``sees himself as the father of ...``)."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and not _when(c)]
    if lemma in OBJECT_VERBS or (lemma in SPEECH_VERBS and lemma not in PLAIN_USE_VERBS):
        thing = next((c for c in objects if c.pos_ in ("NOUN", "PROPN")), None)
        if thing is not None and lemma not in OBJECT_VERBS and noun_content(thing) is not None:
            return None  # "repeated her claim that ...": the noun's own content is the report
        pronoun = next((c for c in objects if c.pos_ == "PRON"), None)
        if thing is None and pronoun is not None and _object_end(verb, pronoun) > pronoun.i:
            thing = pronoun
        return thing
    if lemma in REPORTING_VERBS or lemma in REGARD_VERBS:
        thing = next(iter(objects), None)
        return thing if thing is not None and _object_end(verb, thing, ("as",)) > thing.right_edge.i else None
    return None


def _object_end(verb: Token, thing: Token, prepositions: tuple[str, ...] = ()) -> int:
    """The last token of an object content, over what the verb says about the object after it: a predicate
    (``called the plan "a fraud"``) or a preposition of ``prepositions`` (default ``OBJECT_PREPOSITIONS``:
    ``accused Lee of lying``)."""
    last = thing.right_edge.i
    prepositions = prepositions or tuple(OBJECT_PREPOSITIONS)
    for child in verb.rights:
        if child.i <= last:
            continue
        if child.dep_ in ("oprd", "ccomp") or (child.dep_ == "prep" and child.lower_ in prepositions):
            last = child.right_edge.i
        elif not child.is_punct or child.text == ",":
            break
    return last


def _reported_clause(verb: Token) -> Token | None:
    """The clausal complement of ``verb`` in its paragraph (a parse run over a paragraph break may hang the
    previous paragraph's clause on it too): the first after the verb, else the last before it."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and same_paragraph(verb.doc, c.i, verb.i)]
    after = [c for c in clauses if c.i > verb.i]
    return after[0] if after else (clauses[-1] if clauses else None)


def _clause_end(clause: Token) -> int:
    """The last token of a reported clause, cut before a second report coordinated inside it."""
    for conj in clause.children:
        if conj.dep_ == "conj" and conj.i > clause.i and lemma_of(conj) in REPORTING_VERBS:
            if any(c.dep_ == "ccomp" for c in conj.children):
                cut = conj.left_edge.i - 1
                cc = [c for c in clause.children if c.dep_ == "cc" and c.i < conj.i]
                return min([cut] + [c.i - 1 for c in cc if c.i > clause.i])
    return clause.right_edge.i


def _according(token: Token) -> Reported | None:
    """``according to X, CLAUSE``, ``CLAUSE, according to X`` or ``A, according to X, B``: the sentence,
    without the ``according to`` phrase when it opens or closes it."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None or token.head.i == token.i:
        return None
    words = [t.i for t in token.sent if not (t.is_punct or t.is_space)]
    first, last = words[0], words[-1]
    if token.left_edge.i <= first:
        first = token.right_edge.i + 1
    elif token.right_edge.i >= last:
        last = token.left_edge.i - 1
    start, end = trimmed(token.doc, first, last)
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
