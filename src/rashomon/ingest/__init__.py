"""Ingestion: files, HTML, URLs, feeds and bulk dumps become Articles.

    iter_ingest(sources)   one Article or Skip at a time, the batch goes on
    ingest(sources)        all of them: IngestResult(articles, skips)
    article_from_text      clean a pasted text and read its metadata
    article_from_record    one bulk record (a dict with "text") as an Article
    article_from_html      one HTML page (str or bytes) as an Article
    article_id             the deterministic id of a URL or a text

A bad input never stops a batch: it becomes a ``Skip(source, reason)``;
``IngestSettings(strict=True)`` turns the first one into a ``SourceError``.
See :mod:`rashomon.ingest.clean` for what cleaning cuts and
:mod:`rashomon.ingest.metadata` for what metadata a text can show.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

from rashomon.config import IngestSettings, Progress
from rashomon.errors import SourceError
from rashomon.ingest.bulk import article_from_record
from rashomon.ingest.html import article_from_html
from rashomon.ingest.ids import article_id, canonical_url
from rashomon.ingest.manifest import Manifest, read_manifest
from rashomon.ingest.sources import SourceReader
from rashomon.ingest.text import article_from_text
from rashomon.model import Article, Skip

__all__ = [
    "iter_ingest",
    "ingest",
    "IngestResult",
    "article_from_text",
    "article_from_record",
    "article_from_html",
    "article_id",
    "canonical_url",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Everything one ingestion produced: the articles and the skipped inputs."""

    articles: tuple[Article, ...]
    skips: tuple[Skip, ...]


def _manifest_sources(manifest: Manifest, sources: Sequence[str]) -> list[str]:
    """With no sources, the manifest's own files are read."""
    return list(sources) if sources else [str(path) for path, _ in manifest.files]


def _produce(sources: Sequence[str], reader: SourceReader) -> Iterator[Article | SourceError]:
    for source in sources:
        try:
            yield from reader.read(source)
        except SourceError as error:
            yield error
        except OSError as error:
            yield SourceError(source, f"cannot be read ({error}); check the path and permissions")


def iter_ingest(sources: Sequence[str], settings: IngestSettings = IngestSettings(), *,
                manifest: str | None = None, transport: httpx.BaseTransport | None = None,
                progress: Progress | None = None) -> Iterator[Article | Skip]:
    """Expand each source into Articles; a bad item yields a Skip and the rest goes on.

    Sources are files, directories (recursive, sorted), http(s) URLs, feed
    URLs and ``.jsonl``/``.csv`` dumps. ``manifest`` (CSV or JSON) gives
    metadata per file; with no sources its files are read. ``transport``
    replaces httpx's network (tests). With ``settings.strict`` the first
    problem raises its SourceError. A manifest that cannot be read at all
    raises SourceError at once (its bad rows are Skips).
    """
    if isinstance(sources, str):
        sources = [sources]
    read = read_manifest(manifest) if manifest else None
    reader = SourceReader(settings, transport, read)
    problems = read.problems if read else ()
    items = _produce(_manifest_sources(read, sources) if read else sources, reader)
    done = 0
    try:
        for item in itertools.chain(problems, items):
            if isinstance(item, SourceError):
                if settings.strict:
                    raise item
                log.info("skipped %s: %s", item.source, item.problem)
                item = Skip(item.source, item.problem)
            done += 1
            if progress is not None:
                progress("ingest", done, None)
            yield item
    finally:
        reader.close()


def ingest(sources: Sequence[str], settings: IngestSettings = IngestSettings(), *,
           manifest: str | None = None, transport: httpx.BaseTransport | None = None,
           progress: Progress | None = None) -> IngestResult:
    """All articles and skips of ``sources``; see :func:`iter_ingest`."""
    items = list(iter_ingest(sources, settings, manifest=manifest, transport=transport, progress=progress))
    return IngestResult(tuple(i for i in items if isinstance(i, Article)),
                        tuple(i for i in items if isinstance(i, Skip)))
