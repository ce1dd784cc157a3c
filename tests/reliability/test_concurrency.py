"""The web app keeps answering reads while a batch writes to the same store."""

from __future__ import annotations

import json
import threading
import time

from fastapi.testclient import TestClient

from rashomon import pipeline
from rashomon.ingest import article_from_text
from rashomon.store import Store
from rashomon.web.app import create_app

from .conftest import REPORT, numbered_report

WRITTEN = 3_000
READ_BOUND = 5.0  # seconds for any one read


def test_reads_answer_while_a_batch_writes(tmp_path):
    db, dump = tmp_path / "busy.db", tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps({"id": f"bulk-{n}", "text": numbered_report(n)}) for n in range(WRITTEN)),
                    encoding="utf-8")
    with Store.open(db) as store:
        store.add_articles([article_from_text(REPORT, "council.txt", known={"id": "council"})])
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with Store.open(db) as store:
                pipeline.ingest_into(store, [dump])
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            failures.append(error)

    writer = threading.Thread(target=write)
    slowest, reads, during = 0.0, 0, 0
    with TestClient(create_app(db)) as client:
        writer.start()
        while writer.is_alive() or reads < 30:
            for path in ("/api/stories", "/api/search?q=harbour", "/api/articles/council", "/api/search?q=sea+wall"):
                started = time.monotonic()
                answer = client.get(path)
                slowest = max(slowest, time.monotonic() - started)
                reads += 1
                during += writer.is_alive()
                assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"
            assert "flood barrier" in client.get("/api/articles/council").text
        writer.join()
    assert not failures, failures
    assert during >= 8, f"only {during} reads overlapped the write; the writer finished too soon"
    assert slowest < READ_BOUND, f"the slowest read took {slowest:.2f} s"
    with Store.open(db) as store:
        assert store.count() == WRITTEN + 1
