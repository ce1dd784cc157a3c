"""The store's SQL schema, as an ordered list of migrations (see :mod:`rashomon.store`).

Tables: ``articles``, ``runs``, ``skips`` (version 1); ``annotations``,
``stories``, ``story_articles``, ``story_history``, ``document_vectors``
(version 2); ``articles_fts``, a full-text index of titles and texts kept in
step by triggers (version 3). To change the schema, append a migration; never
edit one that has shipped.
"""

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]

#: Migration ``n`` (0-based) takes the schema from version ``n`` to ``n + 1``.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, source TEXT NOT NULL, text TEXT NOT NULL,
            outlet TEXT, title TEXT, authors TEXT NOT NULL, published TEXT,
            language TEXT, url TEXT, story TEXT, paragraphs TEXT NOT NULL,
            removed TEXT NOT NULL, evidence TEXT NOT NULL, extras TEXT NOT NULL,
            content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL)""",
        "CREATE INDEX articles_content_hash ON articles (content_hash)",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
            added INTEGER, already_stored INTEGER, skipped INTEGER)""",
        """CREATE TABLE skips (
            run INTEGER REFERENCES runs (id), source TEXT NOT NULL, reason TEXT NOT NULL)""",
    ),
    (
        """CREATE TABLE annotations (
            article_id TEXT PRIMARY KEY, data TEXT NOT NULL,
            entities TEXT NOT NULL, vectors BLOB, rows INTEGER, dim INTEGER)""",
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY, label TEXT NOT NULL, first TEXT, last TEXT)""",
        """CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories (id), article_id TEXT NOT NULL,
            duplicate_of TEXT, PRIMARY KEY (story_id, article_id))""",
        """CREATE TABLE story_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL,
            story_id TEXT NOT NULL, detail TEXT NOT NULL)""",
        """CREATE TABLE document_vectors (
            article_id TEXT PRIMARY KEY, dim INTEGER NOT NULL, vector BLOB NOT NULL)""",
    ),
    (
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid')",
        """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END""",
        """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END""",
        "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
