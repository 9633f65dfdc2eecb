"""The machine's index file (service/index_file.py) on a synthetic list: size, build time, how
fast a new worker opens it, memory per worker and per machine, and latency; with
``--in-memory``, the index built in each process as before, measured in the same run.

    .venv/bin/python -m bench.index_file --synthetic 1000000 --redis-url redis://127.0.0.1:6379/8 \\
        [--workers 2] [--queries 2000] [--in-memory]

The list is generated (bench/synthetic_names.py) and loaded as ``opensanctions`` into the
given database (claimed: emptied first, refused if it holds someone else's data). Then, each
in a fresh process: one builds the file; ``--workers`` processes open it at once and screen
the same mostly-distinct query mix (bench/screen.py's); RSS counts the file's pages each one
touched, PSS shares them among the processes mapping them, and "private" is what a worker
adds by itself. Memory per machine = the file (the kernel's page cache, once) + Σ private.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.claim import claim_redis  # noqa: E402
from bench.screen import Probe, pct, query_mix  # noqa: E402
from bench.synthetic_names import write  # noqa: E402
from service import catalog, index_file  # noqa: E402
from service.config import from_env  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.screening import Screener  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "bench:index-file"
LIST = "opensanctions"


def memory() -> dict[str, float]:
    """RSS, PSS and private memory of this process, MB (/proc/self/smaps_rollup)."""
    out = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
            out[name] = int(rest.split()[0]) / 1024
    return {"rss": out["Rss"], "pss": out["Pss"], "private": out["Private_Clean"] + out["Private_Dirty"]}


def child_build(store: ListStore, index_dir: Path) -> dict[str, Any]:
    version = store.current()[LIST]
    started = time.perf_counter()
    opened = index_file.open_or_build(store, index_dir, LIST, version)
    seconds = time.perf_counter() - started
    return {
        "build_s": seconds,
        "file_mb": opened.path.stat().st_size / 1e6,
        "keys": opened.header["keys"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_worker(store: ListStore, index_dir: Path | None, probes_file: Path) -> dict[str, Any]:
    """A worker's life: start, get its index (open the file, or build it in memory), screen."""
    manifests = catalog.load_manifests(from_env().manifests_dir)
    started = time.perf_counter()
    screener = Screener(store, manifests, [LIST], index_dir=index_dir)
    screener.indexes([LIST])
    ready_s = time.perf_counter() - started
    at_ready = memory()
    data = json.loads(probes_file.read_text())
    warm = [Probe(**p) for p in data["warm"]]
    probes = [Probe(**p) for p in data["probes"]]
    for probe in warm:
        screener.screen(probe.query())
    latencies = []
    for probe in probes:
        started = time.perf_counter()
        screener.screen(probe.query())
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "ready_s": ready_s,
        "ready": at_ready,
        "after": memory(),
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "mean": sum(latencies) / len(latencies),
    }


def spawn(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.index_file", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def result(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"a child failed ({process.returncode})")
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def show_workers(title: str, workers: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(
        f"{'worker':>6} {'ready s':>8} {'private MB':>10} {'at ready':>8}"
        f" {'RSS MB':>8} {'PSS MB':>8} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for n, w in enumerate(workers, 1):
        m = w["after"]
        print(
            f"{n:>6} {w['ready_s']:8.2f} {m['private']:10.0f} {w['ready']['private']:8.0f}"
            f" {m['rss']:8.0f} {m['pss']:8.0f} {w['p50']:7.2f} {w['p99']:7.2f}"
        )
    print("(memory after the queries; private 'at ready': once the index is open, before any query)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=100_000, help="entities of the synthetic list")
    parser.add_argument("--redis-url", required=True, help="a database of your own: it is emptied")
    parser.add_argument("--workers", type=int, default=2, help="processes opening the file at once")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--in-memory", action="store_true", help="also measure the index built in a process")
    parser.add_argument("--keep", action="store_true", help="keep the list loaded (a later run reuses it)")
    parser.add_argument("--child", choices=("build", "worker", "memory"), help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probes", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        store = ListStore(claim_redis(args.redis_url, MARKER, empty=False))
        if args.child == "build":
            print(json.dumps(child_build(store, args.index_dir)))
        else:
            index_dir = None if args.child == "memory" else args.index_dir
            print(json.dumps(child_worker(store, index_dir, args.probes)))
        return

    client = claim_redis(args.redis_url, MARKER, empty=False)
    store = ListStore(client)
    version = store.current().get(LIST)
    if version is None or (meta := store.version(LIST, version)) is None or meta.counts["entities"] != args.synthetic:
        client.flushdb()
        client.set(MARKER, "1")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"synthetic-{args.synthetic}.ftm.json"
            write(path, args.synthetic, seed=args.seed)
            started = time.perf_counter()
            load_list(store, LIST, "ftm", [path])
            print(f"{args.synthetic:,} synthetic entities loaded in {time.perf_counter() - started:.1f} s")
    probes = query_mix(store, [LIST], args.queries, seed=args.seed + 7)
    warm = query_mix(store, [LIST], 200, seed=args.seed + 8)
    with tempfile.TemporaryDirectory() as folder:
        index_dir = Path(folder) / "indexes"
        probes_file = Path(folder) / "probes.json"
        probes_file.write_text(json.dumps({"probes": [asdict(p) for p in probes], "warm": [asdict(p) for p in warm]}))
        common = ["--redis-url", args.redis_url, "--index-dir", str(index_dir), "--probes", str(probes_file)]
        built = result(spawn(["--child", "build", *common]))
        print(
            f"\nindex file: {built['file_mb']:,.0f} MB, {built['keys']:,} keys, built in {built['build_s']:.1f} s"
            f" (builder's peak RSS {built['peak_rss_mb']:,.0f} MB)"
        )
        workers = [result(p) for p in [spawn(["--child", "worker", *common]) for _ in range(args.workers)]]
        show_workers(f"{args.workers} new workers opening the file at once, {len(probes)} queries each:", workers)
        private = sum(w["after"]["private"] for w in workers)
        print(
            f"memory per machine: file {built['file_mb']:,.0f} MB (page cache, shared) + private {private:,.0f} MB"
            f" = {built['file_mb'] + private:,.0f} MB for {args.workers} workers"
        )
        if args.in_memory:
            memory_worker = result(spawn(["--child", "memory", *common]))
            show_workers("the index built in the process (as before), same queries:", [memory_worker])
            each = memory_worker["after"]["rss"]
            print(f"memory per machine: {each * args.workers:,.0f} MB for {args.workers} workers")
    if not args.keep:
        client.flushdb()


if __name__ == "__main__":
    main()
