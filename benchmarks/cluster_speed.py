"""Story clustering speed and memory on synthetic articles with cluster structure.

    python -m benchmarks.cluster_speed              # quick: 5,000 articles
    python -m benchmarks.cluster_speed --size 100000
    python -m benchmarks.cluster_speed --size 100000 --only assign --new 500

Articles are noisy copies of random story centres (unit vectors as wide as
the default document vector: 384 + 512 dimensions with the cross-lingual
channel, 384 without; stories of 2 to 60 articles, cos ~0.8 inside a story), each with
a few entities from its story's names and a date within its story's week.
Two measurements, each in a fresh process so its peak RSS is its own:

- batch: ``cluster_features`` over all the articles: seconds and peak RSS
  (target: 100,000 articles in 4 GB);
- assign: a ``StoryIndex`` rebuilt (``from_state``) from the stored articles
  in their true stories (what the batch finds on this data, up to the few
  misses its "exact stories" shows), then ``--new`` articles added one at a
  time: milliseconds per article, median, 95th percentile and maximum
  (target: <= 10 ms at 100,000 stored articles). CPU time (of all the
  process's threads) is reported beside wall time, since on a shared machine
  the wall time also measures the neighbours' load; ``load average`` is the
  machine's 1-minute load when the measurement ends.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import time

import numpy as np

from rashomon.cluster import DEFAULT_SETTINGS, Features, cluster_features, join_channels, story_id
from rashomon.crosslingual import CROSSLINGUAL_DIMENSIONS
from rashomon.model import Story

TITLE = "story clustering speed (synthetic articles)"
DIMENSIONS = 384 + (CROSSLINGUAL_DIMENSIONS if DEFAULT_SETTINGS.crosslingual else 0)


def _noisy(centre: np.ndarray, members: int, noise: float, rng) -> np.ndarray:
    vectors = centre / np.linalg.norm(centre) + rng.normal(scale=noise, size=(members, len(centre)))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def synthetic(size: int, seed: int = 7, noise: float = 0.035) -> tuple[list[Features], list[int]]:
    """``size`` articles in stories of 2-60; returns the features and each one's story number.

    With the cross-lingual channel each article's vector joins a noisy 384-wide
    English vector and a noisy 512-wide cross-lingual one, as real ones do.
    """
    rng = np.random.default_rng(seed)
    features, gold, story = [], [], 0
    while len(features) < size:
        members = min(int(rng.integers(2, 61)), size - len(features))
        vectors = _noisy(rng.normal(size=384), members, noise, rng)
        if DIMENSIONS > 384:
            other = _noisy(rng.normal(size=DIMENSIONS - 384), members, noise * (384 / (DIMENSIONS - 384)) ** 0.5, rng)
            vectors = join_channels(vectors, other, np.ones(members, dtype=bool))
        names = [f"name{story}-{k}" for k in range(4)]
        day = int(rng.integers(1, 28))
        for k, vector in enumerate(vectors):
            entities = frozenset(rng.choice(names, size=2, replace=False).tolist())
            published = f"2024-02-{min(day + int(rng.integers(0, 3)), 28):02d}"
            features.append(Features(f"a{len(features):07d}", vector, entities, published, f"story {story} #{k}", ""))
            gold.append(story)
        story += 1
    return features, gold


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_batch(size: int) -> dict:
    features, gold = synthetic(size)
    before = _peak_mb()
    started = time.perf_counter()
    stories = cluster_features(features, DEFAULT_SETTINGS)
    seconds = time.perf_counter() - started
    found = {frozenset(s.articles) for s in stories}
    truth: dict[int, set[str]] = {}
    for f, g in zip(features, gold):
        truth.setdefault(g, set()).add(f.id)
    exact = len(found & {frozenset(t) for t in truth.values()}) / len(truth)
    return {"articles": size, "stories": len(stories), "gold stories": len(truth), "exact stories": exact,
            "seconds": seconds, "peak RSS MB": _peak_mb(), "RSS before MB": before,
            "load average": os.getloadavg()[0]}


def measure_assign(size: int, new: int) -> dict:
    """Rebuild an index of ``size`` stored articles in their true stories, then add ``new`` one at a time."""
    from rashomon.storyindex import StoryIndex

    features, gold = synthetic(size + new)
    rng = np.random.default_rng(11)
    order = rng.permutation(len(features))
    stored, arriving = [features[i] for i in sorted(order[:size])], [features[i] for i in order[size:]]
    members: dict[int, list[str]] = {}
    for i in sorted(order[:size]):
        members.setdefault(gold[i], []).append(features[i].id)
    stories = [Story(story_id(ids[0]), f"story {g}", tuple(ids)) for g, ids in members.items()]
    started = time.perf_counter()
    index = StoryIndex.from_state(stories, [f.id for f in stored], np.stack([f.vector for f in stored]), stored)
    rebuild = time.perf_counter() - started
    times, cpu, actions = [], [], {}
    for feature in arriving:
        started, started_cpu = time.perf_counter(), time.process_time()
        events = index.add([feature])
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        for event in events:
            actions[event.action] = actions.get(event.action, 0) + 1
    return {"stored": size, "added": new, "rebuild seconds": rebuild,
            "median ms": statistics.median(times), "p95 ms": _percentile(times, 0.95), "max ms": max(times),
            "median CPU ms": statistics.median(cpu), "p95 CPU ms": _percentile(cpu, 0.95), "max CPU ms": max(cpu),
            "events": actions, "peak RSS MB": _peak_mb(), "load average": os.getloadavg()[0]}


def _in_child(function, *args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def run(size: int = 5000, new: int = 200, only: str | None = None) -> dict:
    """Both measurements (or ``only`` one), each in its own process."""
    results = {}
    if only in (None, "batch"):
        results["batch"] = _in_child(measure_batch, size)
    if only in (None, "assign"):
        results["assign"] = _in_child(measure_assign, size, new)
    return results


def print_tables(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=120)
    for name, values in results.items():
        table = Table(title=f"{TITLE}: {name}")
        table.add_column("measure")
        table.add_column("value", justify="right")
        for key, value in values.items():
            table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
        console.print(table)


def show(console=None) -> None:
    """For ``python -m benchmarks``: the default (quick) size, printed."""
    print_tables(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000, help="stored articles (100000 for the target)")
    parser.add_argument("--new", type=int, default=200, help="articles added one at a time")
    parser.add_argument("--only", choices=("batch", "assign"), help="take one measurement, not both")
    args = parser.parse_args()
    print_tables(run(args.size, args.new, args.only))


if __name__ == "__main__":
    main()
