"""A screening by a key this worker has seen pass: the key's check, the lists' check and the
audit record in one Redis round trip, and whatever those checks refuse is neither answered
nor recorded (service.api.one_trip)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
import redis
from redis.connection import Connection

from service.app import create_app
from service.audit import STREAM
from service.auth import KEY, KeyStore
from service.config import Settings
from service.loader import load_list
from service.store import CHECKED, CURRENT, ListStore
from tests.conftest import FIXTURES, RedisServer

OFAC_CSV = [FIXTURES / "ofac_csv" / name for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")]
LOGAN = {"name": "Elvis Logan Morey", "kind": "person"}


@pytest.fixture
def on(settings: Settings, redis_client: redis.Redis) -> Settings:
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    return replace(settings, auth="on", enabled_lists=("us_ofac_sdn",))


@pytest.fixture
def keys(redis_client: redis.Redis) -> KeyStore:
    return KeyStore(redis_client, default_rate_limit=0)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Commands and pipelines sent to Redis (each one round trip)."""
    sent = [0]
    send = Connection.send_packed_command

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent[0] += 1
        return send(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counted)
    return sent


def test_a_known_key_screens_in_one_round_trip_and_every_screening_is_recorded(  # type: ignore[no-untyped-def]
    on, redis_client, keys, round_trips
) -> None:
    http = create_app(on, redis_client=redis_client).test_client()
    key, token = keys.create("crm", ["screen"])
    first = http.post("/v1/screen", json=LOGAN, headers=bearer(token)).json
    http.post("/v1/screen", json={"name": "Somebody Else"}, headers=bearer(token))  # the script is loaded
    round_trips[0] = 0
    second = http.post("/v1/screen", json={"name": "Nobody Special"}, headers=bearer(token))
    assert second.status_code == 200 and round_trips[0] == 1
    batch = http.post("/v1/screen/batch", json={"queries": [LOGAN, {"name": "x y"}]}, headers=bearer(token))
    assert batch.status_code == 200 and round_trips[0] == 2
    assert redis_client.xlen(STREAM) == 5
    ids = [first["screening_id"], second.json["screening_id"], *(r["screening_id"] for r in batch.json["results"])]
    stored = [entry_id.decode() for entry_id, _ in redis_client.xrange(STREAM)]
    assert stored[:1] + stored[2:] == ids
    record = http.get(f"/v1/screenings/{second.json['screening_id']}", headers=bearer(token)).json
    assert record["key_id"] == key.id and record["input"]["name"] == "Nobody Special"
    assert record["lists"] == second.json["lists"]


def test_a_key_revoked_since_it_passed_is_refused_and_nothing_is_recorded(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    key, token = keys.create("crm", ["screen"])
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    keys.revoke(key.id)
    refused = http.post("/v1/screen", json=LOGAN, headers=bearer(token))
    assert refused.status_code == 401 and "revoked" in refused.json["error"]["message"]
    # A bad body from a revoked key: the refusal first, as when the key is checked up front.
    assert http.post("/v1/screen", json={"threshold": 7}, headers=bearer(token)).status_code == 401
    assert redis_client.xlen(STREAM) == 1


def test_a_key_over_its_rate_limit_or_losing_its_scope_is_refused_unrecorded(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    key, token = keys.create("crm", ["screen"], rate_limit=2)
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    if time.time() % 60 < 59:  # the same minute's window
        assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 429
        assert redis_client.xlen(STREAM) == 2
    other, token = keys.create("crm2", ["screen"])
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    redis_client.hset(KEY.format(key_id=other.id), "scopes", "bulk")
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 403
    assert redis_client.xlen(STREAM) == 3 - (time.time() % 60 >= 59)


def test_lists_gone_stale_or_switched_since_they_were_read_fail_closed_unrecorded(on, redis_client, keys) -> None:  # type: ignore[no-untyped-def]
    http = create_app(on, redis_client=redis_client).test_client()
    _, token = keys.create("crm", ["screen"])
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    checked = redis_client.hget(CHECKED, "us_ofac_sdn")
    redis_client.hset(CHECKED, "us_ofac_sdn", time.time() - 30 * 86400)
    stale = http.post("/v1/screen", json=LOGAN, headers=bearer(token))
    assert stale.status_code == 503 and "stale" in stale.json["error"]["message"]
    redis_client.hset(CHECKED, "us_ofac_sdn", checked)
    current = redis_client.hget(CURRENT, "us_ofac_sdn")
    redis_client.hset(CURRENT, "us_ofac_sdn", "20000101-00000000")
    switched = http.post("/v1/screen", json=LOGAN, headers=bearer(token))
    assert switched.status_code == 503 and "20000101-00000000" in switched.json["error"]["message"]
    assert redis_client.xlen(STREAM) == 1
    redis_client.hset(CURRENT, "us_ofac_sdn", current)
    again = http.post("/v1/screen", json=LOGAN, headers=bearer(token))
    assert again.status_code == 200 and redis_client.xlen(STREAM) == 2


def test_redis_down_after_the_key_passed_is_a_503_never_an_answer(  # type: ignore[no-untyped-def]
    on, redis_server: RedisServer
) -> None:
    client = redis.Redis.from_url(redis_server.url)
    load_list(ListStore(client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    _, token = KeyStore(client, default_rate_limit=0).create("crm", ["screen"])
    http = create_app(replace(on, redis_url=redis_server.url)).test_client()
    assert http.post("/v1/screen", json=LOGAN, headers=bearer(token)).status_code == 200
    redis_server.stop()
    down = http.post("/v1/screen", json=LOGAN, headers=bearer(token))
    assert down.status_code == 503 and "Redis is unreachable" in down.json["error"]["message"]
