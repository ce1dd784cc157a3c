"""Crash safety: SIGKILL a writer at random points of an ingest, then check the store.

A generated JSONL dump of ``ARTICLES`` distinct articles is ingested into one
SQLite store by a child process (``pipeline.ingest_into``). The parent draws
``kills`` random points of the ingest, and for each waits until the store
holds that many articles (more than before, so the writer is busy writing),
lets a random fraction of a batch pass, and kills the child with SIGKILL.
After each kill it checks:

* ``PRAGMA integrity_check`` answers ``ok``;
* no half batch: the count is a multiple of ``pipeline.BATCH_SIZE``;
* no half article: every stored row equals the Article an uninterrupted
  ingest makes of its source line, field by field;
* nothing stored is lost: the count never goes down.

The next trial re-runs the same ingest (which may be killed again); a last
re-run, never killed, must leave all ``ARTICLES`` stored.
``python -m benchmarks.crash_safety [--articles N] [--kills K]``.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rashomon.ingest import ingest
from rashomon.pipeline import BATCH_SIZE
from rashomon.store import Store

TITLE = "crash safety: SIGKILL during ingest"
ARTICLES = 10_000
KILLS = 20
SEED = 9
WRITER = "import sys\nfrom rashomon.pipeline import ingest_into\nfrom rashomon.store import Store\n" \
         "with Store.open(sys.argv[1]) as store:\n    ingest_into(store, [sys.argv[2]])\n"


@dataclass(frozen=True, slots=True)
class Kill:
    target: int  # the article count the parent waited for
    stored: int  # articles in the store after the kill
    integrity: str
    complete_rows: bool
    killed: bool  # False when the writer finished before the signal


def write_dump(path: Path, count: int) -> Path:
    """``count`` distinct articles as JSONL lines with ids, titles and outlets."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = (f"Crews finished section {n} of the sea wall on Monday, the council said.\n\n"
                    f"Section {n} cost {n * 7 % 97 + 3} thousand euros and took {n % 11 + 2} weeks, "
                    f"the engineers' report on section {n} says.")
            record = {"id": f"crash-{n:05d}", "title": f"Sea wall section {n}", "outlet": f"Outlet {n % 7}",
                      "published": f"2024-03-{n % 28 + 1:02d}", "text": text}
            out.write(json.dumps(record) + "\n")
    return path


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0


def _kill_at(db: Path, dump: Path, target: int, rng: random.Random) -> bool:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(dump)])
    while writer.poll() is None and _count(db) < target:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.15))  # somewhere inside the next batch
    if writer.poll() is not None:
        return False
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    return True


def _check(db: Path, expected: dict) -> tuple[str, int, bool]:
    with sqlite3.connect(db) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    with Store.open(db) as store:
        stored = store.articles()
    return integrity, len(stored), all(expected.get(a.id) == a for a in stored)


def run_trials(folder: Path, articles: int, kills: int, seed: int = SEED) -> tuple[list[Kill], int, dict]:
    """Kill ``kills`` writers; returns the kills, the final count and the expected articles."""
    rng = random.Random(seed)
    dump, db = write_dump(folder / "dump.jsonl", articles), folder / "crash.db"
    expected = {a.id: a for a in ingest([str(dump)]).articles}
    results, previous = [], 0
    for target in sorted(rng.sample(range(1, articles), kills)):
        target = max(target, previous + 1)  # wait for this writer's own rows: it is writing when killed
        killed = _kill_at(db, dump, target, rng)
        integrity, stored, complete = _check(db, expected)
        assert stored >= previous, f"a kill lost articles: {previous} before, {stored} after"
        previous = stored
        results.append(Kill(target, stored, integrity, complete, killed))
    done = subprocess.run([sys.executable, "-c", WRITER, str(db), str(dump)], check=True, timeout=600)
    assert done.returncode == 0
    integrity, final, complete = _check(db, expected)
    assert integrity == "ok" and complete
    return results, final, expected


def run(console: Console, articles: int = ARTICLES, kills: int = KILLS) -> None:
    with tempfile.TemporaryDirectory(prefix="rashomon-crash-") as folder:
        started = time.monotonic()
        results, final, _ = run_trials(Path(folder), articles, kills)
        seconds = time.monotonic() - started
    table = Table(title=f"{TITLE} ({articles:,} articles, batches of {BATCH_SIZE})")
    for column in ("kill", "waited for", "stored after", "whole batches", "integrity", "rows complete", "killed"):
        table.add_column(column, justify="right")
    for number, kill in enumerate(results, 1):
        table.add_row(str(number), f"{kill.target:,}", f"{kill.stored:,}", str(kill.stored % BATCH_SIZE == 0 or kill.stored == articles),
                      kill.integrity, str(kill.complete_rows), str(kill.killed))
    console.print(table)
    passed = sum(k.integrity == "ok" and k.complete_rows for k in results)
    killed = sum(k.killed for k in results)
    console.print(f"{killed}/{len(results)} writers killed mid-ingest (the others finished first); "
                  f"{passed}/{len(results)} left a consistent store; the last re-run stored "
                  f"{final:,}/{articles:,} articles; {seconds:.0f} s in all")


def main(run, description: str, articles: int, kills: int) -> None:
    """Command line of a crash-safety benchmark: ``--articles`` and ``--kills``, then ``run``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=articles)
    parser.add_argument("--kills", type=int, default=kills)
    arguments = parser.parse_args()
    run(Console(), arguments.articles, arguments.kills)


if __name__ == "__main__":
    main(run, __doc__.splitlines()[0], ARTICLES, KILLS)
