"""How many rows POST /v1/screen/csv screens in its time budget: rows/s of hard names.

    python -m bench.inline [--lists-dir ../shared/lists] [--redis-url redis://127.0.0.1:6379/9]
                           [--rows 6000] [--batch 100]

The inline endpoint's row limit (SCREENING_BULK_INLINE_MAX_ROWS) is chosen from this figure.
"Hard" names are the slow ones: every row a listed name, as listed or perturbed (a typo, a
dropped or reordered word, other case, accents off), each with a country, so candidate
selection finds many near names and the scorer works on each; no row repeats, so the
engine's cache of screened queries never helps. Screened as the endpoint screens them
(``Engine`` + ``render``, batches of --batch rows) after the index is built: the first
batch after the build (cold caches) is reported apart from the rest.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.screen import claim, load_shared, perturb, sample_listed  # noqa: E402
from service import catalog  # noqa: E402
from service.bulk.engine import Engine, render  # noqa: E402
from service.bulk.reader import CsvInput  # noqa: E402
from service.bulk.run import batches  # noqa: E402
from service.bulk.writer import Writer  # noqa: E402
from service.config import from_env  # noqa: E402
from service.screening import Screener  # noqa: E402

COUNTRIES = ("RU", "IR", "SY", "KP", "AE", "TR", "CN", "HK", "GB", "US", "DE", "VE", "")


def hard_csv(names: list[str], rng: random.Random) -> bytes:
    lines = ["id,name,country"]
    for n, name in enumerate(names):
        cell = '"' + name.replace('"', '""') + '"'
        lines.append(f"H-{n},{cell},{rng.choice(COUNTRIES)}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lists-dir", type=Path, default=Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists"))
    )
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()

    store = claim(args.redis_url, empty=False)
    list_ids = load_shared(args, store)
    rng = random.Random(7)
    listed = [name for name, _, _ in sample_listed(store, list_ids, args.rows, rng)]
    names = list(dict.fromkeys(perturb(rng, name) if rng.random() < 0.6 else name for name in listed))
    data = hard_csv(names, rng)
    print(f"{len(names):,} rows, all distinct ({len(data):,} bytes, {len(data) / len(names):.0f} bytes a row)")

    manifests = catalog.load_manifests(from_env().manifests_dir)
    screener = Screener(store, manifests, list_ids)
    started = time.perf_counter()
    screener.indexes(list_ids)
    print(f"index build: {time.perf_counter() - started:.1f} s (not counted below)")

    import io

    engine = Engine(screener)
    writer = Writer()
    source = CsvInput(io.BytesIO(data), columns=None, options=None)
    times: list[tuple[int, float]] = []
    for batch in batches(source, args.batch):
        began = time.perf_counter()
        render(engine, writer, batch)
        times.append((len(batch), time.perf_counter() - began))
    cold_rows, cold_s = times[0]
    warm_rows = sum(r for r, _ in times[1:])
    warm_s = sum(s for _, s in times[1:])
    slowest = max(s / r for r, s in times)
    print(f"cold (first batch): {cold_rows / cold_s:,.0f} rows/s")
    print(f"warm: {warm_rows:,} rows in {warm_s:.1f} s: {warm_rows / warm_s:,.0f} rows/s")
    print(f"slowest batch: {1 / slowest:,.0f} rows/s")


if __name__ == "__main__":
    main()
