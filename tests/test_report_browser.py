import pytest

from rashomon.report.html import render_html

from briefing_factory import hostile_briefing
from browser import browser_page, screenshot

pytestmark = pytest.mark.browser


def test_citation_opens_its_passage_and_hostile_text_runs_nothing(tmp_path):
    path = tmp_path / "brief.html"
    path.write_text(render_html(hostile_briefing()), encoding="utf-8")
    with browser_page() as page:
        page.goto(path.as_uri())
        page.click("ol.summary a.cite >> nth=0")
        target = page.evaluate("document.querySelector(':target').textContent")
        assert target.startswith("Officials said 120 families")
        assert page.dialogs == [], "a script in an article ran"
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert "<script>" in page.inner_text("#articles")  # shown as text
        screenshot(page, "report-hostile")


def test_coverage_columns_show_each_source_number_and_full_name(tmp_path):
    path = tmp_path / "brief.html"
    briefing = hostile_briefing()
    path.write_text(render_html(briefing), encoding="utf-8")
    with browser_page() as page:
        page.goto(path.as_uri())
        headers = page.locator("#coverage th.src")
        assert headers.count() == len(briefing.articles)
        for n in range(headers.count()):
            header = headers.nth(n)
            assert header.inner_text().strip().startswith(f"[{n + 1}]")
            assert header.get_attribute("title")  # the whole label, however long
            label, cell = header.locator("span").bounding_box(), header.bounding_box()
            assert label["y"] >= cell["y"] and label["y"] + label["height"] <= cell["y"] + cell["height"] + 1
