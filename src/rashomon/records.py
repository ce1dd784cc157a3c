"""Records to and from plain JSON-able data.

One generic pair of functions serves every record in :mod:`rashomon.model`:
``to_data`` turns a record into dicts and lists, ``from_data`` rebuilds it
from the type hints, so a record written as JSONL reads back equal.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

__all__ = ["to_data", "from_data", "dumps", "loads"]

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A record (or tuple of records) as dicts, lists and scalars."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a value of type ``cls`` from what :func:`to_data` produced."""
    return _build(cls, data)


def _build(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in data)
        return tuple(_build(a, v) for a, v in zip(args, data, strict=True))
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: _build(hints[k], v) for k, v in data.items() if k in names})
    if tp is float and isinstance(data, int):
        return float(data)
    return data


def dumps(record: Any) -> str:
    """One compact, key-stable JSON line for a record."""
    return json.dumps(to_data(record), ensure_ascii=False, separators=(",", ":"))


def loads(cls: type[T], line: str) -> T:
    return from_data(cls, json.loads(line))
