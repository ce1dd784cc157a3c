"""The briefing as one self-contained HTML file: no CDN, no network, no script needed.

Every piece of article text and metadata goes through Jinja2's autoescaping,
so a hostile article shows its ``<script>`` as text. Citations are plain
anchors to sentence ids (``#a-<article>-<start>``); CSS ``:target`` highlights
the passage a reader jumps to.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from ..model import Annotated, Article, Briefing, Citation, Comparison, Span
from . import as_sentence, source_label

__all__ = ["render_html"]

_TONE_WIDTH = 160  # pixels for a tone bar from -1 to +1


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of article text with the same highlights."""

    text: str
    classes: str
    title: str


@dataclass(frozen=True, slots=True)
class SentenceView:
    start: int
    segments: tuple[Segment, ...]
    classes: str


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["sentence"] = as_sentence
    return env


class Anchors:
    """Maps a character offset of an article to the id of the sentence holding it."""

    def __init__(self, views: list[dict]) -> None:
        self._starts = {
            v["article"].id: sorted(s.start for para in v["paragraphs"] for s in para) for v in views
        }

    def __call__(self, article_id: str, offset: int) -> str:
        starts = self._starts.get(article_id) or [0]
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        return f"a-{article_id}-{starts[index]}"

    def cite(self, citation: Citation) -> str:
        return self(citation.article, citation.start)


def render_html(briefing: Briefing, home: str | None = None) -> str:
    """The briefing as an HTML document; ``home`` adds a link back (the web app's story list)."""
    css = resources.files("rashomon.report").joinpath("templates/report.css").read_text(encoding="utf-8")
    labels = {a.id: source_label(a) for a in briefing.articles}
    numbers = {a.id: i + 1 for i, a in enumerate(briefing.articles)}
    comparison = briefing.comparison
    articles = [_article_view(a, briefing) for a in briefing.articles]
    anchors = Anchors(articles)
    return _environment().get_template("briefing.html.j2").render(
        b=briefing,
        home=home,
        css=css,
        labels=labels,
        numbers=numbers,
        title=_title(briefing),
        articles=articles,
        at=anchors,
        cite=anchors.cite,
        per_source=lambda citations: _per_source(citations, numbers),
        matrix=_coverage_matrix(comparison, briefing.articles) if comparison else None,
        voices=_voices_matrix(comparison, briefing.articles) if comparison else None,
        tone_bars=_tone_bars(comparison, labels) if comparison else (),
        facts={f.id: f for f in comparison.facts} if comparison else {},
    )


def _per_source(citations, numbers: dict[str, int]) -> list[Citation]:
    """The first citation of each source, in source order: one link per source."""
    first: dict[str, Citation] = {}
    for citation in citations:
        first.setdefault(citation.article, citation)
    return sorted(first.values(), key=lambda c: numbers.get(c.article, 0))


def _title(briefing: Briefing) -> str:
    if briefing.story and briefing.story.label:
        return briefing.story.label
    titles = [a.title for a in briefing.articles if a.title]
    return titles[0] if titles else "rashomon briefing"


def _coverage_matrix(comparison: Comparison, articles: tuple[Article, ...]) -> list[dict]:
    """Rows of the facts x sources heatmap: consensus first, then by support."""
    consensus = set(comparison.consensus)
    rows = []
    for fact in comparison.facts:
        sources = set(fact.sources)
        if len(sources) < 2 and fact.id not in consensus:
            continue
        cells = [next((c for c in fact.support if c.article == a.id), None) for a in articles]
        rows.append({"fact": fact, "consensus": fact.id in consensus, "cells": cells, "count": len(sources)})
    rows.sort(key=lambda r: (not r["consensus"], -r["count"], r["fact"].id))
    return rows


def _voices_matrix(comparison: Comparison, articles: tuple[Article, ...]) -> list[dict]:
    rows = []
    for voice in comparison.voices:
        counts = [sum(1 for q in voice.quotes if q[0] == a.id) for a in articles]
        first = {a.id: next((q for q in voice.quotes if q[0] == a.id), None) for a in articles}
        rows.append({"voice": voice, "counts": counts, "first": [first[a.id] for a in articles]})
    rows.sort(key=lambda r: (-len(r["voice"].sources), -sum(r["counts"]), r["voice"].speaker))
    return rows


