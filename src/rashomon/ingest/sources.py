"""One source string (path, directory, URL) to articles, by kind.

=====================  =====================================================
source                 read as
=====================  =====================================================
``http(s)://...``      fetched; HTML page, plain text or feed by content type
directory              its supported files, recursively, in sorted order;
                       a folder with a ``manifest.csv`` or ``manifest.json``
                       is read as the files its manifest lists, with its
                       metadata; manifest files are never read as articles
``.txt`` ``.md``       plain text
``.html`` ``.htm``     HTML page (trafilatura)
``.jsonl`` ``.csv``    bulk dump, one article per line or row
``.xml`` ``.rss``      RSS or Atom feed
other file             plain text, or HTML when it starts like a page
=====================  =====================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from rashomon.config import IngestSettings
from rashomon.errors import SourceError
from rashomon.ingest.bulk import iter_csv, iter_jsonl
from rashomon.ingest.feeds import iter_feed
from rashomon.ingest.html import article_from_html
from rashomon.ingest.manifest import Manifest, read_manifest
from rashomon.ingest.text import build_article, decode_bytes
from rashomon.ingest.web import Download, check_scheme, fetch, kind_of, public_only_transport
from rashomon.model import Article, Evidence

__all__ = ["SourceReader", "SUFFIXES", "MANIFEST_NAMES"]

_TEXT = {".txt", ".md", ".text", ".markdown"}
_HTML = {".html", ".htm", ".xhtml"}
_JSONL = {".jsonl", ".ndjson"}
_CSV = {".csv"}
_FEED = {".xml", ".rss", ".atom"}
#: File suffixes read when a directory is given.
SUFFIXES = frozenset(_TEXT | _HTML | _JSONL | _CSV | _FEED)
#: A folder holding one of these is read as the files its manifest lists.
MANIFEST_NAMES = ("manifest.csv", "manifest.json")

Produced = Iterator[Article | SourceError]


@dataclass
class SourceReader:
    """Reads sources with one settings object, one HTTP client, one manifest."""

    settings: IngestSettings
    transport: httpx.BaseTransport | None = None
    manifest: Manifest | None = None
    _client: httpx.Client | None = field(default=None, init=False)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            transport = self.transport
            if transport is None and not self.settings.allow_private:
                transport = public_only_transport()
            self._client = httpx.Client(
                transport=transport, timeout=self.settings.timeout, follow_redirects=False,
                headers={"User-Agent": self.settings.user_agent})
        return self._client

    def read(self, source: str) -> Produced:
        """Articles of one source; problems inside a batch come as SourceErrors."""
        if "://" in source:
            yield from self._read_url(source)
            return
        path = Path(source)
        if path.is_dir():
            yield from self._read_directory(path)
        elif path.is_file():
            yield from self._read_file(path, explicit=True)
        else:
            raise SourceError(source, "no such file or directory; check the path")

    def _read_directory(self, folder: Path) -> Produced:
        manifest = self._folder_manifest(folder)
        if manifest is not None:
            yield from manifest.problems
            paths = [path for path, _ in manifest.files]
        else:
            paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in MANIFEST_NAMES
                           and not any(part.startswith(".") for part in p.relative_to(folder).parts))
        for path in paths:
            try:
                yield from self._read_file(path, explicit=manifest is not None, manifest=manifest)
            except SourceError as error:
                yield error

    def _folder_manifest(self, folder: Path) -> Manifest | None:
        """The manifest of a folder: the one given, or its own manifest.csv/.json."""
        if self.manifest is not None and self.manifest.path.parent == folder.resolve():
            return self.manifest
        if self.manifest is not None:
            return None
        found = [folder / name for name in MANIFEST_NAMES if (folder / name).is_file()]
        return read_manifest(found[0]) if found else None

    def _read_file(self, path: Path, *, explicit: bool, manifest: Manifest | None = None) -> Produced:
        source, suffix = str(path), path.suffix.lower()
        if not explicit and suffix not in SUFFIXES:
            raise SourceError(source, f"has an unsupported file type {suffix or '(none)'!r}; "
                                      f"rashomon reads {', '.join(sorted(SUFFIXES))}")
        if not path.is_file():
            raise SourceError(source, "no such file; check the path (or the manifest row naming it)")
        size = path.stat().st_size
        if size > self.settings.max_bytes:
            raise SourceError(source, f"is {size} bytes, over the cap of {self.settings.max_bytes}; "
                                      "raise IngestSettings.max_bytes or split the file")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceError(source, f"cannot be read ({error.strerror}); check its permissions") from error
        manifest = manifest or self.manifest
        given = manifest.evidence_for(path) if manifest else ()
        yield from self._read_bytes(data, source, suffix, given)

    def _read_bytes(self, data: bytes, source: str, suffix: str, given: tuple[Evidence, ...]) -> Produced:
        if suffix in _FEED:
            yield from iter_feed(data, source, self.fetch_article, given)
            return
        content = decode_bytes(data, source)
        if suffix in _JSONL:
            yield from iter_jsonl(content, source, given)
        elif suffix in _CSV:
            yield from iter_csv(content, source, given)
        elif suffix in _HTML or (suffix not in _TEXT and content.lstrip()[:200].lower().startswith(
                ("<!doctype html", "<html"))):
            yield article_from_html(content, source, given)
        else:
            yield build_article(content, source, given)

    def _read_url(self, url: str) -> Produced:
        check_scheme(url)
        download = fetch(url, self.settings, self.client)
        if kind_of(download) == "feed":
            yield from iter_feed(download.data, url, self.fetch_article)
        else:
            yield self.fetch_article(url, (), download)

    def fetch_article(self, url: str, given: tuple[Evidence, ...],
                      download: Download | None = None) -> Article:
        """The article at ``url`` (an HTML page or plain text), ``given`` winning."""
        download = download or fetch(url, self.settings, self.client)
        kind = kind_of(download)
        if kind == "feed":
            raise SourceError(url, "is a feed where an article page was expected")
        given = (*given, Evidence("url", download.url, url, "fetched"))
        content = decode_bytes(download.data, url, download.charset)
        if kind == "html":
            return article_from_html(content, url, given, url=download.url)
        return build_article(content, url, given)
