"""Where re-screening the book stands (the ``monitor_state`` table): the version of each list
the book was last screened against, and the matcher's version with a full re-screen's checkpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.database import monitor_state

ALGORITHM_KEY = "algorithm"


def list_key(list_id: str) -> str:
    return f"list:{list_id}"


def read(connection: sa.Connection) -> dict[str, dict[str, Any]]:
    return {row.key: row.value for row in connection.execute(sa.select(monitor_state))}


def write(connection: sa.Connection, key: str, value: dict[str, Any], now: dt.datetime) -> None:
    insert: Any = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(monitor_state)
    statement = insert.values(key=key, value=value, updated_at=now)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"value": value, "updated_at": now})
    )


def start(connection: sa.Connection, versions: Mapping[str, str], algorithm: str, now: dt.datetime) -> None:
    """The first screening of the book says what it was screened against; later ones leave that
    to the re-screening, which moves each list on only once the book is screened against it."""
    insert: Any = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(monitor_state)
    rows = [{"key": list_key(list_id), "value": {"version": v}, "updated_at": now} for list_id, v in versions.items()]
    rows.append({"key": ALGORITHM_KEY, "value": {"version": algorithm, "after": None}, "updated_at": now})
    connection.execute(insert.on_conflict_do_nothing(index_elements=["key"]), rows)
