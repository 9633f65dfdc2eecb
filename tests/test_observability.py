"""Request ids, structured logs and Prometheus metrics, over HTTP against a real Redis."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest
import redis

from service.app import create_app
from service.auth import KeyStore
from service.config import Settings
from service.loader import load_list
from service.observability import JsonFormatter
from service.store import ListStore
from tests.conftest import FIXTURES

OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]


@pytest.fixture
def http(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    return create_app(replace(settings, enabled_lists=("us_ofac_sdn",)), redis_client=redis_client).test_client()


def test_a_request_id_is_honoured_or_made_and_always_returned(http) -> None:  # type: ignore[no-untyped-def]
    assert http.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = http.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32
    unsafe = http.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers["X-Request-ID"]
    assert unsafe != "bad id" and len(unsafe) == 32
    assert http.get("/v1/nowhere", headers={"X-Request-ID": "r-404"}).headers["X-Request-ID"] == "r-404"


def test_the_audit_record_carries_the_request_id(http) -> None:  # type: ignore[no-untyped-def]
    screening = http.post("/v1/screen", json={"name": "Elvis Logan Morey"}, headers={"X-Request-ID": "trace-7"}).json
    assert http.get(f"/v1/screenings/{screening['screening_id']}").json["request_id"] == "trace-7"


def test_one_access_line_per_request_with_status_time_and_key_never_the_secret(  # type: ignore[no-untyped-def]
    settings: Settings, redis_client: redis.Redis, caplog
) -> None:
    http = create_app(replace(settings, auth="on", enabled_lists=()), redis_client=redis_client).test_client()
    key, token = KeyStore(redis_client, default_rate_limit=0).create("crm", ["screen"])
    with caplog.at_level(logging.INFO, logger="service.access"):
        http.get("/v1/lists", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "r-1"})
        http.get("/v1/lists", headers={"X-Request-ID": "r-2"})
    lines = [r for r in caplog.records if r.name == "service.access" and r.request_id in ("r-1", "r-2")]  # type: ignore[attr-defined]
    assert [(r.status, r.key_id) for r in lines] == [(200, key.id), (401, None)]  # type: ignore[attr-defined]
    assert all(r.ms >= 0 and r.path == "/v1/lists" for r in lines)  # type: ignore[attr-defined]
    formatted = JsonFormatter().format(lines[0])
    line = json.loads(formatted)
    assert line["status"] == 200 and line["level"] == "info" and line["key_id"] == key.id
    assert token.split("_", 2)[2] not in caplog.text + formatted


def test_metrics_count_requests_hits_and_show_the_lists(http) -> None:  # type: ignore[no-untyped-def]
    http.post("/v1/screen", json={"name": "Elvis Logan Morey", "birth_date": "1963-07-28"})
    http.post("/v1/screen", json={"name": "Nobody At All"})
    response = http.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'screening_requests_total{endpoint="/v1/screen",method="POST",status="200"}' in text
    assert 'screening_hits_total{kind="direct",list="us_ofac_sdn"}' in text
    assert "screening_request_seconds_bucket" in text and "screening_candidates_scored_bucket" in text
    assert 'screening_list_info{list="us_ofac_sdn",version="' in text
    assert 'screening_list_age_seconds{list="us_ofac_sdn"}' in text
    assert 'screening_list_entities{list="us_ofac_sdn"} 9.0' in text
