"""Story clustering: which articles report the same event.

"Same event", not "same topic": two earthquakes in two countries are two
stories. Two articles are scored by

    score = cos(document vectors) + entity_weight * Jaccard(named entities)
            - time_penalty * ramp(days apart beyond the time window)

The entity term counts only when both articles name entities (PERSON, ORG,
GPE, LOC, FAC, EVENT) and the time term only when both have a publication
date: what is unknown is left out of the decision, never held against a pair.

Articles are partitioned by average linkage cut at ``threshold``: a group
joins another only when the *mean* score over all their pairs reaches it,
which stops the chaining that single linkage suffers from. Average linkage
never joins groups that no pair above the threshold connects, so the
articles are first split into the connected components of the graph of
pairs scoring >= threshold and each component is clustered on its own (for
large inputs the graph's edges come from a faiss nearest-neighbour search).

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
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from .config import ClusterSettings, Progress
from .errors import ConfigError, SourceError
from .model import Annotation, Article, Story

__all__ = [
    "DEFAULT_SETTINGS",
    "ENTITY_LABELS",
    "ClusterTuning",
    "Features",
    "FeatureTable",
    "cluster",
    "cluster_features",
    "entity_key",
    "features_from_annotation",
    "features_from_texts",
    "make_story",
    "partition",
    "seed_order",
    "story_id",
    "vector_index",
]

log = logging.getLogger(__name__)

#: The tuned threshold (ECB+ train topics, sub-topic BCubed F1 0.915); to move
#: into ClusterSettings' defaults, whose threshold of 0.5 predates the measurement.
DEFAULT_SETTINGS = ClusterSettings()

#: Entity types that identify an event's who and where.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})


@dataclass(frozen=True, slots=True)
class ClusterTuning:
    """How the score is built (measured in benchmarks/cluster_eval.py).

    These belong in :class:`rashomon.config.ClusterSettings`; they live here
    until config.py gains them.
    """

    entity_weight: float = 1.0  # tuned on ECB+ train topics (0.8 to 1.5 within 0.02 F1)
    time_penalty: float = 0.3  # subtracted in full at twice the time window (not tuned: no dated gold data)
    sentences: int = 5  # leading sentences averaged into the document vector (3, 8, 15: no better on ECB+ dev)
    dense_limit: int = 3000  # above this, candidate pairs come from nearest neighbours
    neighbours: int = 30
    exact_limit: int = 20000  # above this, the neighbour search is approximate (IVF)


@dataclass(frozen=True, slots=True, eq=False)
class Features:
    """What clustering needs to know about one article (compared by identity: it holds an array)."""

    id: str
    vector: np.ndarray  # unit length (all zeros for an article without text)
    entities: frozenset[str]  # entity_key() of its PERSON/ORG/GPE/LOC/FAC/EVENT mentions
    published: str | None
    title: str | None
    text: str


def entity_key(name: str, label: str) -> str:
    """A canonical key for an entity: a person by surname, anything else by its words."""
    from .annotate.entities import name_tokens

    tokens = name_tokens(name)
    if not tokens:
        return ""
    return tokens[-1] if label == "PERSON" else " ".join(tokens)


def _document_vector(rows: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(rows.shape[1] if rows.ndim == 2 else 384, dtype=np.float32)
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm > 0 else mean.astype(np.float32)


def features_from_annotation(annotation: Annotation, tuning: ClusterTuning = ClusterTuning()) -> list[Features]:
    """One Features per annotated article: the mean of its first sentence vectors, its entities."""
    if annotation.documents and not len(annotation.vectors):
        raise ConfigError("clustering needs sentence vectors, but the annotation has none; "
                          "annotate with AnnotateSettings(vectors=True)")
    keys: dict[str, set[str]] = {doc.id: set() for doc in annotation.documents}
    for entity in annotation.entities:
        key = entity_key(entity.name, entity.type)
        if entity.type in ENTITY_LABELS and key:
            for article_id, _start, _end in entity.mentions:
                keys.setdefault(article_id, set()).add(key)
    out, begin = [], 0
    for doc in annotation.documents:
        rows = annotation.vectors[begin : begin + min(len(doc.sentences), tuning.sentences)]
        begin += len(doc.sentences)
        article = doc.article
        out.append(Features(article.id, _document_vector(rows), frozenset(keys[doc.id]),
                            article.published, article.title, article.text))
    return out


def features_from_texts(articles: Sequence[Article], embedder: str = "minilm-onnx",
                        tuning: ClusterTuning = ClusterTuning()) -> list[Features]:
    """Features straight from articles (spaCy NER + sentence vectors), without the annotate stage.

    The title, when given, is embedded as one more leading sentence.
    """
    from .annotate.entities import extract_mentions
    from .annotate.nlp import load_spacy
    from .annotate.vectors import load_embedder

    nlp, model = load_spacy(), load_embedder(embedder)
    docs = nlp.pipe((a.text[:20000] for a in articles), batch_size=32)
    leads, entities = [], []
    for article, doc in zip(articles, docs):
        sentences = [s.text.strip() for s in doc.sents if s.text.strip()][: tuning.sentences]
        leads.append(([article.title] if article.title else []) + sentences)
        keys = {entity_key(m.text, m.label) for m in extract_mentions(doc) if m.label in ENTITY_LABELS}
        entities.append(frozenset(k for k in keys if k))
    matrix = model.embed([s for lead in leads for s in lead])
    out, begin = [], 0
    for article, lead, keys in zip(articles, leads, entities):
        out.append(Features(article.id, _document_vector(matrix[begin : begin + len(lead)]), keys,
                            article.published, article.title, article.text))
        begin += len(lead)
    return out


def _day(published: str | None) -> float:
    """Days since year 1 of an ISO date or datetime; NaN when absent or unreadable."""
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        log.debug("publication date %r is not ISO; time is left out for it", published)
        return math.nan


@dataclass(frozen=True, slots=True, eq=False)
class FeatureTable:
    """Features as matrices, rows in the order given: what the score is computed on."""

    ids: tuple[str, ...]
    vectors: np.ndarray  # (n, d) float32
    entities: np.ndarray | sparse.csr_matrix  # (n, vocabulary) 0/1; dense when small
    sizes: np.ndarray  # entities per row
    days: np.ndarray  # publication day, NaN when unknown

    @classmethod
    def build(cls, features: Sequence[Features]) -> FeatureTable:
        vocabulary: dict[str, int] = {}
        columns = [sorted(vocabulary.setdefault(k, len(vocabulary)) for k in f.entities) for f in features]
        shape = (len(features), max(len(vocabulary), 1))
        sizes = np.array([len(c) for c in columns], dtype=np.float64)
        rows = np.repeat(np.arange(len(features)), sizes.astype(np.int64))
        flat = np.fromiter((c for cs in columns for c in cs), dtype=np.int64, count=len(rows))
        if shape[0] * shape[1] <= _DENSE_CELLS:  # small: dense arithmetic is much faster than sparse
            matrix = np.zeros(shape, dtype=np.float32)
            matrix[rows, flat] = 1.0
        else:
            matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, flat)), shape=shape)
        vectors = np.stack([f.vector for f in features]).astype(np.float32) if features else np.zeros((0, 384), np.float32)
        return cls(tuple(f.id for f in features), vectors, matrix, sizes, np.array([_day(f.published) for f in features]))

    def scores(self, rows: np.ndarray, cols: np.ndarray, settings: ClusterSettings, tuning: ClusterTuning) -> np.ndarray:
        """The same-event score of each pair (rows[i], cols[i]), in blocks to bound memory."""
        out = np.empty(len(rows), dtype=np.float64)
        for begin in range(0, len(rows), _BLOCK):
            r, c = rows[begin : begin + _BLOCK], cols[begin : begin + _BLOCK]
            cosine = np.einsum("ij,ij->i", self.vectors[r], self.vectors[c])
            if sparse.issparse(self.entities):
                shared = np.asarray(self.entities[r].multiply(self.entities[c]).sum(axis=1)).ravel()
            else:
                shared = np.einsum("ij,ij->i", self.entities[r], self.entities[c])
            out[begin : begin + _BLOCK] = _combine(cosine, shared, (self.sizes[r], self.sizes[c]),
                                                   (self.days[r], self.days[c]), settings, tuning)
        return out

    def square(self, members: np.ndarray, settings: ClusterSettings, tuning: ClusterTuning) -> np.ndarray:
        """The score matrix of all pairs among ``members``."""
        vectors, entities = self.vectors[members], self.entities[members]
        shared = entities @ entities.T
        shared = shared.toarray() if sparse.issparse(shared) else shared
        sizes, days = self.sizes[members], self.days[members]
        return _combine(vectors @ vectors.T, shared, (sizes[:, None], sizes[None, :]), (days[:, None], days[None, :]),
                        settings, tuning)


_DENSE_CELLS = 4_000_000
_SMALL = 300
_BLOCK = 65536  # pairs scored at once


def _combine(cosine, shared, sizes, days, settings: ClusterSettings, tuning: ClusterTuning) -> np.ndarray:
    """score = cosine + entity_weight * Jaccard - time_penalty * lateness (unknowns left out)."""
    union = sizes[0] + sizes[1] - shared
    jaccard = np.divide(shared, union, out=np.zeros(np.shape(cosine)), where=union > 0)
    window = max(settings.time_window_days, 1e-9)
    with np.errstate(invalid="ignore"):
        late = np.clip((np.abs(days[0] - days[1]) - window) / window, 0.0, 1.0)
    return cosine + tuning.entity_weight * jaccard - tuning.time_penalty * np.nan_to_num(late, nan=0.0)


def _average_linkage(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Flat cluster labels (0..k-1, by first member) of average linkage cut at ``threshold``."""
    if len(scores) == 1:
        return np.zeros(1, dtype=np.int64)
    distance = np.clip(4.0 - scores, 0.0, None)  # scores lie in [-2, 2]: shift, keep the order
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=4.0 - threshold, criterion="distance")
    _, first = np.unique(labels, return_index=True)
    order = {labels[i]: rank for rank, i in enumerate(sorted(first))}
    return np.array([order[label] for label in labels])


