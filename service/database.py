"""The relational store: what must outlive Redis's memory. The only module that knows SQL tables.

Redis stays the store of the lists (fast, versioned, rebuilt from the official files at
any time); what cannot be rebuilt — the audit archive kept for years, and in time the
monitored book, alerts and decisions — lives in a real database. PostgreSQL in production
(``DATABASE_URL=postgresql://…``, through psycopg 3); with no ``DATABASE_URL``, a SQLite file
in ``SCREENING_DATA_DIR`` runs the same code, so ``make run`` and ``make test`` need nothing
installed.

The schema is Alembic's: the migrations ship inside the package (``service/migrations``)
and ``screening db upgrade`` applies them (``screening serve`` does so at start). The tables
below mirror the migrations for SQLAlchemy Core queries; the migrations are the truth.
Dialect differences stay here and in the migrations: the archive is partitioned by month
on PostgreSQL, a plain table on SQLite.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine

from service.errors import Unavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# JSON as JSONB on PostgreSQL (queried, compressed by TOAST), as text on SQLite.
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

metadata = sa.MetaData()

# One row per screening (or bulk request) recorded in the Redis stream ``scr:audit``; the
# stream id is the primary key, so a record shipped twice is stored once. ``recorded_at`` is
# derived from the id (its millisecond part): the same id always falls in the same monthly
# partition, which is what lets PostgreSQL enforce the key across partitions.
audit_records = sa.Table(
    "audit_records",
    metadata,
    sa.Column("recorded_at", sa.DateTime(timezone=True), primary_key=True),
    sa.Column("screening_id", sa.String(48), primary_key=True),
    sa.Column("key_id", sa.String(64)),
    sa.Column("endpoint", sa.String(200)),
    sa.Column("record", JSONDoc, nullable=False),
)


# The monitored book: the counterparties a client keeps screened, keyed by the client's own id.
counterparties = sa.Table(
    "counterparties",
    metadata,
    sa.Column("client_id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("address", sa.JSON),
    sa.Column("country", sa.String(2)),
    sa.Column("birth_date", sa.String(10)),
    sa.Column("identifiers", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("screened_at", sa.DateTime(timezone=True)),
)

# One alert per (counterparty, listed entity): opened by a match, decided by an analyst, closed
# when the match goes (the entity left its list, the counterparty changed or left the book).
# ``entity_digest`` is the store's digest of the listed record when last matched;
# ``decided_digest`` the one the decision was made on: a clearance holds while they agree.
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(200), nullable=False),
    sa.Column("list_id", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.String(200), nullable=False),
    sa.Column("match_kind", sa.String(10), nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("listed_name", sa.Text),
    sa.Column("matched_name", sa.Text),
    sa.Column("entity_digest", sa.String(32)),
    sa.Column("entity", sa.JSON),
    sa.Column("decided_digest", sa.String(32)),
    sa.Column("decided_entity", sa.JSON),
    sa.Column("decided_by", sa.String(64)),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("client_id", "entity_id", name="alerts_pair"),
    sa.Index("alerts_state", "state"),
    sa.Index("alerts_entity", "entity_id"),
)

# Every change of every alert, appended, never updated.
alert_events = sa.Table(
    "alert_events",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.BigInteger, sa.ForeignKey("alerts.id"), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("event", sa.String(20), nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("details", sa.JSON),
)


# Where re-screening the book stands: "list:<list id>" → {"version"}: the version of that list
# the book was last screened against; "algorithm" → {"version", "after"}: the matcher the book
# was screened with, and the checkpoint of a full re-screen under way.
monitor_state = sa.Table(
    "monitor_state",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", JSONDoc, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


# Webhooks: subscriptions; the outbox of events, written in the transaction that made them;
# one delivery per (subscription, event) with its retry schedule; every attempt, logged.
_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_WHEN = sa.DateTime(timezone=True)
webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),
    sa.Column("events", JSONDoc, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.String(64)),
    sa.Column("created_at", _WHEN, nullable=False),
)
webhook_events = sa.Table(
    "webhook_events",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(64), nullable=False, unique=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("payload", JSONDoc, nullable=False),
    sa.Column("fanned_out", sa.Boolean, nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
)
webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("subscription_id", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", _WHEN, nullable=False),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("delivered_at", _WHEN),
    sa.Column("created_at", _WHEN, nullable=False),
)
webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("delivery_id", sa.BigInteger, nullable=False),
    sa.Column("subscription_id", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("at", _WHEN, nullable=False),
    sa.Column("status", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("ms", sa.Float, nullable=False),
)


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'screening.db'}"


def _driver_url(url: str) -> str:
    """``postgresql://`` (as people write it) means psycopg 3, the driver this package ships."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine that connects only when first used (``screening openapi`` never does)."""
    url = _driver_url(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            # WAL: the API reads while a shipper writes; a busy writer waits instead of failing.
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision``."""
    from alembic import command

    command.upgrade(_alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


class Database:
    """The engine, and the check that its schema is the one this code was written for.

    An embedded SQLite database is migrated on first use (nobody else could have done it);
    a configured one must be migrated by ``screening db upgrade`` (``serve`` does it), and
    until then every use answers 503 saying so, rather than failing half-way through a query.
    """

    def __init__(self, url: str, *, embedded: bool = False) -> None:
        self.url = url
        self.embedded = embedded
        self.engine = make_engine(url)
        self._checked = False
        self._lock = threading.Lock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def ready(self) -> Engine:
        if self._checked:
            return self.engine
        with self._lock:
            if not self._checked:
                try:
                    if self.embedded:
                        upgrade(self.engine)
                    elif current_revision(self.engine) != head_revision():
                        raise Unavailable(
                            "the database schema is not up to date: run `screening db upgrade`",
                            details={"database": self.engine.url.render_as_string(hide_password=True)},
                        )
                except sa.exc.OperationalError as exc:
                    raise Unavailable(f"the database is unreachable: {exc.orig}") from exc
                self._checked = True
        return self.engine

    @contextmanager
    def reached(self) -> Iterator[Engine]:
        """The engine, for one unit of work; a database that fails under it is a 503, not a 500."""
        engine = self.ready()
        try:
            yield engine
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise Unavailable(f"the database is unreachable: {exc.orig}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def from_settings(database_url: str | None, data_dir: Path) -> Database:
    if database_url:
        return Database(database_url)
    return Database(default_url(data_dir), embedded=True)


def month_start(moment: dt.datetime) -> dt.datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month(moment: dt.datetime) -> dt.datetime:
    start = month_start(moment)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def partition_name(table: str, month: dt.datetime) -> str:
    return f"{table}_y{month.year:04d}m{month.month:02d}"


def ensure_month_partitions(connection: sa.Connection, table: str, months: set[dt.datetime]) -> None:
    """PostgreSQL: the monthly partitions of ``table`` these months need, created if missing
    (two shippers racing to create one is fine: IF NOT EXISTS). SQLite tables are not partitioned."""
    if connection.dialect.name != "postgresql":
        return
    for month in sorted(months):
        start, end = month_start(month), next_month(month)
        connection.execute(
            sa.text(
                f"CREATE TABLE IF NOT EXISTS {partition_name(table, start)} PARTITION OF {table}"
                f" FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )


def month_partitions(connection: sa.Connection, table: str) -> list[tuple[str, dt.datetime]]:
    """PostgreSQL: the partitions of ``table`` (name, first day of the month), oldest first."""
    if connection.dialect.name != "postgresql":
        return []
    rows = connection.execute(
        sa.text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :table"
        ),
        {"table": table},
    )
    out = []
    prefix = f"{table}_y"
    for (name,) in rows:
        if name.startswith(prefix) and len(name) == len(prefix) + 7:
            year, month = int(name[len(prefix) : len(prefix) + 4]), int(name[-2:])
            out.append((name, dt.datetime(year, month, 1, tzinfo=dt.UTC)))
    return sorted(out, key=lambda item: item[1])


def drop_partition(connection: sa.Connection, name: str) -> None:
    connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))
