"""Time, peak memory and Redis memory of loading every shared list.

    python bench/load.py [--lists-dir ../shared/lists] [--redis-url redis://127.0.0.1:6379/14]
                         [--advanced-copies 45]

Loads the newest source of each list found in the folder, as `screening serve` would, into
a Redis database of its own (emptied first; it refuses a database holding other data), all
in one process, and reports per list: entities, seconds, the process's peak RSS so far, and
the Redis memory its version takes. Then it loads each list again in a fresh process of its
own, to show each list's own peak: the all-lists peak should be near the largest of them,
not their sum. With --advanced-copies N it also loads a synthetic OFAC advanced XML made of
N copies of the shared Consolidated one (45 copies ≈ 120 MB, the size of today's SDN file).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.claim import claim_redis  # noqa: E402
from bench.synthetic import write_advanced_xml  # noqa: E402
from service import catalog  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.store import ListStore, version_keys  # noqa: E402

MARKER = "sanctions-screening:bench-database"


def peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: the latter survives exec, so a child would inherit our peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_store(url: str) -> ListStore:
    return ListStore(claim_redis(url, MARKER))


def version_bytes(store: ListStore, list_id: str, version: str) -> int:
    return sum(store.redis.memory_usage(key, samples=0) or 0 for key in version_keys(list_id, version))


def load_one(url: str, list_id: str, fmt: str, paths: list[Path]) -> None:
    """Child mode: load one list into an empty database, print its figures as JSON."""
    store = fresh_store(url)
    base = peak_rss_mb()
    started = time.perf_counter()
    result = load_list(store, list_id, fmt, paths)
    seconds = time.perf_counter() - started
    figures = {
        "redis_mb": version_bytes(store, list_id, result.version.version) / 1e6,
        "seconds": seconds,
        "base_rss_mb": base,
        "peak_rss_mb": peak_rss_mb(),
        "entities": result.version.counts["entities"],
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, default=Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))
    )
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--advanced-copies", type=int, default=0, help="also load a synthetic advanced XML")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # list id, format, paths…
    args = parser.parse_args()
    if args.one:
        list_id, fmt, *paths = args.one
        load_one(args.redis_url, list_id, fmt, [Path(p) for p in paths])
        return

    found = catalog.discover(args.lists_dir)
    store = fresh_store(args.redis_url)
    base_rss = peak_rss_mb()
    used_before = store.redis.info("memory")["used_memory"]
    print(f"lists in {args.lists_dir}; Redis {args.redis_url}; RSS after imports {base_rss:.0f} MB\n")
    header = (
        f"{'list':14} {'format':14} {'file MB':>8} {'entities':>9} {'seconds':>8} {'ent/s':>8}"
        f" {'peak RSS MB':>12} {'Redis MB':>9}"
    )
    print(header)
    print("-" * len(header))
    total_started = time.perf_counter()
    for list_id, source in sorted(found.items(), key=lambda kv: -sum(p.stat().st_size for p in kv[1].paths)):
        size_mb = sum(p.stat().st_size for p in source.paths) / 1e6
        started = time.perf_counter()
        result = load_list(store, list_id, source.format, list(source.paths))
        seconds = time.perf_counter() - started
        n = result.version.counts["entities"]
        redis_mb = version_bytes(store, list_id, result.version.version) / 1e6
        print(
            f"{list_id:14} {source.format:14} {size_mb:8.1f} {n:9,} {seconds:8.2f} {n / seconds:8,.0f}"
            f" {peak_rss_mb():12.0f} {redis_mb:9.1f}"
        )
    total = time.perf_counter() - total_started
    used_after = store.redis.info("memory")["used_memory"]
    print(
        f"\nall lists: {total:.1f} s in one process; peak RSS {peak_rss_mb():.0f} MB;"
        f" Redis used_memory grew {(used_after - used_before) / 1e6:.1f} MB"
    )

    print("\neach list alone, in a fresh process (RSS before the load is the interpreter and imports):")
    for list_id, source in sorted(found.items()):
        f = child(args, list_id, source.format, list(source.paths))
        rss = f"RSS before {f['base_rss_mb']:4.0f} MB, peak {f['peak_rss_mb']:4.0f} MB"
        print(f"  {list_id:14} {f['seconds']:6.2f} s  {rss}")
    if args.advanced_copies:
        synthetic_advanced(args)
    fresh_store(args.redis_url)  # leave the database empty


def child(args: argparse.Namespace, list_id: str, fmt: str, paths: list[Path]) -> dict[str, float]:
    command = [sys.executable, __file__, "--redis-url", args.redis_url, "--one", list_id, fmt, *map(str, paths)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def synthetic_advanced(args: argparse.Namespace) -> None:
    real = args.lists_dir / "ofac" / "cons_advanced-2020-03-17.xml"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sdn_advanced.xml"
        write_advanced_xml(real, args.advanced_copies, path)
        size_mb = path.stat().st_size / 1e6
        f = child(args, "us_ofac_sdn", "ofac_advanced", [path])
    print(
        f"\nsynthetic advanced XML, {args.advanced_copies} copies, {size_mb:.0f} MB: {f['entities']:,.0f} entities"
        f" in {f['seconds']:.1f} s; RSS before {f['base_rss_mb']:.0f} MB, peak {f['peak_rss_mb']:.0f} MB;"
        f" Redis {f['redis_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
