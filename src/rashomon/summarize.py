"""Summarize: Comparison -> Summary, a neutral summary in which every sentence is cited.

The summary is extractive, so every sentence can be traced: a
:class:`~rashomon.model.SummarySentence`'s ``text`` is exactly the text of its
first citation (``article.text[start:end]``), and the other citations are the
other sources' sentences that report the same fact.

How sentences are chosen (:func:`select`), from a table of
:class:`Candidate` sentences and their unit vectors:

1. a score per sentence: how many sources report its fact (consensus first),
   centrality (cosine of its MiniLM vector to the story's centroid, and of its
   TF-IDF vector to the story's mean TF-IDF vector), position (news leads carry
   the facts), minus a neutrality penalty (VADER ``|compound|`` and the loaded
   words the framing analysis found);
2. maximal marginal relevance: each pick is the best score minus its
   similarity to what is already chosen; a sentence of a fact already told
   (same fact id, or citing a sentence already cited), or a near-copy of a
   chosen sentence, is never taken;
3. the word budget (``settings.words``) is filled with whole sentences only;
4. the chosen sentences are put in chronological order: publication date of
   the earliest supporting article, then relative position in the article.

The candidates come from a :class:`~rashomon.model.Comparison`
(:func:`summarize`) or, when there is none, from the sentence vectors alone
(:func:`summarize_annotation`: a sentence's support is the number of other
documents holding a sentence with cosine >= ``Weights.support_cosine``).

Each source's angle (what it adds that others do not) comes from its
singleton sentences; the timeline lives in :mod:`rashomon.timeline`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

import numpy as np

from .config import SummarizeSettings
from .errors import ConfigError, EmptyInput
from .model import Angle, Annotated, Annotation, Citation, Comparison, Summary, SummarySentence
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
]

log = logging.getLogger(__name__)

MAX_ANGLE_SENTENCES = 3
_NUMBER = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")  # headlines, captions and headings end otherwise
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence that may enter the summary, with the signals that rank it.

    ``citations[0]`` is the sentence itself; the rest are other sources'
    sentences reporting the same fact. ``sources`` counts the articles that
    report the fact (1: only this one).
    """

    article: str
    start: int
    end: int
    position: float  # 0 for an article's first sentence, towards 1 for its last
    index: int  # the sentence's number in its article, from 0
    words: int
    sources: int
    fact: str  # id of its fact; its own key when it belongs to none
    consensus: bool
    penalty: float  # neutrality penalty, >= 0
    published: str  # earliest publication date among its supports ("" when unknown)
    citations: tuple[Citation, ...]
    text: str  # the sentence, exactly article.text[start:end]


@dataclass(frozen=True, slots=True)
class Weights:
    """How the sentence score is built.

    Tuned (benchmarks/summary_rouge.py) on 400 random NeuS *train* clusters
    and the first 125 Multi-News validation clusters; the other 125 are held out.
    """

    support: float = 1.5
    consensus: float = 0.25
    centrality: float = 2.0
    lexical: float = 1.0  # cosine of the sentence's TF-IDF vector to the story's mean TF-IDF vector
    position: float = 1.0
    lead: float = 3.0  # position counts as 1 / sqrt(1 + index / lead)
    neutrality: float = 0.3
    redundancy: float = 0.7  # MMR: weight of the similarity to chosen sentences
    duplicate: float = 0.75  # cosine at which a sentence repeats a chosen one
    support_cosine: float = 0.6  # cosine at which another document reports the same fact
    min_words: int = 6  # shorter sentences (datelines, captions) are never chosen, nor ones
    #                     without end punctuation (headlines, headings), unless nothing else is left
    max_words: int = 80  # longer "sentences" are mostly split failures


WEIGHTS = Weights()


def summarize(comparison: Comparison, annotation: Annotation,
              settings: SummarizeSettings = SummarizeSettings()) -> Summary:
    """A cited neutral summary of one compared story, each source's angle and its timeline."""
    annotation = annotation.subset(comparison.story.articles) if comparison.story.articles else annotation
    _check(settings, annotation)
    candidates = candidates_from_comparison(comparison, annotation)
    distinctive = {f.article: dict(f.distinctive) for f in comparison.framing}
    return _summary(candidates, annotation, settings, distinctive)


def summarize_annotation(annotation: Annotation, settings: SummarizeSettings = SummarizeSettings(),
                         weights: Weights = WEIGHTS) -> Summary:
    """The same summary when no comparison was made: support comes from sentence vectors."""
    _check(settings, annotation)
    candidates = candidates_from_vectors(annotation, weights)
    return _summary(candidates, annotation, settings, {}, weights)


