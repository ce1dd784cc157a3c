"""Reports: a Briefing rendered as JSON, Markdown or one HTML page.

    render(briefing, "json")   machine-readable, described by schema/briefing.schema.json
    render(briefing, "md")     a readable Markdown report
    render(briefing, "html")   a self-contained page (see report/html.py)

Every renderer is deterministic: the same briefing gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ConfigError
from ..model import Article, Briefing

__all__ = ["render", "FORMATS", "SUFFIXES", "format_for_suffix", "source_label"]

#: Output format name -> file suffix.
SUFFIXES = {"json": ".json", "md": ".md", "html": ".html"}
FORMATS = tuple(SUFFIXES)


def _renderer(fmt: str) -> Callable[[Briefing], str]:
    if fmt == "json":
        from .json import render_json

        return render_json
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from .html import render_html

        return render_html
    raise ConfigError(f"unknown report format {fmt!r}; valid formats: {', '.join(FORMATS)}")


def source_label(article: Article) -> str:
    """What a reader calls a source: its outlet, else its title, else its file or URL."""
    if article.outlet:
        return article.outlet
    if article.title:
        return article.title if len(article.title) <= 48 else article.title[:45].rstrip() + "…"
    return article.source.rstrip("/").rsplit("/", 1)[-1]


def as_sentence(text: str) -> str:
    """A fact worded by a clause ("no fatalities were reported") is shown starting with a capital."""
    return text[:1].upper() + text[1:]


def render(briefing: Briefing, fmt: str) -> str:
    """The briefing as text in format ``fmt`` (one of :data:`FORMATS`)."""
    return _renderer(fmt)(briefing)


def format_for_suffix(suffix: str) -> str:
    """The format a file suffix asks for (``.json`` -> ``json``); ConfigError if none."""
    for fmt, known in SUFFIXES.items():
        if suffix.lower() == known:
            return fmt
    raise ConfigError(f"unknown report suffix {suffix!r}; valid suffixes: {', '.join(SUFFIXES.values())}")
