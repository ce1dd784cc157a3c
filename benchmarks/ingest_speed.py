"""Ingestion speed: articles per second for plain text, HTML and JSONL, and peak memory.

The corpus is synthetic and built at run time: 500 articles made by
recombining sentences of the bundled demo corpus (``rashomon/data/demo``),
written to a temporary folder as ``.txt`` files, as ``.html`` pages and as
one JSONL dump. Each format is ingested twice: once timed, once under
tracemalloc for the peak of Python allocations. ``ru_maxrss`` is the peak
resident size of the whole benchmark process so far.
"""

from __future__ import annotations

import html
import json
import random
import re
import resource
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rashomon.ingest import ingest

TITLE = "ingestion speed on a synthetic corpus"
ARTICLES = 500
SEED = 2021
OUTLETS = ("North Ledger", "Harbour Times", "The Plain Wire", "Civic Post", "Evening Dial")


@dataclass(frozen=True, slots=True)
class Synthetic:
    title: str
    outlet: str
    published: str
    url: str
    paragraphs: tuple[str, ...]


def demo_sentences() -> list[str]:
    """Sentences of the demo corpus (the bundled text files), split on end punctuation."""
    folder = resources.files("rashomon") / "data" / "demo"
    texts = [p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".txt")]
    if not texts:
        raise SystemExit(f"the demo corpus is missing at {folder}; the ingest benchmark builds its corpus from it")
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?\"”])\s+", t)]
    return [s for s in sentences if len(s.split()) >= 6 and s[-1] in ".!?\"”"]


def synthetic_corpus(sentences: list[str], count: int = ARTICLES, seed: int = SEED) -> list[Synthetic]:
    rng = random.Random(seed)
    corpus = []
    for number in range(count):
        paragraphs = tuple(" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(rng.randint(3, 7)))
        title = " ".join(rng.choice(sentences).split()[:9]).rstrip(".,;:")
        day = 1 + number % 28
        corpus.append(Synthetic(f"{title} ({number})", OUTLETS[number % len(OUTLETS)], f"2024-05-{day:02d}",
                                f"https://news.example.org/{number}", paragraphs))
    return corpus


def write_text(corpus: list[Synthetic], folder: Path) -> Path:
    folder.mkdir()
    for number, a in enumerate(corpus):
        body = "\n\n".join(a.paragraphs)
        (folder / f"{number:04d}.txt").write_text(f"{a.title}\n\n{a.outlet}, {a.published}\n\n{body}\n", encoding="utf-8")
    return folder


def write_html(corpus: list[Synthetic], folder: Path) -> Path:
    folder.mkdir()
    for number, a in enumerate(corpus):
        paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
        page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(a.title)}</title>"
                f"<meta property='og:site_name' content='{a.outlet}'>"
                f"<meta property='article:published_time' content='{a.published}'>"
                f"<link rel='canonical' href='{a.url}'></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
                f"<article><h1>{html.escape(a.title)}</h1>\n{paragraphs}</article>"
                f"<footer>Copyright {a.outlet}. All rights reserved.</footer></body></html>")
        (folder / f"{number:04d}.html").write_text(page, encoding="utf-8")
    return folder


def write_jsonl(corpus: list[Synthetic], folder: Path) -> Path:
    folder.mkdir()
    path = folder / "dump.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for a in corpus:
            record = {"url": a.url, "title": a.title, "outlet": a.outlet, "published": a.published,
                      "text": "\n\n".join(a.paragraphs)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@dataclass(frozen=True, slots=True)
class Measurement:
    fmt: str
    articles: int
    skips: int
    seconds: float
    peak_mb: float


def measure(fmt: str, source: Path) -> Measurement:
    started = time.perf_counter()
    result = ingest([str(source)])
    seconds = time.perf_counter() - started
    tracemalloc.start()
    ingest([str(source)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Measurement(fmt, len(result.articles), len(result.skips), seconds, peak / 2**20)


def run(console: Console) -> list[Measurement]:
    corpus = synthetic_corpus(demo_sentences())
    words = sum(len(p.split()) for a in corpus for p in a.paragraphs)
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-") as tmp:
        sources = {"plain text": write_text(corpus, Path(tmp) / "txt"),
                   "HTML": write_html(corpus, Path(tmp) / "html"),
                   "JSONL": write_jsonl(corpus, Path(tmp) / "jsonl")}
        ingest([str(next(sources["plain text"].iterdir()))])  # load the language model before timing
        results = [measure(fmt, source) for fmt, source in sources.items()]
    table = Table(title=f"ingest: {len(corpus)} synthetic articles, {words / len(corpus):.0f} words each on average")
    for column in ("format", "articles", "skipped", "seconds", "articles/s", "peak Python heap (MB)"):
        table.add_column(column, justify="left" if column == "format" else "right")
    for m in results:
        table.add_row(m.fmt, str(m.articles), str(m.skips), f"{m.seconds:.2f}", f"{m.articles / m.seconds:.0f}",
                      f"{m.peak_mb:.1f}")
    console.print(table)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    console.print(f"peak resident size of the benchmark process: {maxrss:.0f} MB")
    return results
