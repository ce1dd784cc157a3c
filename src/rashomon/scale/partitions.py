"""Splitting batch inputs into partitions, and reading one partition back.

A partition is a small, deterministic description of where its articles are
(a byte range of a JSONL shard, a CSV file, a WARC file, a group of files), so
that a worker anywhere can read it, and a resumed batch plans the very same
partitions again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import IngestSettings
from ..errors import SourceError
from ..model import Article, Skip

__all__ = ["Partition", "plan_partitions", "read_partition"]

_FILE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
_HTML_TYPES = ("text/html", "application/xhtml")


@dataclass(frozen=True, slots=True)
class Partition:
    id: str
    kind: str  # "jsonl", "csv", "warc" or "files"
    paths: tuple[str, ...]
    start: int = 0  # byte range, for "jsonl"
    end: int = -1


def _partition(kind: str, paths: tuple[str, ...], start: int = 0, end: int = -1) -> Partition:
    key = json.dumps([kind, paths, start, end])
    return Partition(hashlib.sha256(key.encode()).hexdigest()[:16], kind, paths, start, end)


def plan_partitions(inputs: list[str], chunk_bytes: int = 8 * 1024 * 1024, files_per_partition: int = 500) -> list[Partition]:
    """Partitions for ``inputs``: JSONL split by byte ranges, other shards whole, loose files in groups."""
    partitions: list[Partition] = []
    loose: list[str] = []
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise SourceError(raw, "no such file or directory; check the path")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            name = file.name.lower()
            if name.endswith(".jsonl"):
                partitions += _jsonl_ranges(file, chunk_bytes)
            elif name.endswith(".csv"):
                partitions.append(_partition("csv", (str(file),)))
            elif name.endswith((".warc", ".warc.gz")):
                partitions.append(_partition("warc", (str(file),)))
            elif file.suffix.lower() in _FILE_SUFFIXES:
                loose.append(str(file))
    for begin in range(0, len(loose), files_per_partition):
        partitions.append(_partition("files", tuple(loose[begin : begin + files_per_partition])))
    return partitions


def _jsonl_ranges(file: Path, chunk_bytes: int) -> list[Partition]:
    size = file.stat().st_size
    return [_partition("jsonl", (str(file),), start, min(start + chunk_bytes, size)) for start in range(0, max(size, 1), chunk_bytes)]


def read_partition(partition: Partition, settings: IngestSettings) -> Iterator[Article | Skip]:
    """The articles (and skips) of one partition."""
    from ..ingest import iter_ingest

    if partition.kind == "jsonl":
        yield from _read_jsonl_range(partition)
    elif partition.kind == "warc":
        yield from _read_warc(partition.paths[0], settings.max_bytes)
    else:
        yield from iter_ingest(list(partition.paths), settings)


def _lines_in_range(path: str, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(line number within the range, line) for lines that begin inside [start, end)."""
    with open(path, "rb") as handle:
        if start:
            handle.seek(start - 1)
            if handle.read(1) != b"\n":
                handle.readline()  # the line that straddles `start` belongs to the previous range
        number = 0
        while handle.tell() < end:
            line = handle.readline()
            if not line:
                break
            number += 1
            yield number, line


def _read_jsonl_range(partition: Partition) -> Iterator[Article | Skip]:
    from ..ingest import article_from_record

    path = partition.paths[0]
    for number, line in _lines_in_range(path, partition.start, partition.end):
        where = f"{path}@{partition.start}+{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line must hold a JSON object")
            yield article_from_record(record, where)
        except (ValueError, SourceError) as error:
            yield Skip(where, f"broken JSONL line: {error}")


def _read_warc(path: str, max_bytes: int) -> Iterator[Article | Skip]:
    from warcio.archiveiterator import ArchiveIterator

    from ..ingest import article_from_html

    with open(path, "rb") as stream:
        for index, record in enumerate(ArchiveIterator(stream)):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or f"{path}#{index}"
            kind = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if not kind.lower().startswith(_HTML_TYPES):
                yield Skip(url, f"WARC record is not HTML (content type {kind or 'missing'!r})")
                continue
            body = record.content_stream().read(max_bytes + 1)  # a compressed record may expand enormously
            if len(body) > max_bytes:
                yield Skip(url, f"WARC record is over the cap of {max_bytes} bytes once decompressed; "
                                "raise IngestSettings.max_bytes to read it")
                continue
            try:
                yield article_from_html(body, url, url=url)
            except SourceError as error:
                yield Skip(url, error.problem)
