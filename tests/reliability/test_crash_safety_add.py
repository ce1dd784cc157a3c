"""A short version of benchmarks/crash_safety_add.py: ``add`` killed right after each of its commits."""

from __future__ import annotations

import pytest

from benchmarks.crash_safety_add import BOUNDARIES, boundary_trials

ARTICLES = 40


@pytest.fixture(scope="module")
def trials(tmp_path_factory):
    return {t.point: t for t in boundary_trials(tmp_path_factory.mktemp("crash-add"), ARTICLES)}


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_a_kill_after_a_commit_leaves_a_sound_store(trials, boundary):
    trial = trials[boundary]
    assert trial.killed, f"the writer was not killed after {boundary}"
    kill = trial.after_kill
    assert kill.integrity == "ok" and kill.complete_rows and kill.in_several == 0, kill
    assert kill.stored == ARTICLES, "the only article batch was committed before the kill"


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_rerunning_add_completes_everything(trials, boundary):
    rerun = trials[boundary].after_rerun
    assert rerun.finished(ARTICLES), f"after a kill at {boundary} and a re-run: {rerun}"
