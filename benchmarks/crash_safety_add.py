"""Crash safety of ``add``: SIGKILL a writer during ingest + annotate + stories + vectors.

``pipeline.add`` writes in several transactions (article batches, then
annotations, document vectors, stories). Two kinds of kill:

* at each boundary: the child kills itself right after one of those
  transactions commits (``Store.add_articles``, ``put_annotations``,
  ``put_document_vectors``, ``save_stories``), the exact points where a
  crash leaves the most half-done work;
* at random times: the parent kills the child after a random delay.

After each kill: ``PRAGMA integrity_check`` is ``ok`` and every stored row
equals the Article an uninterrupted ingest makes (no half-written article).
After an uninterrupted re-run of the same ``add``: every article is stored,
annotated, has a document vector and is in exactly one story.
``python -m benchmarks.crash_safety_add [--articles N] [--kills K]``; the
annotator uses the ``hashing`` embedder (spaCy still runs) to keep it short.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.crash_safety import main, write_dump
from rashomon.ingest import ingest
from rashomon.store import Store

TITLE = "crash safety: SIGKILL during add"
ARTICLES = 300
KILLS = 8
SEED = 9
BOUNDARIES = ("add_articles", "put_annotations", "put_document_vectors", "save_stories")
WRITER = """import os, signal, sys
from rashomon.config import AnnotateSettings, Settings
from rashomon.pipeline import add
from rashomon.store import Store
if sys.argv[3] != "-":
    committed = getattr(Store, sys.argv[3])
    def commit_then_die(self, *args, **kwargs):
        committed(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(Store, sys.argv[3], commit_then_die)
with Store.open(sys.argv[1]) as store:
    add(store, [sys.argv[2]], Settings(annotate=AnnotateSettings(embedder="hashing")))
"""


@dataclass(frozen=True, slots=True)
class State:
    """What a store holds after a kill or a re-run."""

    integrity: str
    stored: int
    complete_rows: bool  # every stored row equals the article an uninterrupted ingest makes
    annotated: int
    with_vector: int
    in_one_story: int  # articles in exactly one story
    in_several: int  # articles in more than one story (never allowed)

    def finished(self, articles: int) -> bool:
        return (self.integrity == "ok" and self.complete_rows and self.in_several == 0
                and self.stored == self.annotated == self.with_vector == self.in_one_story == articles)


@dataclass(frozen=True, slots=True)
class Trial:
    point: str  # the boundary, or the delay before a random kill
    killed: bool  # False when the writer finished first
    after_kill: State
    after_rerun: State


def run_add(db: Path, dump: Path, die_after: str = "-", timeout: float = 600) -> int:
    """Run ``add`` in a child; ``die_after`` names the Store method after whose commit it kills itself."""
    return subprocess.run([sys.executable, "-c", WRITER, str(db), str(dump), die_after], timeout=timeout).returncode


def state(db: Path, expected: dict) -> State:
    with sqlite3.connect(db) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    with Store.open(db) as store:
        stored = store.articles()
        ids = [a.id for a in stored]
        memberships = Counter(a for story in store.stories() for a in story.articles)
        vectors = set(store.document_vectors()[0])
        annotated = store.annotated(ids)
    return State(integrity, len(stored), all(expected.get(a.id) == a for a in stored), len(annotated),
                 len(vectors & set(ids)), sum(memberships[i] == 1 for i in ids), sum(memberships[i] > 1 for i in ids))


def _kill_after(db: Path, dump: Path, seconds: float) -> bool:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(dump), "-"])
    try:
        writer.wait(seconds)
        return False
    except subprocess.TimeoutExpired:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        return True


def boundary_trials(folder: Path, articles: int) -> list[Trial]:
    """One fresh store per boundary: kill right after that commit, then re-run ``add``."""
    dump = write_dump(folder / "dump.jsonl", articles)
    expected = {a.id: a for a in ingest([str(dump)]).articles}
    trials = []
    for boundary in BOUNDARIES:
        db = folder / f"{boundary}.db"
        killed = run_add(db, dump, boundary) == -signal.SIGKILL
        after_kill = state(db, expected)
        run_add(db, dump)
        trials.append(Trial(boundary, killed, after_kill, state(db, expected)))
    return trials


def random_trials(folder: Path, articles: int, kills: int, seed: int = SEED) -> tuple[list[Trial], float]:
    """Kill ``add`` after random delays, each on a fresh store, each followed by a re-run."""
    rng = random.Random(seed)
    dump = write_dump(folder / "dump.jsonl", articles)
    expected = {a.id: a for a in ingest([str(dump)]).articles}
    probe = folder / "probe.db"
    started = time.monotonic()
    run_add(probe, dump)
    whole = time.monotonic() - started  # an uninterrupted add, start-up included
    trials = []
    for _ in range(kills):
        db = folder / f"random-{len(trials)}.db"
        delay = rng.uniform(0.2, whole)
        killed = _kill_after(db, dump, delay)
        after_kill = state(db, expected)
        run_add(db, dump)
        trials.append(Trial(f"{delay:.1f} s", killed, after_kill, state(db, expected)))
    return trials, whole


def run(console: Console, articles: int = ARTICLES, kills: int = KILLS) -> None:
    with tempfile.TemporaryDirectory(prefix="rashomon-crash-add-") as folder:
        started = time.monotonic()
        boundaries = Path(folder) / "boundaries"
        boundaries.mkdir()
        trials = boundary_trials(boundaries, articles)
        randoms, whole = random_trials(Path(folder), articles, kills)
        seconds = time.monotonic() - started
    table = Table(title=f"{TITLE} ({articles:,} articles; an uninterrupted add takes {whole:.1f} s)",
                  caption="placed: in exactly one story; re-run done: all stored, annotated, with a vector, placed")
    for column in ("killed at", "killed", "integrity", "rows ok", "stored", "annotated", "placed", "re-run done"):
        table.add_column(column, justify="right")
    for trial in trials + randoms:
        kill = trial.after_kill
        table.add_row(trial.point, str(trial.killed), kill.integrity, str(kill.complete_rows), str(kill.stored),
                      str(kill.annotated), str(kill.in_one_story), str(trial.after_rerun.finished(articles)))
    console.print(table)
    passed = sum(t.after_kill.integrity == "ok" and t.after_kill.complete_rows and t.after_rerun.finished(articles)
                 for t in trials + randoms)
    console.print(f"{sum(t.killed for t in trials + randoms)}/{len(trials + randoms)} writers killed; "
                  f"{passed}/{len(trials + randoms)} left a consistent store that one re-run completed; {seconds:.0f} s in all")


if __name__ == "__main__":
    main(run, __doc__.splitlines()[0], ARTICLES, KILLS)
