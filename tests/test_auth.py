"""API keys, scopes, rate limits and body limits, over HTTP against a real Redis."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.auth import KeyStore
from service.config import Settings
from service.loader import load_list
from service.store import ListStore
from tests.conftest import FIXTURES

OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]


@pytest.fixture
def on(settings: Settings) -> Settings:
    return replace(settings, auth="on", enabled_lists=("us_ofac_sdn",))


@pytest.fixture
def keys(redis_client: redis.Redis) -> KeyStore:
    return KeyStore(redis_client, default_rate_limit=1000)


@pytest.fixture
def http(on: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    return create_app(on, redis_client=redis_client).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_v1_endpoint_needs_a_key_and_health_does_not(http, conforms) -> None:  # type: ignore[no-untyped-def]
    closed = [
        ("get", "/v1/lists"),
        ("post", "/v1/screen"),
        ("get", "/v1/entities/us_ofac_sdn:10278"),
        ("post", "/v1/jobs"),
        ("get", "/v1/keys"),
        ("post", "/v1/lists/us_ofac_sdn/reload"),
    ]
    for method, path in closed:
        response = getattr(http, method)(path, json={"name": "x"})
        assert response.status_code == 401, path
        assert "API key is required" in response.json["error"]["message"]
    response = http.post("/v1/screen", json={"name": "x"})
    conforms(response, "/v1/screen", "post")
    for path in ("/healthz", "/readyz", "/openapi.yaml"):
        assert http.get(path).status_code == 200, path
    assert http.get("/readyz").json["warnings"] == []


@pytest.mark.parametrize(
    "header",
    [
        {"Authorization": "Bearer ssk_000000000000_" + "x" * 43},  # well formed, unknown
        {"Authorization": "Bearer not-a-key"},
        {"X-API-Key": "ssk_000000000000_short"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_a_wrong_key_is_401(http, header) -> None:  # type: ignore[no-untyped-def]
    assert http.get("/v1/lists", headers=header).status_code == 401


def test_a_key_with_the_right_scope_passes_either_header(http, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    _, token = keys.create("payments", ["screen"])
    response = http.post("/v1/screen", json={"name": "Elvis Logan Morey"}, headers=bearer(token))
    assert response.status_code == 200
    conforms(response, "/v1/screen", "post")
    assert http.get("/v1/lists", headers={"X-API-Key": token}).status_code == 200
    another = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert http.get("/v1/lists", headers=bearer(another)).status_code == 401, "the secret is checked, not the id"


def test_the_wrong_scope_is_403_naming_the_scope_needed(http, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    _, screen = keys.create("screen only", ["screen"])
    _, bulk = keys.create("bulk only", ["bulk"])
    response = http.post("/v1/lists/us_ofac_sdn/reload", headers=bearer(screen))
    assert response.status_code == 403 and response.json["error"]["details"]["needed_scope"] == "admin"
    conforms(response, "/v1/lists/{list_id}/reload", "post")
    assert http.post("/v1/jobs", data=b"name\nx\n", headers=bearer(screen)).status_code == 403
    assert http.post("/v1/screen", json={"name": "x"}, headers=bearer(bulk)).status_code == 403
    assert http.get("/v1/keys", headers=bearer(screen)).status_code == 403


def test_a_revoked_key_is_refused(http, keys: KeyStore) -> None:  # type: ignore[no-untyped-def]
    key, token = keys.create("soon gone", ["screen"])
    assert http.get("/v1/lists", headers=bearer(token)).status_code == 200
    keys.revoke(key.id)
    response = http.get("/v1/lists", headers=bearer(token))
    assert response.status_code == 401 and "revoked" in response.json["error"]["message"]


def test_admin_manages_keys_over_http(http, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    _, admin = keys.create("ops", ["admin"])
    created = http.post("/v1/keys", json={"name": "crm", "scopes": ["screen", "bulk"]}, headers=bearer(admin))
    assert created.status_code == 201
    conforms(created, "/v1/keys", "post")
    token, key_id = created.json["token"], created.json["key"]["id"]
    assert http.post("/v1/screen", json={"name": "x"}, headers=bearer(token)).status_code == 200
    listed = http.get("/v1/keys", headers=bearer(admin))
    conforms(listed, "/v1/keys")
    assert {k["name"] for k in listed.json["keys"]} == {"ops", "crm"}
    assert token.split("_", 2)[2] not in listed.get_data(as_text=True), "a secret is never shown again"
    revoked = http.delete(f"/v1/keys/{key_id}", headers=bearer(admin))
    conforms(revoked, "/v1/keys/{key_id}", "delete")
    assert revoked.json["revoked_at"] is not None
    assert http.post("/v1/screen", json={"name": "x"}, headers=bearer(token)).status_code == 401
    bad = http.post("/v1/keys", json={"name": "x", "scopes": ["root"]}, headers=bearer(admin))
    assert bad.status_code == 400 and "scopes.0" in bad.json["error"]["details"]["fields"]
    assert http.delete("/v1/keys/nope", headers=bearer(admin)).status_code == 404


def test_the_rate_limit_is_per_key_and_says_when_to_retry(http, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    _, slow = keys.create("slow", ["screen"], rate_limit=3)
    _, other = keys.create("other", ["screen"], rate_limit=3)
    if time.time() % 60 > 55:  # the window is a clock minute: start in a fresh one
        time.sleep(60 - time.time() % 60 + 0.1)
    answers = [http.get("/v1/lists", headers=bearer(slow)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[-1]
    conforms(limited, "/v1/lists")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "rate limit of 3 requests a minute" in limited.json["error"]["message"]
    assert http.get("/v1/lists", headers=bearer(other)).status_code == 200, "another key has its own budget"


def test_a_body_over_the_limit_is_413(on: Settings, redis_client: redis.Redis, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    http = create_app(replace(on, max_body_bytes=1000), redis_client=redis_client).test_client()
    _, token = keys.create("big", ["screen"])
    response = http.post("/v1/screen", json={"name": "x" * 2000}, headers=bearer(token))
    assert response.status_code == 413
    conforms(response, "/v1/screen", "post")
    assert "1,000 bytes" in response.json["error"]["message"]


def test_admin_reloads_a_list(  # type: ignore[no-untyped-def]
    on: Settings, redis_client: redis.Redis, keys: KeyStore, tmp_path: Path, conforms
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    for path in OFAC_CSV:
        (folder / path.name).write_bytes(path.read_bytes())
    http = create_app(replace(on, lists_dir=folder), redis_client=redis_client).test_client()
    _, admin = keys.create("ops", ["admin"])
    first = http.post("/v1/lists/us_ofac_sdn/reload", headers=bearer(admin))
    conforms(first, "/v1/lists/{list_id}/reload", "post")
    assert first.json["status"] == "loaded" and first.json["version"]
    again = http.post("/v1/lists/us_ofac_sdn/reload", headers=bearer(admin))
    assert again.json["status"] == "unchanged"
    assert http.post("/v1/lists/nolist/reload", headers=bearer(admin)).status_code == 404


def test_no_secret_reaches_the_logs(http, keys: KeyStore, caplog) -> None:  # type: ignore[no-untyped-def]
    _, token = keys.create("quiet", ["screen"])
    with caplog.at_level(logging.DEBUG):
        http.post("/v1/screen", json={"name": "x"}, headers=bearer(token))
        http.get("/v1/lists", headers=bearer(token[:-2]))
    secret = token.split("_", 2)[2]
    assert secret[:20] not in caplog.text


def test_auth_off_says_so_in_readyz(settings: Settings, redis_client: redis.Redis, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING):
        http = create_app(replace(settings, enabled_lists=()), redis_client=redis_client).test_client()
    assert "AUTHENTICATION IS OFF" in caplog.text
    ready = http.get("/readyz")
    assert any("AUTHENTICATION IS OFF" in w for w in ready.json["warnings"])
    assert http.get("/v1/lists").status_code == 200


def test_the_keys_command(redis_url: str, redis_client: redis.Redis, tmp_path: Path) -> None:
    env = {**os.environ, "REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "service.cli", "keys", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True)

    created = cli("create", "--name", "crm", "--scope", "screen", "--scope", "bulk")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("ssk_") and "not shown again" in created.stderr
    key_id = token.split("_", 2)[1]
    listed = cli("list")
    assert key_id in listed.stdout and "screen,bulk" in listed.stdout and token.split("_", 2)[2] not in listed.stdout
    assert cli("revoke", key_id).returncode == 0
    assert "revoked" in cli("list").stdout
    assert cli("revoke", "nope").returncode == 1
    refused = cli("create", "--name", "x", "--scope", "root")
    assert refused.returncode == 2 and "root" in refused.stderr
