"""Slow-drip servers: the whole fetch has a hard deadline, not only each wait.

A server that sends one byte just inside the read timeout never trips a
per-read timeout; ``IngestSettings.timeout`` must still end the fetch at
about ``timeout`` seconds with a clear skip, whether the drip is in the body
or in the headers.
"""

from __future__ import annotations

import time

import httpx
import pytest

from local_server import QuietHandler, serving
from rashomon.config import IngestSettings
from rashomon.errors import SourceError
from rashomon.ingest import ingest
from rashomon.ingest.web import fetch

TIMEOUT = 2.0


class DripHandler(QuietHandler):
    """``/body/<seconds>``: headers at once, then one body byte every <seconds>;
    ``/headers/<seconds>``: the header block itself, one byte every <seconds>."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        _, where, seconds = self.path.split("/")
        try:
            self._drip(where, float(seconds))
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the client hung up: what the deadline is for

    def _drip(self, where: str, seconds: float) -> None:
        if where == "body":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
            payload = b"word " * 20_000
        else:
            payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + b"X-Slow: " + b"a" * 5_000 + b"\r\n\r\n"
        for byte in payload:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(seconds)


@pytest.fixture(scope="module")
def drip_url():
    with serving(DripHandler) as url:
        yield url


@pytest.mark.parametrize("path", ["/body/0.9", "/body/0.05", "/headers/0.9", "/headers/0.05"])
def test_a_slow_drip_ends_at_the_deadline(drip_url, path):
    """0.9 s between bytes stays under the 2 s read timeout: only the total deadline can stop it."""
    with httpx.Client(timeout=TIMEOUT) as client:
        started = time.monotonic()
        expected = "took longer than 2.0 s" if path.startswith("/body") else "did not answer within 2.0 s"
        with pytest.raises(SourceError, match=expected):
            fetch(drip_url + path, IngestSettings(timeout=TIMEOUT), client)
        elapsed = time.monotonic() - started
    assert TIMEOUT - 0.1 <= elapsed < TIMEOUT + 0.5, f"{path}: the fetch ran {elapsed:.2f} s"


def test_a_slow_drip_is_a_skip_and_the_batch_goes_on(drip_url, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Harbour council approves a flood barrier\n\nThe council voted on Monday, its chair said.\n")
    assert len(ingest([str(good)]).articles) == 1  # the readers' first import is not the server's time
    started = time.monotonic()
    result = ingest([drip_url + "/body/0.9", str(good)], IngestSettings(timeout=TIMEOUT))
    assert time.monotonic() - started < TIMEOUT + 1.0
    assert [s.source for s in result.skips] == [drip_url + "/body/0.9"]
    assert "took longer than" in result.skips[0].reason and len(result.articles) == 1