def _neighbour_pairs(table: FeatureTable, tuning: ClusterTuning) -> tuple[np.ndarray, np.ndarray]:
    """Each row with its nearest neighbours by vector, as pairs (low, high)."""
    n = len(table.ids)
    index = vector_index(table.vectors, tuning)
    k = min(tuning.neighbours + 1, n)
    _, found = index.search(table.vectors, k)
    rows = np.repeat(np.arange(n), k)
    cols = found.ravel()
    keep = (cols >= 0) & (cols != rows)
    low, high = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    pairs = np.unique(low.astype(np.int64) * n + high)
    return pairs // n, pairs % n


def vector_index(vectors: np.ndarray, tuning: ClusterTuning):
    """A faiss inner-product index of ``vectors``: exact up to ``exact_limit``, else IVF.

    IVF (k-means cells, 16 probed) rather than HNSW: on tight, far-apart
    stories HNSW's graph leaves some articles unreachable (measured: 7 of
    30,000 synthetic articles lost their story), while a cell holds a story.
    """
    import faiss

    faiss.omp_set_num_threads(1)  # deterministic results, and a fair share of a shared machine
    size, dimensions = vectors.shape
    if size <= tuning.exact_limit:
        index = faiss.IndexFlatIP(dimensions)
    else:
        cells = max(1, min(int(4 * math.sqrt(size)), size // 39))  # faiss wants >= 39 points a cell
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimensions), dimensions, cells, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = 16
    index.add(vectors)
    return index


def partition(table: FeatureTable, settings: ClusterSettings = DEFAULT_SETTINGS, tuning: ClusterTuning = ClusterTuning()) -> list[list[int]]:
    """Groups of row numbers of ``table``, each sorted, the groups ordered by first row.

    Up to ``dense_limit`` rows every pair is scored; above, only each row's
    ``neighbours`` nearest by vector.
    """
    n = len(table.ids)
    if n == 0:
        return []
    everyone = np.arange(n)
    if n <= _SMALL:  # components would only cost time: cluster all at once
        labels = _average_linkage(table.square(everyone, settings, tuning), settings.threshold)
        groups = [np.flatnonzero(labels == k).tolist() for k in range(labels.max() + 1)]
    elif n <= tuning.dense_limit:
        full = table.square(everyone, settings, tuning)
        rows, cols = np.nonzero(np.triu(full >= settings.threshold, k=1))
        groups = _split(everyone, (rows, cols, full[rows, cols]), settings.threshold, settings.threshold,
                        lambda members: full[np.ix_(members, members)], tuning.dense_limit)
    else:
        rows, cols = _neighbour_pairs(table, tuning)
        scores = table.scores(rows, cols, settings, tuning)
        groups = _split(everyone, (rows, cols, scores), settings.threshold, settings.threshold,
                        lambda members: table.square(members, settings, tuning), tuning.dense_limit)
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def _split(members: np.ndarray, edges, cut: float, threshold: float, square_of, limit: int) -> list[list[int]]:
    """Average linkage (cut at ``threshold``) inside each component of the pairs scoring >= ``cut``.

    A component larger than ``limit`` is too big to cluster exactly: its
    weakest links are cut (``cut`` + 0.05) and its parts are tried again.
    """
    rows, cols, scores = edges
    strong = scores >= cut
    size = int(max(members.max(), rows.max(initial=0), cols.max(initial=0))) + 1
    graph = sparse.coo_matrix((np.ones(int(strong.sum())), (rows[strong], cols[strong])), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    groups = []
    for component in _components(members, labels):
        if len(component) == 1:
            groups.append([int(component[0])])
        elif len(component) <= limit:
            local = _average_linkage(square_of(component), threshold)
            groups.extend([int(m) for m in component[local == k]] for k in range(local.max() + 1))
        else:
            log.info("%d linked articles exceed dense_limit; cutting links below %.2f", len(component), cut + 0.05)
            inside = np.isin(rows, component) & np.isin(cols, component)
            edges = (rows[inside], cols[inside], scores[inside])
            groups.extend(_split(component, edges, cut + 0.05, threshold, square_of, limit))
    return groups


def _components(members: np.ndarray, labels: np.ndarray) -> list[np.ndarray]:
    chosen = labels[members]
    order = np.argsort(chosen, kind="stable")
    bounds = np.flatnonzero(np.diff(chosen[order])) + 1
    return [np.sort(members[part]) for part in np.split(order, bounds)]


def seed_order(feature: Features) -> tuple:
    """Sort key of a story's seed: earliest publication date first, undated last, then id."""
    return (feature.published is None, (feature.published or "")[:10], feature.id)


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + 5])) for i in range(max(len(words) - 4, 1))} if words else set()


