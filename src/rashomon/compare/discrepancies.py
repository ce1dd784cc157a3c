"""Discrepancies: where sources that report the same thing disagree.

Detected, each with the exact words of every side:

- ``number``: two sources give different values for the same counted noun
  anywhere in the story ("thirteen vessels" vs "12 vessels"; words and digits
  are normalised, "1,200" is 1200);
- ``date``: two supports of one fact resolve day-grain time expressions to
  different days (when the annotation resolved times);
- ``negation``: one support says a word is "not" so ("was not raised"), another
  states the same word plainly ("was raised"), about the same thing: the
  same verb with the same subject, object and prepositional phrases
  (:mod:`.negation`; "has not returned to his post" does not deny "returned
  to Moscow");
- ``attribute``: across the story, one entity's name is followed by different
  modifiers of the same head noun ("Nord Stream 2 oil pipeline" vs
  "Nord Stream 2 gas pipeline"), or the head noun of an entity's name gets a
  different kind word in one source than in the others ("earthen dam" in
  four, "concrete dam" in one);
- ``spelling``: one person's full name spelled differently by different
  sources ("Sergey Lavrov" vs "Sergei Lavrov"). Not a disagreement about the
  facts, but worth a reader's eye (a transliteration, or a sign that two texts
  share a source); reports list it after the real discrepancies.

Not detected: places that differ without a shared head noun, and
contradictions between two different facts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from ..model import Annotation, Citation, Discrepancy, Fact, Variant
from .lexicon import STOPWORDS, words
from .negation import same_claim
from .values import NEGATIONS, number_mentions

__all__ = ["find_discrepancies"]

NAME_MATCH = 75.0  # a spelling of the name, not a role ("US Secretary of State")
_NEXT_WORD = re.compile(r"\s*(?:[-–]\s*)?([A-Za-z][A-Za-z-]+)")
_MODIFIED = re.compile(r"\s+([a-z][a-z-]+)\s+([a-z][a-z-]+)\b")
_NEGATED = re.compile(r"\b(?:not|never|n't)\s+(?:been\s+|be\s+|yet\s+)?([a-z]{4,})", re.IGNORECASE)


def _text(annotation: Annotation, citation: Citation) -> str:
    return annotation.document(citation.article).article.text[citation.start : citation.end]


def _counted(annotation: Annotation, citation: Citation) -> dict[str, tuple[str, int, int]]:
    """Counted noun -> (value, start, end) of the number before it in one support."""
    text = annotation.document(citation.article).article.text
    found = {}
    for start, end, value in number_mentions(text[citation.start : citation.end]):
        match = _NEXT_WORD.match(text, citation.start + end)
        if match and match.group(1).lower() not in STOPWORDS:
            found[match.group(1).lower().rstrip("s")] = (value, citation.start + start, match.end())
    return found


def _number_discrepancies(citations: Sequence[Citation], annotation: Annotation, facts: Sequence[Fact],
                          fact: str | None = None) -> list[Discrepancy]:
    """Different values for the same counted noun in different sources (``fact`` None: story-wide)."""
    by_noun: dict[str, list[Variant]] = defaultdict(list)
    for citation in citations:
        for noun, (value, start, end) in _counted(annotation, citation).items():
            by_noun[noun].append(Variant(citation.article, start, end, value))
    found = []
    for noun, variants in sorted(by_noun.items()):
        sources = defaultdict(set)
        for v in variants:
            sources[v.value].add(v.article)
        if len(sources) < 2 or len({v.article for v in variants}) < 2:
            continue
        if fact is None and max(len(arts) for arts in sources.values()) < 2:
            continue  # story-wide, two lone values may count different things: need a majority
        anchor = min(variants, key=lambda v: (len(sources[v.value]), v.article, v.start))
        note = f"sources give different numbers of {noun}s: " + ", ".join(
            f"{value} ({len(arts)} source{'s' if len(arts) > 1 else ''})" for value, arts in sorted(sources.items())
        )
        found.append(Discrepancy(fact or _fact_at(facts, anchor.article, anchor.start), "number", tuple(variants), note))
    return found


def _story_numbers(facts: Sequence[Fact], annotation: Annotation, sources: Sequence[str]) -> list[Discrepancy]:
    """Counted nouns whose number differs between sources anywhere in the story."""
    whole = [Citation(s, 0, len(annotation.document(s).article.text)) for s in sources]
    return _number_discrepancies(whole, annotation, facts)


def _date_discrepancies(fact: Fact, annotation: Annotation) -> list[Discrepancy]:
    """Two sources whose day-grain dates for one fact have nothing in common."""
    variants = []
    for citation in fact.support:
        for time in annotation.document(citation.article).times:
            if citation.start <= time.start < citation.end and time.value and time.grain == "day":
                variants.append(Variant(citation.article, time.start, time.end, time.value))
    days = defaultdict(set)
    for v in variants:
        days[v.article].add(v.value)
    values = {v.value for v in variants}
    disjoint = any(not (days[a] & days[b]) for a in days for b in days if a < b)
    if len(values) > 1 and disjoint:
        return [Discrepancy(fact.id, "date", tuple(variants), "sources date it differently: " + ", ".join(sorted(values)))]
    return []


def _negation_discrepancies(fact: Fact, annotation: Annotation) -> list[Discrepancy]:
    found = []
    for citation in fact.support:
        text = _text(annotation, citation)
        for match in _NEGATED.finditer(text):
            word = match.group(1).lower()
            plain = [
                c for c in fact.support
                if c.article != citation.article and word in words(_text(annotation, c))
                and not NEGATIONS.search(_text(annotation, c)) and same_claim(text, _text(annotation, c), word)
            ]
            if plain:
                negated = Variant(citation.article, citation.start + match.start(), citation.start + match.end(), f"not {word}")
                others = tuple(Variant(c.article, c.start, c.end, word) for c in plain)
                found.append(Discrepancy(fact.id, "negation", (negated, *others),
                                         f"one source says '{match.group(0)}', another states '{word}' without negation"))
    return found


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _fact_at(facts: Sequence[Fact], article: str, position: int) -> str:
    for fact in facts:
        if any(c.article == article and c.start <= position < c.end for c in fact.support):
            return fact.id
    return ""


def _attribute_discrepancies(facts: Sequence[Fact], annotation: Annotation, sources: Sequence[str]) -> list[Discrepancy]:
    found = []
    for entity in annotation.entities:
        names = sorted({entity.name, *entity.aliases}, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(n) for n in names if len(n) > 2) or r"(?!)")
        by_head: dict[str, list[Variant]] = defaultdict(list)
        for source in sources:
            text = annotation.document(source).article.text
            for match in pattern.finditer(text):
                modified = _MODIFIED.match(text, match.end())
                if modified and modified.group(1) not in STOPWORDS and modified.group(2) not in STOPWORDS:
                    by_head[modified.group(2)].append(Variant(source, match.start(), modified.end(), modified.group(1)))
        for head, variants in sorted(by_head.items()):
            per_source = defaultdict(set)
            for v in variants:
                per_source[v.value].add(v.article)
            if len(per_source) > 1 and len({v.article for v in variants}) > 1:
                minority = min(per_source, key=lambda value: (len(per_source[value]), value))
                anchor = next(v for v in variants if v.value == minority)
                note = f"{entity.name} is called " + " vs ".join(
                    f"{_article(value)} {value} {head} ({len(arts)} source{'s' if len(arts) > 1 else ''})"
                    for value, arts in sorted(per_source.items(), key=lambda item: (-len(item[1]), item[0]))
                )
                found.append(Discrepancy(_fact_at(facts, anchor.article, anchor.start), "attribute", tuple(variants), note))
    return found


def _descriptive(word: str) -> bool:
    """A modifier that names a kind ("gas", "earthen"), not a state ("damaged", "crumbling")."""
    return word not in STOPWORDS and not word.endswith(("ed", "ing", "ly")) and len(word) > 2


def _head_attribute_discrepancies(facts: Sequence[Fact], annotation: Annotation, sources: Sequence[str]) -> list[Discrepancy]:
    """The head noun of an entity's name ("dam" of "Kesh Dam") with different kind words before it."""
    heads = {e.name.split()[-1].lower() for e in annotation.entities if len(e.name.split()) > 1 and e.name.split()[-1].isalpha()}
    heads -= STOPWORDS
    if not heads:
        return []
    pattern = re.compile(r"\b([a-z][a-z-]+)\s+(" + "|".join(sorted(map(re.escape, heads))) + r")\b")
    by_head: dict[str, list[Variant]] = defaultdict(list)
    for source in sources:
        for match in pattern.finditer(annotation.document(source).article.text):
            if _descriptive(match.group(1)):
                by_head[match.group(2)].append(Variant(source, match.start(), match.end(), match.group(1)))
    found = []
    for head, variants in sorted(by_head.items()):
        per_value = defaultdict(set)
        for v in variants:
            per_value[v.value].add(v.article)
        shared = [value for value, arts in per_value.items() if len(arts) > 1]
        if not shared or len(per_value) < 2:
            continue
        majority = max(shared, key=lambda value: (len(per_value[value]), value))
        odd = sorted(v for v, arts in per_value.items() if v != majority and not arts & per_value[majority])
        if odd:
            keep = tuple(v for v in variants if v.value in (majority, *odd))
            anchor = next(v for v in keep if v.value == odd[0])
            note = f"the {head} is called " + " vs ".join(
                f"{value} ({len(per_value[value])} source{'s' if len(per_value[value]) > 1 else ''})" for value in (majority, *odd)
            )
            found.append(Discrepancy(_fact_at(facts, anchor.article, anchor.start), "attribute", keep, note))
    return found


