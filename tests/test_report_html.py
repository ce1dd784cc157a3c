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
