"""Compare speed: seconds for ``compare()`` on a 5-article and a 100-article story.

The demo corpus is ingested and annotated once (real models); the
100-article story repeats its annotated articles under new ids (records,
entity mentions and vector rows copied), so only ``compare`` is timed.
Targets: under 1 s for 5 articles, under 20 s for 100.

Clause splitting keeps the parse and the vector of each distinct sentence
(:data:`rashomon.compare.clauses.PARSED`, :data:`rashomon.compare.units.EMBEDDED`);
both caches are emptied before each size, so every row starts cold. Within a
row, the repeated articles share their texts, so the 100-article row parses
and embeds only the 5 distinct articles' clauses: it times the alignment of
100 articles, not the clause work of 100 distinct ones (that grows linearly
with the 5-article cost of it).

    python -m benchmarks.compare_speed
"""

from __future__ import annotations

import dataclasses
import time
from importlib import resources
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from rashomon.annotate import annotate
from rashomon.compare import compare
from rashomon.compare.clauses import PARSED
from rashomon.compare.units import EMBEDDED
from rashomon.ingest import ingest
from rashomon.model import Annotation, Entity, Story

TITLE = "compare() speed on the demo story, 5 and 100 articles"
SIZES = (5, 20, 100)


def _demo_annotation() -> Annotation:
    demo = Path(str(resources.files("rashomon") / "data" / "demo"))
    paths = sorted(str(p) for p in demo.iterdir() if p.suffix in (".txt", ".html"))
    return annotate(ingest(paths, manifest=str(demo / "manifest.csv")).articles)


def repeated(annotation: Annotation, size: int) -> tuple[Story, Annotation]:
    """A story of ``size`` articles cycling through the annotated ones under new ids."""
    docs, rows, ids = [], [], {}
    for n in range(size):
        doc = annotation.documents[n % len(annotation.documents)]
        new_id = f"{doc.id}-{n}"
        ids.setdefault(doc.id, []).append(new_id)
        docs.append(dataclasses.replace(doc, article=dataclasses.replace(doc.article, id=new_id)))
        rows.extend(annotation.rows(doc.id))
    entities = tuple(
        Entity(e.id, e.name, e.type, e.aliases,
               tuple((new, s, t) for a, s, t in e.mentions for new in ids.get(a, ())), e.description)
        for e in annotation.entities
    )
    story = Story(f"repeated-{size}", "repeated demo", tuple(sorted(d.id for d in docs)))
    return story, Annotation(tuple(docs), entities, annotation.vectors[rows] if rows else np.zeros((0, 384)))


def run(console: Console | None = None) -> dict:
    console = console or Console()
    base = _demo_annotation()
    table = Table(title=TITLE)
    for column in ("articles", "sentences", "facts", "seconds"):
        table.add_column(column, justify="right")
    results = {}
    for size in SIZES:
        story, annotation = repeated(base, size)
        PARSED.clear()
        EMBEDDED.clear()
        started = time.perf_counter()
        comparison = compare(story, annotation)
        seconds = time.perf_counter() - started
        results[size] = seconds
        table.add_row(str(size), str(len(annotation.vectors)), str(len(comparison.facts)), f"{seconds:.2f}")
    console.print(table)
    return results


if __name__ == "__main__":
    run()
