"""Output rows: the decision for each input row, its best hit explained, safe to open in a spreadsheet.

One output row per input row, or with ``per_hit`` one per hit (a row with no hit, or
an error, still gets one). Every CSV cell that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'``: names in a list or an upload are data, never code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from service.bulk.reader import Row
from service.matching.types import Hit, LinkedHit, ScreenResult

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROW_COLUMNS = (
    "row", "row_id", "name", "country", "decision", "best_score", "hits", "list_id", "entity_id", "reference",
    "listed_name", "matched_name", "kind", "programs", "link", "blocked_by_extension", "explanation",
    "screening_id", "error", "note",
)  # fmt: skip
HIT_COLUMNS = (
    "row", "row_id", "name", "country", "decision", "hit_rank", "score", "match", "list_id", "entity_id",
    "reference", "listed_name", "matched_name", "kind", "programs", "link", "blocked_by_extension", "explanation",
    "screening_id", "error", "note",
)  # fmt: skip
FORMATS = ("csv", "jsonl")


def matching_lists(result: ScreenResult) -> set[str]:
    """The lists of the parties matched, directly or through links."""
    both: list[Hit | LinkedHit] = [*result.hits, *result.linked_hits]
    return {hit.list_id for hit in both if hit.match}


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def explanation(hit: Hit) -> str:
    return "; ".join(f"{f.name} {f.contribution:+.2f}: {f.detail}" for f in hit.features)


@dataclass(frozen=True)
class Outcome:
    """One input row and what screening it gave: a result, or an error."""

    row: Row
    result: ScreenResult | None
    error: str | None = None

    @property
    def problem(self) -> str | None:
        return self.row.error or self.error


def _hit_cells(hit: Hit | LinkedHit) -> dict[str, Any]:
    """A hit as typed values (a CSV cell is made of each by ``_cell``); a linked hit names
    the listed party reached, the first link and, as its explanation, the path in words.
    ``link`` and ``blocked_by_extension`` are null on a direct hit: there is no link."""
    cells = {
        "list_id": hit.list_id,
        "entity_id": hit.entity_id,
        "reference": hit.reference,
        "listed_name": hit.listed_name,
        "matched_name": hit.matched_name,
        "kind": hit.kind,
        "programs": list(hit.programs),
    }
    if isinstance(hit, LinkedHit):
        return {**cells, "link": hit.relation, "blocked_by_extension": hit.blocked_by_extension,
                "explanation": hit.explanation}  # fmt: skip
    return {**cells, "link": None, "blocked_by_extension": None, "explanation": explanation(hit)}


def _cell(value: Any) -> str:
    """A typed value as CSV text: nothing for null, true/false, programs space-separated, scores to 4 places."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def ranked(result: ScreenResult) -> list[Hit | LinkedHit]:
    """Direct and linked hits together, best first (a direct hit first on a tie)."""
    both: list[Hit | LinkedHit] = [*result.hits, *result.linked_hits]
    return sorted(both, key=lambda hit: (-hit.score, isinstance(hit, LinkedHit)))


def _name(row: Row) -> str:
    fields = row.fields
    return fields.get("name") or " ".join(
        p for p in (fields.get("first_name"), fields.get("middle_name"), fields.get("last_name")) if p
    )


class Writer:
    """Formats outcomes as CSV or JSON lines, and decides each row."""

    def __init__(self, *, fmt: str = "csv", per_hit: bool = False, review_threshold: float | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        self.fmt = fmt
        self.per_hit = per_hit
        self.review_threshold = review_threshold
        self.columns = HIT_COLUMNS if per_hit else ROW_COLUMNS

    def decide(self, outcome: Outcome) -> str:
        if outcome.problem or outcome.result is None:
            return "error"
        return outcome.result.decision(self.review_threshold)

    def header(self) -> str:
        return self._csv([list(self.columns)]) if self.fmt == "csv" else ""

    def records(self, outcome: Outcome, verdict: str, screening_id: str | None = None) -> list[dict[str, Any]]:
        """The output records of one input row, with typed values: JSON lines gives them as
        they are (null, false, lists), CSV turns each into text (``_cell``)."""
        row = outcome.row
        base: dict[str, Any] = {
            "row": row.number,
            "row_id": row.row_id,
            "name": _name(row) or None,
            "country": row.fields.get("country") or None,
            "decision": verdict,
        }
        result = outcome.result
        problem = outcome.problem or (None if result is not None else "not screened")
        every = ranked(result) if result is not None and not problem else []
        common = {"screening_id": screening_id, "error": problem, "note": row.note or None}
        if self.fmt == "jsonl":
            hits = [{**_hit_cells(h), "score": round(h.score, 4), "match": h.match} for h in every]
            best = round(every[0].score, 4) if every else None
            return [{**base, "best_score": best, "hits": hits, **common}]
        if not self.per_hit:
            if not every:
                return [{**base, "best_score": None, "hits": 0 if not problem else None, **common}]
            return [{**base, "best_score": every[0].score, "hits": len(every), **_hit_cells(every[0]), **common}]
        if not every:
            return [{**base, **common}]
        return [
            {**base, "hit_rank": rank, "score": hit.score, "match": hit.match, **_hit_cells(hit), **common}
            for rank, hit in enumerate(every, 1)
        ]

    def trailer(self, screened: int, total: int, reason: str | None) -> str:
        """The last row of a streamed answer, so a reader can tell a whole stream from a cut one:
        ``row`` is ``end``, ``decision`` is ``complete`` (every row screened) or ``incomplete``
        (``error`` says why it stopped), and ``rows_screened`` of ``rows_total`` are counted
        (in ``note`` in CSV, whose columns are the rows'). No ``end`` row: the stream was cut."""
        complete = reason is None and screened == total
        record: dict[str, Any] = {"row": "end", "decision": "complete" if complete else "incomplete"}
        record |= {"error": reason, "note": f"{screened} of {total} rows screened"}
        if self.fmt == "jsonl":  # a row line's keys (null), so a reader indexing lines by key never trips
            empty = dict.fromkeys(("row_id", "name", "country", "best_score", "hits", "screening_id"))
            record = {**empty, **record, "rows_screened": screened, "rows_total": total}
        return self.format([record])

    def format(self, records: Iterable[dict[str, Any]]) -> str:
        if self.fmt == "jsonl":
            return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        columns = self.columns
        return self._csv([[neutralise(_cell(r.get(c))) for c in columns] for r in records])

    @staticmethod
    def _csv(rows: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue()
