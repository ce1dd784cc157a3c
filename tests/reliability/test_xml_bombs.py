"""Entity-expansion bombs and external entities in feeds and pages.

A billion-laughs feed (ten levels of ten references: 10^9 copies if
expanded) and feeds whose entities point at a local file or at a DTD on a
server must be read quickly, with memory bounded, the entities left
unexpanded, nothing fetched for them, and no byte of the local file in any
stored article. ``feeds.check_entities`` refuses such feeds before parsing
(feedparser alone stops billion laughs and XXE, but expands a long literal
entity at every reference: 100 kB x 2,000 references is 200 MB a field);
a feed with short literal entities is read as usual.
"""

from __future__ import annotations

import resource
import time

import pytest

from local_server import QuietHandler, serving
from rashomon.ingest import ingest
from rashomon.ingest.feeds import fragment_text
from rashomon.pipeline import ingest_into
from rashomon.store import Store

MARKER = "LOCAL-FILE-MARKER-7f3a"  # written to a temporary file that an external entity names
WORDS = " ".join(f"The harbour council met on day {n} to discuss the flood barrier budget." for n in range(12))


def laughs(levels: int = 10) -> str:
    """The internal subset of a billion-laughs document: lol9 expands to 10^9 "lol"s."""
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)]
    return "\n".join(lines)


def rss(subset: str, reference: str) -> bytes:
    """An RSS feed with ``subset`` in its DOCTYPE and ``reference`` in the title and both entries."""
    entry = ("<item><title>Barrier {n} {ref}</title><description>{ref}</description>"
             "<content:encoded><![CDATA[<p>{words}</p>]]></content:encoded>{ref}</item>")
    items = "".join(entry.format(n=n, ref=reference, words=WORDS) for n in range(2))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{subset}\n]>\n'
            f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Harbour News {reference}</title>{items}</channel></rss>").encode()


def encoded(feed: bytes, codec: str) -> bytes:
    """``feed`` re-encoded in ``codec``, which its XML declaration names."""
    return feed.decode().replace('version="1.0"?', f'version="1.0" encoding="{codec}"?').encode(codec)


class BombHandler(QuietHandler):
    feeds: dict[str, bytes] = {}
    hits: list[str] = []

    def _answer(self) -> None:
        self.hits.append(self.path)
        body = self.feeds.get(self.path, b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(f"{MARKER}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bomb_server(secret_file):
    with serving(BombHandler) as base:
        BombHandler.feeds.update({
            "/laughs.xml": rss(laughs(), "&lol9;"),
            "/xxe-file.xml": rss(f'<!ENTITY xxe SYSTEM "file://{secret_file}">', "&xxe;"),
            "/xxe-http.xml": rss(f'<!ENTITY xxe SYSTEM "{base}/evil.ent">', "&xxe;"),
            "/xxe-parameter.xml": rss(f'<!ENTITY % dtd SYSTEM "{base}/evil.dtd"> %dtd;', "&xxe;"),
            "/quadratic.xml": rss(f'<!ENTITY big "{"x" * 100_000}">', "&big;" * 2_000),
            "/laughs-utf16.xml": encoded(rss(laughs(), "&lol9;"), "utf-16"),
            "/quadratic-utf7.xml": encoded(rss(f'<!ENTITY big "{"x" * 100_000}">', "&big;" * 2_000), "utf-7"),
            "/short-entities.xml": rss('<!ENTITY nbsp "&#160;">\n<!ENTITY co "Harbour Co">', "&co;&nbsp;"),
            "/evil.dtd": f'<!ENTITY xxe SYSTEM "file://{secret_file}">'.encode(),
            "/evil.ent": MARKER.encode(),
        })
        yield base


@pytest.mark.parametrize("feed, reason", [
    ("/laughs.xml", "refers to other entities"), ("/laughs-utf16.xml", "refers to other entities"),
    ("/xxe-file.xml", "external (SYSTEM) entity"), ("/xxe-http.xml", "external (SYSTEM) entity"),
    ("/xxe-parameter.xml", "a parameter entity"), ("/quadratic.xml", "a long value"),
    ("/quadratic-utf7.xml", "a long value")])
def test_an_entity_bomb_feed_is_a_quick_skip(bomb_server, tmp_path, feed, reason):
    BombHandler.hits.clear()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    with Store.open(tmp_path / "bomb.db") as store:
        summary = ingest_into(store, [bomb_server + feed])
        stored = store.articles()
    assert time.monotonic() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024, "memory grew over 200 MB"
    assert BombHandler.hits == [feed], "an entity made rashomon fetch something"
    assert summary.added == 0 and [s.source for s in summary.skips] == [bomb_server + feed]
    assert reason in summary.skips[0].reason and "DOCTYPE" in summary.skips[0].reason
    for article in stored:
        everything = repr(article)
        assert MARKER not in everything, "a local file's content reached an article"
        assert "lollol" not in everything and "x" * 1_000 not in everything, "an entity was expanded"
        assert len(article.text) < 10_000


def test_bomb_fragments_in_entry_content_are_not_expanded(secret_file):
    page = f'<!DOCTYPE html [{laughs()}<!ENTITY xxe SYSTEM "file://{secret_file}">]><p>Barrier &lol9; &xxe; vote.</p>'
    started = time.monotonic()
    text = fragment_text(page)
    assert time.monotonic() - started < 2
    assert text == "Barrier &lol9; &xxe; vote.", "the entities are left as written"


def test_an_html_page_with_entity_declarations_is_not_expanded(tmp_path, secret_file):
    page = tmp_path / "page.html"
    html = (f"<html><head><title>Barrier &lol9; &xxe;</title></head><body><article>"
            f"<p>{WORDS} &lol9;</p><p>{WORDS} &xxe;</p></article></body></html>")
    page.write_text(html, encoding="utf-8")
    assert len(ingest([str(page)]).articles) == 1  # the HTML reader's first import is not the page's time
    page.write_text(f'<!DOCTYPE html [{laughs()}\n<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n{html}', encoding="utf-8")
    started = time.monotonic()
    result = ingest([str(page)])
    assert time.monotonic() - started < 10
    [article] = result.articles
    assert MARKER not in repr(article) and "lollol" not in repr(article)
    assert "&xxe;" in article.text and len(article.text) < 10_000, "the entity is left as written"


def test_a_feed_with_short_literal_entities_is_read(bomb_server):
    result = ingest([bomb_server + "/short-entities.xml"])
    assert not result.skips and len(result.articles) == 2
    assert all(a.outlet and "Harbour News" in a.outlet for a in result.articles)


def test_entity_text_inside_an_article_is_not_a_declaration(bomb_server):
    text = rss("", "").replace(b"<!DOCTYPE rss [\n\n]>\n", b"").replace(b"<p>", b"<p>Write <!ENTITY x SYSTEM 'y'> to ")
    BombHandler.feeds["/about-xml.xml"] = text
    result = ingest([bomb_server + "/about-xml.xml"])
    assert not result.skips and len(result.articles) == 2
