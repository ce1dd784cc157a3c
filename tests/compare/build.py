"""Articles, annotations and stories for compare's tests, through the real stages."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from rashomon.annotate import annotate
from rashomon.config import AnnotateSettings
from rashomon.ingest import ingest
from rashomon.model import Annotation, Article, Story


def read_articles(paths: Sequence[Path], manifest: Path | None = None) -> list[Article]:
    """Articles of ``paths`` through the ingest stage; every file must be read."""
    result = ingest([str(p) for p in paths], manifest=str(manifest) if manifest else None)
    assert not result.skips, result.skips
    return list(result.articles)


def build_annotation(articles: Sequence[Article], embedder: str = "minilm-onnx") -> Annotation:
    """Annotate ``articles`` with the annotate stage and the real models."""
    return annotate(list(articles), AnnotateSettings(embedder=embedder))


def story_of(articles: Sequence[Article], duplicates: tuple[tuple[str, str], ...] = ()) -> Story:
    ids = tuple(sorted(a.id for a in articles))
    return Story(hashlib.sha1("".join(ids).encode()).hexdigest()[:16], "test story", ids, duplicates=duplicates)
