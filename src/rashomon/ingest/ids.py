"""Deterministic article ids: the same URL or the same text gives the same id."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["article_id", "canonical_url"]


def canonical_url(url: str) -> str:
    """``url`` with scheme and host lowercased, no fragment, no ``utm_*``
    parameters and no trailing slash on the path."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def article_id(url: str | None, text: str) -> str:
    """16 hex characters of the sha256 of the canonical URL, else of the
    whitespace-normalised text."""
    key = canonical_url(url) if url else " ".join(text.split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