def _duplicates(members: Sequence[Features], settings: ClusterSettings) -> tuple[tuple[str, str], ...]:
    """(article, duplicate of) for near-identical texts: 5-word shingle containment >= duplicate_threshold."""
    vectors = np.stack([f.vector for f in members])
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


def cluster_features(features: Sequence[Features], settings: ClusterSettings = DEFAULT_SETTINGS,
                     tuning: ClusterTuning = ClusterTuning(), *, progress: Progress | None = None) -> tuple[Story, ...]:
    """Stories of ``features``, largest first; the same articles in any order give the same stories."""
    ordered = _checked(features)
    groups = partition(FeatureTable.build(ordered), settings, tuning)
    stories = []
    for done, group in enumerate(groups, 1):
        stories.append(make_story([ordered[i] for i in group], settings))
        if progress and (done % 1000 == 0 or done == len(groups)):
            progress("cluster", done, len(groups))
    log.info("clustered %d articles into %d stories", len(ordered), len(stories))
    return tuple(sorted(stories, key=lambda s: (-len(s.articles), s.id)))


def cluster(annotation: Annotation, settings: ClusterSettings = DEFAULT_SETTINGS,
            tuning: ClusterTuning = ClusterTuning(), *, progress: Progress | None = None) -> tuple[Story, ...]:
    """Stories of the annotated articles, largest first."""
    return cluster_features(features_from_annotation(annotation, tuning), settings, tuning, progress=progress)
