"""SQLite persistence: the only place that maps records to rows.

One file (``rashomon.db`` by default), WAL mode, so readers never block the
writer and a process killed mid-write leaves the last committed state.
Every write method is one transaction: a batch commits wholly or not at all.

The schema is versioned with ``PRAGMA user_version``: :data:`MIGRATIONS` is
an ordered list, migration ``n`` takes a database from version ``n`` to
``n + 1``. Opening an older database migrates it; a database written by a
newer rashomon is refused with a :class:`~rashomon.errors.StoreError`.

The tables are listed in :mod:`rashomon.migrations`. Tuples of records are
stored as JSON (:mod:`rashomon.records`), vectors as float32 BLOBs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .errors import StoreError
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .model import Annotated, Annotation, Article, Entity, Evidence, Removed, Skip, Span, Story
from .records import from_data, to_data

__all__ = ["Store", "MIGRATIONS", "SCHEMA_VERSION", "DEFAULT_PATH", "content_hash"]

log = logging.getLogger(__name__)

DEFAULT_PATH = "rashomon.db"

_ARTICLE_COLUMNS = (
    "id", "source", "text", "outlet", "title", "authors", "published", "language",
    "url", "story", "paragraphs", "removed", "evidence", "extras",
)
_JSON_FIELDS = {
    "authors": tuple[str, ...],
    "paragraphs": tuple[Span, ...],
    "removed": tuple[Removed, ...],
    "evidence": tuple[Evidence, ...],
    "extras": tuple[tuple[str, str], ...],
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":"))


def content_hash(text: str) -> str:
    """sha256 of an article's cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """A rashomon database. Use as a context manager: ``with Store.open(p) as s:``."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._db = connection
        self.path = path

    # -- opening and migrating ------------------------------------------------

    @classmethod
    def open(cls, path: str | Path = DEFAULT_PATH) -> Store:
        """Open (creating or migrating as needed) the database at ``path``."""
        path = str(path)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the database {path!r}: {exc}; check that the folder exists and that "
                "the file is a rashomon database (or pass another path with --db)"
            ) from exc
        store = cls(db, path)
        try:
            store._migrate()
        except BaseException:
            db.close()
            raise
        return store

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path!r} has schema version {version}, but this rashomon knows "
                f"versions up to {SCHEMA_VERSION}; upgrade rashomon or use another database (--db)"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction() as db:
                if db.execute("PRAGMA user_version").fetchone()[0] >= target:
                    continue  # another process migrated it meanwhile
                for statement in MIGRATIONS[target - 1]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            log.info("migrated %s to schema version %d", self.path, target)

    @property
    def version(self) -> int:
        """The schema version the file is at (``PRAGMA user_version``)."""
        try:
            return self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path!r} is not a rashomon database ({exc}); pass another path with --db") from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the database {self.path!r}: {exc}") from exc
        try:
            yield self._db
        except sqlite3.Error as exc:
            self._db.execute("ROLLBACK")
            raise StoreError(f"cannot write to the database {self.path!r}: {exc}; nothing of this batch was stored") from exc
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot commit to the database {self.path!r}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- articles -------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> tuple[int, int]:
        """Store a batch in one transaction; ``(added, already_stored)``.

        An article whose id is already stored is left untouched, so storing
        the same batch twice stores it once.
        """
        added = already = 0
        placeholders = ", ".join("?" for _ in range(len(_ARTICLE_COLUMNS) + 2))
        sql = f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_COLUMNS)}, content_hash, ingested_at) VALUES ({placeholders})"
        stamp = _now()
        with self._transaction() as db:
            for article in articles:
                cursor = db.execute(sql, (*_article_row(article), content_hash(article.text), stamp))
                added += cursor.rowcount
                already += 1 - cursor.rowcount
        return added, already

    def articles(self, ids: Iterable[str] | None = None) -> tuple[Article, ...]:
        """Stored articles sorted by id (all of them, or those with the given ids)."""
        sql = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles"
        if ids is None:
            rows = self._db.execute(sql + " ORDER BY id").fetchall()
        else:
            wanted = sorted(set(ids))
            rows = [r for chunk in _chunks(wanted, 500) for r in self._db.execute(
                sql + f" WHERE id IN ({', '.join('?' for _ in chunk)})", chunk)]
            rows.sort(key=lambda r: r[0])
        return tuple(_article_from_row(r) for r in rows)

    def article(self, article_id: str) -> Article:
        found = self.articles([article_id])
        if not found:
            raise StoreError(f"no article with id {article_id!r} in {self.path!r}; list them with 'rashomon articles'")
        return found[0]

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str, str]]:
        """Articles whose title or text hold every word of ``query``, best first.

        Returns ``(article id, title, snippet)``; words are matched as FTS5
        tokens (case-insensitive), so punctuation in the query is ignored.
        """
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self._db.execute(
            "SELECT a.id, coalesce(a.title, ''), snippet(articles_fts, 1, '', '', '…', 16) FROM articles_fts "
            "JOIN articles AS a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [tuple(r) for r in rows]

    def count(self, table: str = "articles") -> int:
        if table not in _TABLES:
            raise StoreError(f"unknown table {table!r}; valid tables: {', '.join(_TABLES)}")
        return self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- runs and skips -------------------------------------------------------

    def start_run(self) -> int:
        """Open an ingest run; returns its id."""
        with self._transaction() as db:
            return db.execute("INSERT INTO runs (started) VALUES (?)", (_now(),)).lastrowid

    def finish_run(self, run: int, *, added: int, already_stored: int, skipped: int) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE runs SET finished = ?, added = ?, already_stored = ?, skipped = ? WHERE id = ?",
                (_now(), added, already_stored, skipped, run),
            )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first: id, started, finished and its counts."""
        cursor = self._db.execute("SELECT id, started, finished, added, already_stored, skipped FROM runs ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def record_skips(self, run: int | None, skips: Iterable[Skip]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT INTO skips (run, source, reason) VALUES (?, ?, ?)",
                           [(run, s.source, s.reason) for s in skips])

    def skips(self, run: int | None = None) -> tuple[Skip, ...]:
        """Recorded skips, of one run or of all, in the order they were recorded."""
        if run is None:
            rows = self._db.execute("SELECT source, reason FROM skips ORDER BY rowid")
        else:
            rows = self._db.execute("SELECT source, reason FROM skips WHERE run = ? ORDER BY rowid", (run,))
        return tuple(Skip(source, reason) for source, reason in rows)

    # -- annotations ----------------------------------------------------------

    def put_annotations(self, annotation: Annotation) -> None:
        """Store (or replace) each article's annotation, its entities and sentence vectors."""
        has_vectors = len(annotation.vectors) > 0
        with self._transaction() as db:
            for doc in annotation.documents:
                entities = [e for e in annotation.entities if any(m[0] == doc.id for m in e.mentions)]
                block = annotation.sentence_vectors(doc.id) if has_vectors else None
                db.execute(
                    "INSERT OR REPLACE INTO annotations (article_id, data, entities, vectors, rows, dim) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (doc.id, _json(doc), _json(entities), _blob(block), None if block is None else len(block),
                     None if block is None else annotation.vectors.shape[1]),
                )

    def annotated(self, ids: Iterable[str]) -> frozenset[str]:
        """Those of ``ids`` whose annotation is stored."""
        wanted, found = list(dict.fromkeys(ids)), set()
        for chunk in _chunks(wanted, 500):
            sql = f"SELECT article_id FROM annotations WHERE article_id IN ({', '.join('?' for _ in chunk)})"
            found.update(r[0] for r in self._db.execute(sql, chunk))
        return frozenset(found)

    def unplaced(self) -> tuple[str, ...]:
        """Ids of annotated articles that are in no story (an ``add`` stopped before placing them), sorted."""
        rows = self._db.execute("SELECT article_id FROM annotations WHERE article_id NOT IN "
                                "(SELECT article_id FROM story_articles) ORDER BY article_id")
        return tuple(r[0] for r in rows)

    def annotations(self, ids: Iterable[str]) -> Annotation:
        """Rebuild the Annotation of some articles, in the order given."""
        wanted = list(dict.fromkeys(ids))
        rows = {}
        for chunk in _chunks(wanted, 500):
            sql = f"SELECT article_id, data, entities, vectors, rows, dim FROM annotations WHERE article_id IN ({', '.join('?' for _ in chunk)})"
            rows.update({r[0]: r for r in self._db.execute(sql, chunk)})
        missing = [i for i in wanted if i not in rows]
        if missing:
            raise StoreError(f"articles not annotated in {self.path!r}: {', '.join(missing[:5])}; annotate them first")
        ordered = [rows[i] for i in wanted]
        documents = tuple(from_data(Annotated, json.loads(r[1])) for r in ordered)
        entities = _merge_entities([from_data(Entity, e) for r in ordered for e in json.loads(r[2])], set(wanted))
        return Annotation(documents, entities, _stack_vectors(ordered))

    # -- stories --------------------------------------------------------------

    def save_stories(self, stories: Sequence[Story], events: Sequence[tuple[str, str, dict]] = ()) -> None:
        """Replace the current stories and their members; append ``(action, story_id, detail)`` events."""
        stamp = _now()
        with self._transaction() as db:
            db.execute("DELETE FROM story_articles")
            db.execute("DELETE FROM stories")
            for story in stories:
                db.execute("INSERT INTO stories (id, label, first, last) VALUES (?, ?, ?, ?)",
                           (story.id, story.label, story.first, story.last))
                duplicate_of = dict(story.duplicates)
                db.executemany("INSERT INTO story_articles (story_id, article_id, duplicate_of) VALUES (?, ?, ?)",
                               [(story.id, a, duplicate_of.get(a)) for a in story.articles])
            db.executemany("INSERT INTO story_history (at, action, story_id, detail) VALUES (?, ?, ?, ?)",
                           [(stamp, action, story_id, _json(detail)) for action, story_id, detail in events])

    def stories(self) -> tuple[Story, ...]:
        """The current stories, sorted by id, with sorted article ids."""
        members: dict[str, list[tuple[str, str | None]]] = {}
        for story_id, article_id, dup in self._db.execute("SELECT story_id, article_id, duplicate_of FROM story_articles"):
            members.setdefault(story_id, []).append((article_id, dup))
        stories = []
        for story_id, label, first, last in self._db.execute("SELECT id, label, first, last FROM stories ORDER BY id"):
            rows = sorted(members.get(story_id, []))
            stories.append(Story(story_id, label, tuple(a for a, _ in rows), first, last,
                                 tuple((a, d) for a, d in rows if d is not None)))
        return tuple(stories)

    def story_history(self) -> list[dict[str, Any]]:
        """Every story event, oldest first: seq, at, action, story_id, detail."""
        rows = self._db.execute("SELECT seq, at, action, story_id, detail FROM story_history ORDER BY seq")
        return [{"seq": s, "at": at, "action": a, "story_id": sid, "detail": json.loads(d)} for s, at, a, sid, d in rows]

    # -- document vectors -----------------------------------------------------

    def put_document_vectors(self, ids: Sequence[str], matrix: np.ndarray) -> None:
        """Store (or replace) one float32 vector per article id (row ``i`` for ``ids[i]``)."""
        if len(ids) != len(matrix):
            raise StoreError(f"{len(ids)} article ids but {len(matrix)} vectors; pass one row per id")
        matrix = np.asarray(matrix, dtype=np.float32)
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO document_vectors (article_id, dim, vector) VALUES (?, ?, ?)",
                           [(i, matrix.shape[1], _blob(row)) for i, row in zip(ids, matrix)])

    def document_vectors(self) -> tuple[tuple[str, ...], np.ndarray]:
        """All document vectors, sorted by article id; an empty store gives shape ``(0, 0)``."""
        rows = self._db.execute("SELECT article_id, dim, vector FROM document_vectors ORDER BY article_id").fetchall()
        if not rows:
            return (), np.zeros((0, 0), dtype=np.float32)
        dims = {r[1] for r in rows}
        if len(dims) > 1:
            raise StoreError(f"document vectors of several sizes {sorted(dims)} in {self.path!r}; re-embed the articles")
        matrix = np.vstack([np.frombuffer(r[2], dtype=np.float32) for r in rows])
        return tuple(r[0] for r in rows), matrix


