"""Walking the live OpenAPI document in tests: operations, and a minimal valid request for each.

Used by the cross-merchant isolation sweep (tests/test_isolation_sweep.py) so that every
operation the API gains is covered without editing the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
PATH_PARAM = re.compile(r"{([^}]+)}")

# Values for string formats, all of them valid and unremarkable.
FORMAT_VALUES = {
    "date": "2026-01-15",
    "date-time": "2026-01-15T08:00:00Z",
    "time": "08:00:00",
    "email": "sweep@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "decimal": "1.00",
    "binary": b"%PDF-1.4\n%sweep\n",
}


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # as in the document, e.g. /api/v1/merchants/{merchant_id}
    operation_id: str
    path_params: tuple[str, ...]
    definition: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation in the document, in a stable order."""
    out = []
    for path, item in sorted(document.get("paths", {}).items()):
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                out.append(
                    Operation(
                        method=method.upper(),
                        path=path,
                        operation_id=op.get("operationId", ""),
                        path_params=tuple(PATH_PARAM.findall(path)),
                        definition=op,
                    )
                )
    return out


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (one level at a time)."""
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def minimal_instance(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A small value that satisfies `schema`: required properties only, plausible scalars."""
    schema = resolve(document, schema)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if combinator in schema:
            options = [s for s in schema[combinator] if resolve(document, s).get("type") != "null"]
            if combinator == "allOf":
                merged: dict[str, Any] = {}
                for part in options:
                    value = minimal_instance(document, part)
                    if isinstance(value, dict):
                        merged.update(value)
                return merged
            return minimal_instance(document, options[0]) if options else None
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: minimal_instance(document, props.get(name, {}))
            for name in schema.get("required", [])
        }
    if kind == "array":
        count = schema.get("minItems", 0)
        return [minimal_instance(document, schema.get("items", {})) for _ in range(count)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    fmt = schema.get("format")
    if fmt in FORMAT_VALUES:
        return FORMAT_VALUES[fmt]
    length = max(schema.get("minLength", 1), 1)
    text = ("sweep" * (length // 5 + 1))[: max(length, min(5, schema.get("maxLength", 5)))]
    return text


def request_body(document: dict[str, Any], op: Operation) -> tuple[str, Any] | None:
    """(content type, minimal body) for the operation, or None when it takes no body."""
    body = op.definition.get("requestBody")
    if not body:
        return None
    content = body.get("content", {})
    for media in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        if media in content:
            return media, minimal_instance(document, content[media].get("schema", {}))
    media = next(iter(content))
    return media, minimal_instance(document, content[media].get("schema", {}))


def required_query(document: dict[str, Any], op: Operation) -> dict[str, Any]:
    """Minimal values for the operation's required query parameters."""
    out = {}
    for param in op.definition.get("parameters", []):
        param = resolve(document, param)
        if param.get("in") == "query" and param.get("required"):
            out[param["name"]] = minimal_instance(document, param.get("schema", {}))
    return out
