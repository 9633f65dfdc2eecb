"""The monitored book: counterparties kept screened, keyed by the client's own id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.database import counterparties
from service.matching.types import AddressQuery, IdentifierQuery, Query

CLIENT_ID_MAX = 200


@dataclass(frozen=True)
class Counterparty:
    client_id: str
    name: str | None = None
    kind: str = "any"
    address: dict[str, str] | None = None  # AddressQuery's parts that are given
    country: str | None = None
    birth_date: str | None = None
    identifiers: tuple[dict[str, Any], ...] = ()  # {"value": …, "type": …}
    tags: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    screened_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, client_id: str, query: Query, tags: Sequence[str] = ()) -> Counterparty:
        address = {k: v for k, v in vars(query.address).items() if v} if query.address is not None else None
        return cls(
            client_id=client_id,
            name=query.name,
            kind=query.kind,
            address=address or None,
            country=query.country,
            birth_date=query.birth_date,
            identifiers=tuple({"value": i.value, "type": i.type} for i in query.identifiers),
            tags=tuple(dict.fromkeys(tags)),
        )

    def query(self) -> Query:
        return Query(
            name=self.name,
            kind=self.kind,
            address=AddressQuery(**self.address) if self.address else None,
            country=self.country,
            birth_date=self.birth_date,
            identifiers=tuple(IdentifierQuery(value=i["value"], type=i.get("type")) for i in self.identifiers),
        )

    def same_content(self, other: Counterparty | None) -> bool:
        """Whether screening ``other`` would screen the same thing (tags do not count)."""
        return other is not None and self.query() == other.query()

    def as_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "kind": self.kind,
            "address": self.address,
            "country": self.country,
            "birth_date": self.birth_date,
            "identifiers": list(self.identifiers),
            "tags": list(self.tags),
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "screened_at": _iso(self.screened_at),
        }


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _from_row(row: Any) -> Counterparty:
    return Counterparty(
        client_id=row.client_id,
        name=row.name,
        kind=row.kind,
        address=row.address,
        country=row.country,
        birth_date=row.birth_date,
        identifiers=tuple(row.identifiers or ()),
        tags=tuple(row.tags or ()),
        created_at=row.created_at,
        updated_at=row.updated_at,
        screened_at=row.screened_at,
    )


def get(connection: sa.Connection, client_id: str) -> Counterparty | None:
    row = connection.execute(sa.select(counterparties).where(counterparties.c.client_id == client_id)).first()
    return _from_row(row) if row is not None else None


def get_many(connection: sa.Connection, client_ids: Sequence[str]) -> dict[str, Counterparty]:
    out: dict[str, Counterparty] = {}
    for start in range(0, len(client_ids), 500):
        chunk = list(client_ids[start : start + 500])
        for row in connection.execute(sa.select(counterparties).where(counterparties.c.client_id.in_(chunk))):
            out[row.client_id] = _from_row(row)
    return out


def put_many(connection: sa.Connection, parties: Sequence[Counterparty], now: dt.datetime) -> None:
    """Insert or replace these counterparties (their ``created_at`` kept when they were there):
    one multi-row upsert (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL as on SQLite), not a
    read of what is there then inserts and updates apart. The client ids must be distinct."""
    if not parties:
        return
    rows = [
        {
            "client_id": party.client_id,
            "name": party.name,
            "kind": party.kind,
            "address": party.address,
            "country": party.country,
            "birth_date": party.birth_date,
            "identifiers": list(party.identifiers),
            "tags": list(party.tags),
            "created_at": now,
            "updated_at": now,
            "screened_at": now,
        }
        for party in parties
    ]
    insert: Any = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(counterparties)
    replaced = {name: insert.excluded[name] for name in rows[0] if name not in ("client_id", "created_at")}
    connection.execute(insert.on_conflict_do_update(index_elements=["client_id"], set_=replaced), rows)


def delete(connection: sa.Connection, client_id: str) -> bool:
    result = connection.execute(counterparties.delete().where(counterparties.c.client_id == client_id))
    return result.rowcount > 0


def page(connection: sa.Connection, *, after: str | None, limit: int) -> list[Counterparty]:
    """Counterparties in client-id order after ``after`` (keyset paging: stable while the book changes)."""
    query = sa.select(counterparties).order_by(counterparties.c.client_id).limit(limit)
    if after is not None:
        query = query.where(counterparties.c.client_id > after)
    return [_from_row(row) for row in connection.execute(query)]


def count(connection: sa.Connection) -> int:
    return int(connection.execute(sa.select(sa.func.count()).select_from(counterparties)).scalar_one())


def every(connection: sa.Connection, batch: int = 5000) -> Iterator[Counterparty]:
    after: str | None = None
    while True:
        rows = page(connection, after=after, limit=batch)
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].client_id
