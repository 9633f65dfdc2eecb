"""The OpenAPI 3.1 document, generated from the routes' docstrings and marshmallow schemas.

``openapi.yaml`` in the repository is this output; a test fails when the two differ, so
the published document cannot drift from the code. Regenerate with ``screening openapi``.
"""

from __future__ import annotations

import re

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_yaml_from_docstring
from flask import Flask

from service.api import bulk_schemas, monitoring_schemas, schemas

TITLE = "sanctions-screening"
VERSION = "0.1.0"
DESCRIPTION = (
    "Every /v1 endpoint needs an API key with the right scope (screen, bulk, monitor, alerts,"
    " webhooks or admin), sent as"
    " `Authorization: Bearer <key>` or `X-API-Key: <key>`: 401 without a valid key, 403 with the"
    " wrong scope, 429 past the key's rate limit (with Retry-After).\n\n"
    "Screens counterparties against official sanctions lists (OFAC, UN, UK, EU, US trade"
    " lists, OpenSanctions) and the entities linked to them, explaining every hit.\n\n"
    'Every error has one JSON shape: `{"error": {"code", "message", "details"}}`. The service'
    " fails closed: when a list is missing, stale or half loaded, or Redis is unreachable, it"
    " answers 503 with the reason, never an empty result."
)


# What any /v1 operation may answer besides its own responses.
ACCESS_RESPONSES = {
    401: "No API key, or one that is not valid or was revoked",
    403: "The API key lacks the scope this endpoint needs",
    413: "The request body is larger than this endpoint takes",
    429: "The API key's rate limit is exceeded; Retry-After says when to try again",
}


def build_spec(app: Flask) -> APISpec:
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        # Every operation needs a key unless it says "security: []" (health, metrics, this document).
        security=[{"bearer": []}, {"apiKey": []}],
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "An API key: ssk_<id>_<secret>"}
    )
    spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"})
    for module in (schemas, bulk_schemas, monitoring_schemas):
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, schemas.Schema) and obj is not schemas.Schema:
                component = name.removesuffix("Schema")
                if component not in spec.components.schemas:  # nested ones register themselves
                    spec.components.schema(component, schema=obj)
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint == "static":
                continue
            view = app.view_functions[rule.endpoint]
            operations = load_yaml_from_docstring(view.__doc__ or "")
            if not operations:
                continue
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # <int:alert_id> → {alert_id}
            if path.startswith("/v1/"):
                for method, operation in operations.items():
                    responses = operation.setdefault("responses", {})
                    for status, why in ACCESS_RESPONSES.items():
                        if status == 413 and method not in ("post", "put"):
                            continue
                        responses.setdefault(
                            status, {"description": why, "content": {"application/json": {"schema": "ErrorSchema"}}}
                        )
            spec.path(path=path, operations=operations)
    return spec


def spec_dict(app: Flask) -> dict:
    raw = build_spec(app).to_dict()
    # Conventional order: what it is first, then the paths, then the components.
    return {key: raw[key] for key in ("openapi", "info", "security", "paths", "components") if key in raw}


class _Dumper(yaml.SafeDumper):
    """Writes a part the schemas share (an inherited field's metadata) in full each time, not as an alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def spec_yaml(app: Flask) -> str:
    return yaml.dump(spec_dict(app), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
