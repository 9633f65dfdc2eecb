"""What the audit archive costs: bytes per screening on disk, and how fast the shipper moves them.

    python -m bench.archive --redis-url redis://127.0.0.1:6379/11 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_archive [--records 10000]

1. Loads the real OFAC SDN CSV set (../shared/lists/ofac/sdn-2021-07-07) into the Redis
   database given (it must be empty, or hold only what this benchmark wrote).
2. Screens --records distinct counterparties through the API in process (so each record is
   exactly what the service writes): a fifth of them listed names with a typo (hits with
   features), the rest made-up people and companies (bench/synthetic_names.py), a third with
   a country. Prints the distinct share and the mean record size in the Redis stream.
3. Ships the stream to the database with the shipper (batches of 500), timed, then prints
   the bytes the archive takes per record: table, index and TOAST of every PostgreSQL
   partition, or the SQLite file (after a checkpoint).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claim import claim_redis  # noqa: E402
from bench.synthetic_names import Generator  # noqa: E402
from service import database  # noqa: E402
from service.app import create_app  # noqa: E402
from service.archive import AuditArchive  # noqa: E402
from service.audit import STREAM  # noqa: E402
from service.config import from_env  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.shipper import Shipper  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "bench:archive"
SDN = ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def queries(store: ListStore, count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    version = store.current()["us_ofac_sdn"]
    listed = [e["names"][0]["full"] for e in store.iter_entities("us_ofac_sdn", version)]
    made_up = Generator(seed).records(count)
    out = []
    for n in range(count):
        if n % 5 == 0:
            out.append({"name": typo(rng, rng.choice(listed))})
        else:
            record = next(made_up)
            body = {"name": record["caption"], "kind": "person" if record["schema"] == "Person" else "organization"}
            if n % 3 == 0 and record["properties"].get("country"):
                body["country"] = record["properties"]["country"][0].upper()[:2]
            out.append(body)
    return out


def archive_bytes(db: database.Database) -> int:
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":
            return int(
                connection.execute(
                    sa.text(
                        "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits"
                        " WHERE inhparent = 'audit_records'::regclass"
                    )
                ).scalar_one()
            )
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = sa.engine.make_url(db.url).database
    return os.path.getsize(path) if path else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--lists-dir", type=Path, default=ROOT.parent / "shared" / "lists")
    args = parser.parse_args()

    client = claim_redis(args.redis_url, MARKER)
    store = ListStore(client)
    load_list(store, "us_ofac_sdn", "ofac_csv", [args.lists_dir / "ofac" / "sdn-2021-07-07" / f for f in SDN])

    tmp = tempfile.mkdtemp(prefix="bench-archive-")
    db = database.from_settings(args.database_url, Path(tmp))
    database.upgrade(db.engine)
    with db.engine.begin() as connection:
        connection.execute(database.audit_records.delete())
    settings = from_env(
        {
            "REDIS_URL": args.redis_url,
            "SCREENING_DATA_DIR": tmp,
            "SCREENING_INDEX_BUILD": "inline",
            "SCREENING_AUTH": "off",
            "SCREENING_LOG_FORMAT": "text",
        }
    )
    settings = replace(settings, enabled_lists=("us_ofac_sdn",), database_url=db.url)
    http = create_app(settings, redis_client=client).test_client()
    import logging

    logging.getLogger("service.access").setLevel(logging.WARNING)

    bodies = queries(store, args.records)
    distinct = len({tuple(sorted(b.items())) for b in bodies}) / len(bodies)
    started = time.perf_counter()
    hits = 0
    for body in bodies:
        answer = http.post("/v1/screen", json=body)
        assert answer.status_code == 200, answer.text
        hits += bool(answer.json["hits"])
    screened = time.perf_counter() - started
    stream_bytes = sum(len(f[b"record"]) for _, f in client.xrange(STREAM))
    print(
        f"{len(bodies):,} screenings ({distinct:.1%} distinct, {hits / len(bodies):.0%} with hits) in {screened:.1f}s"
    )
    print(
        f"Redis stream: {stream_bytes / len(bodies):,.0f} bytes of JSON a record"
        f" (Redis memory {client.memory_usage(STREAM) / len(bodies):,.0f} bytes a record)"
    )

    archive = AuditArchive(db)
    before = archive_bytes(db)
    started = time.perf_counter()
    totals = Shipper(client, archive, consumer="bench", batch=500).drain()
    shipped = time.perf_counter() - started
    size = archive_bytes(db) - before
    print(f"shipped {totals.read:,} records in {shipped:.1f}s ({totals.read / shipped:,.0f}/s), batches of 500")
    print(
        f"archive ({db.dialect}): {size / totals.stored:,.0f} bytes a record on disk"
        f" ({size / 1e6:,.1f} MB for {totals.stored:,})"
    )
    client.flushdb()
    db.dispose()


if __name__ == "__main__":
    main()
