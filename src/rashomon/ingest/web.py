"""Fetch a URL with httpx, within limits: scheme, redirects, size, time.

Redirects are followed by hand so each hop is checked (http/https only, at
most ``max_redirects``, no loops, no private addresses unless
``allow_private``); the body is read as a stream and dropped
as soon as it passes ``max_bytes``; ``timeout`` bounds each network wait and
the whole fetch, redirects included. The whole-fetch bound is hard: a
:class:`_Deadline` timer shuts the fetch's sockets down when it passes, so a
server that trickles bytes (each just inside the read timeout) is cut off at
``timeout`` plus the time to notice, not after one more wait.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from rashomon.config import IngestSettings
from rashomon.errors import SourceError

__all__ = ["Download", "fetch", "check_scheme", "check_address", "kind_of"]

log = logging.getLogger(__name__)
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain", "text/markdown")
_FEED = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
         "text/xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class Download:
    """A fetched body with the URL it finally came from."""

    url: str
    content_type: str
    charset: str | None
    data: bytes


def check_scheme(url: str, source: str | None = None) -> None:
    """Raise SourceError unless ``url`` is an http(s) URL with a host.

    ``source`` is the URL the user gave when ``url`` is a redirect target.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        where = f"redirects to {url}, which has" if source and source != url else "has"
        raise SourceError(source or url, f"{where} scheme {parts.scheme or '(none)'!r}; only "
                                         "http:// and https:// URLs can be fetched (give local "
                                         "files as paths)")


def check_address(url: str, source: str) -> None:
    """Raise SourceError when ``url``'s host is (or resolves to) a loopback,
    private, link-local or otherwise non-public address.

    Used when ``IngestSettings.allow_private`` is off (the web app), so a
    submitted URL cannot reach the machine's own network. The check runs on
    every redirect hop and gives the user a clear reason; the enforcement is
    :func:`public_only_transport`, which checks the very address it connects
    to, so a name that resolves differently the second time (DNS rebinding)
    gets nowhere.
    """
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise SourceError(source, f"names host {host!r}, which cannot be resolved ({error}); "
                                  "check the URL") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise SourceError(source, f"points to {host!r} ({address}), a private or local "
                                      "address; only public addresses can be fetched here")


def _public_address(host: str, port: int) -> str:
    """The address to connect to for ``host``; ConnectError unless every address is public."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise httpcore.ConnectError(f"{host!r} resolves to {address}, a private or local address")
    return infos[0][4][0]


class _PublicOnlyBackend(httpcore.SyncBackend):
    """Opens connections only to public addresses, resolving once: the address checked is the one used."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return super().connect_tcp(_public_address(host, port), port, timeout, local_address, socket_options)


def public_only_transport() -> httpx.HTTPTransport:
    """An httpx transport that cannot reach loopback, private or link-local addresses.

    TLS still checks the certificate against the host name: only the TCP
    connection is pinned to the address that passed the check.
    """
    transport = httpx.HTTPTransport()
    # httpx has no option for the network backend; its pool is replaced with one that has ours.
    transport._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                              network_backend=_PublicOnlyBackend())
    return transport


def kind_of(download: Download) -> str:
    """``html``, ``text`` or ``feed`` by content type; SourceError otherwise."""
    for kind, types in (("html", _HTML), ("text", _TEXT), ("feed", _FEED)):
        if download.content_type in types:
            return kind
    raise SourceError(download.url, f"has content type {download.content_type or '(none)'!r}; "
                                    "rashomon reads HTML pages, plain text and RSS/Atom feeds")


class _Deadline:
    """The total time of one fetch: when it passes, every socket the fetch uses is shut down.

    Sockets are learnt from httpcore's ``trace`` extension (new connections)
    and from the response's ``network_stream`` (a reused one); a shut socket
    wakes the blocked read at once, which then fails and is reported as
    ``took longer than``.
    """

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds
        self.expired = False
        self.answered = False  # response headers came in: the rest is the body's download
        self._streams: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: watch each connection the fetch opens."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.watch(info.get("return_value"))

    def watch(self, stream) -> None:
        with self._lock:
            self._streams.append(stream)
            if self.expired:
                _shut(stream)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for stream in self._streams:
                _shut(stream)


def _shut(stream) -> None:
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None:
        return
    try:  # socket.socket's own shutdown: wakes a blocked read, TLS or not, from another thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _too_slow(url: str, settings: IngestSettings) -> SourceError:
    return SourceError(url, f"took longer than {settings.timeout} s to download (redirects and all); "
                            "raise IngestSettings.timeout or try later")


def _read_body(response: httpx.Response, url: str, settings: IngestSettings, deadline: _Deadline) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_bytes:
        raise SourceError(url, f"is {int(declared)} bytes, over the cap of {settings.max_bytes}; "
                               "raise IngestSettings.max_bytes to read it")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > settings.max_bytes:
            raise SourceError(url, f"sent more than the cap of {settings.max_bytes} bytes; "
                                   "raise IngestSettings.max_bytes to read it")
        if deadline.expired or not deadline.remaining():
            raise _too_slow(url, settings)
        chunks.append(chunk)
    return b"".join(chunks)


def _get(client: httpx.Client, url: str, settings: IngestSettings, deadline: _Deadline) -> Download | str:
    """The download, or the URL a redirect points to."""
    wait = min(settings.timeout, max(deadline.remaining(), 0.001))  # connecting is bounded by what is left
    with client.stream("GET", url, timeout=wait, extensions={"trace": deadline.trace}) as response:
        deadline.watch(response.extensions.get("network_stream"))
        deadline.answered = True
        if response.is_redirect:
            target = response.headers.get("location", "")
            return urljoin(url, target)
        if response.status_code >= 400:
            raise SourceError(url, f"answered HTTP {response.status_code}; check the URL")
        data = _read_body(response, url, settings, deadline)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Download(str(response.url), content_type, response.charset_encoding, data)


def fetch(url: str, settings: IngestSettings, client: httpx.Client) -> Download:
    """Download ``url``; SourceError says what went wrong and how to fix it."""
    with _Deadline(settings.timeout) as deadline:
        try:
            return _follow(url, settings, client, deadline)
        except httpx.HTTPError as error:
            if deadline.expired and deadline.answered:
                raise _too_slow(url, settings) from error
            if deadline.expired or isinstance(error, httpx.TimeoutException):
                why = "no complete response in that time" if deadline.expired else type(error).__name__
                raise SourceError(url, f"did not answer within {settings.timeout} s ({why}); "
                                       "raise IngestSettings.timeout or try later") from error
            raise SourceError(url, f"cannot be reached ({type(error).__name__}: {error}); "
                                   "check the URL and the network") from error


def _follow(url: str, settings: IngestSettings, client: httpx.Client, deadline: _Deadline) -> Download:
    """Follow redirects by hand, checking each hop, until a body."""
    seen = [url]
    current = url
    while True:
        check_scheme(current, url)
        if not settings.allow_private:
            check_address(current, url)
        result = _get(client, current, settings, deadline)
        if isinstance(result, Download):
            return result
        log.debug("%s redirects to %s", current, result)
        if result in seen:
            raise SourceError(url, f"redirects in a loop ({' -> '.join([*seen, result])}); "
                                   "check the URL")
        if len(seen) > settings.max_redirects:
            raise SourceError(url, f"redirects more than {settings.max_redirects} times; "
                                   "raise IngestSettings.max_redirects or give the final URL")
        seen.append(result)
        current = result
