"""The briefing as JSON, described by ``rashomon/schema/briefing.schema.json``.

Always present: ``schema_version``, ``generated_by``, ``story``, ``articles``,
``skips``, ``notes``. Present only when the briefing has them: ``entities``
and ``quotes`` (from the annotation), ``comparison``, ``summary``.

No timestamps and sorted keys: the same briefing gives byte-identical JSON.
Lists keep their order, which is meaningful (articles as ingested, quotes in
document order, facts as the comparison ranked them).
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..model import Briefing
from ..records import to_data

__all__ = ["briefing_data", "render_json", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1.0"


def briefing_data(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain data, exactly what :func:`render_json` writes."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": f"rashomon {__version__}",
        "story": to_data(briefing.story),
        "articles": [to_data(a) for a in briefing.articles],
        "skips": [to_data(s) for s in briefing.skips],
        "notes": list(briefing.notes),
    }
    if briefing.annotation is not None:
        data["entities"] = [to_data(e) for e in briefing.annotation.entities]
        data["quotes"] = [
            {"article": doc.id, **to_data(quote)} for doc in briefing.annotation.documents for quote in doc.quotes
        ]
    if briefing.comparison is not None:
        data["comparison"] = to_data(briefing.comparison)
    if briefing.summary is not None:
        data["summary"] = to_data(briefing.summary)
    return data


def _plain(value: Any) -> Any:
    """numpy scalars (a stage may leave one in a record) as Python numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as JSON")


def render_json(briefing: Briefing) -> str:
    """Indented, key-sorted JSON ending with a newline."""
    text = json.dumps(briefing_data(briefing), ensure_ascii=False, sort_keys=True, indent=2, default=_plain)
    return text + "\n"
