"""The web app in headless Chromium: the paths a reader takes."""

import pytest

from browser import browser_page, screenshot

pytestmark = pytest.mark.browser


def test_open_story_follow_citation_add_article_and_search(live_server, held_back_text):
    with browser_page() as page:
        page.goto(live_server + "/")
        page.click("table a")  # the demo story
        screenshot(page, "web-story")
        cite = page.locator("ol.summary a.cite").first
        href = cite.get_attribute("href")
        cite.click()
        assert page.evaluate("location.hash") == href
        assert page.evaluate("document.querySelector(':target') !== null")

        page.goto(live_server + "/add")
        page.fill("#text", held_back_text)
        page.fill("#outlet", "Meridian Wire")
        page.click("button[type=submit]")
        page.wait_for_selector("#state[data-state=done]", timeout=120_000)
        screenshot(page, "web-job")
        page.goto(live_server + "/")
        assert "Meridian Wire" in page.inner_text("table")

        page.fill("#q", "spillway")
        page.press("#q", "Enter")
        page.wait_for_selector("ol li a")
        assert page.locator("ol li").count() >= 1
        screenshot(page, "web-search")
        assert page.dialogs == []
