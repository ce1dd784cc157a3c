"""A manifest gives metadata per file: CSV or a JSON list of objects.

Columns: ``file`` (required, relative to the manifest's folder), ``outlet``,
``url``, ``published`` and, when present, ``title``, ``language``,
``authors``. A path that leaves the manifest's folder is refused. Values are
evidence with method ``manifest``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from rashomon.errors import SourceError
from rashomon.ingest.text import decode_bytes, given_evidence
from rashomon.model import Evidence

__all__ = ["Manifest", "read_manifest"]

_COLUMNS = ("outlet", "url", "published", "title", "language", "authors")


@dataclass(frozen=True, slots=True)
class Manifest:
    """Evidence per resolved file path, in manifest order, and refused rows."""

    path: Path
    files: tuple[tuple[Path, tuple[Evidence, ...]], ...]
    problems: tuple[SourceError, ...]

    def evidence_for(self, path: Path) -> tuple[Evidence, ...]:
        resolved = path.resolve()
        return next((evidence for file, evidence in self.files if file == resolved), ())


def _rows(path: Path) -> list[dict]:
    content = decode_bytes(path.read_bytes(), str(path))
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(content)
        except json.JSONDecodeError as error:
            raise SourceError(str(path), f"is not valid JSON ({error.msg} at line {error.lineno})") from error
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SourceError(str(path), "must be a JSON list of objects with a 'file' key")
        return rows
    return list(csv.DictReader(io.StringIO(content, newline="")))


def _entry(row: dict, folder: Path, where: str) -> tuple[Path, tuple[Evidence, ...]]:
    name = str(row.get("file") or "").strip()
    if not name:
        raise SourceError(where, "has no 'file' value; name the file this row describes")
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):
        raise SourceError(where, f"names {name!r}, which is outside the manifest's folder "
                                 f"{folder}; keep the files beside or below the manifest")
    known = {k: row[k] for k in _COLUMNS if row.get(k) not in (None, "")}
    return target, given_evidence(known, "manifest", where)


def read_manifest(path: str | Path) -> Manifest:
    """Read a manifest; SourceError when the file itself cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(str(path), "manifest not found; give the path of a CSV or JSON manifest")
    folder = path.parent.resolve()
    files, problems = [], []
    for number, row in enumerate(_rows(path), start=1):
        try:
            files.append(_entry(row, folder, f"{path} row {number}"))
        except SourceError as error:
            problems.append(error)
    return Manifest(path.resolve(), tuple(files), tuple(problems))
