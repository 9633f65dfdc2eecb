"""The audit archive: records shipped from the Redis stream to the database exactly once, kept
for years in monthly partitions (PostgreSQL), read back by id and exported with the stream's."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from click.testing import CliRunner

from service import database
from service.app import create_app
from service.archive import AuditArchive, merged
from service.audit import STREAM, AuditTrail
from service.cli import main
from service.config import Settings
from service.loader import load_list
from service.shipper import GROUP, Shipper
from service.store import ListStore
from tests.test_audit import OFAC_CSV

DAY_MS = 86_400_000


def ms(year: int, month: int, day: int) -> int:
    return int(dt.datetime(year, month, day, 12, tzinfo=dt.UTC).timestamp() * 1000)


def record(name: str) -> dict:
    return {"endpoint": "/v1/screen", "key_id": "k1", "input": {"name": name}, "hits": [], "recorded_at": 1.0}


def test_records_are_stored_once_by_id_and_found_again(db: database.Database) -> None:
    archive = AuditArchive(db)
    batch = [(f"{ms(2026, 11, 30)}-0", record("a")), (f"{ms(2026, 12, 1)}-0", record("b"))]
    assert archive.store(batch) == 2
    assert archive.store(batch + [(f"{ms(2026, 12, 2)}-3", record("c"))]) == 1, "ids already there are ignored"
    assert archive.count() == 3
    found = archive.get(f"{ms(2026, 12, 1)}-0")
    assert found is not None and found["screening_id"] == f"{ms(2026, 12, 1)}-0" and found["input"]["name"] == "b"
    assert archive.get(f"{ms(2026, 12, 1)}-1") is None
    assert archive.get("not-an-id") is None and archive.get("99999999999999999999-0") is None
    with db.engine.connect() as connection:
        partitions = [name for name, _ in database.month_partitions(connection, "audit_records")]
    if db.dialect == "postgresql":  # one partition per month, made as records arrived
        assert partitions == ["audit_records_y2026m11", "audit_records_y2026m12"]
    else:
        assert partitions == []


def test_export_is_in_stream_order_within_a_range(db: database.Database) -> None:
    archive = AuditArchive(db)
    base = ms(2026, 12, 3)
    ids = [f"{base}-{seq}" for seq in (0, 2, 9, 10, 11)] + [f"{base + 1}-0", f"{base + DAY_MS}-0"]
    archive.store([(i, record(i)) for i in reversed(ids)])
    assert [r["screening_id"] for r in archive.export(batch=2)] == ids, "…-10 after …-9, across pages"
    assert [r["screening_id"] for r in archive.export(since_ms=base + 1, until_ms=base + 1)] == [f"{base + 1}-0"]


def test_prune_forgets_what_is_older_than_the_retention(db: database.Database) -> None:
    archive = AuditArchive(db)
    now = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    old, edge, young = ms(2021, 6, 1), ms(2021, 12, 10), ms(2026, 11, 1)
    archive.store([(f"{old}-0", record("old")), (f"{edge}-0", record("edge")), (f"{young}-0", record("young"))])
    retention = (now - dt.datetime(2021, 12, 1, tzinfo=dt.UTC)).days  # the limit falls on 2021-12-01
    assert archive.prune(retention - 20, now=now) == 2  # limit 2021-12-21: June and the 10th go
    assert [r["input"]["name"] for r in archive.export()] == ["young"]
    with db.engine.connect() as connection:
        partitions = [name for name, _ in database.month_partitions(connection, "audit_records")]
    if db.dialect == "postgresql":
        assert "audit_records_y2021m06" not in partitions, "a whole month past the retention is dropped"
        assert "audit_records_y2021m12" in partitions, "the month the limit falls in keeps its younger rows"


def test_the_shipper_moves_every_record_once_and_acknowledges_after_the_commit(
    db: database.Database, redis_client: redis.Redis
) -> None:
    trail = AuditTrail(redis_client, retention_seconds=86400)
    ids = trail.record([record(f"n{i}") for i in range(1234)])
    archive = AuditArchive(db)
    totals = Shipper(redis_client, archive, consumer="one", batch=100).drain()
    assert (totals.read, totals.stored, totals.batches) == (1234, 1234, 13)
    assert [r["screening_id"] for r in archive.export()] == ids
    assert redis_client.xpending(STREAM, GROUP)["pending"] == 0
    assert redis_client.xlen(STREAM) == 1234, "the stream keeps its records for their retention"
    assert Shipper(redis_client, archive, consumer="one").drain().read == 0


def test_a_batch_stored_but_not_acknowledged_is_read_again_and_not_doubled(
    db: database.Database, redis_client: redis.Redis
) -> None:
    trail = AuditTrail(redis_client, retention_seconds=86400)
    ids = trail.record([record(f"n{i}") for i in range(30)])
    archive = AuditArchive(db)
    crashed = Shipper(redis_client, archive, consumer="dead", batch=10)
    crashed.ensure_group()
    crashed.redis = redis_client.pipeline()  # its ack never reaches Redis: it "dies" after the commit
    with pytest.raises(Exception):  # noqa: B017 - whatever the pipeline does with a read
        crashed.ship_batch()
    crashed = Shipper(redis_client, archive, consumer="dead", batch=10)
    crashed.ensure_group()
    entries = crashed._read(None)
    archive.store([(i, json.loads(f[b"record"])) for i, f in entries if f])  # committed, never acked
    assert redis_client.xpending(STREAM, GROUP)["pending"] == 10
    # Another shipper takes the dead one's batch over once it has been idle long enough.
    other = Shipper(redis_client, archive, consumer="alive", batch=10, claim_idle_ms=0)
    totals = other.drain()
    assert totals.read == 30 and totals.stored == 20
    assert [r["screening_id"] for r in archive.export()] == ids
    assert redis_client.xpending(STREAM, GROUP)["pending"] == 0


def test_records_trimmed_before_shipping_are_counted_lost(db: database.Database, redis_client: redis.Redis) -> None:
    trail = AuditTrail(redis_client, retention_seconds=86400)
    shipper = Shipper(redis_client, AuditArchive(db), consumer="one", batch=10)
    shipper.ensure_group()
    ids = trail.record([record(f"n{i}") for i in range(5)])
    shipper._group_read(">", None)  # read, then the shipper stops before storing
    redis_client.xdel(STREAM, ids[0], ids[1])
    totals = Shipper(redis_client, AuditArchive(db), consumer="one", batch=10).drain()
    assert (totals.stored, totals.lost) == (3, 2)


@pytest.mark.slow
def test_a_shipper_killed_mid_batch_loses_and_doubles_nothing(
    database_url: str, redis_url: str, redis_client: redis.Redis, tmp_path: Path
) -> None:
    """Real shipper processes, SIGKILLed at random points while batches are in flight, then
    restarted: the archive holds exactly the stream's records, each once."""
    trail = AuditTrail(redis_client, retention_seconds=86400)
    ids: list[str] = []
    for _ in range(4):
        ids += trail.record([record(f"n{len(ids) + i}") for i in range(2500)])
    env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": database_url, "SCREENING_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "service.cli", "audit", "ship", "--batch", "400", "--consumer", "shipper-1"]
    archive = AuditArchive(database.Database(database_url))
    kills = 0
    for target in (1500, 4000, 7000):
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while archive.count() < target and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
    assert 0 < archive.count() < len(ids), "killed while records were still to ship"
    finished = subprocess.run(command + ["--once"], env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    shipped = [r["screening_id"] for r in archive.export()]
    assert shipped == ids, f"after {kills} kills: {len(shipped)} archived of {len(ids)}"
    assert len(set(shipped)) == len(shipped) == archive.count()
    assert redis_client.xpending(STREAM, GROUP)["pending"] == 0
    archive.db.dispose()


def test_a_screening_gone_from_redis_is_read_from_the_archive(
    settings: Settings, database_url: str, redis_client: redis.Redis, conforms
) -> None:  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC_CSV)
    served = replace(settings, database_url=database_url, enabled_lists=("us_ofac_sdn",))
    app = create_app(served, redis_client=redis_client)
    http = app.test_client()
    screening_id = http.post("/v1/screen", json={"name": "Elvis Logan Morey"}).json["screening_id"]
    in_redis = http.get(f"/v1/screenings/{screening_id}").json
    Shipper(redis_client, app.extensions["archive"], consumer="t").drain()
    redis_client.xdel(STREAM, screening_id)  # past the Redis retention
    found = http.get(f"/v1/screenings/{screening_id}")
    assert found.status_code == 200 and found.json == in_redis
    conforms(found, "/v1/screenings/{screening_id}")
    assert http.get(f"/v1/screenings/{screening_id[:-1]}9").status_code == 404