_TABLES = ("articles", "runs", "skips", "annotations", "stories", "story_articles", "story_history", "document_vectors")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]


def _article_row(article: Article) -> tuple:
    return tuple(
        _json(getattr(article, name)) if name in _JSON_FIELDS else getattr(article, name)
        for name in _ARTICLE_COLUMNS
    )


def _article_from_row(row: Sequence[Any]) -> Article:
    fields = {
        name: from_data(_JSON_FIELDS[name], json.loads(value)) if name in _JSON_FIELDS else value
        for name, value in zip(_ARTICLE_COLUMNS, row)
    }
    return Article(**fields)


def _blob(matrix: np.ndarray | None) -> bytes | None:
    if matrix is None:
        return None
    return np.ascontiguousarray(matrix, dtype=np.float32).tobytes()


def _stack_vectors(rows: list[Sequence[Any]]) -> np.ndarray:
    """One matrix from per-article blobs; zero rows unless every article has vectors."""
    if not rows or any(r[3] is None for r in rows):
        if any(r[3] is not None for r in rows):
            log.warning("some of the requested articles were annotated without vectors; returning none")
        dim = next((r[5] for r in rows if r[5]), 384)
        return np.zeros((0, dim), dtype=np.float32)
    dims = {r[5] for r in rows}
    if len(dims) > 1:
        raise StoreError(f"sentence vectors of several sizes {sorted(dims)}; re-annotate the articles")
    dim = dims.pop()
    blocks = [np.frombuffer(r[3], dtype=np.float32).reshape(r[4], dim) for r in rows]
    return np.vstack(blocks) if blocks else np.zeros((0, dim), dtype=np.float32)


def _merge_entities(entities: list[Entity], keep: set[str]) -> tuple[Entity, ...]:
    """Entities by id, mentions restricted to ``keep``, first-seen order."""
    merged: dict[str, Entity] = {}
    for entity in entities:
        mentions = tuple(m for m in entity.mentions if m[0] in keep)
        if entity.id in merged:
            known = merged[entity.id]
            extra = tuple(m for m in mentions if m not in known.mentions)
            aliases = known.aliases + tuple(a for a in entity.aliases if a not in known.aliases)
            entity = Entity(known.id, known.name, known.type, aliases, known.mentions + extra, known.description)
        else:
            entity = Entity(entity.id, entity.name, entity.type, entity.aliases, mentions, entity.description)
        merged[entity.id] = entity
    return tuple(merged.values())
