"""Partitioning scored articles: average linkage inside connected components.

Articles are partitioned by average linkage cut at ``threshold``: a group
joins another only when the *mean* score over all their pairs reaches it,
which stops the chaining that single linkage suffers from. Average linkage
never joins groups that no pair above the threshold connects, so the
articles are first split into the connected components of the graph of
pairs scoring >= threshold and each component is clustered on its own (for
large inputs the graph's edges come from a faiss nearest-neighbour search).
"""

from __future__ import annotations

import logging
import math

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from .config import ClusterSettings
from .eventscore import FeatureTable

__all__ = ["partition", "vector_index"]

log = logging.getLogger(__name__)

_SMALL = 300  # up to this many rows, cluster all at once


def _average_linkage(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Flat cluster labels (0..k-1, by first member) of average linkage cut at ``threshold``."""
    if len(scores) == 1:
        return np.zeros(1, dtype=np.int64)
    shift = max(4.0, float(scores.max()) + 1.0)  # distances must be >= 0: shift, keep the order
    distance = np.clip(shift - scores, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=shift - threshold, criterion="distance")
    _, first = np.unique(labels, return_index=True)
    order = {labels[i]: rank for rank, i in enumerate(sorted(first))}
    return np.array([order[label] for label in labels])


def _neighbour_pairs(table: FeatureTable, settings: ClusterSettings) -> tuple[np.ndarray, np.ndarray]:
    """Each row with its nearest neighbours by vector, as pairs (low, high)."""
    n = len(table.ids)
    index = vector_index(table.vectors, settings)
    k = min(settings.neighbours + 1, n)
    _, found = index.search(table.vectors, k)
    rows = np.repeat(np.arange(n), k)
    cols = found.ravel()
    keep = (cols >= 0) & (cols != rows)
    low, high = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    pairs = np.unique(low.astype(np.int64) * n + high)
    return pairs // n, pairs % n


def vector_index(vectors: np.ndarray, settings: ClusterSettings):
    """A faiss inner-product index of ``vectors``: exact up to ``exact_limit``, else IVF.

    IVF (k-means cells, 16 probed) rather than HNSW: on tight, far-apart
    stories HNSW's graph leaves some articles unreachable (measured: 7 of
    30,000 synthetic articles lost their story), while a cell holds a story.
    """
    import faiss

    faiss.omp_set_num_threads(1)  # deterministic results, and a fair share of a shared machine
    size, dimensions = vectors.shape
    if size <= settings.exact_limit:
        index = faiss.IndexFlatIP(dimensions)
    else:
        cells = max(1, min(int(4 * math.sqrt(size)), size // 39))  # faiss wants >= 39 points a cell
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimensions), dimensions, cells, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = 16
    index.add(vectors)
    return index


def partition(table: FeatureTable, settings: ClusterSettings) -> list[list[int]]:
    """Groups of row numbers of ``table``, each sorted, the groups ordered by first row.

    Up to ``dense_limit`` rows every pair is scored; above, only each row's
    ``neighbours`` nearest by vector.
    """
    n = len(table.ids)
    if n == 0:
        return []
    everyone = np.arange(n)
    threshold = settings.threshold
    if n <= _SMALL:  # components would only cost time: cluster all at once
        labels = _average_linkage(table.square(everyone, settings), threshold)
        groups = [np.flatnonzero(labels == k).tolist() for k in range(labels.max() + 1)]
    elif n <= settings.dense_limit:
        full = table.square(everyone, settings)
        rows, cols = np.nonzero(np.triu(full >= threshold, k=1))
        groups = _split(everyone, (rows, cols, full[rows, cols]), threshold, threshold,
                        lambda members: full[np.ix_(members, members)], settings.dense_limit)
    else:
        rows, cols = _neighbour_pairs(table, settings)
        scores = table.scores(rows, cols, settings)
        groups = _split(everyone, (rows, cols, scores), threshold, threshold,
                        lambda members: table.square(members, settings), settings.dense_limit)
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
