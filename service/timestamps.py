"""Every moment the service reports, in one form: RFC 3339, in UTC, to the millisecond.

Redis keeps moments as Unix seconds (cheap to compare and to write from Lua); whatever
leaves the service (JSON answers, `keys list --json`, audit records) passes through
``rfc3339`` so that a client parses one format everywhere: "2026-12-03T17:13:53.123Z".
"""

from __future__ import annotations

import datetime as dt


def rfc3339(moment: float | dt.datetime) -> str:
    """Unix seconds (or an aware datetime) as "YYYY-MM-DDTHH:MM:SS.mmmZ"."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.fromtimestamp(moment, dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def rfc3339_or_none(moment: float | dt.datetime | None) -> str | None:
    return None if moment is None else rfc3339(moment)
