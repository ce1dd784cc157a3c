"""RSS and Atom feeds: each entry becomes an article.

An entry that carries the full story (``content:encoded`` or Atom content
longer than :data:`FULL_TEXT_WORDS` words) is read from the feed itself;
otherwise its link is fetched like any URL. Entry metadata (title, author,
date, link, the feed's title as outlet) is evidence with method ``feed-entry``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator

import feedparser
import lxml.etree
import lxml.html

from rashomon.errors import EmptyInput, SourceError
from rashomon.ingest.text import build_article
from rashomon.model import Article, Evidence

__all__ = ["FULL_TEXT_WORDS", "iter_feed", "fragment_text"]

#: An entry's embedded content longer than this is taken as the full article.
FULL_TEXT_WORDS = 80
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption"}

#: Fetch one URL and make an article of it, with evidence that wins.
FetchArticle = Callable[[str, tuple[Evidence, ...]], Article]


def fragment_text(html: str) -> str:
    """The text of an HTML fragment, one block per paragraph ("" if none)."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    blocks = [el for el in root.iter(*_BLOCKS)
              if not any(child.tag in _BLOCKS for child in el.iterdescendants())]
    texts = [" ".join(el.text_content().split()) for el in blocks] or [root.text_content()]
    return "\n\n".join(t for t in texts if t.strip())


def _entry_evidence(entry: dict, outlet: str | None) -> tuple[Evidence, ...]:
    found = []
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    values = {"title": entry.get("title"), "authors": entry.get("author"), "outlet": outlet,
              "url": entry.get("link"),
              "published": dt.date(*parsed[:3]).isoformat() if parsed else None}
    for name, value in values.items():
        if value and str(value).strip():
            found.append(Evidence(name, " ".join(str(value).split()), str(value), "feed-entry"))
    return tuple(found)


def _embedded(entry: dict) -> str | None:
    for item in entry.get("content") or []:
        value = item.get("value", "")
        text = fragment_text(value) if "html" in item.get("type", "html") else value
        if len(text.split()) > FULL_TEXT_WORDS:
            return text
    return None


def iter_feed(data: bytes, source: str, fetch_article: FetchArticle,
              given: tuple[Evidence, ...] = ()) -> Iterator[Article | SourceError]:
    """Articles of a feed's entries; a bad entry yields its SourceError."""
    parsed = feedparser.parse(io.BytesIO(data))  # a stream: never read as a path or URL
    if not parsed.get("version"):
        raise SourceError(source, "is not an RSS or Atom feed (feedparser found no feed in it); "
                                  "give a feed URL or an article page")
    if not parsed.entries:
        raise EmptyInput(source, "is a feed with no entries; try again when it has some")
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        evidence = (*given, *_entry_evidence(entry, outlet))
        where = entry.get("link") or f"{source}#entry-{number}"
        try:
            text = _embedded(entry)
            if text is not None:
                yield build_article(text, where, evidence, title_line=False)
            elif entry.get("link"):
                yield fetch_article(entry["link"], evidence)
            else:
                raise EmptyInput(where, "is a feed entry with neither full text nor a link")
        except SourceError as error:
            yield error
