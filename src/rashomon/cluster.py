"""Story clustering: which articles report the same event.

"Same event", not "same topic": two earthquakes in two countries are two
stories. Two articles are scored by the same-event score of
:mod:`rashomon.eventscore` (document vectors, shared named entities, shared
numbers and years in the text, publication dates) and partitioned by average linkage cut at
``ClusterSettings.threshold`` (:mod:`rashomon.linkage`).

A story's id is ``"s" + hash(seed)``, the seed being its earliest article
(by publication date, undated last, then by id): an article that arrives
later, as most do, leaves the id unchanged (see :mod:`rashomon.storyindex`).

    features = features_from_annotation(annotation)   # or features_from_texts(articles)
    stories = cluster_features(features, DEFAULT_SETTINGS)
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import Sequence

import numpy as np

from .config import ClusterSettings, Progress
from .errors import ConfigError, SourceError
from .eventscore import ENTITY_LABELS, Features, FeatureTable, entity_key
from .linkage import partition, vector_index
from .model import Annotation, Article, Story

__all__ = [
    "DEFAULT_SETTINGS",
    "ENTITY_LABELS",
    "Features",
    "FeatureTable",
    "cluster",
    "cluster_features",
    "entity_key",
    "document_vectors",
    "features_from_annotation",
    "features_from_texts",
    "join_channels",
    "make_story",
    "partition",
    "seed_order",
    "story_id",
    "vector_index",
]

log = logging.getLogger(__name__)

#: Threshold and weights tuned on ECB+ train topics (see ClusterSettings).
DEFAULT_SETTINGS = ClusterSettings()


def _document_vector(rows: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(rows.shape[1] if rows.ndim == 2 else 384, dtype=np.float32)
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm > 0 else mean.astype(np.float32)


def features_from_annotation(annotation: Annotation, settings: ClusterSettings = DEFAULT_SETTINGS, *,
                             stored: tuple[Sequence[str], np.ndarray] | None = None) -> list[Features]:
    """One Features per annotated article: its document vector (see :func:`document_vectors`), its entities.

    ``stored`` (ids, matrix), as ``Store.document_vectors`` gives them, supplies
    the document vector of the articles it holds instead of computing it again.
    """
    if annotation.documents and not len(annotation.vectors):
        raise ConfigError("clustering needs sentence vectors, but the annotation has none; "
                          "annotate with AnnotateSettings(vectors=True)")
    keys: dict[str, set[str]] = {doc.id: set() for doc in annotation.documents}
    for entity in annotation.entities:
        key = entity_key(entity.name, entity.type)
        if entity.type in ENTITY_LABELS and key:
            for article_id, _start, _end in entity.mentions:
                keys.setdefault(article_id, set()).add(key)
    if not annotation.documents:
        return []
    leads, begin = [], 0
    for doc in annotation.documents:
        leads.append(_document_vector(annotation.vectors[begin : begin + min(len(doc.sentences), settings.sentences)]))
        begin += len(doc.sentences)
    articles = [doc.article for doc in annotation.documents]
    vectors = document_vectors(articles, np.stack(leads), settings, stored)
    return [Features(a.id, v, frozenset(keys[a.id]), a.published, a.title, a.text) for a, v in zip(articles, vectors)]


def document_vectors(articles: Sequence[Article], english: np.ndarray, settings: ClusterSettings,
                     stored: tuple[Sequence[str], np.ndarray] | None = None) -> np.ndarray:
    """Each article's document vector, from its English (MiniLM) one and, if set, a cross-lingual one.

    With ``settings.crosslingual`` the vector is ``[english, crosslingual] /
    sqrt(2)``, the English part zero unless the article is in English: the
    score (:mod:`rashomon.eventscore`) reads each channel's cosine from it,
    and its inner product ranks neighbours for either. Rows of ``stored`` are
    used as they are.
    """
    english = np.asarray(english, dtype=np.float32)
    if not settings.crosslingual:
        return _from_stored(english, articles, stored)
    from .annotate.nlp import article_language
    from .crosslingual import CROSSLINGUAL_DIMENSIONS, crosslingual_vectors, lead_passage

    out = _from_stored(np.zeros((len(articles), english.shape[1] + CROSSLINGUAL_DIMENSIONS), np.float32), articles, stored)
    known = set(stored[0]) if stored else set()
    todo = [i for i, a in enumerate(articles) if a.id not in known]
    if todo:
        is_english = np.array([article_language(articles[i]) in (None, "en") for i in todo])
        other = crosslingual_vectors([lead_passage(articles[i], settings.crosslingual_chars) for i in todo])
        out[todo] = join_channels(english[todo], other, is_english)
    return out


def join_channels(english: np.ndarray, crosslingual: np.ndarray, is_english: np.ndarray) -> np.ndarray:
    """Rows ``[english (zero unless the article is English), crosslingual] / sqrt(2)``."""
    kept = english * np.asarray(is_english, dtype=np.float32)[:, None]
    return (np.hstack([kept, crosslingual]) / math.sqrt(2.0)).astype(np.float32)


def _from_stored(vectors: np.ndarray, articles: Sequence[Article], stored) -> np.ndarray:
    if not stored or not len(stored[0]):
        return vectors
    row = {article: i for i, article in enumerate(stored[0])}
    chosen = [(i, row[a.id]) for i, a in enumerate(articles) if a.id in row]
    if chosen and stored[1].shape[1] != vectors.shape[1]:
        raise ConfigError(f"the stored document vectors have {stored[1].shape[1]} dimensions but these settings "
                          f"make {vectors.shape[1]}; cluster with the settings the store was built with "
                          "(ClusterSettings.crosslingual) or start a new store")
    out = vectors.copy()
    for i, r in chosen:
        out[i] = stored[1][r]
    return out


def features_from_texts(articles: Sequence[Article], embedder: str = "minilm-onnx",
                        settings: ClusterSettings = DEFAULT_SETTINGS) -> list[Features]:
    """Features straight from articles (spaCy NER + sentence vectors), without the annotate stage.

    The title, when given, is embedded as one more leading sentence. As in the
    annotate stage, only English articles get entities.
    """
    from .annotate.entities import extract_mentions
    from .annotate.nlp import article_language, load_spacy
    from .annotate.vectors import load_embedder

    if not articles:
        return []
    nlp, model = load_spacy(), load_embedder(embedder)
    docs = nlp.pipe((a.text[:20000] for a in articles), batch_size=32)
    leads, entities = [], []
    for article, doc in zip(articles, docs):
        sentences = [s.text.strip() for s in doc.sents if s.text.strip()][: settings.sentences]
        leads.append(([article.title] if article.title else []) + sentences)
        english = article_language(article) in (None, "en")
        keys = {entity_key(m.text, m.label) for m in extract_mentions(doc) if m.label in ENTITY_LABELS} if english else set()
        entities.append(frozenset(k for k in keys if k))
    matrix = model.embed([s for lead in leads for s in lead])
    bounds = np.cumsum([0] + [len(lead) for lead in leads])
    english = np.stack([_document_vector(matrix[b:e]) for b, e in zip(bounds, bounds[1:])])
    vectors = document_vectors(articles, english, settings)
    return [Features(a.id, v, keys, a.published, a.title, a.text) for a, v, keys in zip(articles, vectors, entities)]


def seed_order(feature: Features) -> tuple:
    """Sort key of a story's seed: earliest publication date first, undated last, then id."""
    return (feature.published is None, (feature.published or "")[:10], feature.id)


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + 5])) for i in range(max(len(words) - 4, 1))} if words else set()


