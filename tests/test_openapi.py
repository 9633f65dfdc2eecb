"""openapi.yaml is generated from the code; these tests fail when the two drift apart."""

from __future__ import annotations

import re

import redis
from openapi_spec_validator import validate

from service.api.openapi import spec_yaml
from service.app import create_app
from service.config import Settings
from tests.conftest import ROOT


def test_openapi_yaml_is_what_the_code_generates(settings: Settings) -> None:
    app = create_app(settings, redis_client=redis.Redis(port=1))
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    assert committed == spec_yaml(app), "openapi.yaml is out of date: run `make openapi`"


def test_openapi_yaml_is_valid_openapi_3_1(openapi_spec: dict) -> None:
    assert openapi_spec["openapi"].startswith("3.1")
    validate(openapi_spec)


def test_every_route_is_documented_and_every_documented_path_exists(settings: Settings, openapi_spec: dict) -> None:
    app = create_app(settings, redis_client=redis.Redis(port=1))
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # <int:alert_id> → {alert_id}
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.rule.startswith("/ui/")  # the console: pages, not API
    }
    assert routes == set(openapi_spec["paths"])
