"""Units: what fact alignment compares, one sentence or one clause of a source.

Every sentence of every distinct source is a unit (headings and bylines under
``MIN_WORDS`` words, and questions, left out). A sentence that carries
separate propositions (:mod:`.clauses`) is replaced by its clauses, each a
unit with its own vector, so one source can support two facts with one
sentence and another source can report only one of them.

Clause vectors come from the embedder that made the annotation's sentence
vectors: :func:`matching_embedder` finds it by embedding one sentence again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from ..annotate.vectors import DIMENSIONS, EMBEDDERS, Embedder, load_embedder
from ..errors import ConfigError
from ..model import Annotation, Story
from .clauses import MIN_CLAUSE_WORDS, Clause, TextCache, split_clauses
from .values import numbers

__all__ = ["Unit", "units_of", "matching_embedder", "MIN_WORDS", "EMBEDDED"]

log = logging.getLogger(__name__)

MIN_WORDS = 5
SAME_VECTOR = 0.98  # cosine at which a re-embedded sentence counts as the stored one


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence, or one clause of a sentence, of one source with what alignment compares."""

    article: str
    start: int
    end: int
    text: str
    tone: float
    row: int  # row in the story's vector matrix
    entities: frozenset[str]
    values: frozenset[str]
    subject: bool = True  # a whole sentence, or a clause naming its own subject
    people: frozenset[str] = frozenset()  # the ids among ``entities`` that name persons


def _entity_index(annotation: Annotation) -> dict[str, list[tuple[int, str, bool]]]:
    """Article -> (mention start, entity id, whether the entity is a person)."""
    index: dict[str, list[tuple[int, str, bool]]] = {}
    for entity in annotation.entities:
        for article, start, _end in entity.mentions:
            index.setdefault(article, []).append((start, entity.id, entity.type == "PERSON"))
    return index


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence split at line breaks (the model glues headings to the next line), trimmed."""
    pieces, cursor = [], start
    for part in text[start:end].split("\n"):
        left = cursor + len(part) - len(part.lstrip())
        right = cursor + len(part.rstrip())
        if right > left:
            pieces.append((left, right))
        cursor += len(part) + 1
    return pieces


def _sentences(text: str, doc) -> list[tuple[int, int, int]]:
    """(sentence index, start, end) of the sentences worth aligning, headings cut off."""
    kept = []
    for i, sentence in enumerate(doc.sentences):
        pieces = _pieces(text, sentence.start, sentence.end)
        if not pieces:
            continue
        start, end = max(pieces, key=lambda p: p[1] - p[0])  # a heading glued on: the vector speaks for the rest
        body = text[start:end]
        if len(body.split()) >= MIN_WORDS and not body.endswith("?"):
            kept.append((i, start, end))
    return kept


def _unit(article: str, text: str, start: int, end: int, tone: float, row: int, index, subject: bool = True) -> Unit:
    body = text[start:end]
    inside = [(e, person) for s, e, person in index.get(article, ()) if start <= s < end]
    people = frozenset(e for e, person in inside if person)
    return Unit(article, start, end, body, tone, row, frozenset(e for e, _ in inside), frozenset(numbers(body)), subject, people)


def units_of(story: Story, annotation: Annotation, sources: dict[str, str],
             embedder: Embedder | None = None) -> tuple[list[Unit], np.ndarray]:
    """The units of the story's distinct sources and their vectors (one row each).

    With ``embedder``, sentences that carry separate propositions are replaced
    by their clauses, embedded with it; without, every unit is a sentence.
    """
    index = _entity_index(annotation)
    units, rows, clause_texts = [], [], []
    for article_id in story.articles:
        if sources.get(article_id, article_id) != article_id:
            continue  # a duplicate: its original speaks for it
        doc = annotation.document(article_id)
        text = doc.article.text
        vectors = annotation.sentence_vectors(article_id)
        kept = _sentences(text, doc)
        split = split_clauses(text, [(s, e) for _, s, e in kept]) if embedder else [[] for _ in kept]
        for (i, start, end), clauses in zip(kept, split):
            tone = doc.sentences[i].tone
            if not clauses:
                units.append(_unit(article_id, text, start, end, tone, len(rows), index))
                rows.append(vectors[i] if len(vectors) else np.zeros(DIMENSIONS, dtype=np.float32))
                continue
            for clause in clauses:
                if len(text[clause.start : clause.end].split()) >= MIN_CLAUSE_WORDS:
                    units.append(_unit(article_id, text, clause.start, clause.end, tone, -1, index, clause.subject))
                    clause_texts.append((len(units) - 1, _clause_reading(text, clause)))
    return _with_clause_rows(units, rows, clause_texts, embedder)


def _clause_reading(text: str, clause: Clause) -> str:
    """What a clause's vector is made from: the clause, after what it is about when it
    does not say so itself ("the minister" + "ordered an inquiry")."""
    body = text[clause.start : clause.end]
    if clause.context is None:
        return body
    return f"{text[clause.context[0] : clause.context[1]]} {body}"


EMBEDDED = TextCache(50_000)  # (embedder, clause reading) -> its vector


def _clause_vectors(readings: list[str], embedder: Embedder) -> list[np.ndarray]:
    """Vectors of the clause readings, each distinct reading embedded once."""
    missing = sorted({r for r in readings if EMBEDDED.get((embedder.name, r)) is None})
    for reading, vector in zip(missing, embedder.embed(missing) if missing else ()):
        EMBEDDED.put((embedder.name, reading), vector)
    return [EMBEDDED.get((embedder.name, r)) for r in readings]


def _with_clause_rows(units: list[Unit], rows: list, clause_units: list[tuple[int, str]],
                      embedder: Embedder | None) -> tuple[list[Unit], np.ndarray]:
    """Embed the clause units and point their ``row`` at their vectors."""
    matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)
    if not clause_units or embedder is None:
        return units, matrix
    vectors = np.array(_clause_vectors([r for _, r in clause_units], embedder), dtype=np.float32)
    log.debug("%d clause units among %d units", len(clause_units), len(units))
    first = len(matrix)
    for n, (i, _reading) in enumerate(clause_units):
        u = units[i]
        units[i] = replace(u, row=first + n)
    return units, np.vstack([matrix, vectors.astype(np.float32)])


def matching_embedder(annotation: Annotation, name: str | None = None) -> Embedder | None:
    """The embedder that made the annotation's sentence vectors (None when there are none).

    ``name`` is checked against the vectors; without it, each known embedder
    is tried on one sentence, the cheap ones first.
    """
    probe = next(((d, i) for d in annotation.documents for i, s in enumerate(d.sentences) if s.end > s.start), None)
    if probe is None or len(annotation.vectors) == 0:
        return None
    doc, i = probe
    stored = annotation.sentence_vectors(doc.id)[i]
    text = doc.article.text[doc.sentences[i].start : doc.sentences[i].end]
    names = [name] if name else sorted(EMBEDDERS, key=lambda n: n != "hashing")
    for candidate in names:
        embedder = load_embedder(candidate)
        if float(embedder.embed([text])[0] @ stored) >= SAME_VECTOR:
            return embedder
    raise ConfigError(
        f"the annotation's sentence vectors were not made by {' or '.join(names)}; "
        "compare with the embedder that annotated (CompareSettings(embedder=...)), or CompareSettings(clauses=False)"
    )
