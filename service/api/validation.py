"""Request input checked at the edge: a 400 that names every bad field by its dotted path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from service.errors import BadRequest

# Problems of the body as a whole (not JSON, not an object, …) are reported under this key,
# as marshmallow does; a problem of one field under its dotted path: "queries.3.threshold".
WHOLE = "_schema"


def paths(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error messages as {"dotted.path": [problems]}."""
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(paths(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    problems = messages if isinstance(messages, list) else [messages]
    if problems and not all(isinstance(p, str) for p in problems):  # a list field's errors by index
        flat = {}
        for value in problems:
            flat.update(paths(value, prefix))
        return flat
    return {prefix or WHOLE: [str(p) for p in problems]}


def invalid(fields: dict[str, list[str]]) -> BadRequest:
    shown = "; ".join(
        " ".join(problems) if path == WHOLE else f"{path}: {' '.join(problems)}"
        for path, problems in list(fields.items())[:5]
    )
    more = f" (and {len(fields) - 5} more)" if len(fields) > 5 else ""
    return BadRequest(f"invalid request: {shown}{more}", details={"fields": fields})


def load(schema: Schema) -> Any:
    """The JSON object in the request body, validated by ``schema``; a 400 naming every bad field if not."""
    body = request.get_json(force=True, silent=True)
    if body is None:
        raise invalid({WHOLE: ["The body must be a JSON object; it is not JSON."]})
    if not isinstance(body, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(body), "a number")
        raise invalid({WHOLE: [f"The body must be a JSON object, not {kind}."]})
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise invalid(paths(exc.messages)) from exc


def load_args(schema: Schema, values: Mapping[str, Any] | None = None) -> Any:
    """The query string (or ``values``: form fields …) validated by ``schema``; a 400 naming every bad field if not."""
    try:
        return schema.load(request.args if values is None else values)
    except ValidationError as exc:
        raise invalid(paths(exc.messages)) from exc
