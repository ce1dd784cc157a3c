"""RSS and Atom feeds: each entry becomes an article.

An entry that carries the full story (``content:encoded`` or Atom content
longer than :data:`FULL_TEXT_WORDS` words) is read from the feed itself;
otherwise its link is fetched like any URL. Entry metadata (title, author,
date, link, the feed's title as outlet) is evidence with method ``feed-entry``.

A feed whose DOCTYPE declares entities that could expand without bound
(nested references, long values: billion laughs, quadratic blowup) or read
other resources (``SYSTEM``/``PUBLIC``, parameter entities) is refused before
parsing; short literal entities such as ``<!ENTITY nbsp "&#160;">`` are
left to feedparser.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

import feedparser
import lxml.etree
import lxml.html

from rashomon.errors import EmptyInput, SourceError
from rashomon.ingest.text import build_article
from rashomon.model import Article, Evidence

__all__ = ["FULL_TEXT_WORDS", "MAX_ENTITY_CHARS", "iter_feed", "fragment_text", "check_entities"]

#: An entry's embedded content longer than this is taken as the full article.
FULL_TEXT_WORDS = 80
#: The longest entity value a feed may declare: at most a few times its reference's length.
MAX_ENTITY_CHARS = 16
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


_ENTITY = re.compile(r"<!ENTITY\s+(%\s+)?(\S+)\s+(?:(SYSTEM|PUBLIC)\b|(\"[^\"]*\"|'[^']*'))?", re.I)
_CHARACTER = re.compile(r"&#(\d+|x[0-9a-f]+);", re.I)
_BOMS = {b"\xff\xfe\x00\x00": "utf-32-le", b"\x00\x00\xfe\xff": "utf-32-be", b"\xff\xfe": "utf-16-le",
         b"\xfe\xff": "utf-16-be", b"\x00<\x00?": "utf-16-be", b"<\x00?\x00": "utf-16-le",
         b"\x00\x00\x00<": "utf-32-be", b"<\x00\x00\x00": "utf-32-le", b"\x4c\x6f\xa7\x94": "cp037"}
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")


def _decode(data: bytes) -> str:
    """The feed's text as feedparser would see it: by its BOM, else its declared encoding, else latin-1."""
    codec = next((codec for bom, codec in _BOMS.items() if data.startswith(bom)), None)
    declared = _DECLARED.match(data[:300].decode("latin-1"))
    try:  # a declared encoding such as utf-7 could hide "<!ENTITY" from a byte search
        return data.decode(codec or (declared.group(1) if declared else "latin-1"), errors="replace")
    except LookupError:  # an encoding Python does not know: feedparser cannot decode it either
        return data.decode("latin-1")


def _declarations(data: bytes) -> str:
    """The feed's text from its DOCTYPE on ("" without one), decoded enough to find declarations."""
    text = _decode(data)
    first_element = re.search(r"<[A-Za-z]", text)
    start = text.upper().find("<!DOCTYPE", 0, first_element.start() if first_element else len(text))
    return text[start:] if start >= 0 else ""


def _unsafe(match: re.Match) -> str | None:
    """Why an ``<!ENTITY`` declaration is unsafe to expand, or None for a short literal."""
    parameter, _, external, quoted = match.groups()
    if parameter:
        return "a parameter entity"
    if external:
        return f"an external ({external}) entity"
    if quoted is None:
        return "an entity declaration rashomon cannot read"
    if "&" in _CHARACTER.sub("", quoted):
        return "an entity that refers to other entities"
    return "an entity with a long value" if len(quoted) - 2 > MAX_ENTITY_CHARS else None


def check_entities(data: bytes, source: str) -> None:
    """SourceError when the feed's DOCTYPE declares an entity that is unsafe to expand."""
    for match in _ENTITY.finditer(_declarations(data)):
        why = _unsafe(match)
        if why:
            raise SourceError(source, f"declares {why} ({match.group(2)!r}) in its DOCTYPE, which could expand "
                                      "without bound or read other files; rashomon does not read such feeds: "
                                      "ask the publisher for a feed without entity declarations")


def iter_feed(data: bytes, source: str, fetch_article: FetchArticle,
              given: tuple[Evidence, ...] = ()) -> Iterator[Article | SourceError]:
    """Articles of a feed's entries; a bad entry yields its SourceError."""
    check_entities(data, source)
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
