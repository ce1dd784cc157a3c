"""The SQLite store: round trips, idempotence, atomic batches, migrations, crashes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing, contextmanager
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.errors import StoreError
from rashomon.model import Annotation, Article, Entity, Evidence, Removed, Skip, Span, Story
from rashomon.records import to_data
from rashomon.store import MIGRATIONS, SCHEMA_VERSION, Store

from briefing_factory import hostile_briefing


@contextmanager
def connect(path, timeout: float = 5.0):
    """A plain sqlite3 connection that commits and closes (the store is not involved)."""
    with closing(sqlite3.connect(path, timeout=timeout)) as db, db:
        yield db


def full_article(article_id: str = "a1", text: str = "Officials said the dam held.\n\nNobody was hurt.") -> Article:
    """An article with every field set to something other than its default."""
    return Article(
        id=article_id, source=f"/data/{article_id}.html", text=text, outlet="Valley Wire", title="Dam holds",
        authors=("Ana Ruiz", "Ben Ode"), published="2025-03-14T08:30:00+01:00", language="en",
        url=f"https://example.org/{article_id}", story="given-story-7",
        paragraphs=(Span(0, 28), Span(30, 46)),
        removed=(Removed("Share this article", "share line", 0, 18, 0), Removed("Ad", "advert", 50, 52, 28)),
        evidence=(Evidence("outlet", "Valley Wire", "PORT (Valley Wire)", "dateline"),
                  Evidence("published", "2025-03-14", "March 14, 2025", "date-line")),
        extras=(("section", "World"), ("wordcount", "8")),
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "test.db") as opened:
        yield opened


def test_every_article_field_round_trips(store):
    article = full_article()
    assert store.add_articles([article]) == (1, 0)
    assert store.article("a1") == article
    assert store.articles() == (article,)


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, title=st.none() | texts, authors=st.lists(texts, max_size=3).map(tuple),
       extras=st.lists(st.tuples(texts, texts), max_size=3).map(tuple))
def test_arbitrary_text_round_trips(text, title, authors, extras):
    article = Article(id="x", source="s", text=text, title=title, authors=authors, extras=extras)
    with Store.open(":memory:") as memory:
        memory.add_articles([article])
        assert memory.articles() == (article,)


def test_the_same_batch_twice_is_stored_once(store):
    batch = [full_article(f"a{i}") for i in range(5)]
    assert store.add_articles(batch) == (5, 0)
    assert store.add_articles(batch) == (0, 5)
    assert store.count() == 5
    assert [a.id for a in store.articles()] == sorted(a.id for a in batch)


def test_a_stored_article_is_left_untouched(store):
    store.add_articles([full_article("a1", text="First version.")])
    assert store.add_articles([full_article("a1", text="Second version.")]) == (0, 1)
    assert store.article("a1").text == "First version."


def test_articles_by_ids_are_sorted_and_missing_ones_raise(store):
    store.add_articles([full_article(i) for i in ("c", "a", "b")])
    assert [a.id for a in store.articles(["c", "a", "zzz"])] == ["a", "c"]
    with pytest.raises(StoreError, match="'zzz'"):
        store.article("zzz")


def test_a_failing_batch_stores_nothing(store):
    broken = replace(full_article("b2"), extras=(("when", object()),))  # not JSON-able
    with pytest.raises(TypeError):
        store.add_articles([full_article("b1"), broken, full_article("b3")])
    assert store.count() == 0
    assert store.add_articles([full_article("b1")]) == (1, 0)


def test_runs_and_skips_are_recorded(store):
    run = store.start_run()
    store.record_skips(run, [Skip("a.bin", "binary file"), Skip("b.txt", "empty")])
    store.finish_run(run, added=3, already_stored=1, skipped=2)
    assert store.skips(run) == (Skip("a.bin", "binary file"), Skip("b.txt", "empty"))
    [recorded] = store.runs()
    assert (recorded["id"], recorded["added"], recorded["already_stored"], recorded["skipped"]) == (run, 3, 1, 2)
    assert recorded["finished"] >= recorded["started"]


def _annotation(vectors: bool = True) -> Annotation:
    base = hostile_briefing().annotation
    entities = (
        Entity("e1", "Ana Ruiz", "PERSON", ("Ruiz",), (("a1", 80, 88), ("a2", 3, 7)), "Mayor"),
        Entity("e2", "Valley", "GPE", (), (("a2", 10, 16),)),
    )
    rows = len(base.vectors)
    matrix = np.random.default_rng(3).random((rows, 384), dtype=np.float32) if vectors else np.zeros((0, 384), np.float32)
    return Annotation(base.documents, entities, matrix)


def test_annotations_round_trip_with_their_vectors(store):
    annotation = _annotation()
    store.put_annotations(annotation)
    rebuilt = store.annotations(["a1", "a2"])
    assert to_data(rebuilt.documents) == to_data(annotation.documents)
    assert rebuilt.entities == annotation.entities
    assert np.array_equal(rebuilt.vectors, annotation.vectors)
    assert rebuilt.vectors.dtype == np.float32


def test_annotations_of_a_subset_match_annotation_subset(store):
    annotation = _annotation()
    store.put_annotations(annotation)
    rebuilt, expected = store.annotations(["a2"]), annotation.subset(["a2"])
    assert rebuilt.entities == expected.entities
    assert np.array_equal(rebuilt.vectors, expected.vectors)


def test_annotations_without_vectors_and_missing_ones(store):
    store.put_annotations(_annotation(vectors=False))
    assert store.annotations(["a1", "a2"]).vectors.shape == (0, 384)
    with pytest.raises(StoreError, match="not annotated.*nope"):
        store.annotations(["a1", "nope"])


def test_stories_are_replaced_and_history_appended(store):
    first = Story("s1", "Dam fails", ("a1", "a2", "a3"), "2025-03-14", "2025-03-15", (("a3", "a1"),))
    store.save_stories([first], [("created", "s1", {"articles": ["a1", "a2", "a3"]})])
    assert store.stories() == (first,)
    split = (Story("s2", "Dam fails", ("a1", "a3"), duplicates=(("a3", "a1"),)), Story("s3", "Evacuation", ("a2",)))
    store.save_stories(split, [("split", "s1", {"into": ["s2", "s3"]})])
    assert store.stories() == split
    history = store.story_history()
    assert [(h["seq"], h["action"], h["story_id"]) for h in history] == [(1, "created", "s1"), (2, "split", "s1")]
    assert history[1]["detail"] == {"into": ["s2", "s3"]}


def test_document_vectors_round_trip(store):
    assert store.document_vectors()[1].shape == (0, 0)
    matrix = np.random.default_rng(1).random((3, 8), dtype=np.float32)
    store.put_document_vectors(["c", "a", "b"], matrix)
    ids, stored = store.document_vectors()
    assert ids == ("a", "b", "c")
    assert np.array_equal(stored, matrix[[1, 2, 0]])
    with pytest.raises(StoreError, match="2 article ids but 3 vectors"):
        store.put_document_vectors(["a", "b"], matrix)


def _tables(path) -> set[str]:
    with connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_an_empty_version_0_database_is_migrated(tmp_path):
    path = tmp_path / "v0.db"
    with connect(path):
        pass
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION == len(MIGRATIONS)
    assert {"articles", "runs", "skips", "annotations", "stories", "story_articles", "story_history",
            "document_vectors"} <= _tables(path)


def test_an_older_database_keeps_its_data_when_migrated(tmp_path):
    path = tmp_path / "v1.db"
    with Store.open(path) as store:
        store.add_articles([full_article()])
    with connect(path) as db:  # roll the file back to version 1
        db.execute("DROP TRIGGER articles_fts_insert")
        db.execute("DROP TRIGGER articles_fts_delete")
        for table in ("articles_fts", "annotations", "story_articles", "stories", "story_history", "document_vectors"):
            db.execute(f"DROP TABLE {table}")
        db.execute("PRAGMA user_version = 1")
    assert "annotations" not in _tables(path) and "articles_fts" not in _tables(path)
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION
        assert store.articles() == (full_article(),)
        store.put_document_vectors(["a1"], np.ones((1, 4), np.float32))
        assert [hit[0] for hit in store.search("dam held")] == ["a1"]  # the index was built from old rows


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}.*upgrade rashomon"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        Store.open(path)


def test_the_database_uses_wal(tmp_path):
    with Store.open(tmp_path / "w.db") as store:
        store.add_articles([full_article()])
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = textwrap.dedent("""
    import sys
    from rashomon.model import Article
    from rashomon.store import Store

    path, batches, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    filler = "The reservoir level rose again overnight. " * 60
    with Store.open(path) as store:
        for b in range(batches):
            batch = [Article(id=f"{b:04d}-{i:04d}", source=f"s{b}-{i}", text=f"{b} {i} " + filler,
                             title=f"Title {b} {i}", authors=("A", "B"))
                     for i in range(size)]
            store.add_articles(batch)
