"""ssm-2 gives the same answers as before a change that was meant to make it cheaper only.

    python -m bench.ssm2_same --write before.json [--pairs pairs.jsonl]   # on the old code
    python -m bench.ssm2_same --check before.json [--pairs pairs.jsonl]   # on the new code

Every pair of ``bench/pairs.py`` is scored with ssm-2 as ``/v1/compare`` does
(``algorithms.compare``), and also through the screening path (query prepared once, scored
with a floor as the screener does); the score and every feature's contribution and
explanation are written, or checked against those written: equal to 1e-9 and word for word.
Exits 1 on the first differences (up to 10 shown). Each side is scored twice, cold and warm,
so that a cache that changes an answer is caught too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import evalset  # noqa: E402
from bench import pairs as pairset  # noqa: E402
from bench.pair_accuracy import clear_caches, query_of, record_of  # noqa: E402
from service.matching import algorithms, ssm2  # noqa: E402
from service.matching import score as ssm1  # noqa: E402
from service.matching.types import Comparison  # noqa: E402

FLOORS = (0.0, 0.65)


def _answer(c: Comparison) -> dict[str, Any]:
    return {
        "score": c.score,
        "query_name": c.query_name,
        "matched_name": c.matched_name,
        "features": [[f.name, f.contribution, f.detail] for f in c.features],
    }


def answers(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for p in items:
        query, record = query_of(p), record_of(p)
        entry = {"id": p["id"], "compare": _answer(algorithms.compare(query, record, ssm2.ALGORITHM))}
        pq, pr = ssm1.prepare_query(query), ssm1.prepare_record(record)
        for floor in FLOORS:
            entry[f"floor {floor}"] = _answer(ssm2.score(pq, pr, floor))
        out.append(entry)
    return out


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, float) or isinstance(b, float):
        ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-9
        return [] if ok else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {a!r} != {b!r}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, help="pairs written by bench/pairs.py --write (default: build them)")
    parser.add_argument("--lists-dir", type=Path, default=evalset.DEFAULT_LISTS_DIR)
    parser.add_argument("--seed", type=int, default=pairset.DEFAULT_SEED)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write this code's answers here")
    action.add_argument("--check", type=Path, help="check this code's answers against those written here")
    args = parser.parse_args()
    if args.pairs:
        items = pairset.read_pairs(args.pairs)
    else:
        items = pairset.build(evalset.load_entities(args.lists_dir), args.seed)
    clear_caches()
    cold = answers(items)
    warm = answers(items)
    found = differences(cold, warm, "cold/warm")
    if args.write:
        args.write.write_text(json.dumps({"pairs": len(items), "answers": cold}))
        print(f"wrote ssm-2's answers to {len(items):,} pairs to {args.write}")
    else:
        before = json.loads(args.check.read_text())["answers"]
        found += differences(before, cold, "before/after") + differences(before, warm, "before/after warm")
        if not found:
            print(f"ssm-2's answers to {len(items):,} pairs are the same as in {args.check}")
    for line in found[:10]:
        print(line)
    if found:
        print(f"{len(found)} differences")
        sys.exit(1)


if __name__ == "__main__":
    main()