def test_a_configured_database_that_is_down_is_a_503_not_a_miss(settings: Settings, redis_client: redis.Redis) -> None:
    down = replace(settings, database_url="postgresql://nobody@127.0.0.1:1/none")
    answer = create_app(down, redis_client=redis_client).test_client().get("/v1/screenings/1764463200123-0")
    assert answer.status_code == 503 and "database" in answer.json["error"]["message"]


def test_audit_export_reads_the_archive_and_the_stream_each_record_once(
    database_url: str, redis_url: str, redis_client: redis.Redis, tmp_path: Path
) -> None:
    trail = AuditTrail(redis_client, retention_seconds=86400)
    archive = AuditArchive(database.Database(database_url))
    old = [(f"{ms(2026, 1, 5)}-{i}", record(f"old{i}")) for i in range(3)]
    archive.store(old)  # long gone from Redis
    shipped = trail.record([record("both1"), record("both2")])
    Shipper(redis_client, archive, consumer="t").drain()  # in both places now
    fresh = trail.record([record("redis-only")])
    env = {"REDIS_URL": redis_url, "DATABASE_URL": database_url, "SCREENING_DATA_DIR": str(tmp_path)}
    out = CliRunner().invoke(main, ["audit", "export"], env=env)
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert [r["screening_id"] for r in lines] == [i for i, _ in old] + shipped + fresh
    since = CliRunner().invoke(
        main, ["audit", "export", "--since", "2026-01-05", "--until", "2026-01-05T23:59:59"], env=env
    )
    assert [json.loads(line)["screening_id"] for line in since.output.splitlines() if line.startswith("{")] == [
        i for i, _ in old
    ]
    archive.db.dispose()


def test_merged_keeps_stream_order_and_one_of_each() -> None:
    a = [{"screening_id": "5-0"}, {"screening_id": "5-10"}]
    b = [{"screening_id": "5-2"}, {"screening_id": "5-10"}, {"screening_id": "6-0"}]
    assert [r["screening_id"] for r in merged(a, b)] == ["5-0", "5-2", "5-10", "6-0"]


def test_the_migration_partitions_the_archive_on_postgresql(postgres_url: str) -> None:
    engine = database.make_engine(postgres_url)
    with engine.connect() as connection:
        kind = connection.execute(sa.text("SELECT relkind FROM pg_class WHERE relname = 'audit_records'")).scalar()
    engine.dispose()
    assert kind == "p", "a partitioned table"
