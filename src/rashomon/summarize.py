"""Summarize: Comparison -> Summary, a neutral summary in which every sentence is cited.

The summary is extractive, so every sentence can be traced: a
:class:`~rashomon.model.SummarySentence`'s ``text`` is exactly the text of its
first citation (``article.text[start:end]``), or, when the sentence was
compressed (``SummarizeSettings.compress``, :mod:`rashomon.compress`), the
concatenation of its leading citations from that same article (the kept parts
of the sentence); the other citations are the other sources' sentences that
report the same fact. :func:`rashomon.compress.covers` checks this.

How sentences are chosen (:func:`select`, in :mod:`rashomon.selection`), from
a table of :class:`Candidate` sentences and their unit vectors:

0. when ``settings.compress`` is on, each sentence loses what the splitter
   joined before it (a caption line, a dateline), a trailing attribution
   ("..., officials said.") and a long leading clause of setting;
1. a score per sentence: how many sources report its fact (consensus first),
   centrality (cosine of its MiniLM vector to the story's centre, the mean
   of the articles' centroids so that each source counts once, leaving out
   an article far from the others (another story, a notice), and of
   its TF-IDF vector to the story's mean TF-IDF vector), closeness to the
   titles of the story's articles (mean TF-IDF cosine; headlines name what
   the story is about), position (news leads carry the facts), minus a
   neutrality penalty (VADER ``|compound|``, the loaded words the framing
   analysis found, and first or second person);
2. maximal marginal relevance: each pick is the best score minus its
   similarity to what is already chosen (the mean of the MiniLM and TF-IDF
   cosines to the closest chosen sentence); a sentence of a fact already told
   (same fact id, or a sentence a chosen one cites as support), or a
   near-copy of a chosen sentence, is never taken; another source's sentence
   backs only the first summary sentence that cites it;
3. the word budget (``settings.words``) is filled with whole sentences only;
4. the chosen sentences are put in chronological order: publication date of
   the earliest supporting article, then relative position in the article.

The candidates come from a :class:`~rashomon.model.Comparison`
(:func:`summarize`) or, when there is none, from the sentence vectors alone
(:func:`summarize_annotation`: a sentence's support is the number of other
documents holding a sentence with cosine >= ``Weights.support_cosine``).
With a comparison, only the facts two or more sources report are told, each
in the wording the comparison chose (:func:`told_as_compared`): what one
source alone says is its angle, not the story's summary.

Each source's angle (what it adds that others do not) comes from its
singleton sentences; the timeline lives in :mod:`rashomon.timeline`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import numpy as np

from .config import SummarizeSettings
from .errors import ConfigError, EmptyInput
from .model import Angle, Annotated, Annotation, Citation, Comparison, Summary, SummarySentence
from .selection import WEIGHTS, Candidate, Weights, compress_candidates, eligible, scores, select
from .timeline import build_timeline

__all__ = [
    "Candidate",
    "Weights",
    "WEIGHTS",
    "summarize",
    "summarize_annotation",
    "candidates_from_comparison",
    "candidates_from_vectors",
    "scores",
    "select",
    "angles",
    "told_as_compared",
]

log = logging.getLogger(__name__)

MAX_ANGLE_SENTENCES = 3
_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


def summarize(comparison: Comparison, annotation: Annotation,
              settings: SummarizeSettings = SummarizeSettings()) -> Summary:
    """A cited neutral summary of one compared story, each source's angle and its timeline."""
    annotation = annotation.subset(comparison.story.articles) if comparison.story.articles else annotation
    _check(settings, annotation)
    candidates = candidates_from_comparison(comparison, annotation)
    distinctive = {f.article: dict(f.distinctive) for f in comparison.framing}
    return _summary(candidates, annotation, settings, distinctive, allowed=told_as_compared(comparison, annotation, candidates))


def summarize_annotation(annotation: Annotation, settings: SummarizeSettings = SummarizeSettings(),
                         weights: Weights = WEIGHTS) -> Summary:
    """The same summary when no comparison was made: support comes from sentence vectors."""
    _check(settings, annotation)
    candidates = candidates_from_vectors(annotation, weights)
    return _summary(candidates, annotation, settings, {}, weights)


def _summary(candidates: list[Candidate], annotation: Annotation, settings: SummarizeSettings,
             distinctive: dict[str, dict[str, float]], weights: Weights = WEIGHTS,
             allowed: list[bool] | None = None) -> Summary:
    vectors = _candidate_vectors(candidates, annotation)
    notes: list[str] = []
    if len(annotation.documents) == 1:
        notes.append("one source: nothing to compare")
    shown = compress_candidates(candidates) if settings.compress else candidates
    titles = tuple(d.article.title for d in annotation.documents if d.article.title)
    chosen = select(shown, vectors, settings.words, weights, titles, allowed)
    if chosen and sum(shown[i].words for i in chosen) > settings.words:
        notes.append(f"the requested length of {settings.words} words is shorter than any sentence; "
                     f"the summary holds one sentence of {shown[chosen[0]].words} words")
    sentences = _unshared([SummarySentence(shown[i].text, shown[i].citations) for i in chosen])
    events, timeline_notes = build_timeline(annotation)
    angle_list = angles(candidates, vectors, annotation, settings.angle_sentences, distinctive)
    return Summary(sentences, angle_list, events, tuple(notes) + timeline_notes)


