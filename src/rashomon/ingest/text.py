"""Plain text to Article: decode bytes, clean, read metadata, pick values.

Metadata comes as :class:`~rashomon.model.Evidence` in order of trust: values
given by the caller (``given``, ``manifest``, ``bulk-field``), then what the
page declares (``html-meta``, ``feed-entry``), then what the text shows
(``dateline``, ``byline``, ...). The first evidence for a field wins and is
the one kept on the article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import charset_normalizer

from rashomon.errors import ConfigError, EmptyInput, SourceError
from rashomon.ingest.clean import clean
from rashomon.ingest.ids import article_id
from rashomon.ingest.metadata import infer_metadata
from rashomon.model import Article, Evidence

__all__ = ["FIELDS", "article_from_text", "build_article", "given_evidence", "decode_bytes"]

#: Fields a caller, a manifest or a bulk record may give.
FIELDS = ("id", "title", "outlet", "url", "published", "language", "authors", "story")
_UTF8_BOM = b"\xef\xbb\xbf"


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Text from bytes: UTF-8, else the declared charset, else detected.

    Raises SourceError for binary data (NUL bytes) or bytes no charset decodes.
    """
    if b"\x00" in data[:65536]:
        raise SourceError(source, "is a binary file (it contains NUL bytes); give a text, HTML, "
                                  "feed, JSONL or CSV file")
    try:
        return data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise SourceError(source, "cannot be decoded as text in any known encoding; "
                                  "save it as UTF-8")
    return str(best)


def given_evidence(known: Mapping[str, object], method: str, source: str) -> tuple[Evidence, ...]:
    """Evidence for values given by a caller, a manifest or a bulk record."""
    unknown = sorted(set(known) - set(FIELDS))
    if unknown:
        raise ConfigError(f"{source}: unknown metadata field(s) {', '.join(unknown)}; "
                          f"valid fields are {', '.join(FIELDS)}")
    found = []
    for name in FIELDS:
        value = known.get(name)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v).strip() for v in value if str(v).strip())
        if value is not None and str(value).strip():
            found.append(Evidence(name, str(value).strip(), str(value).strip(), method))
    return tuple(found)


def _first(evidence: Sequence[Evidence]) -> dict[str, Evidence]:
    chosen: dict[str, Evidence] = {}
    for item in evidence:
        chosen.setdefault(item.field, item)
    return chosen


def build_article(raw: str, source: str, given: Sequence[Evidence] = (), *,
                  title_line: bool = True, extras: Sequence[tuple[str, str]] = ()) -> Article:
    """Clean ``raw`` and make an Article; ``given`` evidence wins over inferred.

    ``title_line=False`` when the title is known from elsewhere (HTML, feed),
    so the first line of the body is never taken for one. Raises EmptyInput
    when no article text is left.
    """
    cleaned = clean(raw, title=title_line)
    if not cleaned.text.strip():
        cut = ", ".join(sorted({r.reason for r in cleaned.removed})) or "nothing"
        raise EmptyInput(source, f"holds no article text (cut: {cut}); give a file with the "
                                 "article's body")
    chosen = _first([*given, *infer_metadata(cleaned, frozenset(e.field for e in given))])
    value = {name: item.value for name, item in chosen.items()}
    evidence = tuple(item for name, item in sorted(chosen.items()) if name not in ("id", "url", "story"))
    authors = tuple(a.strip() for a in value.get("authors", "").split(";") if a.strip())
    return Article(
        id=value.get("id") or article_id(value.get("url"), cleaned.text),
        source=source, text=cleaned.text, outlet=value.get("outlet"), title=value.get("title"),
        authors=authors, published=value.get("published"), language=value.get("language"),
        url=value.get("url"), story=value.get("story"), paragraphs=cleaned.paragraphs,
        removed=cleaned.removed, evidence=evidence, extras=tuple(sorted(extras)))


def article_from_text(raw: str, source: str, *, known: Mapping[str, str] | None = None) -> Article:
    """Clean a plain text and read its metadata.

    ``known`` gives fields (title, outlet, url, published, language, authors,
    story, id) that win over inferred ones; their evidence method is ``given``.
    """
    return build_article(raw, source, given_evidence(known or {}, "given", source))
