"""The audit trail: every screening recorded before it is answered, replayable by id, exportable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.audit import STREAM
from service.auth import KeyStore
from service.config import Settings
from service.loader import load_list
from service.store import ListStore
from tests.conftest import FIXTURES

OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
LOGAN = "us_ofac_sdn:10278"


@pytest.fixture
def on(settings: Settings, redis_client: redis.Redis) -> Settings:
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    return replace(settings, auth="on", enabled_lists=("us_ofac_sdn",))


@pytest.fixture
def keys(redis_client: redis.Redis) -> KeyStore:
    return KeyStore(redis_client, default_rate_limit=0)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_screening_is_recorded_and_replayable_by_its_id(on, redis_client, keys, conforms) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    key, token = keys.create("crm", ["screen"])
    body = {"name": "Elvis Logan Morey", "birth_date": "1963-07-28", "kind": "person"}
    answer = http.post("/v1/screen", json=body, headers=bearer(token) | {"X-Request-ID": "req-42"}).json
    assert answer["hits"][0]["entity_id"] == LOGAN
    stored = http.get(f"/v1/screenings/{answer['screening_id']}", headers=bearer(token))
    assert stored.status_code == 200
    conforms(stored, "/v1/screenings/{screening_id}")
    record = stored.json
    assert record["screening_id"] == answer["screening_id"] and record["key_id"] == key.id
    assert record["input"]["name"] == "Elvis Logan Morey" and record["normalised"]["name_tokens"]
    assert record["lists"] == answer["lists"] and record["algorithm"] == answer["algorithm"]
    assert record["threshold"] == answer["threshold"] and record["endpoint"] == "/v1/screen"
    assert [(h["entity_id"], h["score"], h["match"]) for h in record["hits"]] == [
        (h["entity_id"], h["score"], h["match"]) for h in answer["hits"]
    ]
    assert token.split("_", 2)[2] not in json.dumps(record), "the key's id, never its secret"


def test_a_batch_records_each_screening(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    _, token = keys.create("crm", ["screen"])
    queries = [{"name": "Elvis Logan Morey"}, {"name": "Nobody Special"}, {"name": "Artavil", "kind": "vessel"}]
    results = http.post("/v1/screen/batch", json={"queries": queries}, headers=bearer(token)).json["results"]
    ids = [r["screening_id"] for r in results]
    assert len(set(ids)) == 3 and redis_client.xlen(STREAM) == 3
    assert [http.get(f"/v1/screenings/{i}", headers=bearer(token)).json["input"]["name"] for i in ids] == [
        q["name"] for q in queries
    ]


def test_a_key_reads_its_own_screenings_and_admin_reads_all(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    _, mine = keys.create("mine", ["screen"])
    _, theirs = keys.create("theirs", ["screen"])
    _, admin = keys.create("ops", ["admin"])
    screening_id = http.post("/v1/screen", json={"name": "x y"}, headers=bearer(mine)).json["screening_id"]
    assert http.get(f"/v1/screenings/{screening_id}", headers=bearer(theirs)).status_code == 404
    assert http.get(f"/v1/screenings/{screening_id}", headers=bearer(admin)).status_code == 200
    assert http.get("/v1/screenings/not-an-id", headers=bearer(admin)).status_code == 404
    assert http.get("/v1/screenings/1-0", headers=bearer(admin)).status_code == 404


def test_records_older_than_the_retention_leave_the_stream(on, redis_client) -> None:  # type: ignore[no-untyped-def]
    http = create_app(replace(on, auth="off", audit_retention_seconds=1), redis_client=redis_client).test_client()
    old = http.post("/v1/screen", json={"name": "first"}).json["screening_id"]
    time.sleep(1.2)
    new = http.post("/v1/screen", json={"name": "second"}).json["screening_id"]
    assert http.get(f"/v1/screenings/{old}").status_code == 404
    assert http.get(f"/v1/screenings/{new}").status_code == 200


def test_a_bulk_job_is_recorded(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    key, token = keys.create("analyst", ["bulk"])
    upload = {"file": (FIXTURES / "bulk" / "customers-utf8-bom.csv").open("rb"), "lists": "us_ofac_sdn"}
    job = http.post("/v1/jobs", data=upload, headers=bearer(token), content_type="multipart/form-data")
    assert job.status_code == 202, job.json
    (entry_id, fields), *_ = redis_client.xrange(STREAM)
    record = json.loads(fields[b"record"])
    assert record["type"] == "bulk_job" and record["job_id"] == job.json["job_id"] and record["key_id"] == key.id


def test_audit_export_writes_json_lines(on, redis_client, redis_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    http = create_app(replace(on, auth="off"), redis_client=redis_client).test_client()
    ids = [http.post("/v1/screen", json={"name": f"name {n}"}).json["screening_id"] for n in range(3)]
    env = {**os.environ, "REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path)}
    out = tmp_path / "audit.jsonl"
    command = [sys.executable, "-m", "service.cli", "audit", "export", "-o", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["screening_id"] for line in out.read_text().splitlines()] == ids
    since = ids[1].split("-")[0]
    export_since = [sys.executable, "-m", "service.cli", "audit", "export", "--since", since]
    later = subprocess.run(export_since, env=env, capture_output=True, text=True)
    assert [json.loads(line)["screening_id"] for line in later.stdout.splitlines()] == [
        i for i in ids if int(i.split("-")[0]) >= int(since)
    ]
    bad = subprocess.run(
        [sys.executable, "-m", "service.cli", "audit", "export", "--since", "yesterday"], env=env, capture_output=True
    )
    assert bad.returncode == 2