def _unshared(sentences: list[SummarySentence]) -> tuple[SummarySentence, ...]:
    """The sentences with each other source's sentence cited by the first summary sentence it backs only."""
    result, cited = [], set()
    for sentence in sentences:
        own = sentence.citations[0].article
        kept = tuple(c for c in sentence.citations if c.article == own or (c.article, c.start) not in cited)
        cited |= {(c.article, c.start) for c in kept}
        result.append(SummarySentence(sentence.text, kept))
    return tuple(result)


def _check(settings: SummarizeSettings, annotation: Annotation) -> None:
    if settings.words < 1:
        raise ConfigError(f"summary length {settings.words} words is not usable; give a positive number of words")
    if not 1 <= settings.angle_sentences <= MAX_ANGLE_SENTENCES:
        raise ConfigError(f"angle_sentences={settings.angle_sentences} is out of range; "
                          f"choose 1 to {MAX_ANGLE_SENTENCES}")
    if not any(d.sentences for d in annotation.documents):
        names = ", ".join(d.id for d in annotation.documents) or "(no articles)"
        raise EmptyInput(names, "no sentences to summarise; annotate articles that hold text")
    sentences = sum(len(d.sentences) for d in annotation.documents)
    if len(annotation.vectors) != sentences:
        raise ConfigError(f"the annotation has {len(annotation.vectors)} sentence vectors for {sentences} sentences; "
                          "annotate with AnnotateSettings(vectors=True)")


# -- candidates ---------------------------------------------------------------------------

def _base_candidates(annotation: Annotation) -> tuple[list[Candidate], list[int]]:
    """Every sentence as a singleton candidate, and its row in ``annotation.vectors``."""
    candidates, rows = [], []
    row = 0
    for doc in annotation.documents:
        count = len(doc.sentences)
        for index, sentence in enumerate(doc.sentences):
            text = doc.article.text[sentence.start:sentence.end]
            candidates.append(Candidate(
                article=doc.id, start=sentence.start, end=sentence.end,
                position=index / max(count - 1, 1), index=index, words=len(text.split()), sources=1,
                fact=f"{doc.id}:{sentence.start}", consensus=False, penalty=abs(sentence.tone),
                published=doc.article.published or "", citations=(Citation(doc.id, sentence.start, sentence.end),),
                text=text,
            ))
            rows.append(row + index)
        row += count
    return candidates, rows


def candidates_from_comparison(comparison: Comparison, annotation: Annotation) -> list[Candidate]:
    """Candidates whose support, fact and extra citations come from the comparison's facts.

    A sentence that supports several facts takes the one reported by the most
    sources. Loaded words found by the framing analysis add to the penalty.
    """
    candidates, _rows = _base_candidates(annotation)
    where = {(c.article, c.start): i for i, c in enumerate(candidates)}
    starts = {d.id: [s.start for s in d.sentences] for d in annotation.documents}
    consensus = set(comparison.consensus)
    published = {d.id: d.article.published or "" for d in annotation.documents}
    for fact in sorted(comparison.facts, key=lambda f: (len(f.sources), f.id)):
        support = [c for c in fact.support if _valid(c, annotation)]
        dates = [published[c.article] for c in support if published.get(c.article)]
        for citation in support:
            index = where.get((citation.article, _sentence_start(starts[citation.article], citation.start)))
            if index is None:
                continue
            own = candidates[index]
            others = tuple(c for c in support if c.article != own.article)
            candidates[index] = replace(
                own, sources=len(fact.sources), fact=fact.id, consensus=fact.id in consensus,
                published=min(dates, default=own.published), citations=own.citations[:1] + others)
    loaded = _loaded_counts(comparison)
    return [replace(c, penalty=c.penalty + 0.25 * loaded.get((c.article, c.start), 0)) for c in candidates]


def told_as_compared(comparison: Comparison, annotation: Annotation, candidates: list[Candidate]) -> list[bool]:
    """Which candidates may enter a compared story's summary.

    A fact two or more sources report enters in the wording the comparison
    chose for it (its most neutral, most complete support: not, say, one
    outlet's "crumbling dam" with its own count), the other supports being
    its citations; a sentence only one source reports belongs to that
    source's angle, unless no fact is shared at all.
    """
    starts = {d.id: [s.start for s in d.sentences] for d in annotation.documents}
    worded = set()
    for fact in comparison.facts:
        if len(fact.sources) < 2:
            continue
        for c in fact.support:
            text = annotation.document(c.article).article.text if c.article in starts else ""
            if text[c.start:c.end] == fact.text:
                worded.add((c.article, _sentence_start(starts[c.article], c.start)))
                break
    if not worded:
        return [True] * len(candidates)
    return [(c.article, c.start) in worded for c in candidates]


