"""A short version of benchmarks/crash_safety.py: 3 SIGKILLs during an ingest of 2,000 articles."""

from __future__ import annotations

from benchmarks.crash_safety import run_trials
from rashomon.pipeline import BATCH_SIZE


def test_killed_ingests_leave_whole_batches_and_the_rerun_stores_everything(tmp_path):
    kills, final, expected = run_trials(tmp_path, articles=2_000, kills=3, seed=4)
    assert len(expected) == 2_000 and final == 2_000
    assert any(kill.killed for kill in kills), "every writer finished before its kill"
    for kill in kills:
        assert kill.integrity == "ok" and kill.complete_rows, kill
        assert kill.stored % BATCH_SIZE == 0 or kill.stored == 2_000, f"half a batch stored: {kill}"
