"""Server-side fetching in ``serve``: only public http(s) addresses.

The web app (``create_app``) turns ``allow_private`` off, so a URL posted to
/api/add cannot reach loopback, private or link-local addresses, not even by
a redirect; the library and CLI keep it on, so they can read a local server.
"""

from __future__ import annotations

import socket
import time

import pytest
from fastapi.testclient import TestClient

from rashomon.ingest import ingest
from rashomon.web.app import create_app

PUBLIC = "93.184.215.14"  # a global address the fake resolver gives "news.example"


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(tmp_path / "web.db")) as test_client:
        yield test_client


@pytest.fixture
def public_name_for_loopback(monkeypatch):
    """Resolve news.example to a public address for the check and to 127.0.0.1
    for the connection: a public-looking host that is served locally."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host == "news.example":
            address = PUBLIC if port is None else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 0))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _job(client: TestClient, url: str) -> dict:
    answer = client.post("/api/add", data={"url": url})
    assert answer.status_code == 200, answer.text
    status = answer.json()["status"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = client.get(status).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {status} did not finish: {job}")


def _port(base_url: str) -> str:
    return base_url.rsplit(":", 1)[1]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x",
                                 "javascript:alert(1)", "/etc/passwd", "dict://127.0.0.1:11211/"])
def test_only_http_and_https_are_accepted(client, url):
    answer = client.post("/api/add", data={"url": url})
    assert answer.status_code == 400 and "only http and https" in answer.json()["detail"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.1.2.3", "2130706433", "0.0.0.0",
                                  "[::ffff:127.0.0.1]", "10.0.0.1", "172.16.0.1", "172.31.255.254",
                                  "192.168.1.1", "169.254.169.254", "[fe80::1]", "[fd00::1]"])
def test_loopback_private_and_link_local_hosts_are_refused(client, base_url, host):
    url = f"http://{host}:{_port(base_url)}/article.html"
    job = _job(client, url)
    assert job["state"] == "done" and job["added"] == 0, job
    assert len(job["skipped"]) == 1 and job["skipped"][0]["source"] == url
    assert "private or local address" in job["skipped"][0]["reason"]


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_a_public_url_redirecting_to_a_private_address_is_refused(client, base_url, public_name_for_loopback, path):
    url = f"http://news.example:{_port(base_url)}{path}"
    job = _job(client, url)
    assert job["added"] == 0 and len(job["skipped"]) == 1, job
    assert job["skipped"][0]["source"] == url and "private or local address" in job["skipped"][0]["reason"]


def test_dns_rebinding_is_refused(client, base_url, public_name_for_loopback):
    job = _job(client, f"http://news.example:{_port(base_url)}/article.html")
    assert job["added"] == 0, "a name that resolved public for the check connected to 127.0.0.1"


def test_the_library_with_default_settings_reads_a_local_server(base_url):
    result = ingest([f"{base_url}/article.html", f"{base_url}/plain.txt"])
    assert result.skips == () and len(result.articles) == 2
    assert "island ferry" in result.articles[0].text