def _duplicates(members: Sequence[Features], settings: ClusterSettings) -> tuple[tuple[str, str], ...]:
    """(article, duplicate of) for near-identical texts: 5-word shingle containment >= duplicate_threshold."""
    vectors = np.stack([f.vector for f in members])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)  # below 1 for articles without the English channel
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    close = np.argwhere(np.triu(vectors @ vectors.T, k=1) >= 0.8)
    if not len(close):
        return ()
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    shingles = {}
    for i, j in close:
        a = shingles.setdefault(i, _shingles(members[i].text))
        b = shingles.setdefault(j, _shingles(members[j].text))
        if a and b and len(a & b) / min(len(a), len(b)) >= settings.duplicate_threshold:
            parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[Features]] = {}
    for i, feature in enumerate(members):
        groups.setdefault(root(i), []).append(feature)
    pairs = []
    for group in groups.values():
        original = min(group, key=seed_order)
        pairs.extend((f.id, original.id) for f in group if f is not original)
    return tuple(sorted(pairs))


def story_id(seed: str) -> str:
    """The id of the story whose seed (earliest) article has id ``seed``."""
    return "s" + hashlib.blake2b(seed.encode(), digest_size=8).hexdigest()


def make_story(members: Sequence[Features], settings: ClusterSettings, story: str | None = None) -> Story:
    """A Story of ``members``: id from its seed (unless given), the title nearest the centroid as label."""
    members = sorted(members, key=lambda f: f.id)
    centroid = np.sum([f.vector for f in members], axis=0)
    titled = [f for f in members if f.title] or members
    nearest = max(titled, key=lambda f: (float(f.vector @ centroid), [-ord(c) for c in f.id]))
    label = nearest.title or _first_words(nearest.text)
    dates = sorted(f.published for f in members if f.published)
    return Story(
        id=story or story_id(min(members, key=seed_order).id),
        label=label,
        articles=tuple(f.id for f in members),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        duplicates=_duplicates(members, settings) if len(members) > 1 else (),
    )


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def _checked(features: Sequence[Features]) -> list[Features]:
    ordered = sorted(features, key=lambda f: f.id)
    for before, after in zip(ordered, ordered[1:]):
        if before.id == after.id:
            raise SourceError(after.id, "this article id is given twice; pass each article once")
    return ordered


def cluster_features(features: Sequence[Features], settings: ClusterSettings = DEFAULT_SETTINGS, *,
                     progress: Progress | None = None) -> tuple[Story, ...]:
    """Stories of ``features``, largest first; the same articles in any order give the same stories."""
    ordered = _checked(features)
    groups = partition(FeatureTable.build(ordered), settings)
    stories = []
    for done, group in enumerate(groups, 1):
        stories.append(make_story([ordered[i] for i in group], settings))
        if progress and (done % 1000 == 0 or done == len(groups)):
            progress("cluster", done, len(groups))
    log.info("clustered %d articles into %d stories", len(ordered), len(stories))
    return tuple(sorted(stories, key=lambda s: (-len(s.articles), s.id)))


def cluster(annotation: Annotation, settings: ClusterSettings = DEFAULT_SETTINGS, *,
            progress: Progress | None = None) -> tuple[Story, ...]:
    """Stories of the annotated articles, largest first."""
    return cluster_features(features_from_annotation(annotation, settings), settings, progress=progress)
