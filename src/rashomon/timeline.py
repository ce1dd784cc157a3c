"""The timeline of a story: dated events from all sources, merged, in date order.

A sentence that holds a resolved time expression of day or month grain is an
event on that date. Events of different sources on the same date whose
sentences are similar (cosine of their vectors >= ``MERGE_COSINE``) are one
event told by several sources. An event's text is its most neutral sentence
(lowest VADER ``|compound|``), quoted exactly, and its first citation is that
sentence; ``evidence`` holds the time expressions the date was read from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from .model import Annotated, Annotation, Citation, Sentence, TimelineEvent

__all__ = ["MERGE_COSINE", "GRAINS", "build_timeline"]

log = logging.getLogger(__name__)

MERGE_COSINE = 0.5
GRAINS = ("day", "month")


@dataclass(frozen=True, slots=True)
class _Dated:
    """One dated sentence of one article."""

    date: str
    date_end: str | None
    article: str
    sentence: Sentence
    row: int  # its row in Annotation.vectors
    evidence: tuple[str, ...]


def build_timeline(annotation: Annotation) -> tuple[tuple[TimelineEvent, ...], tuple[str, ...]]:
    """The merged, ordered events and notes on what could not be placed."""
    dated: list[_Dated] = []
    notes: list[str] = []
    row = 0
    for doc in annotation.documents:
        found, left_out = _dated_sentences(doc, row)
        dated.extend(found)
        row += len(doc.sentences)
        name = doc.article.outlet or doc.article.title or doc.id
        if not found:
            notes.append(f"timeline: {name} has no dated events (no day or month it reports could be resolved)")
        elif left_out:
            notes.append(f"timeline: {left_out} time expression(s) of {name} were left out "
                         "(unresolved, or coarser than a month)")
    groups = _merge(dated, annotation.vectors)
    events = tuple(sorted((_event(group, annotation) for group in groups),
                          key=lambda e: (e.date, e.date_end or e.date, e.sources[0].article, e.sources[0].start)))
    return events, tuple(notes)


def _dated_sentences(doc: Annotated, first_row: int) -> tuple[list[_Dated], int]:
    by_sentence: dict[int, list] = {}
    left_out = 0
    for time in doc.times:
        index = next((i for i, s in enumerate(doc.sentences) if s.start <= time.start < s.end), None)
        if time.value is None or time.grain not in GRAINS or index is None:
            left_out += 1
            continue
        by_sentence.setdefault(index, []).append(time)
    found = []
    for index, times in sorted(by_sentence.items()):
        # A sentence with several dates is filed under its first resolved one.
        first = min(times, key=lambda t: t.start)
        evidence = tuple(dict.fromkeys(t.text for t in times if t.value == first.value))
        found.append(_Dated(first.value, first.value_end, doc.id, doc.sentences[index], first_row + index, evidence))
    return found, left_out


def _merge(dated: list[_Dated], vectors: np.ndarray) -> list[list[_Dated]]:
    """Single-link groups of same-date sentences from different articles."""
    groups: list[list[_Dated]] = []
    for item in dated:
        home = None
        for group in groups:
            same_date = group[0].date == item.date and group[0].date_end == item.date_end
            if not same_date or any(g.article == item.article for g in group):
                continue
            if max(_cosine(vectors, g.row, item.row) for g in group) >= MERGE_COSINE:
                home = group
                break
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


def _cosine(vectors: np.ndarray, first: int, second: int) -> float:
    if len(vectors) <= max(first, second):
        return 0.0
    return float(vectors[first] @ vectors[second])


def _event(group: list[_Dated], annotation: Annotation) -> TimelineEvent:
    ordered = sorted(group, key=lambda d: (abs(d.sentence.tone), d.article, d.sentence.start))
    lead = ordered[0]
    text = annotation.document(lead.article).article.text[lead.sentence.start:lead.sentence.end]
    sources = tuple(Citation(d.article, d.sentence.start, d.sentence.end) for d in ordered)
    evidence = tuple(dict.fromkeys(e for d in ordered for e in d.evidence))
    return TimelineEvent(lead.date, lead.date_end, text, sources, evidence)
