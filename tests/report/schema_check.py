"""A small JSON Schema (draft 2020-12) checker for the keywords briefing.schema.json uses.

jsonschema is not a test dependency yet; this covers exactly: type, const,
enum, minimum, properties, required, additionalProperties: false, items
(a schema or false), prefixItems, minItems, anyOf and local $ref.
"""

from __future__ import annotations

from typing import Any

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum", "minimum",
         "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "anyOf"}


def errors(schema: dict, value: Any, root: dict | None = None, where: str = "$") -> list[str]:
    """Every way ``value`` breaks ``schema``, as 'path: problem' lines (empty when valid)."""
    root = root or schema
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(f"{where}: the checker does not know the keywords {sorted(unknown)}")
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        found = errors(target, value, root, where)
        if found:
            return found
    found: list[str] = []
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_TYPES[n](value) for n in names):
            return [f"{where}: {value!r:.60} is not of type {types}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        found.append(f"{where}: {value} < {schema['minimum']}")
    if "anyOf" in schema and all(errors(s, value, root, where) for s in schema["anyOf"]):
        found.append(f"{where}: matches none of anyOf")
    if isinstance(value, dict):
        found += _object_errors(schema, value, root, where)
    if isinstance(value, list):
        found += _array_errors(schema, value, root, where)
    return found


def _object_errors(schema: dict, value: dict, root: dict, where: str) -> list[str]:
    found = [f"{where}: missing {name!r}" for name in schema.get("required", []) if name not in value]
    properties = schema.get("properties", {})
    for name, item in value.items():
        if name in properties:
            found += errors(properties[name], item, root, f"{where}.{name}")
        elif schema.get("additionalProperties") is False:
            found.append(f"{where}: unexpected property {name!r}")
    return found


def _array_errors(schema: dict, value: list, root: dict, where: str) -> list[str]:
    found = []
    if len(value) < schema.get("minItems", 0):
        found.append(f"{where}: fewer than {schema['minItems']} items")
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(value):
        if index < len(prefix):
            found += errors(prefix[index], item, root, f"{where}[{index}]")
        elif schema.get("items") is False:
            found.append(f"{where}: unexpected item {index}")
        elif isinstance(schema.get("items"), dict):
            found += errors(schema["items"], item, root, f"{where}[{index}]")
    return found
