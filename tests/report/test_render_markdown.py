"""The Markdown briefing: readable, complete, and safe with hostile text."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.model import Briefing
from rashomon.report import render
from rashomon.report.markdown import code, escape

from briefing_factory import HOSTILE_IMG, HOSTILE_SCRIPT, hostile_briefing

GOLDEN = Path(__file__).parent / "golden"


def test_hostile_text_is_escaped():
    text = render(hostile_briefing(), "md")
    assert "<script" not in text and "<img" not in text
    assert "&lt;img src=x onerror=alert('y')&gt;" in text
    assert HOSTILE_SCRIPT not in text and HOSTILE_IMG not in text


def test_the_sources_table_has_a_row_per_article_with_its_words():
    briefing = hostile_briefing()
    rows = [line for line in render(briefing, "md").splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == len(briefing.articles)
    for row, article in zip(rows, briefing.articles):
        assert row.endswith(f"| {len(article.text.split())} |")
        assert article.outlet in row


def test_a_pipe_in_a_title_does_not_break_the_table():
    briefing = hostile_briefing()
    article = replace(briefing.articles[0], title="Dam | fails\nbadly")
    text = render(Briefing(articles=(article,)), "md")
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert "Dam \\| fails badly" in row


def test_evidence_removed_lines_and_skips_are_shown():
    text = render(hostile_briefing(), "md")
    assert "| outlet | Valley Wire | dateline | PORT (Valley Wire) |" in text
    assert "| share line | Share this article |" in text
    assert "## Skipped inputs\n\n- `bad.bin`: binary file" in text


def test_sections_of_later_stages_appear_only_when_they_ran():
    full = render(hostile_briefing(), "md")
    bare = render(Briefing(articles=hostile_briefing().articles), "md")
    for heading in ("## Summary", "## What the sources agree on", "## Where they differ", "## Who is quoted"):
        assert heading in full and heading not in bare
    assert "- **number** (families evacuated): [1] 120; [2] 1,200" in full


def test_escape_keeps_plain_words_and_makes_one_line():
    assert escape("Reykjavik talks\n  went well") == "Reykjavik talks went well"
    assert escape("*bold* [link](x) a_b") == "\\*bold\\* \\[link\\](x) a\\_b"


def test_matches_the_golden_report():
    """Rewrite on purpose with REWRITE_GOLDEN=1, then review the diff."""
    golden = GOLDEN / "hostile.md"
    text = render(hostile_briefing(), "md")
    if os.environ.get("REWRITE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_paths_and_urls_are_code_spans_even_with_backticks():
    assert code("/data/a_b.html") == "`/data/a_b.html`"
    assert code("odd`name<script>.txt") == "`` odd`name<script>.txt ``"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_has_no_raw_html_line_break_or_bare_pipe(value):
    escaped = escape(value)
    assert "<" not in escaped and ">" not in escaped and "\n" not in escaped
    assert not re.search(r"(?<!\\)\|", escaped)