def _valid(citation: Citation, annotation: Annotation) -> bool:
    try:
        text = annotation.document(citation.article).article.text
    except StopIteration:
        return False
    ok = 0 <= citation.start < citation.end <= len(text)
    if not ok:
        log.warning("dropping citation %s: out of its article's bounds", citation)
    return ok


def _sentence_start(starts: list[int], offset: int) -> int:
    """The start of the sentence that holds ``offset`` (sentences in document order)."""
    found = starts[0] if starts else 0
    for start in starts:
        if start > offset:
            break
        found = start
    return found


def _loaded_counts(comparison: Comparison) -> dict[tuple[str, int], int]:
    counts: dict[tuple[str, int], int] = {}
    for framing in comparison.framing:
        for _word, start, _end in framing.loaded:
            counts[(framing.article, start)] = counts.get((framing.article, start), 0) + 1
    return counts


def candidates_from_vectors(annotation: Annotation, weights: Weights = WEIGHTS) -> list[Candidate]:
    """Candidates whose support is measured from sentence vectors alone.

    A sentence's support is 1 plus the number of OTHER documents holding a
    sentence with cosine >= ``weights.support_cosine``; each such document's
    most similar sentence becomes a citation.
    """
    candidates, rows = _base_candidates(annotation)
    vectors = annotation.vectors[rows] if rows else np.zeros((0, 384), np.float32)
    docs = [d.id for d in annotation.documents]
    published = {d.id: d.article.published or "" for d in annotation.documents}
    owner = np.array([docs.index(c.article) for c in candidates])
    members_of = {doc_id: np.flatnonzero(owner == d) for d, doc_id in enumerate(docs)}
    similarity = vectors @ vectors.T
    for i, own in enumerate(candidates):
        others = []
        for doc_id, members in members_of.items():
            if doc_id == own.article or not len(members):
                continue
            best = members[int(np.argmax(similarity[i, members]))]
            if similarity[i, best] >= weights.support_cosine:
                others.append(candidates[best].citations[0])
        dates = [published[c.article] for c in (own.citations[0], *others) if published[c.article]]
        candidates[i] = replace(own, sources=1 + len(others), citations=own.citations + tuple(others),
                                published=min(dates, default=""))
    return candidates


def _candidate_vectors(candidates: list[Candidate], annotation: Annotation) -> np.ndarray:
    """One vector row per candidate (candidates are in annotation order)."""
    return annotation.vectors[: len(candidates)].astype(np.float32)


# -- selection ----------------------------------------------------------------------------


# -- angles -------------------------------------------------------------------------------

def angles(candidates: list[Candidate], vectors: np.ndarray, annotation: Annotation, count: int,
           distinctive: dict[str, dict[str, float]]) -> tuple[Angle, ...]:
    """For every source, 1 to ``count`` sentences on what it reports that the others do not.

    Singleton sentences first, then the least supported; within those, the
    source's distinctive terms, salience (closeness to its own article's
    centroid, early position) and a bonus for quotes and specific numbers.
    """
    result = []
    for doc in annotation.documents:
        members = [i for i, c in enumerate(candidates) if c.article == doc.id and eligible(c, WEIGHTS)]
        members = members or [i for i, c in enumerate(candidates) if c.article == doc.id]
        if not members:
            continue
        value = _angle_scores(candidates, vectors, members, doc, distinctive.get(doc.id, {}))
        order = sorted(members, key=lambda i: (-value[i], i))
        picked: list[int] = []
        for i in order:
            if len(picked) == count:
                break
            if all(float(vectors[i] @ vectors[j]) < WEIGHTS.duplicate for j in picked):
                picked.append(i)
        picked.sort(key=lambda i: candidates[i].start)
        sentences = tuple(SummarySentence(candidates[i].text, candidates[i].citations[:1]) for i in picked)
        result.append(Angle(doc.id, sentences))
    return tuple(result)


def _angle_scores(candidates: list[Candidate], vectors: np.ndarray, members: list[int], doc: Annotated,
                  terms: dict[str, float]) -> dict[int, float]:
    centroid = vectors[members].mean(axis=0)
    centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    quoted = [(q.start, q.end) for q in doc.quotes]
    value = {}
    for i in members:
        c = candidates[i]
        text = doc.article.text[c.start:c.end]
        lowered = [w.lower() for w in _WORD.findall(text)]
        term_weight = sum(max(terms.get(w, 0.0), 0.0) for w in set(lowered)) / 3.0
        specific = 0.3 * bool(_NUMBER.search(text)) + 0.3 * any(s < c.end and c.start < e for s, e in quoted)
        value[i] = (-1.0 * (c.sources - 1) + float(vectors[i] @ centroid) + 0.3 * (1.0 - c.position)
                    + min(term_weight, 1.0) + specific - 0.3 * min(c.penalty, 1.0))
    return value