""")


def _count(path) -> int:
    with connect(path, timeout=30) as db:
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:  # the writer has not created the table yet
            return 0


def test_a_killed_writer_leaves_a_consistent_database(tmp_path):
    path, script = tmp_path / "killed.db", tmp_path / "writer.py"
    script.write_text(WRITER)
    batches, size = 60, 200
    command = [sys.executable, str(script), str(path), str(batches), str(size)]
    writer = subprocess.Popen(command)
    deadline = time.monotonic() + 60
    while _count(path) < 3 * size and time.monotonic() < deadline and writer.poll() is None:
        time.sleep(0.01)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL, "the writer finished before it could be killed"

    with connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = _count(path)
    assert 0 < stored < batches * size and stored % size == 0, f"{stored} articles: a batch was half written"
    with Store.open(path) as store:
        last = store.articles()[-1]
        assert last.text.endswith("overnight. ") and last.authors == ("A", "B")

    subprocess.run(command, check=True, timeout=120)  # re-running completes the job
    assert _count(path) == batches * size


def test_a_database_in_a_missing_folder_is_refused_with_its_path(tmp_path):
    path = tmp_path / "no" / "such" / "folder" / "r.db"
    with pytest.raises(StoreError, match=r"cannot open the database .*folder/r\.db.*check that the folder exists"):
        Store.open(path)


def test_search_finds_every_word_in_titles_and_texts(store):
    store.add_articles([
        full_article("a1", text="The council approved the flood barrier on Monday."),
        full_article("a2", text="Flood waters reached the old bridge; the barrier held."),
        full_article("a3", text="Markets were calm."),
    ])
    assert sorted(hit[0] for hit in store.search("flood barrier")) == ["a1", "a2"]
    assert [hit[0] for hit in store.search('BRIDGE "barrier" (held)!')] == ["a2"]
    assert sorted(hit[0] for hit in store.search("dam holds")) == ["a1", "a2", "a3"]  # titles are indexed too
    article_id, title, snippet = store.search("calm")[0]
    assert (article_id, title) == ("a3", "Dam holds") and "Markets were calm" in snippet
    assert store.search("  ...  ") == [] and store.search("nowhere") == []
    assert len(store.search("flood", limit=1)) == 1


def test_annotated_names_the_ids_with_a_stored_annotation(store):
    assert store.annotated(["a1", "a2"]) == frozenset()
    store.put_annotations(_annotation())
    assert store.annotated(["a2", "zzz", "a1", "a2"]) == {"a1", "a2"}
