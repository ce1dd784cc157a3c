"""Annotation: Article -> Annotated, for all the articles of a run together.

    annotate(articles) -> Annotation(documents, entities, vectors)

For each article: sentences (with their VADER tone), entity mentions
(corrected across the story, see :mod:`.entities`), quotes (:mod:`.quotes`)
with speakers named by their canonical entity, time expressions resolved
against the publication date (:mod:`.times`) and the article's tone
aggregated from its sentences (:mod:`.tone`). Across articles: one Entity per
real-world referent (:mod:`.linking`) and one matrix of sentence vectors
(:mod:`.vectors`), computed in one batch, rows in document order.

spaCy runs once over all texts with ``nlp.pipe``. An article that is not in
English keeps its sentences, tone, times and vectors; entities and quotes are
skipped and a note on the Annotated says so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..config import AnnotateSettings, Progress
from ..errors import SourceError
from ..model import Annotated, Annotation, Article, Entity, Mention, Quote, Sentence, TimeExpression
from ..records import to_data
from .entities import correct_mentions, extract_mentions, find_roles, trim_mention
from .linking import Document, link_entities
from .nlp import article_language, load_spacy
from .quotes import find_quotes
from .times import find_times
from .tone import aggregate_tone, sentence_tone
from .vectors import DIMENSIONS, load_embedder

__all__ = ["annotate", "to_lines", "Annotation"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One article after spaCy, before entities are linked across articles."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    roles: tuple[tuple[int, int, str], ...]
    quotes: tuple[Quote, ...]
    times: tuple[TimeExpression, ...]
    notes: tuple[str, ...]
    english: bool


def annotate(
    articles: Sequence[Article],
    settings: AnnotateSettings = AnnotateSettings(),
    progress: Progress | None = None,
) -> Annotation:
    """Annotate ``articles`` together: records, linked entities, sentence vectors."""
    articles = tuple(articles)
    _check_ids(articles)
    nlp = load_spacy(settings.spacy_model)
    parsed = []
    texts = (a.text for a in articles)
    for done, (article, doc) in enumerate(zip(articles, nlp.pipe(texts, batch_size=settings.batch_size)), 1):
        parsed.append(_parse(article, doc))
        if progress:
            progress("annotate", done, len(articles))
    corrected = correct_mentions([p.mentions for p in parsed], [p.article.text for p in parsed])
    documents = [
        Document(p.article.id, p.article.text, tuple(ms), p.roles, p.english) for p, ms in zip(parsed, corrected)
    ]
    entities, mentions = link_entities(documents)
    by_article: dict[str, list[tuple[Entity, int, int]]] = {}
    for entity in entities:
        for article_id, start, end in entity.mentions:
            by_article.setdefault(article_id, []).append((entity, start, end))
    annotated = tuple(_annotated(p, mentions[p.article.id], by_article.get(p.article.id, [])) for p in parsed)
    return Annotation(annotated, entities, _vectors(annotated, settings))


def _check_ids(articles: Sequence[Article]) -> None:
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise SourceError(
                article.source,
                f"article id {article.id!r} is also the id of {seen[article.id]!r}; "
                "annotate each article once (drop duplicates before annotating)",
            )
        seen[article.id] = article.source


def _parse(article: Article, doc) -> _Parsed:
    notes = []
    language = article_language(article)
    english = language in (None, "en")
    if not article.text.strip():
        notes.append("empty text: nothing to annotate")
    elif not english:
        notes.append(f"language {language!r} is not supported by the English pipeline: entities and quotes skipped")
    sentences = tuple(Sentence(s, e, sentence_tone(article.text[s:e])) for s, e in _sentence_spans(doc))
    mentions = extract_mentions(doc) if english else []
    roles = tuple((s, e, r) for (s, e), r in sorted(find_roles(doc, mentions).items()))
    quotes = _quotes(doc, notes) if english else ()
    if english:
        notes.extend(_quote_notes(article.text))
    times = find_times(article.text, doc.ents if english else (), article.published)
    return _Parsed(article, sentences, tuple(mentions), roles, quotes, times, tuple(notes), english)


def _quotes(doc, notes: list[str]) -> tuple[Quote, ...]:
    """The article's quotes; a failure of the quote finder skips them with a note."""
    try:
        return tuple(find_quotes(doc))
    except Exception as error:  # one article's bad parse must not stop the batch
        log.warning("quote finding failed on a text of %d characters", len(doc.text), exc_info=True)
        notes.append(f"quotes skipped: the quote finder failed ({type(error).__name__}: {error})")
        return ()


