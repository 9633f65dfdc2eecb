"""Pair by pair: how each matching algorithm scores the labelled pairs of ``bench/pairs.py``.

    python -m bench.pair_accuracy [--pairs pairs.jsonl | --seed 12 --scale 1.0]
                                  [--algorithms ssm-1,ssm-2] [--show-misses 10]
                                  [--selection [--redis-url redis://127.0.0.1:6379/8]] [--json figures.json]

Every pair is scored with the pure ``service.matching.score.compare(query, record)`` — the
function behind ``/v1/compare`` — once per algorithm: with ``algorithm=<name>`` when
``compare`` takes one, else only the default (ssm-1). Printed per category and per group:
pairs, recall at 0.80 and 0.70 (positives), false-positive rate at 0.80 (negatives), side by
side per algorithm; overall F1 at 0.70 and 0.80; the median time per scored pair (query and
record prepared and scored, as /v1/compare does), cold (first pass, the matching package's
caches emptied before each algorithm) and warm (second pass) apart, with the share of
distinct pairs; and with ``--show-misses N`` the N worst misses of each algorithm.

``--selection`` loads the shared lists into Redis (as ``bench/candidates.py`` does) and asks,
for every positive whose record is a real listed entity, whether the list's candidate index
returns that entity at all for the query's name: a pair with no candidate is lost before any
scorer sees it. It is a report: it exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import evalset  # noqa: E402
from bench import pairs as pairset  # noqa: E402
from service.matching import score  # noqa: E402
from service.matching.types import Query  # noqa: E402

THRESHOLDS = (0.80, 0.70)
DEFAULT_ALGORITHMS = ("ssm-1", "ssm-2")
Scorer = Callable[[Query, dict[str, Any]], float]


def query_of(pair: dict[str, Any]) -> Query:
    q = pair["query"]
    return Query(name=q["name"], kind=q.get("kind", "any"), country=q.get("country"), birth_date=q.get("birth_date"))


def record_of(pair: dict[str, Any]) -> dict[str, Any]:
    """The pair's record in the entity-dict form the scorer reads, as ``/v1/compare`` builds it
    (``service.api.screen.as_record``): the first name primary, the others strong a.k.a.s."""
    r = pair["record"]
    entity: dict[str, Any] = {
        "kind": r.get("kind", "organization"),
        "names": [{"full": n, "type": "primary" if i == 0 else "aka"} for i, n in enumerate(r["names"])],
    }
    if r.get("countries"):
        entity["countries"] = list(r["countries"])
    if r.get("birth_dates"):
        entity["birth_dates"] = [{"date": d} for d in r["birth_dates"]]
    return entity


def scorers(requested: Sequence[str]) -> dict[str, Scorer]:
    """The algorithms ``compare`` can run among ``requested``: each one it accepts as
    ``algorithm=``, or the default alone (named by ``score.ALGORITHM``) when it takes no such argument."""
    probe_q, probe_r = Query(name="Ivan Petrov", kind="person"), {"kind": "person", "names": [{"full": "Ivan Petrov"}]}
    if "algorithm" not in inspect.signature(score.compare).parameters:
        default = getattr(score, "ALGORITHM", "ssm-1")
        return {default: lambda q, r: score.compare(q, r).score}
    found: dict[str, Scorer] = {}
    for name in requested:
        try:
            score.compare(probe_q, probe_r, algorithm=name)  # type: ignore[call-arg]
        except Exception as exc:  # an algorithm this checkout does not have
            print(f"  (algorithm {name} not available: {type(exc).__name__}: {exc})")
            continue
        found[name] = lambda q, r, name=name: score.compare(q, r, algorithm=name).score  # type: ignore[call-arg]
    return found


@dataclass
class Scored:
    scores: dict[str, list[float]] = field(default_factory=dict)  # algorithm → score per pair
    cold_us: dict[str, list[float]] = field(default_factory=dict)
    warm_us: dict[str, list[float]] = field(default_factory=dict)


def clear_caches() -> None:
    """Empty the memo caches of the matching package (``functools.lru_cache`` on normalisation
    and name preparation), so that a cold pass is cold whichever algorithm ran before."""
    for module in [m for n, m in sys.modules.items() if n.startswith("service.matching")]:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def score_all(items: Sequence[dict[str, Any]], algorithms: dict[str, Scorer]) -> Scored:
    queries = [query_of(p) for p in items]
    records = [record_of(p) for p in items]
    out = Scored()
    for name, fn in algorithms.items():
        clear_caches()  # every algorithm starts cold, not warmed by the one before
        scores, cold, warm = [], [], []
        for q, r in zip(queries, records):
            started = time.perf_counter()
            scores.append(fn(q, r))
            cold.append((time.perf_counter() - started) * 1e6)
        for q, r in zip(queries, records):  # again: whatever the scorer caches is warm now
            started = time.perf_counter()
            fn(q, r)
            warm.append((time.perf_counter() - started) * 1e6)
        out.scores[name], out.cold_us[name], out.warm_us[name] = scores, cold, warm
    return out


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:6.1%}" if total else "     -"


def rates(labels: Sequence[bool], scores: Sequence[float]) -> tuple[int, int, int, int, int]:
    """(positives, found at 0.80, found at 0.70, negatives, false positives at 0.80)."""
    pos = [s for lab, s in zip(labels, scores) if lab]
    neg = [s for lab, s in zip(labels, scores) if not lab]
    return len(pos), sum(s >= 0.80 for s in pos), sum(s >= 0.70 for s in pos), len(neg), sum(s >= 0.80 for s in neg)


def f1(labels: Sequence[bool], scores: Sequence[float], threshold: float) -> float:
    tp = sum(lab and s >= threshold for lab, s in zip(labels, scores))
    fp = sum(not lab and s >= threshold for lab, s in zip(labels, scores))
    fn = sum(lab and s < threshold for lab, s in zip(labels, scores))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def report(items: Sequence[dict[str, Any]], scored: Scored) -> dict[str, Any]:
    names = list(scored.scores)
    header = f"{'category':28} {'pairs':>5} " + " ".join(f"| {n:^24}" for n in names)
    sub = f"{'':28} {'':>5} " + " ".join(f"| {'rec.80':>7} {'rec.70':>7} {'fp.80':>7}" for _ in names)
    print(header)
    print(sub)
    figures: dict[str, Any] = {"categories": {}, "groups": {}}
    groups = {c.name: c.group for c in pairset.CATEGORIES}
    rows: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(items):
        rows[p["kind"]].append(i)
        rows[f"[{groups.get(p['kind'], 'other')}]"].append(i)
        rows["[all]"].append(i)
        if pairset.is_non_latin(p):
            rows["[non-Latin side]"].append(i)
        if pairset.is_company(p):
            rows["[companies]"].append(i)
    order = [c.name for c in pairset.CATEGORIES if c.name in rows]
    order += [k for k in rows if k.startswith("[") and k not in ("[all]",)] + ["[all]"]
    for key in order:
        idx = rows[key]
        labels = [items[i]["label"] for i in idx]
        cells = []
        entry = {}
        for n in names:
            pos, r80, r70, neg, fp80 = rates(labels, [scored.scores[n][i] for i in idx])
            cells.append(f"| {_rate(r80, pos):>7} {_rate(r70, pos):>7} {_rate(fp80, neg):>7}")
            entry[n] = {
                "positives": pos,
                "recall_80": r80 / pos if pos else None,
                "recall_70": r70 / pos if pos else None,
                "negatives": neg,
                "fp_80": fp80 / neg if neg else None,
            }
        if key.startswith("["):
            figures["groups"][key] = entry
        else:
            figures["categories"][key] = entry
        line = f"{key:28} {len(idx):5} " + " ".join(cells)
        if key.startswith("[") and not order[order.index(key) - 1].startswith("["):
            print("-" * len(line))  # the groups after the categories
        print(line)
    labels = [p["label"] for p in items]
    print()
    for n in names:
        s = scored.scores[n]
        figures.setdefault("overall", {})[n] = {
            "f1_70": f1(labels, s, 0.70),
            "f1_80": f1(labels, s, 0.80),
            "median_us_cold": statistics.median(scored.cold_us[n]),
            "median_us_warm": statistics.median(scored.warm_us[n]),
        }
        o = figures["overall"][n]
        print(
            f"{n}: F1 {o['f1_70']:.3f} at 0.70, {o['f1_80']:.3f} at 0.80;"
            f" median {o['median_us_cold']:.0f} µs per scored pair cold, {o['median_us_warm']:.0f} µs warm"
        )
    return figures


def show_misses(items: Sequence[dict[str, Any]], scored: Scored, count: int) -> None:
    names = list(scored.scores)
    for n in names:
        s = scored.scores[n]
        missed = sorted((s[i], i) for i, p in enumerate(items) if p["label"] and s[i] < 0.80)
        false = sorted(((-s[i], i) for i, p in enumerate(items) if not p["label"] and s[i] >= 0.80))
        print(f"\n{n}: {len(missed)} positives under 0.80, {len(false)} negatives at 0.80 or more; the worst:")
        for _, i in missed[:count]:
            _show(items[i], {a: scored.scores[a][i] for a in names})
        for _, i in false[:count]:
            _show(items[i], {a: scored.scores[a][i] for a in names})


def _show(pair: dict[str, Any], scores: dict[str, float]) -> None:
    figures = " ".join(f"{a} {v:.2f}" for a, v in scores.items())
    sign = "+" if pair["label"] else "-"
    print(
        f"  {sign} [{figures}] {pair['id']}: {pair['query']['name']!r} ~ {pair['record']['names'][0]!r} ({pair['why']})"
    )


def selection(items: Sequence[dict[str, Any]], redis_url: str, lists_dir: Path) -> dict[str, Any]:
    """Per category: positives of a real listed entity that the candidate index does not return."""
    from bench import accuracy
    from service import catalog
    from service.matching.score import DEFAULT_THRESHOLD, max_bonus, prepare_query
    from service.screening import CANDIDATES, REVIEW_MARGIN, Screener

    store = accuracy.open_store(redis_url, reload=False)
    found = catalog.discover(lists_dir)
    accuracy.load_lists(store, found)
    manifests = catalog.load_manifests(ROOT / "lists")
    enabled = sorted(found)
    screener = Screener(store, manifests, enabled)
    indexes = screener.indexes(enabled)
    floor = DEFAULT_THRESHOLD - REVIEW_MARGIN
    lost: dict[str, list[str]] = defaultdict(list)
    checked: dict[str, int] = defaultdict(int)
    for pair in items:
        entity_id = pair.get("entity")
        if not pair["label"] or not entity_id:
            continue
        index = indexes.get(entity_id.split(":", 1)[0])
        if index is None:
            continue
        pq = prepare_query(query_of(pair))
        if pq.name is None:
            continue
        checked[pair["kind"]] += 1
        try:
            numbers = {c.entity for c in index.name_candidates(pq.name, CANDIDATES, floor - max_bonus(pq))}
            found = any(index.entities[n].id == entity_id for n in numbers)
        except (TypeError, AttributeError):  # another index API: ask the screener (selection and scoring)
            query = dataclasses.replace(query_of(pair), lists=(index.list_id,), limit=1000)
            found = any(hit.entity_id == entity_id for hit in screener.screen(query).hits)
        if not found:
            lost[pair["kind"]].append(pair["query"]["name"])
    print(f"\nCandidate selection (each list's index, {CANDIDATES} names per query, floor {floor:.2f}):")
    print(f"{'category':28} {'checked':>7} {'no candidate':>13}")
    for category in pairset.CATEGORIES:
        n = checked.get(category.name, 0)
        if n:
            missing = len(lost[category.name])
            print(f"{category.name:28} {n:7} {missing:7} ({missing / n:5.1%})  e.g. {lost[category.name][:2]}")
    total, missing = sum(checked.values()), sum(len(v) for v in lost.values())
    print(f"{'[all]':28} {total:7} {missing:7} ({missing / max(total, 1):5.1%})")
    return {k: {"checked": checked[k], "no_candidate": len(lost[k])} for k in checked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, help="pairs written by bench/pairs.py --write (default: build them)")
    parser.add_argument("--lists-dir", type=Path, default=evalset.DEFAULT_LISTS_DIR)
    parser.add_argument("--seed", type=int, default=pairset.DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--algorithms", default=",".join(DEFAULT_ALGORITHMS))
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    parser.add_argument(
        "--selection", action="store_true", help="check candidate selection (loads the lists into Redis)"
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.pairs:
        items = pairset.read_pairs(args.pairs)
    else:
        items = pairset.build(evalset.load_entities(args.lists_dir), args.seed, args.scale)
    print(f"{len(items):,} pairs {pairset.counts(items)} ({time.perf_counter() - started:.0f} s to build or read)")
    algorithms = scorers([a.strip() for a in args.algorithms.split(",") if a.strip()])
    distinct = len({(p["query"]["name"], tuple(p["record"]["names"])) for p in items})
    print(
        f"algorithms: {', '.join(algorithms)}; distinct pairs: {distinct:,} of {len(items):,}"
        f" ({distinct / max(len(items), 1):.1%})\n"
    )
    scored = score_all(items, algorithms)
    figures = report(items, scored)
    if args.show_misses:
        show_misses(items, scored, args.show_misses)
    if args.selection:
        figures["selection"] = selection(items, args.redis_url, args.lists_dir)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
