"""A local HTTP server with hostile routes, and article texts the project wrote.

The server runs in a thread on 127.0.0.1 (like tests/ingest/test_web.py);
every body it sends is generated here, nothing is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from local_server import QuietHandler, serving

REPORT = """Harbour council approves new flood barrier

The harbour council voted on Monday to build a flood barrier at the river mouth, its chair said.

The barrier will cost 40 million euros and should be finished within three years, according to the plan.

Residents who opposed the project said the money would be better spent on housing.
"""

PAGE = """<!doctype html><html><head><title>Ferry service resumes after storm</title></head>
<body><article><h1>Ferry service resumes after storm</h1>
<p>The island ferry sailed again on Tuesday morning after three days in port, the operator said.</p>
<p>Passengers queued from dawn, and the first crossing left twenty minutes late because of the crowd.</p>
<p>The operator said extra sailings would run through the weekend to clear the backlog of bookings.</p>
</article></body></html>"""


def numbered_report(number: int) -> str:
    """A distinct article body for bulk and crash tests."""
    return (f"Report number {number} on the harbour works\n\n"
            f"Crews finished section {number} of the sea wall on Monday, the council said in a statement.\n\n"
            f"Section {number} cost {number * 7 % 97 + 3} thousand euros and took {number % 11 + 2} weeks.")


class Handler(QuietHandler):
    redirects: dict[str, str] = {"/loop-a": "/loop-b", "/loop-b": "/loop-a",
                                 "/to-private": "http://10.0.0.1/secret", "/to-metadata": "http://169.254.169.254/latest/meta-data/"}

    def _send(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self) -> None:
        if self.path == "/article.html":
            self._send("text/html; charset=utf-8", PAGE.encode())
        elif self.path == "/plain.txt":
            self._send("text/plain; charset=utf-8", REPORT.encode())
        elif self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/never":  # accepts the connection, never answers
            time.sleep(5.0)
        elif self.path == "/huge":  # 50 MB with no Content-Length, streamed
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"word " * 200_000)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serving(Handler) as url:
        yield url
