"""Bulk dumps: one article per JSONL line or CSV row.

Fields ``id, title, text, outlet, url, published, language, story`` (and
``authors``) are read; only ``text`` is required. Other fields are kept in
``Article.extras`` as sorted ``(key, str(value))`` pairs. Values from a
record are evidence with method ``bulk-field``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping

from rashomon.errors import SourceError
from rashomon.ingest.text import FIELDS, build_article, given_evidence
from rashomon.model import Article, Evidence

__all__ = ["iter_jsonl", "iter_csv", "article_from_record"]


def article_from_record(record: Mapping[str, object], source: str,
                        given: tuple[Evidence, ...] = ()) -> Article:
    """One bulk record as an Article; SourceError when it has no text."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError(source, "record has no 'text' (a non-empty string is required); "
                                  f"its fields are {', '.join(sorted(map(str, record))) or 'none'}")
    known = {k: v for k, v in record.items() if k in FIELDS and v not in (None, "")}
    extras = [(str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
              for k, v in record.items() if k not in FIELDS and k != "text"]
    evidence = (*given_evidence(known, "bulk-field", source), *given)
    return build_article(text, source, evidence, extras=extras)


def iter_jsonl(content: str, source: str, given: tuple[Evidence, ...] = ()) -> Iterator[Article | SourceError]:
    """Articles of a JSONL dump; a bad line yields its SourceError."""
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield SourceError(where, f"is not valid JSON ({error.msg} at column {error.colno})")
            continue
        if not isinstance(record, dict):
            yield SourceError(where, f"is a JSON {type(record).__name__}, not an object with a 'text' field")
            continue
        try:
            yield article_from_record(record, where, given)
        except SourceError as error:
            yield error


def iter_csv(content: str, source: str, given: tuple[Evidence, ...] = ()) -> Iterator[Article | SourceError]:
    """Articles of a CSV dump with a header row; a bad row yields its SourceError."""
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise SourceError(source, f"is a CSV without a 'text' column (columns: "
                                  f"{', '.join(reader.fieldnames or []) or 'none'}); add one")
    for row in reader:
        where = f"{source}:{reader.line_num}"
        record = {k: v for k, v in row.items() if k is not None}
        try:
            yield article_from_record(record, where, given)
        except SourceError as error:
            yield error
