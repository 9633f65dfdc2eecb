"""Request input checked at the edge: a 400 that names every bad field by its dotted path.

Before a schema sees a JSON body, the body's shape is checked without recursion (a
100,000-deep array must be a 400, not a RecursionError): at most ``MAX_DEPTH`` levels of
nesting, and no lone UTF-16 surrogate in any string (JSON can spell ``"\\ud800"``, but no
encoder takes it, so it would fail later, in the audit trail or the answer). Counterparty
text is then cleaned (service.sanitize): what was removed is kept, by field, for the answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flask import g, request
from marshmallow import Schema, ValidationError

from service.errors import BadRequest
from service.sanitize import clean, surrogate

# Problems of the body as a whole (not JSON, not an object, …) are reported under this key,
# as marshmallow does; a problem of one field under its dotted path: "queries.3.threshold".
WHOLE = "_schema"
# The deepest request (a compare record's address parts) nests 4 levels; room to grow.
MAX_DEPTH = 16
TOO_DEEP = f"Nested more than {MAX_DEPTH} levels deep."
# JSON strings and structure, for finding where a body too deep to decode is too deep.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]', re.S)


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


def _printable(path: str) -> str:
    # A field name is echoed in the answer: an unknown key holding a control or a bidi
    # override is shown escaped, never raw.
    return path if path.isprintable() else path.encode("unicode_escape").decode("ascii")


def invalid(fields: dict[str, list[str]]) -> BadRequest:
    fields = {_printable(path): problems for path, problems in fields.items()}
    shown = "; ".join(
        " ".join(problems) if path == WHOLE else f"{path}: {' '.join(problems)}"
        for path, problems in list(fields.items())[:5]
    )
    more = f" (and {len(fields) - 5} more)" if len(fields) > 5 else ""
    return BadRequest(f"invalid request: {shown}{more}", details={"fields": fields})


def _path(parts: list[str | int]) -> str:
    # Trailing array indices say nothing a reader needs: "name", not "name.0.0.0.0".
    while parts and isinstance(parts[-1], int):
        parts = parts[:-1]
    return ".".join(map(str, parts)) or WHOLE


def _shown(key: str) -> str:
    """A key as it may appear in a message: a surrogate escaped, so the message can be encoded."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8") if surrogate(key) else key


def too_deep_at(text: str) -> str:
    """Where a JSON text nests deeper than MAX_DEPTH: the path of the field, or WHOLE."""
    frames: list[list[Any]] = []  # [kind, key or index, expecting a key]
    for token in _JSON_TOKEN.finditer(text):
        tok = token.group()
        if tok in "{[":
            if len(frames) >= MAX_DEPTH:
                return _path([f[1] for f in frames if f[1] is not None])
            frames.append(["{", None, True] if tok == "{" else ["[", 0, False])
        elif tok in "}]":
            if frames:
                frames.pop()
        elif not frames:
            continue
        elif tok == ",":
            if frames[-1][0] == "[":
                frames[-1][1] += 1
            else:
                frames[-1][2] = True
        elif tok == ":":
            frames[-1][2] = False
        elif frames[-1][0] == "{" and frames[-1][2]:
            try:
                frames[-1][1] = _shown(json.loads(tok))
            except ValueError:
                frames[-1][1] = "?"
    return WHOLE


def shape_problems(body: Any) -> dict[str, list[str]]:
    """Nesting past MAX_DEPTH and lone surrogates, by field; walked without recursion."""
    problems: dict[str, list[str]] = {}
    stack: list[tuple[Any, list[str | int]]] = [(body, [])]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            if (found := surrogate(value)) is not None:
                problems.setdefault(_path(at), []).append(
                    f"Holds a lone UTF-16 surrogate ({found}), which is not a character: send text as UTF-8."
                )
            continue
        if not isinstance(value, (dict, list)):
            continue
        if len(at) >= MAX_DEPTH:
            problems.setdefault(_path(at), []).append(TOO_DEEP)
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and (found := surrogate(key)) is not None:
                problems.setdefault(_path(at), []).append(
                    f"A key holds a lone UTF-16 surrogate ({found}), which is not a character."
                )
                continue
            stack.append((item, [*at, key]))
    return problems


def _clean_strings(body: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The body with every string cleaned (service.sanitize), and what was removed, by field."""
    notes: list[dict[str, Any]] = []

    def walk(value: Any, at: list[str | int]) -> Any:
        if isinstance(value, str):
            text, done = clean(value)
            if done:
                notes.append(
                    {"field": ".".join(map(str, at)), "removed": list(done.removed), "reordered": done.reordered}
                )
            return text
        if isinstance(value, dict):
            return {key: walk(item, [*at, key]) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, [*at, i]) for i, item in enumerate(value)]
        return value

    return walk(body, []), notes  # recursion is safe: shape_problems bounded the depth


def load(schema: Schema, *, sanitize: bool = False) -> Any:
    """The JSON object in the request body, validated by ``schema``; a 400 naming every bad field if not.

    With ``sanitize`` (counterparty text), every string is cleaned first; what was removed
    is in :func:`sanitized`."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw) if raw else None
    except RecursionError:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        raise invalid({too_deep_at(text): [TOO_DEEP]}) from None
    except ValueError:
        body = None
    if body is None:
        raise invalid({WHOLE: ["The body must be a JSON object; it is not JSON."]})
    if not isinstance(body, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(body), "a number")
        raise invalid({WHOLE: [f"The body must be a JSON object, not {kind}."]})
    if problems := shape_problems(body):
        raise invalid(problems)
    g.sanitized = []
    if sanitize:
        body, g.sanitized = _clean_strings(body)
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise invalid(paths(exc.messages)) from exc


def sanitized(prefix: str = "") -> list[dict[str, Any]]:
    """What cleaning removed from this request's fields under ``prefix`` ("queries.3."),
    with the field paths relative to it."""
    return [
        {**note, "field": note["field"][len(prefix) :]}
        for note in g.get("sanitized", [])
        if note["field"].startswith(prefix)
    ]


def load_args(schema: Schema, values: Mapping[str, Any] | None = None) -> Any:
    """The query string (or ``values``: form fields …) validated by ``schema``; a 400 naming every bad field if not."""
    try:
        return schema.load(request.args if values is None else values)
    except ValidationError as exc:
        raise invalid(paths(exc.messages)) from exc