def _name_discrepancies(facts: Sequence[Fact], annotation: Annotation, sources: Sequence[str]) -> list[Discrepancy]:
    found = []
    keep = set(sources)
    for entity in annotation.entities:
        if entity.type != "PERSON":
            continue
        spelled: dict[str, list[Variant]] = defaultdict(list)
        for article, start, end in entity.mentions:
            surface = annotation.document(article).article.text[start:end] if article in keep else ""
            if len(surface.split()) >= 2 and fuzz.ratio(surface.lower(), entity.name.lower()) >= NAME_MATCH:
                spelled[surface].append(Variant(article, start, end, surface))
        if len(spelled) > 1 and len({v.article for vs in spelled.values() for v in vs}) > 1:
            variants = tuple(vs[0] for _, vs in sorted(spelled.items()))
            if len({v.article for v in variants}) > 1:
                found.append(Discrepancy(_fact_at(facts, variants[0].article, variants[0].start), "spelling", variants,
                                         f"{entity.name} is spelled " + " / ".join(sorted(spelled))))
    return found


def find_discrepancies(facts: Sequence[Fact], annotation: Annotation, sources: Sequence[str]) -> tuple[Discrepancy, ...]:
    """All discrepancies of the story, fact by fact, then story-wide ones."""
    found: list[Discrepancy] = []
    for fact in facts:
        if len(fact.sources) > 1:
            found += _date_discrepancies(fact, annotation)
            found += _negation_discrepancies(fact, annotation)
    found += _story_numbers(facts, annotation, sources)
    found += _attribute_discrepancies(facts, annotation, sources)
    found += _head_attribute_discrepancies(facts, annotation, sources)
    found += _name_discrepancies(facts, annotation, sources)
    return tuple(found)
