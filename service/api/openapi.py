"""The OpenAPI 3.1 document, generated from the routes' docstrings and marshmallow schemas.

``openapi.yaml`` in the repository is this output; a test fails when the two differ, so
the published document cannot drift from the code. Regenerate with ``screening openapi``.
"""

from __future__ import annotations

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_yaml_from_docstring
from flask import Flask

from service.api import bulk_schemas, schemas

TITLE = "sanctions-screening"
VERSION = "0.1.0"
DESCRIPTION = (
    "Screens counterparties against official sanctions lists (OFAC, UN, UK, EU, US trade"
    " lists, OpenSanctions) and the entities linked to them, explaining every hit.\n\n"
    'Every error has one JSON shape: `{"error": {"code", "message", "details"}}`. The service'
    " fails closed: when a list is missing, stale or half loaded, or Redis is unreachable, it"
    " answers 503 with the reason, never an empty result."
)


def build_spec(app: Flask) -> APISpec:
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
    )
    for module in (schemas, bulk_schemas):
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
            path = rule.rule.replace("<path:", "{").replace("<", "{").replace(">", "}")
            spec.path(path=path, operations=operations)
    return spec


def spec_dict(app: Flask) -> dict:
    raw = build_spec(app).to_dict()
    # Conventional order: what it is first, then the paths, then the components.
    return {key: raw[key] for key in ("openapi", "info", "paths", "components") if key in raw}


class _Dumper(yaml.SafeDumper):
    """Writes a part the schemas share (an inherited field's metadata) in full each time, not as an alias."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def spec_yaml(app: Flask) -> str:
    return yaml.dump(spec_dict(app), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