def _sentence_spans(doc) -> Iterator[tuple[int, int]]:
    """spaCy's sentences, also cut at line breaks, without surrounding whitespace."""
    text = doc.text
    for sent in doc.sents:
        for piece in re.finditer(r"[^\n]+", text[sent.start_char : sent.end_char]):
            chunk = piece.group()
            if not chunk.strip():
                continue
            start = sent.start_char + piece.start() + (len(chunk) - len(chunk.lstrip()))
            end = sent.start_char + piece.end() - (len(chunk) - len(chunk.rstrip()))
            yield start, end


def _quote_notes(text: str) -> list[str]:
    opening, closing = text.count("“"), text.count("”")
    straight = text.count('"')
    if opening != closing or straight % 2:
        return [
            f"unbalanced quotation marks ({opening} “, {closing} ”, {straight} \"): "
            "a quote may be cut short or missed"
        ]
    return []


def _annotated(parsed: _Parsed, mentions: tuple[Mention, ...], own: list[tuple[Entity, int, int]]) -> Annotated:
    article = parsed.article
    quotes = tuple(_name_speaker(q, article.text, own) for q in parsed.quotes)
    tone = aggregate_tone(s.tone for s in parsed.sentences)
    return Annotated(article, parsed.sentences, mentions, quotes, parsed.times, tone, parsed.notes)


def _name_speaker(quote: Quote, text: str, own: list[tuple[Entity, int, int]]) -> Quote:
    """The quote with its speaker named by the entity whose mention holds the speaker.

    "Kovacs" and "the Hungarian minister" take the canonical name of their
    entity, and so does a phrase that ends with a person's name ("Russian
    Foreign Minister Sergey Lavrov"); "American experts" stays as written.
    """
    if quote.speaker_start is None or quote.speaker_end is None:
        return quote
    start, end = trim_mention(text, quote.speaker_start, quote.speaker_end, "PERSON")
    for entity, s, e in own:
        if (s <= start and end <= e) or (entity.type == "PERSON" and e == end and start <= s):
            return replace(quote, speaker=entity.name)
    return quote


def _vectors(documents: Sequence[Annotated], settings: AnnotateSettings) -> np.ndarray:
    if not settings.vectors:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    texts = [d.article.text[s.start : s.end] for d in documents for s in d.sentences]
    return load_embedder(settings.embedder, settings.embedder_threads).embed(texts)


def to_lines(annotation: Annotation, vectors: bool = False) -> Iterator[dict]:
    """One JSON-able dict per article: its fields plus what annotate found.

    ``entities`` lists the cross-article entities this article mentions, with
    only this article's mentions (as ``[start, end]``).
    """
    for doc in annotation.documents:
        line = to_data(doc.article)
        line["sentences"] = to_data(doc.sentences)
        line["mentions"] = to_data(doc.mentions)
        line["entities"] = [
            _entity_line(e, doc.id) for e in annotation.entities if any(m[0] == doc.id for m in e.mentions)
        ]
        line["quotes"] = to_data(doc.quotes)
        line["times"] = to_data(doc.times)
        line["tone"] = to_data(doc.tone)
        line["notes"] = list(doc.notes)
        if vectors:
            rows = annotation.sentence_vectors(doc.id) if len(annotation.vectors) else ()
            line["vectors"] = [[round(float(x), 6) for x in row] for row in rows]
        yield line


def _entity_line(entity: Entity, article_id: str) -> dict:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "description": entity.description,
        "mentions": [[s, e] for a, s, e in entity.mentions if a == article_id],
    }
