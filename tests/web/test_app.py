import tempfile
import threading
import time

import pytest
from fastapi.testclient import TestClient

from rashomon import pipeline
from rashomon.config import WebSettings
from rashomon.web import jobs as jobs_module
from rashomon.web.app import UploadLimits, create_app
from rashomon.web.jobs import Busy, RateLimit


@pytest.fixture
def client(store_copy):
    with TestClient(create_app(store_copy)) as client:
        yield client


def _wait(client, job: str) -> dict:
    for _ in range(600):
        state = client.get(f"/api/jobs/{job}").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job} did not finish: {state}")


def test_every_page_has_a_json_twin(client):
    stories = client.get("/api/stories").json()
    assert len(stories) == 1 and stories[0]["articles"] == 4
    story = stories[0]["id"]
    briefing = client.get(f"/api/stories/{story}").json()
    assert briefing["schema_version"] and len(briefing["articles"]) == 4
    article = briefing["articles"][0]["id"]
    for page, twin in [("/", "/api/stories"), (f"/stories/{story}", f"/api/stories/{story}"),
                       (f"/articles/{article}", f"/api/articles/{article}"), ("/search?q=spillway", "/api/search?q=spillway")]:
        html, data = client.get(page), client.get(twin)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html"), page
        assert data.status_code == 200 and data.headers["content-type"].startswith("application/json"), twin
    assert client.get("/openapi.json").json()["paths"]


def test_pasted_article_joins_its_story(client, held_back_text):
    before = client.get("/api/stories").json()
    reply = client.post("/api/add", data={"text": held_back_text, "outlet": "Meridian Wire"})
    assert reply.status_code == 200, reply.text
    state = _wait(client, reply.json()["job"])
    assert state["state"] == "done" and state["added"] == 1, state
    after = client.get("/api/stories").json()
    assert len(after) == len(before) == 1
    assert after[0]["articles"] == 5 and "Meridian Wire" in after[0]["outlets"]


def test_search_finds_stored_text(client):
    hits = client.get("/api/search", params={"q": "spillway"}).json()
    assert hits and all(h["article"] for h in hits)
    assert client.get("/api/search", params={"q": "zzzqqq"}).json() == []


def test_limits_and_schemes(store_copy):
    with TestClient(create_app(store_copy, limits=UploadLimits(files=1, file_bytes=100, paste_chars=50))) as client:
        assert client.post("/api/add", data={"url": "file:///etc/passwd"}).status_code == 400
        assert client.post("/api/add", data={"text": "x" * 51}).status_code == 413
        two = [("files", ("a.txt", b"hello there")), ("files", ("b.txt", b"hello again"))]
        assert client.post("/api/add", files=two).status_code == 413
        big = [("files", ("a.txt", b"word " * 100))]
        assert client.post("/api/add", files=big).status_code == 413
        assert client.post("/api/add", data={"text": ""}).status_code == 400


def test_unknown_ids_are_404(client):
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/jobs/nope").status_code == 404


def test_hostile_pasted_text_is_escaped(client):
    text = ("The <script>alert(1)</script> council met on Monday to discuss the harbour budget. "
            "Members said the <img src=x onerror=alert(2)> plan would cost more than expected. ") * 3
    state = _wait(client, client.post("/api/add", data={"text": text}).json()["job"])
    assert state["state"] == "done", state
    article = client.get("/api/search", params={"q": "harbour"}).json()[0]["article"]
    page = client.get(f"/articles/{article}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page


def test_rate_limit_answers_429_with_retry_after_on_both_paths(store_copy):
    web = WebSettings(adds_per_minute=1, add_burst=2)
    with TestClient(create_app(store_copy, web=web)) as client:
        assert client.post("/api/add", data={"text": ""}).status_code == 400  # a refused request spends a token too
        assert client.post("/add", data={"text": ""}).status_code == 400
        refused = client.post("/api/add", data={"text": "The council met on Monday."})
        assert refused.status_code == 429, refused.text
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "too many add requests" in refused.json()["detail"]
        form = client.post("/add", data={"text": "The council met on Monday."}, follow_redirects=False)
        assert form.status_code == 429 and form.headers["content-type"].startswith("text/html")
        assert "too many add requests" in form.text and int(form.headers["retry-after"]) >= 1
        assert client.get("/api/stories").status_code == 200  # reading is never limited


def test_rate_limit_is_per_client_and_refills():
    now = [0.0]
    rate = RateLimit(per_minute=6, burst=1, clock=lambda: now[0])
    rate.take("10.0.0.1")
    rate.take("10.0.0.2")  # another address has its own bucket
    with pytest.raises(Busy) as refused:
        rate.take("10.0.0.1")
    assert refused.value.status == 429 and refused.value.retry_after == 10
    now[0] = 9.9
    with pytest.raises(Busy):
        rate.take("10.0.0.1")
    now[0] = 20.0
    rate.take("10.0.0.1")


@pytest.fixture
def blocked_jobs(monkeypatch):
    """pipeline.add as seen by the job worker, held until the test sets the event."""
    release = threading.Event()

    def held(store, sources, settings, *, pasted=(), progress=None):
        assert release.wait(30), "the test never released the job"
        return pipeline.AddResult(run=0, added=len(pasted), already_stored=0, skips=(), stories=(), events=())

    monkeypatch.setattr(jobs_module.pipeline, "add", held)
    return release


def test_a_full_queue_answers_503_on_both_paths(store_copy, blocked_jobs):
    with TestClient(create_app(store_copy, web=WebSettings(max_queued_jobs=2))) as client:
        first = client.post("/api/add", data={"text": "First pasted report."}).json()["job"]
        for _ in range(100):
            if client.get(f"/api/jobs/{first}").json()["state"] == "running":
                break
            time.sleep(0.02)
        queued = [client.post("/api/add", data={"text": f"Queued report {n}."}) for n in range(2)]
        assert [r.status_code for r in queued] == [200, 200]
        full = client.post("/api/add", data={"text": "One too many."})
        assert full.status_code == 503 and int(full.headers["retry-after"]) > 0
        assert "already waiting" in full.json()["detail"]
        form = client.post("/add", data={"text": "One too many."}, follow_redirects=False)
        assert form.status_code == 503 and "already waiting" in form.text
        blocked_jobs.set()
        assert all(_wait(client, r.json()["job"])["state"] == "done" for r in queued)
        assert client.post("/api/add", data={"text": "Room again."}).status_code == 200


def test_refused_uploads_leave_no_temporary_folder(store_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with TestClient(create_app(store_copy, limits=UploadLimits(file_bytes=10))) as client:
        assert client.post("/api/add", files=[("files", ("a.txt", b"word " * 10))]).status_code == 413
    assert not list(tmp_path.glob("rashomon-upload-*"))


def test_no_waiting_room_still_runs_one_job_at_a_time(store_copy, blocked_jobs):
    with TestClient(create_app(store_copy, web=WebSettings(max_queued_jobs=0))) as client:
        running = client.post("/api/add", data={"text": "The only job."})
        assert running.status_code == 200
        assert client.post("/api/add", data={"text": "Waits for nobody."}).status_code == 503
        blocked_jobs.set()
        assert _wait(client, running.json()["job"])["state"] == "done"
        assert client.post("/api/add", data={"text": "Idle again."}).status_code == 200
