import time

import pytest
from fastapi.testclient import TestClient

from rashomon.web.app import UploadLimits, create_app


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
