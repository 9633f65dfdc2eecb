"""What ongoing screening costs: importing a book, and re-screening it when a list version changes.

    python -m bench.monitor --redis-url redis://127.0.0.1:6379/11 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_monitor [--book 1000000] [--processes 2]

1. Loads the real SDN list of 2024-04-26 (../shared/lists/ofac/sdn-only-2024-04-26.csv) into the
   Redis database given (empty, or holding only what this benchmark wrote), and builds the
   screening index (timed apart: the cold start).
2. Writes a CSV of --book counterparties (made-up people and companies from
   bench/synthetic_names.py, a third with a country; plus the names of 30 entities the 2024-05-03
   file adds), prints its distinct share, and imports it with the book importer (each distinct
   row screened, on --processes forked processes, alerts written): rows a second, and the time
   a book of 1,000,000 would take at that rate.
3. Loads the SDN list of 2024-05-03 (305 entities added, 8 removed) and re-screens the book by
   the delta: the book's index built (cold, timed apart), then the delta screened against it
   (the figure the goal of 60 s is about); counts the planted names that raised their alert.
   Peak RSS of this process after each step.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claim import claim_redis  # noqa: E402
from bench.synthetic_names import Generator  # noqa: E402
from service import database, sources  # noqa: E402
from service.app import create_app  # noqa: E402
from service.config import from_env  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.model import to_dict  # noqa: E402
from service.monitoring import alerts  # noqa: E402
from service.monitoring.importer import import_csv  # noqa: E402
from service.monitoring.rescreen import Rescreener  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "bench:monitor"
SDN = "us_ofac_sdn"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process, and of its screening processes once ended.
    On a machine shared with other work the wall time depends on the others; the CPU time
    says what the step costs (PostgreSQL's and Redis's own CPU not included)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def cpu_used(before: tuple[float, float], rows: int) -> str:
    after = cpu_seconds()
    main, workers = after[0] - before[0], after[1] - before[1]
    per = (main + workers) / max(rows, 1) * 1000
    return f"CPU {main:,.1f}s in this process + {workers:,.1f}s in screening processes ({per:.2f} ms a row)"


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def write_book(path: Path, size: int, planted: list[dict]) -> float:
    generator = Generator(11)
    seen = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "kind", "country"])
        for i, entity in enumerate(planted):
            writer.writerow([f"PLANT-{i}", entity["names"][0]["full"], entity["kind"], ""])
        for n, record in enumerate(generator.records(size - len(planted))):
            kind = "person" if record["schema"] == "Person" else "organization"
            country = (record["properties"].get("country") or [""])[0].upper()[:2] if n % 3 == 0 else ""
            writer.writerow([f"C-{n:07d}", record["caption"], kind, country])
            seen.add(record["caption"])
    return len(seen) / max(size - len(planted), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--book", type=int, default=100_000)
    parser.add_argument("--lists-dir", type=Path, default=ROOT.parent / "shared" / "lists")
    parser.add_argument("--processes", type=int, default=1, help="screening processes (import and re-screening)")
    args = parser.parse_args()

    client = claim_redis(args.redis_url, MARKER)
    tmp = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    db = database.from_settings(args.database_url, tmp)
    database.upgrade(db.engine)
    if db.dialect == "postgresql":  # a SQLite file is new in its temporary folder
        with db.engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE counterparties, alerts, alert_events, monitor_state CASCADE")
    settings = from_env(
        {
            "REDIS_URL": args.redis_url,
            "SCREENING_DATA_DIR": str(tmp),
            "SCREENING_INDEX_BUILD": "inline",
            "SCREENING_AUTH": "off",
            "SCREENING_LOG_FORMAT": "text",
        }
    )
    app = create_app(replace(settings, enabled_lists=(SDN,), database_url=db.url), redis_client=client)
    monitor = app.extensions["monitor"]
    store = ListStore(client)

    older = args.lists_dir / "ofac" / "sdn-only-2024-04-26.csv"
    newer = args.lists_dir / "ofac" / "sdn-only-2024-05-03.csv"
    load_list(store, SDN, "ofac_csv", [older])
    started = time.perf_counter()
    monitor.screener.indexes([SDN])
    print(f"SDN 2024-04-26 loaded; screening index built in {time.perf_counter() - started:.1f}s (cold start)")

    old_version = store.current()[SDN]
    new_entities = [to_dict(e) for e in sources.read("ofac_csv", [newer], SDN).entities]
    held = store.holds(SDN, old_version, [e["id"] for e in new_entities])
    added = [e for e, there in zip(new_entities, held) if not there]
    planted = [e for e in added if e["kind"] in ("person", "organization")][::8][:30]

    book = tmp / "book.csv"
    distinct = write_book(book, args.book, planted)
    print(f"book of {args.book:,} counterparties written ({distinct:.1%} distinct names), {len(planted)} planted")
    print(f"before the import: {load()}")
    cpu = cpu_seconds()
    started = time.perf_counter()
    with book.open("rb") as raw:
        report = import_csv(monitor, raw, processes=args.processes)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    rate = report["imported"] / seconds
    print(
        f"imported {report['imported']:,} in {seconds:,.1f}s ({rate:,.0f}/s, {args.processes} screening"
        f" processes; {report['screened']:,} distinct screenings; {len(report['errors'])} bad rows,"
        f" {report['alerts_opened']:,} alerts): 1,000,000 would take {1_000_000 / rate / 60:,.1f} min;"
        f" peak RSS {rss_mb():,.0f} MB; {load()}"
    )
    print(f"  import {cpu_used(cpu, report['imported'])}")

    load_list(store, SDN, "ofac_csv", [newer])
    monitor.screener.indexes([SDN])  # the new version's index, as a serving worker builds it at the switch
    rescreener = Rescreener(monitor, store, [SDN], processes=args.processes)
    started = time.perf_counter()
    with db.engine.connect() as connection:
        rescreener.book_index.get(connection)
    print(
        f"book index built in {time.perf_counter() - started:,.1f}s (cold; kept between rounds);"
        f" peak RSS {rss_mb():,.0f} MB"
    )
    cpu = cpu_seconds()
    started = time.perf_counter()
    done = rescreener.run_once()
    seconds = time.perf_counter() - started
    print(
        f"delta {done.lists[SDN]}: {done.screened:,} counterparties screened again in {seconds:,.1f}s;"
        f" {done.opened} alerts opened, {done.reopened} reopened, {done.closed} closed;"
        f" {load()}"
    )
    print(f"  delta {cpu_used(cpu, done.screened)}")
    with db.engine.connect() as connection:
        raised = sum(
            any(a["entity_id"] == e["id"] for a in alerts.page(connection, client_id=f"PLANT-{i}", limit=50))
            for i, e in enumerate(planted)
        )
    print(f"planted names with their alert: {raised} of {len(planted)}")
    client.flushdb()
    db.dispose()


if __name__ == "__main__":
    main()
