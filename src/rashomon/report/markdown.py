"""The briefing as a readable Markdown report.

Sections: the title, a table of sources, the summary and the comparison
(when those stages ran: consensus facts, a facts x sources table with what
each source leaves out, discrepancies, voices), then each article with its metadata, the evidence
behind it and the lines cleaning removed, then the skipped inputs.

Article text is untrusted: every value goes through :func:`escape`, so a
hostile article cannot inject HTML or break a table.
"""

from __future__ import annotations

import re

from ..model import Article, Briefing, Citation, Comparison, Summary
from . import as_sentence, source_label

__all__ = ["render_markdown", "escape", "code"]

_SPECIAL = re.compile(r"([\\`*_\[\]|#<>])")


def escape(value: object) -> str:
    """Text safe inside Markdown: one line, HTML and Markdown punctuation escaped."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;")
    return _SPECIAL.sub(lambda m: "&lt;" if m[1] == "<" else "&gt;" if m[1] == ">" else "\\" + m[1], text)


def code(value: object) -> str:
    """A value as an inline code span (paths, URLs, ids): shown literally, never as HTML."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _title(briefing: Briefing) -> str:
    if briefing.story is not None and briefing.story.label:
        return briefing.story.label
    titles = [a.title for a in briefing.articles if a.title]
    return titles[0] if len(briefing.articles) == 1 and titles else "rashomon briefing"


def _sources_table(briefing: Briefing) -> list[str]:
    lines = ["| # | Outlet | Title | Date | Language | Words |", "|---|---|---|---|---|---:|"]
    for number, a in enumerate(briefing.articles, 1):
        cells = [source_label(a), a.title or "—", a.published or "—", a.language or "—"]
        lines.append(f"| {number} | " + " | ".join(escape(c) for c in cells) + f" | {len(a.text.split())} |")
    return lines


def _article_section(number: int, article: Article) -> list[str]:
    heading = " — ".join(escape(part) for part in (article.outlet, article.title) if part) or escape(source_label(article))
    lines = [f"### {number}. {heading}", ""]
    literal = [("id", article.id), ("source", article.source), ("url", article.url)]
    facts = [("published", article.published), ("authors", ", ".join(article.authors) or None),
             ("language", article.language), ("story", article.story)]
    lines += [f"- **{name}:** {code(value)}" for name, value in literal if value]
    lines += [f"- **{name}:** {escape(value)}" for name, value in facts if value]
    lines += [f"- **{escape(key)}:** {escape(value)}" for key, value in article.extras]
    lines.append(f"- **words:** {len(article.text.split())}, **paragraphs:** {len(article.paragraphs)}")
    if article.evidence:
        lines += ["", "Evidence:", "", "| Field | Value | Method | Read from |", "|---|---|---|---|"]
        lines += [f"| {escape(e.field)} | {escape(e.value)} | {escape(e.method)} | {escape(e.text)} |" for e in article.evidence]
    if article.removed:
        lines += ["", "Removed while cleaning:", "", "| Reason | Text |", "|---|---|"]
        lines += [f"| {escape(r.reason)} | {escape(r.text)} |" for r in article.removed]
    return lines + [""]


def _cite(citations: tuple[Citation, ...], numbers: dict[str, int]) -> str:
    marks = sorted({numbers[c.article] for c in citations if c.article in numbers})
    return "".join(f" [{n}]" for n in marks)


def _summary_section(summary: Summary, numbers: dict[str, int]) -> list[str]:
    lines = ["## Summary", "", " ".join(escape(s.text) + _cite(s.citations, numbers) for s in summary.sentences), ""]
    for angle in summary.angles:
        text = " ".join(escape(s.text) + _cite(s.citations, numbers) for s in angle.sentences)
        lines.append(f"- **Only in [{numbers.get(angle.article, '?')}]:** {text}")
    if summary.timeline:
        lines += ["", "### Timeline", ""]
        lines += [f"- **{escape(e.date)}{' – ' + escape(e.date_end) if e.date_end else ''}:** "
                  f"{escape(e.text)}{_cite(e.sources, numbers)}" for e in summary.timeline]
    return lines + [""]


