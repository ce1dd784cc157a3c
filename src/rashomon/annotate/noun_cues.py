"""Attributions cued by a noun: ``her claim that ...``, ``his criticism of ...``.

``noun_content(noun)`` returns the first and last token of what a noun of
saying or of stance attributes, and the token of whose it is:

1. **claim**: the ``that`` clause of a noun of ``CLAIM_NOUNS`` (``her claim
   that ...``, ``Trump floated the idea that ...``);
2. **stance**: the object of the preposition a noun of ``STANCE_NOUNS``
   takes (``her criticism of the plan``, ``calls for a recount``). Nouns
   PolNeAR marks too seldom to pay off (``support for``, ``attacks on``,
   ``views on``: under a third of them are attributions there) are left out.

The owner is the possessor (``her``), else the ``from`` phrase (``criticism
from rivals``), else the subject of the verb the noun is the object of
(``Trump floated the idea``, ``Lee voiced criticism of ...``), else None.
"""

from __future__ import annotations

from spacy.tokens import Token

from .speakers import subject_of

__all__ = ["CLAIM_NOUNS", "STANCE_NOUNS", "noun_content"]

#: Nouns whose ``that`` clause is what someone said or holds (``his claim that ...``).
CLAIM_NOUNS = frozenset(
    "claim statement assertion argument suggestion warning promise accusation allegation belief view idea "
    "notion charge remark comment vow pledge insistence message announcement report concern fear hope "
    "assurance admission contention conclusion position line prediction".split()
)
#: Nouns of stance and the prepositions that introduce what the stance is about.
STANCE_NOUNS: dict[str, frozenset[str]] = {
    noun: frozenset(prepositions.split())
    for noun, prepositions in {
        "criticism": "of on", "critique": "of", "opposition": "to", "endorsement": "of", "call": "for",
        "praise": "for of", "condemnation": "of",
        "defense": "of", "defence": "of", "complaint": "about", "rejection": "of", "denunciation": "of",
        "opinion": "of on about", "demand": "for", "push": "for", "objection": "to", "skepticism": "about of",
    }.items()
}  # fmt: skip


def noun_content(noun: Token) -> tuple[int, int, Token | None] | None:
    """(first token, last token, owner) of the content ``noun`` cues, or None."""
    lemma = noun.lemma_.lower()
    found = None
    if lemma in CLAIM_NOUNS:
        clauses = (c for c in noun.rights if c.dep_ in ("acl", "ccomp", "appos") and c.left_edge.lower_ == "that")
        clause = next(clauses, None)
        found = (clause.left_edge.i, clause.right_edge.i) if clause is not None else None
    if found is None and lemma in STANCE_NOUNS:
        thing = next(
            (o for p in noun.rights if p.dep_ == "prep" and p.lower_ in STANCE_NOUNS[lemma]
             for o in p.children if o.dep_ in ("pobj", "pcomp")),
            None,
        )  # fmt: skip
        found = (thing.left_edge.i, thing.right_edge.i) if thing is not None else None
    return (*found, _owner(noun)) if found is not None else None


def _owner(noun: Token) -> Token | None:
    """Whose claim or stance it is: the possessor, the ``from`` phrase, or the subject of the verb that has it."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None:
        return owner
    source = next((p for p in noun.rights if p.dep_ == "prep" and p.lower_ == "from"), None)
    if source is not None:
        return next((c for c in source.children if c.dep_ == "pobj"), None)
    if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None
