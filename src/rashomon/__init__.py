"""rashomon: one news event through every outlet's eyes.

    from rashomon import analyze, render
    result = analyze(["reports/"])
    for briefing in result.briefings:
        print(render(briefing, "md"))

Each stage is a function in the module of the same name
(``rashomon.annotate.annotate``, ``rashomon.compare.compare``, ...); the
records they exchange are importable from here. Heavy modules load on first
use, so ``import rashomon`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .config import AnnotateSettings, ClusterSettings, CompareSettings, IngestSettings, Settings, SummarizeSettings
from .errors import ConfigError, EmptyInput, RashomonError, SourceError, StoreError
from .model import (
    Annotated, Annotation, Article, Briefing, Comparison, Entity, Fact, Quote, Skip, Story, Summary,
)

__version__ = "0.1.0"

__all__ = [
    "analyze", "brief", "render", "Store",
    "Settings", "IngestSettings", "AnnotateSettings", "ClusterSettings", "CompareSettings", "SummarizeSettings",
    "Article", "Annotated", "Annotation", "Entity", "Quote", "Story", "Fact", "Comparison", "Summary", "Briefing", "Skip",
    "RashomonError", "SourceError", "EmptyInput", "ConfigError", "StoreError",
    "__version__",
]

_LAZY = {
    "analyze": "rashomon.pipeline",
    "brief": "rashomon.pipeline",
    "render": "rashomon.report",
    "Store": "rashomon.store",
}

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import analyze, brief
    from .report import render
    from .store import Store


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rashomon' has no attribute {name!r}")
