"""Bulk screening throughput: a generated name+country file, in process and through two RQ workers.

    python -m bench.bulk --redis-url redis://127.0.0.1:6379/<yours> [--rows 200000] [--repeats 0.03]
                         [--lists-dir ../shared/lists] [--processes 1,2] [--no-rq]

1. Loads every shared list into its own Redis database (db 12 by default: pass yours; a
   list already there and unchanged is not loaded again). The database is refused if it
   holds keys that are neither lists nor this benchmark's (its marker key).
2. Writes a CSV of --rows counterparties under /tmp (never in the repository): names from
   many cultures (bench/synthetic_names.py: people and companies) and a country, mostly
   distinct, as real customer books are: every row a (name, country) not written before,
   but for a share --repeats of rows that repeat an earlier one. Prints the distinct share:
   a run screens each distinct query once, so repeats would carry the figure.
3. In process: ``screening bulk`` with each --processes count (forked after the index is
   built); rows/s once the index is built (warm) and the index build (cold, the start) apart,
   then rows/s with both; peak RSS (the largest sum over the process and its children,
   sampled; shared copy-on-write pages count once per process, so the sum overstates),
   and the RSS every 100,000 rows (--rss-every), to show where it levels off.
4. Through RQ: two ``screening worker`` processes, the file stored as a job by the same
   code as POST /v1/jobs; the workers' start (index built, registered), rows/s from the
   upload's start to the job's end, memory per machine (RSS summed over the workers) when
   ready and at the peaks, and each worker's RSS every 100,000 rows done.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthetic_names import Generator  # noqa: E402
from service import catalog  # noqa: E402
from service.bulk.jobs import JobOptions  # noqa: E402
from service.bulk.keys import ACTIVE, PREFIX  # noqa: E402
from service.bulk.reader import CsvInput  # noqa: E402
from service.bulk.runtime import job_store  # noqa: E402
from service.config import from_env  # noqa: E402
from service.redis_client import connect  # noqa: E402
from service.refresh import refresh  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "sanctions-screening:bench-bulk-database"
SCREENING = Path(sys.executable).parent / "screening"


def generate(path: Path, rows: int, seed: int = 11, repeats: float = 0.03, tries: int = 40) -> int:
    """Write the input file, mostly distinct counterparties (as real books are, so that no
    cache of repeated queries carries the figure): each row a (name, country) not written
    before (up to ``tries`` draws), except a share ``repeats`` of rows that repeat an earlier
    one. Returns the number of distinct (name, country) pairs."""
    generator = Generator(seed)
    rng = generator.rng
    seen: set[tuple[str, str]] = set()
    written: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "country"])
        for i in range(rows):
            if written and rng.random() < repeats:
                name, country = rng.choice(written)
            else:
                for _ in range(tries):
                    if rng.random() < 0.6:
                        culture, person = generator.person_name()
                        name, country = person.primary, culture.countries(rng)
                    else:
                        org = generator.org_name()
                        name, country = org.primary, org.country
                    country = country.upper()
                    if (name, country) not in seen:
                        break
                seen.add((name, country))
                written.append((name, country))
            out.writerow([f"c{i}", name, country])
    return len(seen)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / 1024


def rows_read(pid: int, path: Path, rows: int) -> int | None:
    """About how many rows of ``path`` the process has read: its position in the file (from
    /proc) over the file's size; the reader is at most a few batches ahead of the screening."""
    size = path.stat().st_size
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if os.readlink(fd) == str(path):
                for line in Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().splitlines():
                    if line.startswith("pos:"):
                        return int(int(line.split()[1]) / size * rows)
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        pass
    return None


