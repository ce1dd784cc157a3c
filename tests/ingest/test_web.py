"""URLs and feeds against a local HTTP server the tests start."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local_server import QuietHandler, serving

from rashomon.config import IngestSettings
from rashomon.errors import SourceError
from rashomon.ingest import article_id, ingest

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
FAST = IngestSettings(timeout=0.5, max_bytes=200_000)
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local Wire</title><link>{base}/</link>
<item><title>Bridge</title><link>{base}/harbour.html</link><pubDate>Thu, 14 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing</link></item>
<item><title>Ferry</title><link>{base}/plain.txt</link></item>
</channel></rss>"""


class Handler(QuietHandler):
    routes: dict[str, tuple[str, bytes]] = {
        "/harbour.html": ("text/html; charset=utf-8", (DATA / "harbour.html").read_bytes()),
        "/plain.txt": ("text/plain", (DATA / "ferry.txt").read_bytes()),
        "/index.html": ("text/html", (DATA / "index.html").read_bytes()),
        "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
        "/inventory.xml": ("application/xml", (DATA / "not_a_feed.xml").read_bytes()),
    }
    redirects = {"/loop-a": "/loop-b", "/loop-b": "/loop-a", "/to-ftp": "ftp://example.com/x",
                 "/hop-1": "/harbour.html", "/hop-2": "/hop-1", "/hop-3": "/hop-2"}

    def _send(self, status: int, content_type: str, body: bytes, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path in self.routes:
            self._send(200, *self.routes[self.path])
        elif self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/feed.xml":
            self._send(200, "application/rss+xml", FEED.format(base=base).encode())
        elif self.path == "/slow":
            time.sleep(2.0)
            self._send(200, "text/plain", b"Too late to matter for anyone reading this.")
        elif self.path == "/declared-big":
            self._send(200, "text/plain", b"", length=50_000_000)
        elif self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"word " * 10_000)
        else:
            self._send(404, "text/plain", b"not found")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(Handler) as url:
        yield url


def test_html_url(base_url):
    [article] = ingest([f"{base_url}/harbour.html"], FAST).articles
    assert article.url == f"{base_url}/harbour.html" and article.source == article.url
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.text.startswith("The harbour bridge in Lakeside reopened")


def test_plain_text_url_and_redirects(base_url):
    [text] = ingest([f"{base_url}/plain.txt"], FAST).articles
    assert text.outlet == "Lakeside Courier"
    [redirected] = ingest([f"{base_url}/hop-3"], FAST).articles
    assert redirected.url == f"{base_url}/harbour.html"
    [skip] = ingest([f"{base_url}/hop-3"], IngestSettings(max_redirects=2)).skips
    assert "more than 2 times" in skip.reason


def test_feed_url_fetches_each_entry(base_url):
    result = ingest([f"{base_url}/feed.xml"], FAST)
    bridge, ferry = result.articles
    assert bridge.outlet == "Local Wire" and bridge.title == "Bridge"
    assert bridge.evidence_for("outlet").method == "feed-entry"
    assert bridge.published == "2024-03-14" and bridge.url == f"{base_url}/harbour.html"
    assert ferry.title == "Ferry" and ferry.text.startswith("The ferry company")
    [skip] = result.skips
    assert skip.source == f"{base_url}/missing" and "HTTP 404" in skip.reason


@pytest.mark.parametrize(("path", "expected"), [
    ("/loop-a", "redirects in a loop"),
    ("/to-ftp", "scheme 'ftp'"),
    ("/slow", "did not answer within 0.5 s"),
    ("/declared-big", "over the cap of 200000"),
    ("/endless", "more than the cap of 200000 bytes"),
    ("/image.png", "content type 'image/png'"),
    ("/inventory.xml", "not an RSS or Atom feed"),
    ("/index.html", "no article"),
    ("/nothing-here", "HTTP 404"),
])
def test_bad_urls_are_skipped(base_url, path, expected):
    started = time.perf_counter()
    result = ingest([f"{base_url}{path}", f"{base_url}/plain.txt"], FAST)
    assert len(result.articles) == 1, "the batch goes on"
    [skip] = result.skips
    assert skip.source.startswith(f"{base_url}/") and expected in skip.reason
    assert time.perf_counter() - started < 1.8


def test_unreachable_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    [skip] = ingest([f"http://127.0.0.1:{port}/a"], FAST).skips
    assert "cannot be reached" in skip.reason


def test_strict_url_error(base_url):
    with pytest.raises(SourceError, match="content type"):
        ingest([f"{base_url}/image.png"], IngestSettings(strict=True, timeout=0.5))


def test_mock_transport_is_used():
    def answer(request: httpx.Request) -> httpx.Response:
        body = "The council approved the new tram line on Monday after a long debate."
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, text=body)

    [article] = ingest(["https://news.example/tram"], transport=httpx.MockTransport(answer)).articles
    assert article.url == "https://news.example/tram" and article.text.startswith("The council")


def test_private_addresses_refused_when_not_allowed(base_url):
    closed = IngestSettings(timeout=0.5, allow_private=False)
    [skip] = ingest([f"{base_url}/harbour.html"], closed).skips
    assert "private or local address" in skip.reason and "127.0.0.1" in skip.reason
    skips = ingest(["http://[::1]:9/a", "http://10.1.2.3/a"], closed).skips
    assert len(skips) == 2 and all("private or local address" in s.reason for s in skips)
    assert len(ingest([f"{base_url}/harbour.html"], FAST).articles) == 1  # allowed by default


def test_article_from_html_takes_bytes():
    from rashomon.ingest import article_from_html

    page = (Path(__file__).resolve().parents[1] / "data" / "ingest" / "harbour.html").read_bytes()
    article = article_from_html(page, "https://courier.example/bridge", url="https://courier.example/bridge")
    assert article.title == "Harbour bridge reopens after repairs" and article.language == "en"
    assert article.url == "https://courier.example/bridge" and article.id == article_id(article.url, "")
