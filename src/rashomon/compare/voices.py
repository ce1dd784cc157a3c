"""Voices: who is quoted, by which source, directly or in reported speech.

Scare quotes (a word or two in quotation marks, no speaker) are left out, and
so are speakers that are not named entities of the story ("residents",
"the council", "experts"): the matrix is of people and organisations. A
speaker's affiliation is the role the text ties to them (the entity's
``description``: "Kremlin spokesman", "Democrat Sen."), else a role set
between commas right after their name ("Mikhail Dorin, the chief executive
of Tarvos Hydro,"), when there is one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..model import Annotation, Entity, Voice

__all__ = ["find_voices", "speaker_matrix", "unquoted_sources", "appositive"]

_KINDS = ("direct", "indirect")
_SPEAKER_TYPES = ("PERSON", "ORG", "NORP", "GPE")


_APPOSITIVE = re.compile(r",\s+([^,.;:“”\"()]{3,80}?),")
_NOT_ROLE = frozenset({"who", "whose", "where", "when", "which", "that", "said", "says", "told", "added", "however", "and", "but"})


def appositive(annotation: Annotation, entity: Entity) -> str | None:
    """A role written right after a mention between commas ("Mikhail Dorin, the chief executive of Tarvos Hydro,")."""
    for article, _start, end in entity.mentions:
        try:
            text = annotation.document(article).article.text
        except StopIteration:
            continue
        match = _APPOSITIVE.match(text, end)
        if match:
            first = match.group(1).split()[0].lower()
            if first not in _NOT_ROLE and not first.endswith("ed") and match.group(1)[0].islower():
                return match.group(1)
    return None


def find_voices(annotation: Annotation, sources: Sequence[str]) -> tuple[Voice, ...]:
    """One Voice per named speaker, most-quoted first (then by name)."""
    speakers = {e.name: e for e in annotation.entities if e.type in _SPEAKER_TYPES}
    quotes: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    for source in sources:
        for quote in annotation.document(source).quotes:
            if quote.kind in _KINDS and quote.speaker in speakers:
                quotes[quote.speaker].append((source, quote.start, quote.end, quote.kind))
    voices = [
        Voice(speaker, speakers[speaker].description or appositive(annotation, speakers[speaker]), tuple(found))
        for speaker, found in quotes.items()
    ]
    return tuple(sorted(voices, key=lambda v: (-len(v.sources), -len(v.quotes), v.speaker)))


def speaker_matrix(voices: Sequence[Voice], sources: Sequence[str]) -> list[list[int]]:
    """Rows are speakers, columns ``sources``: how many quotes each source gives them."""
    return [[sum(q[0] == source for q in voice.quotes) for source in sources] for voice in voices]


def unquoted_sources(annotation: Annotation, sources: Sequence[str]) -> tuple[str, ...]:
    """Sources that quote no named speaker (a person, organisation or country the entities know)."""
    named = {e.name for e in annotation.entities if e.type in _SPEAKER_TYPES}
    return tuple(
        s for s in sources if not any(q.kind in _KINDS and q.speaker in named for q in annotation.document(s).quotes)
    )
