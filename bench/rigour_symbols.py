"""What rigour's name symbols would add to ssm-2, measured on bench/pairs.py (issue 12, item 2).

    pip install rigour   # not a dependency of the service: see the note printed at the end
    python -m bench.rigour_symbols --pairs pairs.jsonl

rigour (OpenSanctions' name library) tags the parts of a name with symbols that tie given
names and some surnames across scripts and languages (Wikidata ids: "Владимир", "Wladimir"
and "ウラジーミル" share one). The question is whether a symbol channel beside ssm-2's own
would find positives ssm-2 misses without tying the parts of hard negatives. For each pair,
every part of the query and of the record name is analysed (person or organisation), and a
query part counts as tied when it shares a NAME symbol with some part of the record. Printed
per category: the positives ssm-2 misses at 0.80, and how many of those rigour ties whole
(every part); the negatives rigour ties whole (what such a channel would risk); and the
time per analysed name.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from bench.pair_accuracy import query_of, record_of
from service.matching.algorithms import compare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, required=True, help="JSON lines written by bench/pairs.py --write")
    args = parser.parse_args()
    from rigour.names import NameTypeTag, analyze_names  # imported here: an optional tool

    def symbols(text: str, person: bool) -> list[set[str]]:
        found = analyze_names(NameTypeTag.PER if person else NameTypeTag.ORG, [text])
        if not found:
            return []
        name = next(iter(found))
        per_part: dict[int, set[str]] = defaultdict(set)
        for span in name.spans:
            if str(span.symbol.category).endswith("NAME"):
                for part in span.parts:
                    per_part[part.index].add(span.symbol.id)
        return [per_part.get(part.index, set()) for part in name.parts]

    pairs = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line]
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # pairs, ssm-2 wrong, tied whole, tied & wrong
    analysed = 0
    spent = 0.0
    for pair in pairs:
        query, record = query_of(pair), record_of(pair)
        person = record.get("kind") == "person"
        started = time.perf_counter()
        q = symbols(query.name or "", person)
        listed = [symbols(name["full"], person) for name in record["names"]]
        spent += time.perf_counter() - started
        analysed += 1 + len(listed)
        tied = bool(q) and any(
            all(part and any(part & other for other in name) for part in q) for name in listed if name
        )
        score = compare(query, record, "ssm-2").score
        wrong = (score < 0.8) if pair["label"] else (score >= 0.8)
        row = rows[pair["kind"]]
        row[0] += 1
        row[1] += wrong
        row[2] += tied
        row[3] += tied and wrong
        row[4] += pair["label"]
    print(f"{'category':28} {'pairs':>6} {'ssm-2 wrong':>12} {'rigour ties':>12} {'ties, ssm-2 wrong':>18}")
    for kind, (n, wrong, tied, both, positives) in sorted(rows.items()):
        label = "positives" if positives else "NEGATIVES"
        print(f"{kind:28} {n:6} {wrong:12} {tied:12} {both:18}   ({label})")
    print(f"\n{analysed:,} names analysed, {spent / analysed * 1e6:.0f} µs each")


if __name__ == "__main__":
    main()