def _summary(candidates: list[Candidate], annotation: Annotation, settings: SummarizeSettings,
             distinctive: dict[str, dict[str, float]], weights: Weights = WEIGHTS) -> Summary:
    vectors = _candidate_vectors(candidates, annotation)
    notes: list[str] = []
    if len(annotation.documents) == 1:
        notes.append("one source: nothing to compare")
    chosen = select(candidates, vectors, settings.words, weights)
    if chosen and sum(candidates[i].words for i in chosen) > settings.words:
        notes.append(f"the requested length of {settings.words} words is shorter than any sentence; "
                     f"the summary holds one sentence of {candidates[chosen[0]].words} words")
    sentences = tuple(SummarySentence(candidates[i].text, candidates[i].citations) for i in chosen)
    events, timeline_notes = build_timeline(annotation)
    angle_list = angles(candidates, vectors, annotation, settings.angle_sentences, distinctive)
    return Summary(sentences, angle_list, events, tuple(notes) + timeline_notes)


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

def scores(candidates: list[Candidate], vectors: np.ndarray, weights: Weights = WEIGHTS) -> np.ndarray:
    """Each candidate's score before redundancy: support, centralities, position, neutrality."""
    documents = len({c.article for c in candidates})
    centroid = vectors.mean(axis=0)
    centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    central = vectors @ centroid
    support = np.array([(c.sources - 1) / max(documents - 1, 1) for c in candidates])
    consensus = np.array([c.consensus for c in candidates], dtype=float)
    position = np.array([1.0 / np.sqrt(1.0 + c.index / weights.lead) for c in candidates])
    penalty = np.array([min(c.penalty, 1.0) for c in candidates])
    lexical = _lexical_centrality([c.text for c in candidates])
    return (weights.support * support + weights.consensus * consensus + weights.centrality * central
            + weights.lexical * lexical + weights.position * position - weights.neutrality * penalty)


def _lexical_centrality(texts: list[str]) -> np.ndarray:
    """Cosine of each sentence's TF-IDF vector (fitted on the story) to the story's mean vector."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no word left but stop words
        return np.zeros(len(texts))
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    return np.asarray(matrix @ centroid).ravel()


def select(candidates: list[Candidate], vectors: np.ndarray, words: int, weights: Weights = WEIGHTS) -> list[int]:
    """Indices of the chosen candidates, in summary order (see the module docstring).

    Whole sentences only, at most ``words`` words in all; when no sentence is
    short enough, the single best one.
    """
    if not candidates:
        return []
    score = scores(candidates, vectors, weights)
    eligible = [i for i, c in enumerate(candidates) if _eligible(c, weights)]
    if not eligible:
        eligible = list(range(len(candidates)))
    chosen = _mmr(candidates, vectors, score, eligible, words, weights)
    if not chosen:
        chosen = [max(eligible, key=lambda i: (score[i], -i))]
    return sorted(chosen, key=lambda i: (candidates[i].published or "9999", candidates[i].position,
                                         candidates[i].article, candidates[i].start))


#: First words that lean on the sentence before ("However, he said ..."): out of context they mislead.
_DANGLING = frozenset("he she they it this these those his her their its however but and moreover meanwhile also".split())


def _eligible(candidate: Candidate, weights: Weights) -> bool:
    """A sentence fit for a summary: not too short or long, ending like a sentence, readable on its own."""
    words_ok = weights.min_words <= candidate.words <= weights.max_words
    first = candidate.text.split(maxsplit=1)[0].strip("“”\"'‘’,").lower() if candidate.text.strip() else ""
    return (words_ok and _SENTENCE_END.search(candidate.text) is not None and first not in _DANGLING
            and _quotes_balanced(candidate.text))


def _quotes_balanced(text: str) -> bool:
    """Quotation marks open and close within the sentence (a fragment of a longer quote does not)."""
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”")


def _mmr(candidates: list[Candidate], vectors: np.ndarray, score: np.ndarray, eligible: list[int],
         words: int, weights: Weights) -> list[int]:
    chosen: list[int] = []
    facts: set[str] = set()
    told: set[tuple[str, int]] = set()  # sentences already cited: their fact is told
    used = 0
    remaining = set(eligible)
    closest = np.zeros(len(candidates))
    while remaining:
        best = max(remaining, key=lambda i: (score[i] - weights.redundancy * closest[i], -i))
        remaining.discard(best)
        candidate = candidates[best]
        cited = {(c.article, c.start) for c in candidate.citations}
        if (used + candidate.words > words or candidate.fact in facts or cited & told
                or closest[best] >= weights.duplicate):
            continue
        chosen.append(best)
        facts.add(candidate.fact)
        told |= cited
        used += candidate.words
        closest = np.maximum(closest, vectors @ vectors[best])
    return chosen


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
        members = [i for i, c in enumerate(candidates) if c.article == doc.id and _eligible(c, WEIGHTS)]
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
