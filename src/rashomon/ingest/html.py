"""HTML page to Article: trafilatura finds the body and the page's metadata."""

from __future__ import annotations

import re

import trafilatura

from rashomon.errors import EmptyInput
from rashomon.ingest.clean import normalise_words
from rashomon.ingest.text import build_article
from rashomon.model import Article, Evidence

__all__ = ["MIN_ARTICLE_WORDS", "article_from_html"]

#: Fewer words than this in what trafilatura extracts is no article (a menu, a login form).
MIN_ARTICLE_WORDS = 20
# dates only from the page's markup (meta tags, structured data), never guessed from its text
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)


def _page_evidence(document: object, page: str | bytes) -> list[Evidence]:
    found = []
    for name, attribute in (("title", "title"), ("authors", "author"), ("published", "date"),
                            ("outlet", "sitename")):
        value = getattr(document, attribute, None)
        if value and str(value).strip():
            found.append(Evidence(name, str(value).strip(), str(value).strip(), "html-meta"))
    head = page[:8192].encode("utf-8", "replace") if isinstance(page, str) else page[:8192]
    lang = _LANG.search(head)
    if lang:
        code = lang.group(1).decode("ascii").lower()
        found.append(Evidence("language", code, lang.group(0).decode("ascii", "replace"), "html-meta"))
    return found


def article_from_html(page: str | bytes, source: str, given: tuple[Evidence, ...] = (),
                      url: str | None = None) -> Article:
    """The article in an HTML page; raises EmptyInput when the page has none.

    The text cleaning sees (and ``Removed`` offsets point into) is the
    extracted body, one paragraph per block, blocks separated by a blank line.
    """
    document = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                           include_tables=False, date_extraction_params=_DATE_PARAMS)
    body = getattr(document, "text", None) or ""
    words = len(body.split())
    if words < MIN_ARTICLE_WORDS:
        raise EmptyInput(source, f"is an HTML page with no article in it ({words} words of text "
                                 f"found, under {MIN_ARTICLE_WORDS}); give the page of the article "
                                 "itself, not an index, login or error page")
    found = _page_evidence(document, page)
    if url:
        found.append(Evidence("url", url, url, "page-url"))
    blocks = [line for line in body.splitlines() if line.strip()]
    title = next((e.value for e in found if e.field == "title"), None)
    leading_title = bool(title and blocks and normalise_words(blocks[0]) == normalise_words(title))
    return build_article("\n\n".join(blocks), source, (*given, *found), title_line=leading_title)
