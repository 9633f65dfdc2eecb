"""Importing a book from CSV: read as bulk screening reads (``service.bulk.reader``), the id
column as the client id; each bad row reported with its line, every good one put and screened
in batches (one screening pass and one transaction a batch)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

from service.bulk.reader import CsvInput, NotCsv
from service.monitoring.book import CLIENT_ID_MAX, Counterparty
from service.monitoring.monitor import Monitor

BATCH = 500


def import_csv(
    target: Monitor, stream: BinaryIO, *, batch_size: int = BATCH, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Import a CSV of counterparties in batches: {rows, imported, alerts_opened, errors}."""
    source = CsvInput(stream)
    if "row_id" not in source.mapping:
        raise NotCsv("the file has no id column: each counterparty needs its client id (a column named id)")
    rows = imported = opened = 0
    errors: list[dict[str, Any]] = []
    batch: list[Counterparty] = []

    def flush() -> None:
        nonlocal imported, opened
        if not batch:
            return
        _, changes = target.put(batch)
        imported += len(batch)
        if progress is not None:
            progress(imported)
        opened += sum(c.event in ("opened", "reopened") for c in changes)
        batch.clear()

    seen: set[str] = set()
    for row in source:
        rows += 1
        client_id = (row.fields.get("row_id") or "").strip()
        problem = row.error
        if not client_id:
            problem = "no client id (the id column is empty)"
        elif len(client_id) > CLIENT_ID_MAX:
            problem = f"the client id is longer than {CLIENT_ID_MAX} characters"
        elif client_id in seen:
            problem = f"client id {client_id!r} is given twice in this file"
        if problem is not None or row.query is None:
            errors.append({"row": row.line, "client_id": client_id or None, "error": problem or "nothing to screen"})
            continue
        seen.add(client_id)
        batch.append(Counterparty.of(client_id, row.query))
        if len(batch) >= batch_size:
            flush()
    flush()
    return {"rows": rows, "imported": imported, "alerts_opened": opened, "errors": errors}
