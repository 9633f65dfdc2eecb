"""What a key may reach, with authentication on, over HTTP against a real Redis: a bulk job
belongs to the key that made it; key names hold no control characters; a refused request's
access line names the key it presented."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.auth import KEY, KEYS, KeyStore
from service.config import Settings
from tests.bulk_helpers import BULK, bulk_settings, load_fixture_lists


@pytest.fixture
def keys(redis_client: redis.Redis) -> KeyStore:
    return KeyStore(redis_client, default_rate_limit=1000)


@pytest.fixture
def http(settings: Settings, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    load_fixture_lists(redis_client)
    return create_app(replace(bulk_settings(settings), auth="on"), redis_client=redis_client).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "service.access"]


# --- jobs belong to their key --------------------------------------------------------------


def test_a_job_is_seen_and_cancelled_only_by_its_key_or_an_admin(http, keys: KeyStore, conforms) -> None:  # type: ignore[no-untyped-def]
    _, owner = keys.create("owner", ["bulk"])
    _, stranger = keys.create("stranger", ["bulk"])
    _, admin = keys.create("ops", ["admin"])
    data = {"file": (io.BytesIO((BULK / "customers-utf8-bom.csv").read_bytes()), "customers.csv")}
    created = http.post("/v1/jobs", data=data, content_type="multipart/form-data", headers=bearer(owner))
    assert created.status_code == 202, created.json
    job = created.json["job_id"]

    for method, path in (("get", f"/v1/jobs/{job}"), ("get", f"/v1/jobs/{job}/results"),
                         ("post", f"/v1/jobs/{job}/cancel")):  # fmt: skip
        refused = getattr(http, method)(path, headers=bearer(stranger))
        assert refused.status_code == 404, (path, refused.json)
        conforms(refused, path.replace(job, "{job_id}"), method)
        assert job in refused.json["error"]["message"]  # the same answer as for no such job
    assert http.get("/v1/jobs/000000000000000000000000", headers=bearer(stranger)).status_code == 404

    assert http.get(f"/v1/jobs/{job}", headers=bearer(owner)).status_code == 200
    assert http.get(f"/v1/jobs/{job}/results", headers=bearer(owner)).status_code == 409  # not run yet
    assert http.get(f"/v1/jobs/{job}", headers=bearer(admin)).status_code == 200
    cancelled = http.post(f"/v1/jobs/{job}/cancel", headers=bearer(admin))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert http.get(f"/v1/jobs/{job}", headers=bearer(stranger)).status_code == 404


# --- key names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("crm\nadmin-key  all  created 2026-01-01", "a newline forges a line of `keys list`"),
        ("crm\r", "a carriage return"),
        ("\x1b[2Kcrm", "an ANSI escape"),
        ("crm\u202e", "a bidi override"),
        ("crm\u200b", "a zero-width space"),
        ("   ", "blank"),
    ],
)
def test_a_key_name_with_control_characters_is_refused(http, keys: KeyStore, conforms, name: str, why: str) -> None:  # type: ignore[no-untyped-def]
    _, admin = keys.create("ops", ["admin"])
    response = http.post("/v1/keys", json={"name": name, "scopes": ["screen"]}, headers=bearer(admin))
    assert response.status_code == 400, why
    conforms(response, "/v1/keys", "post")
    assert list(response.json["error"]["details"]["fields"]) == ["name"], why
    with pytest.raises(ValueError, match="name"):
        keys.create(name, ["screen"])
    assert len(keys.list()) == 1, why  # only the admin key


def test_the_keys_command_refuses_a_control_and_lists_one_key_a_line(
    redis_url: str, redis_client: redis.Redis, tmp_path: Path
) -> None:
    env = {**os.environ, "REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "service.cli", "keys", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True)

    refused = cli("create", "--name", "crm\nfake  line", "--scope", "screen")
    assert refused.returncode == 2 and "control" in refused.stderr, refused.stderr
    assert not redis_client.smembers(KEYS)
    # A key stored before names were checked: listed on one line, its name escaped.
    redis_client.hset(KEY.format(key_id="0123456789ab"), mapping={"name": "old\nname", "scopes": "screen",
                                                                  "hash": "x", "created_at": "0"})  # fmt: skip
    redis_client.sadd(KEYS, "0123456789ab")
    assert cli("create", "--name", "crm", "--scope", "screen").returncode == 0
    listed = cli("list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and '"old\\nname"' in listed.stdout


# --- the access log of refused requests ----------------------------------------------------


def test_the_access_line_of_a_refused_request_names_the_key(http, keys: KeyStore, caplog) -> None:  # type: ignore[no-untyped-def]
    screen_key, screen_token = keys.create("screener", ["screen"])
    revoked_key, revoked_token = keys.create("gone", ["screen"])
    keys.revoke(revoked_key.id)
    with caplog.at_level(logging.INFO, logger="service.access"):
        assert http.post("/v1/jobs", headers=bearer(screen_token)).status_code == 403  # wrong scope
        assert http.get("/v1/lists", headers=bearer(revoked_token)).status_code == 401  # revoked
        wrong_secret = screen_token[:-4] + ("aaaa" if not screen_token.endswith("aaaa") else "bbbb")
        assert http.get("/v1/lists", headers=bearer(wrong_secret)).status_code == 401
        assert http.get("/v1/lists", headers=bearer("ssk_ffffffffffff_" + "x" * 40)).status_code == 401  # no such key
        assert http.get("/v1/lists").status_code == 401  # no key at all
    lines = access_lines(caplog)
    assert [(r.status, r.key_id) for r in lines] == [  # type: ignore[attr-defined]
        (403, screen_key.id),
        (401, revoked_key.id),
        (401, screen_key.id),
        (401, None),
        (401, None),
    ]
    assert screen_token.split("_", 2)[2][:20] not in caplog.text  # never a secret