class PeakRss:
    """Peak RSS of each process tree, sampled every half second; with ``progress`` (rows
    done so far, or None), also the RSS each time another ``every`` rows are done."""

    def __init__(self, pids: list[int], progress: Callable[[], int | None] | None = None, every: int = 100_000) -> None:
        self.pids = pids
        self.peak = {pid: 0.0 for pid in pids}
        self.progress = progress
        self.every = every
        self.samples: list[tuple[int, list[float]]] = []  # (rows done, RSS of each tree in MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        mark = self.every
        while not self._stop.wait(0.5):
            now = [tree_rss_mb(pid) for pid in self.pids]
            for pid, rss in zip(self.pids, now):
                self.peak[pid] = max(self.peak[pid], rss)
            if self.progress is not None and (done := self.progress()) is not None and done >= mark:
                self.samples.append((done, now))
                mark = (done // self.every + 1) * self.every

    def report(self) -> str:
        return "; ".join(f"{done // 1000:,}k {'/'.join(f'{v:,.0f}' for v in rss)}" for done, rss in self.samples)

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join()
        return self.peak


def prepare_redis(url: str, lists_dir: Path) -> None:
    client = redis.Redis.from_url(url)
    foreign = [k for k in client.scan_iter(count=1000) if not k.startswith((b"scr:", b"rq:")) and k != MARKER.encode()]
    if foreign:
        sys.exit(f"{url} holds keys this benchmark did not write ({foreign[0]!r} …): use another --redis-url")
    client.set(MARKER, "1")
    settings = from_env({"REDIS_URL": url, "SCREENING_LISTS_DIR": str(lists_dir)})
    store = ListStore(connect(url))
    manifests = catalog.load_manifests(settings.manifests_dir)
    for outcome in refresh(store, catalog.enabled(manifests, None), lists_dir=lists_dir, downloads_dir=Path("/tmp")):
        print(f"  {outcome.list_id}: {outcome.status} ({outcome.seconds:.1f}s)")
    # Jobs of earlier runs: their keys would only cost memory.
    for key in client.scan_iter(f"{PREFIX}:*", count=1000):
        client.delete(key)
    client.delete(ACTIVE)
    for key in client.scan_iter("rq:*", count=1000):
        client.delete(key)


def run_in_process(path: Path, rows: int, env: dict[str, str], processes: int, every: int) -> None:
    out = Path(f"/tmp/bulk-bench-out-{processes}.csv")
    started = time.perf_counter()
    cmd = [str(SCREENING), "bulk", str(path), "-o", str(out), "--processes", str(processes)]
    child = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    rss = PeakRss([child.pid], lambda: rows_read(child.pid, path, rows), every)
    _, err = child.communicate()
    peak = rss.stop()[child.pid]
    elapsed = time.perf_counter() - started
    if child.returncode:
        sys.exit(f"screening bulk failed: {err}")
    summary = err.strip().splitlines()[-1]
    # Cold (building the index) and warm (screening with it) apart: "indexes built in 36.1s, screened in 0.2s".
    found = re.search(r"indexes built in ([\d.,]+)s, screened in ([\d.,]+)s", summary)
    build, screening = (float(x.replace(",", "")) for x in found.groups()) if found else (float("nan"),) * 2
    print(f"in process, {processes} process(es): {rows / screening:,.0f} rows/s once the index is built"
          f" ({screening:,.1f}s), start (index build) {build:,.1f}s; {rows / elapsed:,.0f} rows/s with it;"
          f" peak RSS {peak:,.0f} MB (the process and its children, summed)")  # fmt: skip
    print(f"  {summary}")
    print(f"  RSS (MB, the process and its children) by rows read: {rss.report()}")
    out.unlink(missing_ok=True)


def run_rq(path: Path, rows: int, env: dict[str, str], url: str, every: int, workers: int = 2) -> None:
    settings = from_env(env)
    client = connect(url)
    jobs = job_store(settings, client)
    logs = [Path(f"/tmp/bulk-bench-worker-{i}.log").open("w") for i in range(workers)]  # a pipe nobody reads fills
    spawned = time.perf_counter()
    procs = [
        subprocess.Popen([str(SCREENING), "worker", "--name", f"bench-{i}"], env=env, stderr=logs[i], text=True)
        for i in range(workers)
    ]
    done = [0]  # rows done, as last read from the job's status
    rss = PeakRss([p.pid for p in procs], lambda: done[0], every)
    try:
        # Wait for both workers to have built their indexes and registered with RQ.
        deadline = time.monotonic() + 300
        while len(client.smembers("rq:workers")) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                sys.exit("the RQ workers did not start")
            time.sleep(0.2)
        start_s = time.perf_counter() - spawned
        start_rss = sum(tree_rss_mb(p.pid) for p in procs)
        started = time.perf_counter()
        job_id = jobs.create(JobOptions(filename=path.name))
        with path.open("rb") as f:
            jobs.ingest(job_id, CsvInput(f))
        uploaded = time.perf_counter() - started
        while (status := jobs.status(job_id))["status"] in ("queued", "running"):
            done[0] = status["rows_done"]
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        results = sum(1 for _ in csv.reader(io.StringIO("".join(jobs.results(job_id))))) - 1
        for key in client.scan_iter(f"{PREFIX}:{{{job_id}}}:*", count=1000):  # its results: ~100 MB of Redis
            client.delete(key)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    peaks = rss.stop()
    print(f"{workers} RQ workers: {rows / elapsed:,.0f} rows/s, {elapsed:,.1f}s (upload stored in {uploaded:.1f}s),"
          f" status {status['status']}, {results:,} result rows; peak RSS per worker:"
          f" {', '.join(f'{v:,.0f} MB' for v in peaks.values())}")  # fmt: skip
    print(
        f"  workers' start (index built, registered): {start_s:.1f}s; memory per machine (RSS summed over the"
        f" workers): {start_rss:,.0f} MB when ready, {sum(peaks.values()):,.0f} MB at the peaks"
    )
    if status["summary"]:
        print(f"  summary: {status['summary']}")
    print(f"  RSS (MB, each worker) by rows done: {rss.report()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=float, default=0.03, help="share of rows repeating an earlier row")
    parser.add_argument("--lists-dir", type=Path, default=ROOT.parent / "shared" / "lists")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--processes", default="1,2", help="in-process runs, comma-separated process counts")
    parser.add_argument("--no-rq", action="store_true")
    parser.add_argument("--rss-every", type=int, default=100_000, help="print the RSS every so many rows")
    args = parser.parse_args()
    print(f"loading the shared lists into {args.redis_url}")
    prepare_redis(args.redis_url, args.lists_dir)
    path = Path(f"/tmp/bulk-bench-{args.rows}.csv")
    started = time.perf_counter()
    distinct = generate(path, args.rows, repeats=args.repeats)
    print(f"{path}: {args.rows:,} rows, {distinct:,} distinct (name, country): {distinct / args.rows:.0%} distinct,"
          f" {path.stat().st_size / 1e6:.1f} MB,"
          f" written in {time.perf_counter() - started:.1f}s")  # fmt: skip
    env = {**os.environ, "REDIS_URL": args.redis_url, "SCREENING_LISTS_DIR": str(args.lists_dir)}
    env.pop("SCREENING_LISTS", None)
    for processes in (int(p) for p in args.processes.split(",") if p):
        run_in_process(path, args.rows, env, processes, args.rss_every)
    if not args.no_rq:
        run_rq(path, args.rows, env, args.redis_url, args.rss_every)
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
