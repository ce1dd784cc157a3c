"""The batch pipeline on Dask: the same stages as ``analyze``, partition by partition.

1. Partitions of articles are read and annotated on the workers (each worker
   process loads the models once); each writes its records, sentence vectors
   and clustering features under ``OUT/parts/`` and, last, a ``.done`` marker.
2. Stories are found over all partitions at once from the small features
   (document vectors, entities, dates), exactly as ``cluster`` does.
3. Stories with two or more sources are compared and summarised on the workers.

``OUT/summary.json`` holds the result; ``OUT/workers.json`` the peak resident
memory (MB) of each worker process, read before the cluster closes.

A batch killed at any point resumes from the partitions already finished:
finished partitions are never redone, and steps 2 and 3 are recomputed from
the partition files, so a resumed run gives the same result as an
uninterrupted one.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Progress, Settings
from ..records import dumps, to_data
from .partitions import Partition, plan_partitions
from .tasks import annotate_partition, compare_story, load_features

__all__ = ["BatchSettings", "BatchResult", "run_batch"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchSettings:
    out: str
    workers: int = 2  # worker processes of the local cluster
    scheduler: str | None = None  # address of an existing dask.distributed scheduler
    chunk_bytes: int = 8 * 1024 * 1024  # JSONL bytes per partition
    files_per_partition: int = 500


@dataclass(frozen=True, slots=True)
class BatchResult:
    out: str
    partitions: int
    resumed: int  # partitions already finished before this run
    articles: int
    skips: int
    failed: tuple[tuple[str, str], ...]  # (partition id, reason)
    stories: int
    compared: int
    seconds: float
    dashboard: str | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _client(batch: BatchSettings) -> Iterator[object]:
    from distributed import Client, LocalCluster

    if batch.scheduler:
        with Client(batch.scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=batch.workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def run_batch(inputs: list[str], batch: BatchSettings, settings: Settings = Settings(),
              progress: Progress | None = None) -> BatchResult:
    """Run the pipeline over ``inputs`` on Dask, writing everything under ``batch.out``."""
    started = time.perf_counter()
    settings = _share_cores(settings, batch)
    out = Path(batch.out)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    partitions = plan_partitions(inputs, batch.chunk_bytes, batch.files_per_partition)
    _write_json(out / "plan.json", [to_data(p) for p in partitions])
    done = {p.id for p in partitions if (out / "parts" / f"{p.id}.done.json").exists()}
    timings: dict[str, float] = {}
    with _client(batch) as client:
        # The dashboard needs bokeh; without it there is no address to give.
        dashboard = client.dashboard_link if importlib.util.find_spec("bokeh") else None
        tick = time.perf_counter()
        failed = _annotate_all(client, [p for p in partitions if p.id not in done], out, settings, progress)
        timings["annotate"] = time.perf_counter() - tick
        tick = time.perf_counter()
        finished = [p for p in partitions if (out / "parts" / f"{p.id}.done.json").exists()]
        stories, location = _cluster_all(finished, out, settings)
        timings["cluster"] = time.perf_counter() - tick
        tick = time.perf_counter()
        compared = _compare_all(client, stories, location, out, settings, progress)
        timings["compare+summarize"] = time.perf_counter() - tick
        _write_json(out / "workers.json", _worker_memory(client))
    counts = [json.loads((out / "parts" / f"{p.id}.done.json").read_text()) for p in finished]
    result = BatchResult(
        out=str(out), partitions=len(partitions), resumed=len(done), articles=sum(c["articles"] for c in counts),
        skips=sum(c["skips"] for c in counts), failed=tuple(failed), stories=len(stories), compared=compared,
        seconds=time.perf_counter() - started, dashboard=dashboard, stage_seconds=timings,
    )
    _write_json(out / "summary.json", to_data(result))
    return result


def _share_cores(settings: Settings, batch: BatchSettings) -> Settings:
    """Local workers split the machine's cores: onnxruntime would otherwise start one thread per core in each."""
    if batch.scheduler or settings.annotate.embedder_threads:
        return settings
    threads = max(1, (os.cpu_count() or 1) // batch.workers)
    return replace(settings, annotate=replace(settings.annotate, embedder_threads=threads))


def _annotate_all(client, todo: list[Partition], out: Path, settings: Settings, progress: Progress | None) -> list[tuple[str, str]]:
    from distributed import as_completed

    failed: list[tuple[str, str]] = []
    futures = {client.submit(annotate_partition, p, str(out), settings, key=f"annotate-{p.id}", pure=False): p for p in todo}
    for index, future in enumerate(as_completed(futures), start=1):
        partition = futures[future]
        try:
            future.result()
        except Exception as error:  # one failed partition is recorded; the batch goes on
            log.warning("partition %s failed: %s", partition.id, error)
            failed.append((partition.id, f"{type(error).__name__}: {error}"))
        if progress:
            progress("annotate partitions", index, len(todo))
    _write_json(out / "failed.json", failed)
    return failed


def _cluster_all(finished: list[Partition], out: Path, settings: Settings):
    """Stories over every finished partition; returns them and each article's partition."""
    from ..cluster import cluster_features

    features, location = [], {}
    for partition in finished:
        for feature in load_features(out, partition.id):
            features.append(feature)
            location[feature.id] = partition.id
    stories = cluster_features(features, settings.cluster)
    with (out / "stories.jsonl").open("w", encoding="utf-8") as handle:
        for story in stories:
            handle.write(dumps(story) + "\n")
    with (out / "assignments.jsonl").open("w", encoding="utf-8") as handle:
        duplicates = {a: d for s in stories for a, d in s.duplicates}
        for story in stories:
            for article in story.articles:
                row = {"id": article, "story": story.id, "duplicate_of": duplicates.get(article), "partition": location[article]}
                handle.write(json.dumps(row) + "\n")
    return stories, location


def _compare_all(client, stories, location: dict[str, str], out: Path, settings: Settings,
                 progress: Progress | None) -> int:
    from distributed import as_completed

    folder = out / "briefings"
    folder.mkdir(exist_ok=True)
    todo = [s for s in stories if len(s.articles) >= 2 and not (folder / f"{s.id}.json").exists()]
    futures = [client.submit(compare_story, s, sorted({location[a] for a in s.articles}), str(out), settings,
                             key=f"compare-{s.id}", pure=False) for s in todo]
    for index, _ in enumerate(as_completed(futures), start=1):
        if progress:
            progress("compare stories", index, len(todo))
    compared = sorted(folder.glob("*.json"))
    with (out / "briefings.jsonl").open("w", encoding="utf-8") as handle:
        for path in compared:
            handle.write(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False) + "\n")
    return len(compared)


def _peak_rss_mb() -> float:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _worker_memory(client) -> dict[str, float]:
    """Peak resident memory (MB) of each worker process so far, by worker address."""
    try:
        return {address: round(mb, 1) for address, mb in client.run(_peak_rss_mb).items()}
    except Exception as error:  # a measurement only: never fail a finished batch over it
        log.warning("could not read the workers' peak memory: %s", error)
        return {}


def _write_json(path: Path, data) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)
