"""The Dask batch on a synthetic corpus of 20,000 news articles, with 1 and 2 workers.

    python -m benchmarks.batch_scale                          # 20,000 articles, 1 then 2 workers
    python -m benchmarks.batch_scale --articles 2000 --workers 2

The corpus is rebuilt at run time from real news text in ../shared/eval
(never copied into the repository) and written as JSONL shards in a
temporary folder. Each source cluster (a NeuS issue: three outlets' leads
and the AllSides roundup; a Multi-News event: its articles; a Clust-McMs gold
cluster) becomes a pool of sentences, and each synthetic story draws 2 to 10
articles from one pool: 8 to 20 of its sentences in their original order, a
title from the cluster, one of 40 outlets, a date within 3 days of the
story's date, stories spread over 12 weeks. When the pools run out they are
reused for stories in other weeks, so the stories to find are real ones.

For each worker count, a fresh output folder and a fresh local cluster:
articles/s end to end, seconds per 1,000 articles of each stage
(``BatchResult.stage_seconds``), each worker's peak RSS (``OUT/workers.json``)
and the stories found and compared.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from rashomon.config import Settings
from rashomon.scale import BatchSettings, run_batch

TITLE = "Dask batch: 20,000 synthetic articles from real news text, 1 and 2 workers"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
OUTLETS = 40
FIRST_DAY = dt.date(2024, 1, 1)
WEEKS = 12
SHARD_ARTICLES = 2000
CHUNK_BYTES = 512 * 1024  # ~300 articles a partition: enough partitions to keep the workers evenly busy

_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Pool:
    titles: tuple[str, ...]
    sentences: tuple[str, ...]


def sentences_of(text: str) -> list[str]:
    """Plain sentences of ``text`` (a regular expression split; spaCy does the real one in the batch)."""
    found = (s.strip() for s in _SPLIT.split(" ".join(text.split())))
    return [s for s in found if 30 <= len(s) <= 400]


def _neus_pools() -> list[Pool]:
    pools = []
    for split in ("train", "val"):
        sources = (EVAL / "neus" / "data" / f"{split}.source").read_text(encoding="utf-8").splitlines()
        targets = (EVAL / "neus" / "data" / f"{split}.target").read_text(encoding="utf-8").splitlines()
        for source, target in zip(sources, targets):
            titles, sentences = [], []
            for chunk in source.split("[SEP]") + [target]:
                match = re.match(r"\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", chunk, re.S)
                if match:
                    titles.append(match.group(1).rstrip("."))
                    sentences += sentences_of(match.group(2))
            pools.append(Pool(tuple(titles), tuple(sentences)))
    return pools


def _multinews_pools() -> list[Pool]:
    csv.field_size_limit(sys.maxsize)
    pools = []
    with (EVAL / "multinews" / "sample_validation.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sentences = [s for d in ast.literal_eval(row["documents"]) for s in sentences_of(d)]
            titles = [" ".join(s.split()[:12]).rstrip(".,;:") for s in sentences_of(row["summary"].lstrip("– "))[:3]]
            pools.append(Pool(tuple(titles), tuple(sentences)))
    return pools


def _clustmcms_pools() -> list[Pool]:
    data = json.loads((EVAL / "clustmcms" / "mds_ac_dev_final.json").read_text(encoding="utf-8"))
    grouped: dict[object, tuple[list[str], list[str]]] = {}
    for article, cluster in zip(data["articles"], data["clusters"]):
        titles, sentences = grouped.setdefault(cluster, ([], []))
        titles.append(article["title"])
        sentences += [s["content"] for s in article["sentences"] if 30 <= len(s["content"]) <= 400]
    return [Pool(tuple(t), tuple(s)) for t, s in grouped.values()]


def load_pools() -> list[Pool]:
    """Sentence pools of every usable cluster (>= 8 sentences and a title)."""
    pools = _neus_pools() + _multinews_pools() + _clustmcms_pools()
    return [p for p in pools if len(p.sentences) >= 8 and p.titles]


def synthetic_articles(pools: list[Pool], size: int, seed: int = 11) -> list[dict]:
    """``size`` article records (JSONL rows) in stories of 2-10 articles drawn from ``pools``."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(pools))
    rows: list[dict] = []
    story = 0
    while len(rows) < size:
        pool = pools[order[story % len(pools)]]
        day = FIRST_DAY + dt.timedelta(days=int(rng.integers(0, WEEKS * 7)))
        for member in range(min(int(rng.integers(2, 11)), size - len(rows))):
            count = min(int(rng.integers(8, 21)), len(pool.sentences))
            chosen = np.sort(rng.choice(len(pool.sentences), size=count, replace=False))
            rows.append({
                "id": f"syn-{story:06d}-{member}",
                "title": pool.titles[int(rng.integers(0, len(pool.titles)))],
                "text": " ".join(pool.sentences[i] for i in chosen),
                "outlet": f"Outlet {int(rng.integers(0, OUTLETS)):02d}",
                "published": (day + dt.timedelta(days=int(rng.integers(0, 4)))).isoformat(),
            })
        story += 1
    return rows


