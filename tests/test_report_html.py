import re

import pytest

from rashomon.report import source_label
from rashomon.report.html import render_html

from briefing_factory import HOSTILE_IMG, HOSTILE_SCRIPT, hostile_briefing


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(hostile_briefing())


def test_untrusted_text_is_escaped(html):
    assert HOSTILE_SCRIPT not in html and HOSTILE_IMG not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_every_citation_link_has_its_passage(html):
    ids = set(re.findall(r'id="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets, "the report has no internal links"
    assert targets <= ids, f"links without a target: {sorted(targets - ids)}"


def test_self_contained(html):
    assert not re.search(r'<(script|link)\b', html)
    assert not re.search(r'src="https?:', html)


def test_sections_present(html):
    for section in ("sources", "summary", "coverage", "omissions", "discrepancies", "voices", "framing", "timeline", "articles"):
        assert f'id="{section}"' in html
    assert "1,200" in html and "families evacuated" in html
    assert "share line" in html  # removed lines are shown with their reason


def test_source_label_prefers_outlet_then_title_then_file():
    briefing = hostile_briefing()
    assert source_label(briefing.articles[0]) == "Valley Wire"
    untitled = briefing.articles[1].__class__(id="z", source="dir/file.txt", text="x")
    assert source_label(untitled) == "file.txt"


def test_a_fact_worded_by_a_clause_is_shown_as_a_sentence():
    from dataclasses import replace

    from rashomon.report import as_sentence

    briefing = hostile_briefing()
    first = briefing.comparison.facts[0]
    clause = replace(first, text=first.text[:1].lower() + first.text[1:])
    shown = render_html(replace(briefing, comparison=replace(briefing.comparison, facts=(clause, *briefing.comparison.facts[1:]))))
    assert as_sentence(clause.text) == first.text and as_sentence("") == ""
    rows = [row.strip() for row in re.findall(r'<th scope="row">([^<]*)', shown)]
    assert first.text in rows and clause.text not in rows