def _tone_bars(comparison: Comparison, labels: dict[str, str]) -> list[dict]:
    bars = []
    for framing in comparison.framing:
        mean = framing.tone.mean
        width = abs(mean) * _TONE_WIDTH / 2
        x = _TONE_WIDTH / 2 - (width if mean < 0 else 0)
        bars.append({"label": labels.get(framing.article, framing.article), "mean": mean, "x": x, "width": width})
    return bars


def _article_view(article: Article, briefing: Briefing) -> dict:
    doc = briefing.annotation.document(article.id) if _annotated(briefing, article.id) else None
    fact_state = _sentence_fact_state(article.id, briefing.comparison)
    omitted: list[str] = []
    if briefing.comparison:
        omitted = list(dict(briefing.comparison.omissions).get(article.id, ()))
    paragraphs = _paragraph_views(article, doc, fact_state)
    return {"article": article, "doc": doc, "paragraphs": paragraphs, "omitted": omitted}


def _annotated(briefing: Briefing, article_id: str) -> bool:
    return briefing.annotation is not None and any(d.id == article_id for d in briefing.annotation.documents)


def _sentence_fact_state(article_id: str, comparison: Comparison | None) -> dict[int, tuple[str, str]]:
    """Sentence start -> (css class, fact id) for sentences that support a fact."""
    if comparison is None:
        return {}
    consensus = set(comparison.consensus)
    state: dict[int, tuple[str, str]] = {}
    for fact in comparison.facts:
        kind = "fact-consensus" if fact.id in consensus else ("fact-shared" if len(fact.sources) > 1 else "fact-own")
        for c in fact.support:
            if c.article == article_id and (c.start not in state or kind == "fact-consensus"):
                state[c.start] = (kind, fact.id)
    return state


def _paragraph_views(article: Article, doc: Annotated | None, fact_state: dict) -> list[list[SentenceView]]:
    text = article.text
    paragraphs = article.paragraphs or (Span(0, len(text)),)
    sentences = [(s.start, s.end) for s in doc.sentences] if doc else [(p.start, p.end) for p in paragraphs]
    marks = _marks(doc)
    views: list[list[SentenceView]] = []
    for p in paragraphs:
        inside = [(s, e) for s, e in sentences if s >= p.start and e <= p.end] or [(p.start, p.end)]
        row = []
        for start, end in inside:
            state = _state_for(fact_state, start, end)
            row.append(SentenceView(start, tuple(_segments(text, start, end, marks)), state))
        views.append(row)
    return views


def _state_for(fact_state: dict, start: int, end: int) -> str:
    hits = [v for k, v in fact_state.items() if start <= k < end]
    return hits[0][0] if hits else ""


def _marks(doc: Annotated | None) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, tooltip) for quotes and entity mentions."""
    if doc is None:
        return []
    marks = [(q.start, q.end, f"quote quote-{q.kind}", _quote_title(q)) for q in doc.quotes]
    marks += [(m.start, m.end, "entity", m.label) for m in doc.mentions]
    return marks


def _quote_title(quote) -> str:
    who = quote.speaker or "unattributed"
    return f"{quote.kind} quote: {who}" + (f" ({quote.cue})" if quote.cue else "")


def _segments(text: str, start: int, end: int, marks: list) -> list[Segment]:
    """Split [start, end) at every mark boundary; each piece carries its marks' classes."""
    inside = [m for m in marks if m[0] < end and m[1] > start]
    cuts = sorted({start, end, *(max(start, m[0]) for m in inside), *(min(end, m[1]) for m in inside)})
    segments = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [m for m in inside if m[0] <= left and m[1] >= right]
        classes = " ".join(sorted({c for m in covering for c in m[2].split()}))
        title = "; ".join(dict.fromkeys(m[3] for m in covering))
        segments.append(Segment(text[left:right], classes, title))
    return segments
