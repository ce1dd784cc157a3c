"""The work one Dask task does, and the partition files it reads and writes.

Files of partition ``P`` under ``OUT/parts/``:

- ``P.articles.parquet``: the articles (one row each, tuple fields as JSON);
- ``P.annotated.jsonl``: one ``Annotated`` record per line;
- ``P.vectors.npz``: the sentence vectors, with the article ids and their row counts;
- ``P.features.parquet``: what clustering needs (document vector, entities, date, title);
- ``P.skips.jsonl``: inputs that could not be read, with the reason;
- ``P.done.json``: written last, atomically: the partition is finished.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..config import Settings
from ..model import Annotated, Annotation, Article, Briefing, Skip, Story
from ..records import dumps, loads, to_data
from .partitions import Partition, read_partition

__all__ = ["annotate_partition", "load_features", "compare_story"]

_SCALARS = ("id", "source", "outlet", "title", "published", "language", "url", "story", "text")


def _part(out: str | Path, partition_id: str, suffix: str) -> Path:
    return Path(out) / "parts" / f"{partition_id}.{suffix}"


def annotate_partition(partition: Partition, out: str, settings: Settings) -> dict:
    """Read, annotate and write one partition; returns its counts."""
    from ..annotate import annotate
    from ..cluster import features_from_annotation

    started = time.perf_counter()
    articles: dict[str, Article] = {}
    skips: list[Skip] = []
    for item in read_partition(partition, settings.ingest):
        if isinstance(item, Skip):
            skips.append(item)
        else:
            articles.setdefault(item.id, item)
    annotation = annotate(list(articles.values()), settings.annotate)
    _write_articles(_part(out, partition.id, "articles.parquet"), annotation)
    _write_lines(_part(out, partition.id, "annotated.jsonl"), (dumps(d) for d in annotation.documents))
    _write_lines(_part(out, partition.id, "skips.jsonl"), (dumps(s) for s in skips))
    np.savez(_part(out, partition.id, "vectors.npz"), ids=np.array([d.id for d in annotation.documents]),
             counts=np.array([len(d.sentences) for d in annotation.documents]), vectors=annotation.vectors)
    _write_features(_part(out, partition.id, "features.parquet"), features_from_annotation(annotation, settings.cluster))
    counts = {"articles": len(annotation.documents), "skips": len(skips), "seconds": time.perf_counter() - started}
    done = _part(out, partition.id, "done.json")
    done.with_suffix(".tmp").write_text(json.dumps(counts), encoding="utf-8")
    os.replace(done.with_suffix(".tmp"), done)
    return counts


def _write_lines(path: Path, lines) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


def _write_articles(path: Path, annotation: Annotation) -> None:
    rows = [to_data(d.article) for d in annotation.documents]
    columns = {name: [r[name] for r in rows] for name in _SCALARS}
    columns["authors"] = [r["authors"] for r in rows]
    for name in ("paragraphs", "removed", "evidence", "extras"):
        columns[name] = [json.dumps(r[name], ensure_ascii=False) for r in rows]
    pq.write_table(pa.table(columns), path)


def _write_features(path: Path, features) -> None:
    table = pa.table({
        "id": [f.id for f in features],
        "vector": [np.asarray(f.vector, dtype=np.float32).tobytes() for f in features],
        "entities": [sorted(f.entities) for f in features],
        "published": [f.published for f in features],
        "title": [f.title for f in features],
        "text": [f.text for f in features],
    }, schema=pa.schema([("id", pa.string()), ("vector", pa.binary()), ("entities", pa.list_(pa.string())),
                         ("published", pa.string()), ("title", pa.string()), ("text", pa.string())]))
    pq.write_table(table, path)


def load_features(out: str | Path, partition_id: str) -> list:
    from ..cluster import Features

    table = pq.read_table(_part(out, partition_id, "features.parquet")).to_pylist()
    return [Features(id=r["id"], vector=np.frombuffer(r["vector"], dtype=np.float32), entities=frozenset(r["entities"]),
                     published=r["published"], title=r["title"], text=r["text"]) for r in table]


def _load_annotation(out: str, partition_ids: list[str], wanted: set[str]) -> Annotation:
    from ..annotate.linking import Document, link_entities

    documents: list[Annotated] = []
    blocks: list[np.ndarray] = []
    for pid in partition_ids:
        stored = np.load(_part(out, pid, "vectors.npz"))
        rows = dict(zip(stored["ids"].tolist(), np.cumsum(np.concatenate([[0], stored["counts"]]))[:-1].tolist()))
        with _part(out, pid, "annotated.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                doc = loads(Annotated, line)
                if doc.id in wanted:
                    documents.append(doc)
                    begin = rows[doc.id]
                    blocks.append(stored["vectors"][begin : begin + len(doc.sentences)])
    order = sorted(range(len(documents)), key=lambda i: documents[i].id)
    documents = [documents[i] for i in order]
    vectors = np.concatenate([blocks[i] for i in order]) if blocks else np.zeros((0, 384), dtype=np.float32)
    entities, _ = link_entities([Document(d.id, d.article.text, d.mentions) for d in documents])
    return Annotation(tuple(documents), entities, vectors)


def compare_story(story: Story, partition_ids: list[str], out: str, settings: Settings) -> str:
    """Compare and summarise one story; writes ``OUT/briefings/<story>.json``."""
    from ..compare import compare
    from ..report import render
    from ..summarize import summarize

    annotation = _load_annotation(out, partition_ids, set(story.articles))
    comparison = compare(story, annotation, settings.compare)
    summary = summarize(comparison, annotation, settings.summarize)
    briefing = Briefing(tuple(d.article for d in annotation.documents), story, annotation, comparison, summary)
    target = Path(out) / "briefings" / f"{story.id}.json"
    target.with_suffix(".tmp").write_text(render(briefing, "json"), encoding="utf-8")
    os.replace(target.with_suffix(".tmp"), target)
    return str(target)
