"""Candidate-selection recall: what the index loses against scoring every listed entity.

For a sample of the evaluation set's queries (perturbed listed names and negatives), every
entity of every loaded list is scored exhaustively; each entity that scores at or above the
threshold is a *true hit*. The screener, which scores only the candidates its index
selects, must find the same hits: the figure printed is the share it loses (the issue's
goal: fewer than 1 in 1,000).

    python -m bench.candidates [--queries 600] [--redis-url redis://127.0.0.1:6379/8] [--algorithm ssm-2]

Exhaustive scoring is slow by design (every entity, every name, pure Python): it runs on
every core, forked after the indexes are built.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from multiprocessing import get_context
from pathlib import Path

from bench import accuracy, evalset
from service import catalog
from service.matching.algorithms import ALGORITHMS, DEFAULT_ALGORITHM, scorer
from service.matching.index import ListIndex
from service.matching.score import DEFAULT_THRESHOLD, prepare_query
from service.matching.types import Query
from service.screening import Screener

PROJECT = Path(__file__).resolve().parent.parent
_INDEXES: dict[str, ListIndex] = {}  # shared with forked workers


def exhaustive(query: Query) -> set[str]:
    """Entity ids scoring at or above the threshold when every entity is scored."""
    pq = prepare_query(query)
    score = scorer(query.algorithm)
    threshold = DEFAULT_THRESHOLD if query.threshold is None else query.threshold
    return {
        entity.id
        for index in _INDEXES.values()
        for entity in index.entities
        if score(pq, entity.record, 0.0).score >= threshold
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists-dir", type=Path, default=evalset.DEFAULT_LISTS_DIR)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--queries", type=int, default=600, help="evaluation queries to check (half positives)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--algorithm", choices=sorted(ALGORITHMS), default=DEFAULT_ALGORITHM)
    args = parser.parse_args()

    store = accuracy.open_store(args.redis_url, reload=False)
    found = catalog.discover(args.lists_dir)
    accuracy.load_lists(store, found)
    manifests = catalog.load_manifests(PROJECT / "lists")
    enabled = sorted(found)
    screener = Screener(store, manifests, enabled)
    _INDEXES.update(screener.indexes(enabled))
    entities = evalset.load_entities(args.lists_dir)
    cases, _ = evalset.build(entities, seed=args.seed, n_positive=args.queries, n_negative=args.queries)
    rng = random.Random(args.seed)
    sample = rng.sample([c for c in cases if c.expect == "match"], min(args.queries // 2, args.queries))
    sample += rng.sample([c for c in cases if c.expect != "match"], min(args.queries // 2, args.queries))
    queries = [Query(**{**c.query.__dict__, "limit": 1000, "lists": None, "algorithm": args.algorithm}) for c in sample]

    started = time.perf_counter()
    with get_context("fork").Pool(os.cpu_count()) as pool:
        truth = pool.map(exhaustive, queries, chunksize=4)
    exhaustive_seconds = time.perf_counter() - started

    started = time.perf_counter()
    found_hits = []
    scored = 0
    for query in queries:
        result = screener.screen(query)
        scored += result.candidates
        found_hits.append({hit.entity_id for hit in result.hits if hit.match})
    indexed_seconds = time.perf_counter() - started

    true_hits = sum(len(t) for t in truth)
    lost = [(q.name, sorted(t - f)) for q, t, f in zip(queries, truth, found_hits) if t - f]
    lost_count = sum(len(ids) for _, ids in lost)
    listed = sum(len(index) for index in _INDEXES.values())
    print(f"\n{len(queries)} queries ({len(queries) // 2} perturbed listed names, the rest negatives) against"
          f" {listed:,} entities in {len(_INDEXES)} lists, threshold {DEFAULT_THRESHOLD}, {args.algorithm}")
    print(f"  true hits (exhaustive scoring): {true_hits:,}")
    print(f"  lost by candidate selection:    {lost_count:,} ({lost_count / max(true_hits, 1):.3%});"
          " goal < 0.1%")
    print(f"  entities scored per query:      {scored / len(queries):.1f} (exhaustive: {listed:,})")
    print(f"  time per query: indexed {indexed_seconds / len(queries) * 1000:.2f} ms,"
          f" exhaustive {exhaustive_seconds / len(queries) * 1000:.0f} ms ({os.cpu_count()} processes)")
    for name, ids in lost[:15]:
        print(f"    lost: {name!r} → {', '.join(ids[:4])}")


if __name__ == "__main__":
    main()
