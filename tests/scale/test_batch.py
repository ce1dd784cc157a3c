"""The Dask batch runner on a small corpus: results, skips, and resuming after a kill."""

import json
import os
import shutil
from pathlib import Path

import pytest

from rashomon.config import AnnotateSettings, Settings
from rashomon.ingest import ingest
from rashomon.scale import BatchSettings, run_batch
from rashomon.scale.partitions import plan_partitions

OTHER_STORY = [
    ("Harbour council approves new ferry timetable",
     "The Harbour council on Monday approved a new ferry timetable for the islands. Ferries will run every "
     "forty minutes from June, the council said. Ferry operator Tomas Bell welcomed the decision and said "
     "that crews had been hired. Residents of the islands had asked for more frequent crossings for years."),
    ("Ferry timetable to change in June after council vote",
     "Ferries to the islands will run every forty minutes from June after the Harbour council approved a "
     "new timetable on Monday. Operator Tomas Bell said the company had hired new crews. Island residents "
     "have long asked for more crossings, councillors said."),
]


@pytest.fixture(scope="module")
def shard(tmp_path_factory, demo_dir: Path) -> Path:
    """A JSONL shard: the demo story, a second story, a broken line and a non-object line."""
    folder = tmp_path_factory.mktemp("batch-input")
    demo = ingest([], manifest=str(demo_dir / "manifest.csv")).articles
    lines = [json.dumps({"id": a.id, "title": a.title, "text": a.text, "outlet": a.outlet, "published": a.published})
             for a in demo]
    lines += [json.dumps({"title": t, "text": x, "outlet": f"Island Post {i}", "published": "2025-05-05"})
              for i, (t, x) in enumerate(OTHER_STORY)]
    lines.insert(3, '{"title": "broken')
    lines.append("[1, 2, 3]")
    path = folder / "shard.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _results(out: Path) -> tuple[str, str, list[str]]:
    briefings = sorted(p.name for p in (out / "briefings").glob("*.json"))
    return (out / "stories.jsonl").read_text(), (out / "assignments.jsonl").read_text(), briefings


def test_partitions_cover_every_line_once(shard):
    parts = plan_partitions([str(shard)], chunk_bytes=1500)
    assert len(parts) > 2
    from rashomon.scale.partitions import _lines_in_range

    seen = [line for p in parts for _, line in _lines_in_range(p.paths[0], p.start, p.end)]
    assert b"".join(seen) == shard.read_bytes()


def test_batch_runs_resumes_and_gives_the_same_result(shard, tmp_path):
    out = tmp_path / "out"
    settings = BatchSettings(out=str(out), workers=1, chunk_bytes=1500)
    first = run_batch([str(shard)], settings)
    assert first.articles == 7 and first.skips == 2 and not first.failed
    assert first.stories == 2 and first.compared == 2
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert sorted(len(s["articles"]) for s in stories) == [2, 5]
    workers = json.loads((out / "workers.json").read_text())
    assert len(workers) == 1 and all(mb > 100 for mb in workers.values())  # peak RSS of the one worker, in MB
    skips = [json.loads(line) for p in (out / "parts").glob("*.skips.jsonl") for line in p.read_text().splitlines()]
    assert {s["reason"].split(":")[0] for s in skips} == {"broken JSONL line"}
    expected = _results(out)

    # A run killed mid-way: some partitions finished, the rest and every later step not.
    done = sorted((out / "parts").glob("*.done.json"))
    for marker in done[: len(done) // 2]:
        marker.unlink()
    for path in ("stories.jsonl", "assignments.jsonl"):
        (out / path).unlink()
    shutil.rmtree(out / "briefings")
    resumed = run_batch([str(shard)], settings)
    assert resumed.resumed == len(done) - len(done) // 2
    assert _results(out) == expected


def _warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, kind, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body), http_headers=headers)
            writer.write_record(record)


def test_warc_records_are_read_and_non_html_skipped(tmp_path, demo_dir: Path):
    from rashomon.config import IngestSettings
    from rashomon.model import Article, Skip
    from rashomon.scale.partitions import read_partition

    page = (demo_dir / "asb_kesh_dam.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    _warc(path, [("https://news.example.org/kesh", "text/html; charset=utf-8", page),
                 ("https://news.example.org/logo.png", "image/png", b"\x89PNG\r\n")])
    (partition,) = plan_partitions([str(tmp_path)])
    items = list(read_partition(partition, IngestSettings()))
    articles = [i for i in items if isinstance(i, Article)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert len(articles) == 1 and articles[0].url == "https://news.example.org/kesh" and "spillway" in articles[0].text
    assert len(skips) == 1 and "not HTML" in skips[0].reason and skips[0].source.endswith("logo.png")


def test_a_warc_record_that_expands_past_the_cap_is_skipped(tmp_path):
    from rashomon.config import IngestSettings
    from rashomon.scale.partitions import read_partition

    bomb = b"<html><body><p>" + b"a" * 3_000_000 + b"</p></body></html>"  # compresses to a few kB
    _warc(tmp_path / "bomb.warc.gz", [("https://news.example.org/bomb", "text/html", bomb)])
    (partition,) = plan_partitions([str(tmp_path)])
    (skip,) = read_partition(partition, IngestSettings(max_bytes=1_000_000))
    assert "over the cap" in skip.reason and (tmp_path / "bomb.warc.gz").stat().st_size < 100_000


def test_local_workers_share_the_cores_between_their_embedders():
    from rashomon.scale.batch import _share_cores

    two = _share_cores(Settings(), BatchSettings(out="x", workers=2))
    assert two.annotate.embedder_threads == max(1, (os.cpu_count() or 1) // 2)
    chosen = Settings(annotate=AnnotateSettings(embedder_threads=3))
    assert _share_cores(chosen, BatchSettings(out="x", workers=2)).annotate.embedder_threads == 3
    remote = _share_cores(Settings(), BatchSettings(out="x", workers=2, scheduler="tcp://10.0.0.1:8786"))
    assert remote.annotate.embedder_threads is None
