"""What a bulk run found, counted: rows, decisions, hits by list, errors, time taken.

Counts are kept per chunk and added up, so a chunk screened twice (a retried job) is
counted once: the job store keeps each chunk's counts under the chunk's number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Summary:
    rows: int = 0
    hits: int = 0  # rows decided "hit"
    reviews: int = 0
    clears: int = 0
    errors: int = 0  # rows that could not be screened
    hits_by_list: Counter[str] = field(default_factory=Counter)  # rows with a matching hit on each list

    def add(self, decision: str, lists: set[str] | None = None) -> None:
        self.rows += 1
        if decision == "hit":
            self.hits += 1
            self.hits_by_list.update(lists or ())
        elif decision == "review":
            self.reviews += 1
        elif decision == "clear":
            self.clears += 1
        else:
            self.errors += 1

    def merge(self, other: Summary) -> None:
        self.rows += other.rows
        self.hits += other.hits
        self.reviews += other.reviews
        self.clears += other.clears
        self.errors += other.errors
        self.hits_by_list.update(other.hits_by_list)

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "hits": self.hits, "reviews": self.reviews, "clears": self.clears,
                "errors": self.errors}  # fmt: skip

    def as_dict(self, elapsed: float | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {**self.counts(), "hits_by_list": dict(sorted(self.hits_by_list.items()))}
        if elapsed is not None:
            body["elapsed_seconds"] = round(elapsed, 3)
            body["rows_per_second"] = round(self.rows / elapsed, 1) if elapsed > 0 else None
        return body

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(
            rows=int(data.get("rows", 0)),
            hits=int(data.get("hits", 0)),
            reviews=int(data.get("reviews", 0)),
            clears=int(data.get("clears", 0)),
            errors=int(data.get("errors", 0)),
            hits_by_list=Counter({k: int(v) for k, v in data.get("hits_by_list", {}).items()}),
        )

    def line(self, elapsed: float, setup: float | None = None) -> str:
        """One line for a person: the CLI prints it at the end of a run. ``elapsed`` is the
        screening's time; ``setup`` the index build's before it, reported apart (a small file's
        rate would otherwise be the build's: "1 rows/s")."""
        by_list = ", ".join(f"{k} {v:,}" for k, v in sorted(self.hits_by_list.items())) or "none"
        rate = f"{self.rows / elapsed:,.0f} rows/s" if elapsed > 0 else "rate not measurable"
        built = f"indexes built in {setup:.1f}s, " if setup is not None else ""
        return (
            f"{self.rows:,} rows: {self.hits:,} hits ({by_list}), {self.reviews:,} to review, {self.clears:,} clear,"
            f" {self.errors:,} errors; {built}screened in {elapsed:.1f}s, {rate}"
        )
