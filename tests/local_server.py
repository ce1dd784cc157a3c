"""A quiet HTTP server on 127.0.0.1 for tests of URLs and feeds: give it a handler, get a base URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up early (size caps, timeouts) are what the tests provoke


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and ignores clients that hang up; subclasses write ``_answer``."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # a client that stops reading (size caps, deadlines) is what the tests provoke

    def _answer(self) -> None:
        raise NotImplementedError


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port in a thread; yields ``http://127.0.0.1:PORT``."""
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