def write_shards(rows: list[dict], folder: Path) -> list[str]:
    """JSONL shards of ``SHARD_ARTICLES`` rows each under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for begin in range(0, len(rows), SHARD_ARTICLES):
        path = folder / f"shard-{begin // SHARD_ARTICLES:04d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows[begin : begin + SHARD_ARTICLES]:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


def measure(shards: list[str], out: Path, workers: int, chunk_bytes: int = CHUNK_BYTES) -> dict:
    """One batch run over ``shards`` with ``workers`` local worker processes."""
    result = run_batch(shards, BatchSettings(out=str(out), workers=workers, chunk_bytes=chunk_bytes), Settings())
    if result.failed:
        raise RuntimeError(f"{len(result.failed)} partitions failed, first: {result.failed[0]}")
    memory = json.loads((out / "workers.json").read_text(encoding="utf-8"))
    per_1000 = {stage: 1000 * seconds / max(result.articles, 1) for stage, seconds in result.stage_seconds.items()}
    return {
        "workers": workers, "articles": result.articles, "partitions": result.partitions, "seconds": result.seconds,
        "articles_per_s": result.articles / result.seconds, "stage_seconds": result.stage_seconds,
        "per_1000": per_1000, "worker_peak_mb": sorted(memory.values()), "stories": result.stories,
        "compared": result.compared, "load_average_15min": os.getloadavg()[2],
    }


def table(runs: list[dict], corpus: dict) -> Table:
    result = Table(title=f"rashomon batch: {corpus['articles']:,} articles, {corpus['sentences']:,} sentences "
                         f"(~{corpus['sentences'] / corpus['articles']:.1f} per article), {corpus['megabytes']:.1f} MB JSONL")
    for column in ("workers", "partitions", "wall s", "articles/s", "annotate s/1k", "cluster s/1k",
                   "compare+summarize s/1k", "peak RSS per worker MB", "stories", "compared (>= 2 articles)",
                   "load avg (15 min)"):
        result.add_column(column, justify="right")
    for run in runs:
        stage = run["per_1000"]
        result.add_row(str(run["workers"]), str(run["partitions"]), f"{run['seconds']:.0f}", f"{run['articles_per_s']:.2f}",
                       f"{stage['annotate']:.1f}", f"{stage['cluster']:.1f}", f"{stage['compare+summarize']:.1f}",
                       " / ".join(f"{mb:.0f}" for mb in run["worker_peak_mb"]), f"{run['stories']:,}", f"{run['compared']:,}",
                       f"{run['load_average_15min']:.1f}")
    return result


def run(console: Console | None = None, articles: int = 20000, workers: tuple[int, ...] = (1, 2),
        record: Path | None = None) -> dict:
    """Build the corpus, run the batch once per worker count, print the table; returns the figures.

    With ``record``, the figures so far are written there as JSON after each run.
    """
    console = console or Console()
    if not EVAL.exists():
        console.print(f"[yellow]skipped: {EVAL} is absent; this benchmark builds its corpus from ../shared/eval at run time[/]")
        return {"skipped": f"{EVAL} is absent"}
    rows = synthetic_articles(load_pools(), articles)
    runs = []
    with tempfile.TemporaryDirectory(prefix="rashomon-batch-scale-") as temporary:
        shards = write_shards(rows, Path(temporary) / "shards")
        corpus = {"articles": len(rows), "sentences": sum(len(sentences_of(r["text"])) for r in rows),
                  "megabytes": sum(Path(s).stat().st_size for s in shards) / 1e6}
        console.print(f"corpus: {corpus}")
        for count in workers:
            started = time.perf_counter()
            figures = measure(shards, Path(temporary) / f"out-{count}-workers", count)
            runs.append(figures)
            if record is not None:
                record.write_text(json.dumps({"corpus": corpus, "runs": runs}, indent=1), encoding="utf-8")
            console.print(f"{count} worker(s) done in {time.perf_counter() - started:.0f} s: {json.dumps(figures)}")
    console.print(table(runs, corpus))
    return {"corpus": corpus, "runs": runs}


def show(console: Console) -> None:
    run(console)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.batch_scale", description=TITLE)
    parser.add_argument("--articles", type=int, default=20000, help="synthetic articles to build (default 20000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to run, in order (default 1 2)")
    parser.add_argument("--record", type=Path, help="write the figures to this JSON file after each run")
    args = parser.parse_args(argv)
    run(Console(), args.articles, tuple(args.workers), args.record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