def _coverage_section(comparison: Comparison, numbers: dict[str, int]) -> list[str]:
    """Facts x sources: every fact more than one source reports, then what each source leaves out."""
    matrix, facts = comparison.coverage, {f.id: f for f in comparison.facts}
    order = sorted(range(len(matrix.articles)), key=lambda j: numbers.get(matrix.articles[j], len(numbers) + j))
    columns = [numbers.get(matrix.articles[j]) for j in order]
    rows = [(fact, mark, tuple(row[j] for j in order)) for fact, mark, row in zip(matrix.facts, matrix.marks, matrix.reported)
            if mark != "singleton" and fact in facts]
    if not rows:
        return []
    lines = ["", "## Who reported what", "",
             "| Fact | " + " | ".join(f"[{n or '?'}]" for n in columns) + " | Sources |",
             "|---|" + "---|" * len(columns) + "---:|"]
    for fact, mark, row in rows:
        label = escape(as_sentence(facts[fact].text)) + (" **(consensus)**" if mark == "consensus" else "")
        lines.append(f"| {label} | " + " | ".join("✓" if cell else " " for cell in row) + f" | {sum(row)} |")
    singles = {matrix.articles[j]: sum(1 for m, r in zip(matrix.marks, matrix.reported) if m == "singleton" and r[j])
               for j in order}
    lines += ["", "Facts only one source reports: " + ", ".join(f"[{numbers.get(a, '?')}] {n}" for a, n in singles.items()) + ".", ""]
    for article, missing in sorted(comparison.omissions, key=lambda item: numbers.get(item[0], len(numbers))):
        if missing:
            lines.append(f"- **[{numbers.get(article, '?')}] leaves out:**")
            lines += [f"  - {escape(as_sentence(facts[i].text))}" for i in missing if i in facts]
    return lines


def _comparison_section(comparison: Comparison, numbers: dict[str, int]) -> list[str]:
    facts = {f.id: f for f in comparison.facts}
    lines = ["## What the sources agree on", ""]
    lines += [f"- {escape(as_sentence(facts[i].text))}{_cite(facts[i].support, numbers)}" for i in comparison.consensus if i in facts]
    lines += _coverage_section(comparison, numbers)
    if comparison.discrepancies:
        lines += ["", "## Where they differ", ""]
        for d in comparison.discrepancies:
            variants = "; ".join(f"[{numbers.get(v.article, '?')}] {escape(v.value)}" for v in d.variants)
            about = d.note or (facts[d.fact].text if d.fact in facts else d.fact)
            lines.append(f"- **{escape(d.kind)}** ({escape(about)}): {variants}")
    if comparison.voices:
        lines += ["", "## Who is quoted, by whom", ""]
        for v in comparison.voices:
            quoted_by = ", ".join(f"[{numbers[s]}]" for s in v.sources if s in numbers)
            lines.append(f"- **{escape(v.speaker)}**" + (f" ({escape(v.affiliation)})" if v.affiliation else "") + f": {quoted_by}")
    return lines + [""]


def render_markdown(briefing: Briefing) -> str:
    """The whole report, ending with a newline."""
    numbers = {a.id: n for n, a in enumerate(briefing.articles, 1)}
    dates = sorted(a.published[:10] for a in briefing.articles if a.published)
    outlets = {source_label(a) for a in briefing.articles}
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    lines = [f"# {escape(_title(briefing))}", "",
             f"_{len(briefing.articles)} articles from {len(outlets)} sources{span}._", "", "## Sources", ""]
    lines += _sources_table(briefing) + [""]
    if briefing.summary is not None:
        lines += _summary_section(briefing.summary, numbers)
    if briefing.comparison is not None:
        lines += _comparison_section(briefing.comparison, numbers)
    lines += ["## Articles", ""]
    for number, article in enumerate(briefing.articles, 1):
        lines += _article_section(number, article)
    if briefing.skips:
        lines += ["## Skipped inputs", ""] + [f"- {code(s.source)}: {escape(s.reason)}" for s in briefing.skips] + [""]
    if briefing.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}" for n in briefing.notes] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"
