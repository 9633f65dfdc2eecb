"""Recall and false-positive rate of the screening engine on the evaluation set of ``bench/evalset.py``.

    python bench/accuracy.py [--lists-dir ../shared/lists] [--redis-url redis://127.0.0.1:6379/8] [--reload]
                             [--cases cases.jsonl | --seed 7 --positives 3000 --negatives 3000]
                             [--threshold 0.8] [--sweep] [--json numbers.json]

Loads every shared list into Redis (a list whose files are already served is only marked
checked; --reload empties the database first), screens every case against all lists with
``service.screening.Screener`` and reports: recall over the positives (the target entity is
a hit with match=true) and the false-positive rate over the negatives (some hit has
match=true), by perturbation, entity kind and negative type, with the worst cases to read
and the time per screening. --sweep screens once at threshold 0.5 and reports recall and
FPR for every threshold from 0.60 to 0.95 from the scores. It is a report: it exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import evalset  # noqa: E402
from bench.claim import claim_redis  # noqa: E402
from service import catalog  # noqa: E402
from service.errors import ScreeningError  # noqa: E402
from service.loader import load_list  # noqa: E402
from service.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM  # noqa: E402
from service.matching.score import DEFAULT_THRESHOLD  # noqa: E402
from service.screening import Screener  # noqa: E402
from service.store import ListStore  # noqa: E402

MARKER = "sanctions-screening:accuracy-database"
SWEEP_FLOOR = 0.5
SWEEP = [round(0.60 + 0.025 * i, 3) for i in range(15)]  # 0.60 … 0.95


@dataclass
class Outcome:
    case: evalset.Case
    seconds: float
    target_score: float | None = None  # positives: the target's best score among the hits
    target_match: bool = False
    top: tuple[str, str, float, bool] | None = None  # best hit: entity id, matched name, score, match
    top_other: tuple[str, str, float, bool] | None = None  # best hit that is not the target
    any_match: bool = False
    max_score: float = 0.0
    error: str | None = None
    linked_match: str | None = None  # the explanation of a matching linked hit, if any

    def success(self, threshold: float | None = None) -> bool:
        """Positives: the target matched; negatives: nothing matched. At ``threshold`` if given, from the scores."""
        if self.error is not None:
            return False
        if self.case.expect == "match":
            if threshold is None:
                return self.target_match
            return self.target_score is not None and self.target_score >= threshold
        if threshold is None:
            return not self.any_match
        return self.max_score < threshold


def open_store(url: str, reload: bool) -> ListStore:
    return ListStore(claim_redis(url, MARKER, empty=reload))


def load_lists(store: ListStore, found: dict[str, catalog.FoundSource]) -> None:
    for list_id, source in sorted(found.items()):
        started = time.perf_counter()
        result = load_list(store, list_id, source.format, list(source.paths))
        state = "already current" if result.unchanged else f"{result.version.counts['entities']:,} entities"
        print(f"  {list_id:14} {state} ({time.perf_counter() - started:.1f} s)")


def run(
    screener: Screener, cases: Sequence[evalset.Case], threshold: float | None, algorithm: str | None = None
) -> list[Outcome]:
    outcomes = []
    for case in cases:
        query = dataclasses.replace(case.query, threshold=threshold, algorithm=algorithm)
        started = time.perf_counter()
        try:
            result = screener.screen(query)
        except ScreeningError as exc:
            outcomes.append(Outcome(case, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}"))
            continue
        seconds = time.perf_counter() - started
        out = Outcome(case, seconds)
        for hit in result.hits:
            entry = (hit.entity_id, hit.matched_name or hit.listed_name, hit.score, hit.match)
            if out.top is None:
                out.top = entry
            if hit.entity_id == case.target_entity_id:
                out.target_score = max(out.target_score or 0.0, hit.score)
                out.target_match = out.target_match or hit.match
            elif out.top_other is None:
                out.top_other = entry
            out.any_match = out.any_match or hit.match
            out.max_score = max(out.max_score, hit.score)
        for linked in result.linked_hits:
            if linked.matched_entity_id == case.target_entity_id and linked.matched_entity_id is not None:
                # A target the list carries only as linked is found through its links.
                out.target_score = max(out.target_score or 0.0, linked.match_score)
                out.target_match = out.target_match or linked.match
            elif linked.match and out.linked_match is None:
                out.linked_match = linked.explanation
        outcomes.append(out)
    return outcomes


def _rate(outcomes: Sequence[Outcome], threshold: float | None, failures: bool = False) -> tuple[int, int]:
    """(successes, total), or (failures, total) with ``failures``."""
    good = sum(o.success(threshold) for o in outcomes)
    return (len(outcomes) - good if failures else good), len(outcomes)


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:6.1f}%" if total else "     -"


def _table(title: str, rows: dict[str, list[Outcome]], threshold: float | None, failures: bool) -> list[str]:
    lines = [f"\n{title}", f"  {'':22} {'cases':>6} {'rate':>8}   n"]
    for key in sorted(rows, key=lambda k: (-len(rows[k]), k)):
        n, total = _rate(rows[key], threshold, failures)
        lines.append(f"  {key:22} {total:6} {_pct(n, total):>8}   {n}")
    return lines


def _group(outcomes: Sequence[Outcome], key: str) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[str(getattr(o.case, key))].append(o)
    return groups


def _fmt_hit(hit: tuple[str, str, float, bool] | None) -> str:
    return f"{hit[1]!r} {hit[2]:.3f} ({hit[0]})" if hit else "no hit"


def report(outcomes: Sequence[Outcome], threshold: float, sweep: bool) -> tuple[str, dict[str, Any]]:
    """The printed report and its numbers. With ``sweep`` the outcomes were screened at a low floor."""
    at = threshold if sweep else None
    pos = [o for o in outcomes if o.case.expect == "match"]
    neg = [o for o in outcomes if o.case.expect == "no_match"]
    found, n_pos = _rate(pos, at)
    fps, n_neg = _rate(neg, at, failures=True)
    errors = [o for o in outcomes if o.error]
    lines = [
        f"threshold {threshold:.3f}",
        f"recall  {_pct(found, n_pos)}  ({found} of {n_pos} positives found as a match)",
        f"FPR     {_pct(fps, n_neg)}  ({fps} of {n_neg} negatives with a matching hit)",
    ]
    linked = [o for o in neg if o.linked_match and o.success(at)]
    lines.append(
        f"linked  {_pct(len(linked), n_neg)}  ({len(linked)} more negatives with only a matching linked hit)"
    )
    lines += [f"  {o.case.query.name!r}: {o.linked_match}" for o in linked[:5]]
    if errors:
        lines.append(f"errors  {len(errors)} (e.g. {errors[0].error})")
    lines += _table("recall by perturbation", _group(pos, "perturbation"), at, False)
    lines += _table("recall by entity kind", _group(pos, "entity_kind"), at, False)
    lines += _table("recall by list", _group(pos, "list_id"), at, False)
    lines += _table("false positives by negative type", _group(neg, "perturbation"), at, True)

    misses = [o for o in pos if not o.success(at)]
    lines.append(f"\nmisses (up to 15 of {len(misses)}): query → target [its score] / best other hit")
    for o in misses[:: max(1, len(misses) // 15)][:15]:
        target = f"{o.target_score:.3f}" if o.target_score is not None else "not a hit"
        lines.append(
            f"  [{o.case.perturbation}] {o.case.query.name!r} (kind {o.case.query.kind}) → {o.case.target_entity_id}"
            f" [{target}] {o.case.note[:60]} / {_fmt_hit(o.top_other)}"
        )
    false = [o for o in neg if not o.success(at)]
    lines.append(f"\nfalse positives (up to 15 of {len(false)}): query → best hit")
    for o in false[:: max(1, len(false) // 15)][:15]:
        lines.append(f"  [{o.case.perturbation}] {o.case.query.name!r} (kind {o.case.query.kind}) → {_fmt_hit(o.top)}")

    times = sorted(o.seconds * 1000 for o in outcomes if o.error is None)
    timing = {}
    if times:
        timing = {
            "mean_ms": statistics.fmean(times),
            "p50_ms": times[len(times) // 2],
            "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
            "max_ms": times[-1],
        }
        lines.append(
            "\ntime per screening: "
            + ", ".join(f"{k.removesuffix('_ms')} {v:.1f} ms" for k, v in timing.items())
            + f" over {len(times)} screenings"
        )

    def breakdown(group: list[Outcome], key: str, failures: bool) -> dict[str, dict[str, float]]:
        out = {}
        for k, rows in _group(group, key).items():
            n, total = _rate(rows, at, failures)
            out[k] = {"n": n, "total": total, "rate": n / total if total else 0.0}
        return out

    numbers: dict[str, Any] = {
        "threshold": threshold,
        "recall": found / n_pos if n_pos else None,
        "positives": n_pos,
        "found": found,
        "fpr": fps / n_neg if n_neg else None,
        "linked_false_positives": len(linked),
        "negatives": n_neg,
        "false_positives": fps,
        "errors": len(errors),
        "recall_by_perturbation": breakdown(pos, "perturbation", False),
        "recall_by_kind": breakdown(pos, "entity_kind", False),
        "recall_by_list": breakdown(pos, "list_id", False),
        "fpr_by_negative_type": breakdown(neg, "perturbation", True),
        "timing": timing,
    }
    return "\n".join(lines), numbers


def sweep_table(outcomes: Sequence[Outcome]) -> tuple[str, list[dict[str, float]]]:
    pos = [o for o in outcomes if o.case.expect == "match"]
    neg = [o for o in outcomes if o.case.expect == "no_match"]
    lines = [
        "\nthreshold sweep (from one run at 0.5)",
        f"  {'threshold':>9} {'recall':>8} {'FPR':>8} {'misses':>7} {'FPs':>5}",
    ]
    rows = []
    for t in SWEEP:
        found, n_pos = _rate(pos, t)
        fps, n_neg = _rate(neg, t, failures=True)
        rows.append({"threshold": t, "recall": found / n_pos if n_pos else 0.0, "fpr": fps / n_neg if n_neg else 0.0})
        lines.append(f"  {t:9.3f} {_pct(found, n_pos):>8} {_pct(fps, n_neg):>8} {n_pos - found:7} {fps:5}")
    return "\n".join(lines), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists-dir", type=Path, default=evalset.DEFAULT_LISTS_DIR)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--reload", action="store_true", help="empty the database and load every list again")
    parser.add_argument("--cases", type=Path, help="JSON lines written by bench/evalset.py --write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--in-memory", action="store_true", help="build the indexes in this process, not as files")
    parser.add_argument("--positives", type=int, default=3000)
    parser.add_argument("--negatives", type=int, default=3000)
    parser.add_argument("--threshold", type=float, help=f"default: the algorithm's ({DEFAULT_THRESHOLD})")
    parser.add_argument("--sweep", action="store_true", help="also report thresholds 0.60 … 0.95")
    parser.add_argument(
        "--algorithm",
        action="append",
        choices=sorted(ALGORITHMS),
        help=f"repeat to compare several on the same cases; default: {DEFAULT_ALGORITHM}",
    )
    parser.add_argument("--json", type=Path, help="write the numbers as JSON to this file ('-': stdout)")
    args = parser.parse_args()

    found = catalog.discover(args.lists_dir)
    manifests = catalog.load_manifests(ROOT / "lists")
    enabled = sorted(list_id for list_id in found if list_id in manifests)
    print(f"lists in {args.lists_dir} → Redis {args.redis_url}")
    store = open_store(args.redis_url, args.reload)
    load_lists(store, {k: v for k, v in found.items() if k in enabled})

    if args.cases:
        cases = evalset.read_cases(args.cases)
        print(f"\n{len(cases)} cases from {args.cases}")
    else:
        entities = evalset.load_entities(args.lists_dir)
        cases, negatives_report = evalset.build(
            entities, seed=args.seed, n_positive=args.positives, n_negative=args.negatives
        )
        print(f"\ncases (seed {args.seed}):\n{evalset.summary(cases, negatives_report)}")

    # The index files the service uses (service/index_file.py), built afresh in a folder of this run.
    folder = None if args.in_memory else tempfile.TemporaryDirectory(prefix="accuracy-indexes-")  # gone at exit
    index_dir = None if folder is None else Path(folder.name)
    screener = Screener(store, manifests, enabled, index_dir=index_dir)
    started = time.perf_counter()
    screener.indexes(enabled)
    where = "in memory" if index_dir is None else f"as files in {index_dir}"
    print(f"\nindexes of {len(enabled)} lists built {where} in {time.perf_counter() - started:.1f} s")

    for algorithm in args.algorithm or [DEFAULT_ALGORITHM]:
        print(f"\n=== algorithm {algorithm} ===")
        threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
        started = time.perf_counter()
        outcomes = run(screener, cases, SWEEP_FLOOR if args.sweep else args.threshold, algorithm)
        print(f"screened {len(cases)} cases in {time.perf_counter() - started:.1f} s\n")
        text, numbers = report(outcomes, threshold, args.sweep)
        print(text)
        if args.sweep:
            table, rows = sweep_table(outcomes)
            print(table)
            numbers["sweep"] = rows
        if args.json:
            dumped = json.dumps(numbers, indent=2)
            if str(args.json) == "-":
                print(dumped)
            else:
                args.json.write_text(dumped + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
