"""The relational database for tests: each test that asks runs on SQLite and on a real PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (``SCREENING_TEST_POSTGRES_URL`` names another:
it must let us create databases). The session creates a database of its own, named
``<prefix><pid>`` (``SCREENING_TEST_DATABASE_PREFIX``, default ``ssm_test_``), migrates it
once and drops it at the end; each test starts from empty tables. When nothing answers
there, the PostgreSQL variants skip saying so (``.ci/run`` starts the server when it is
installed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from service import database

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_url() -> str:
    return os.environ.get("SCREENING_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _database_name() -> str:
    return f"{os.environ.get('SCREENING_TEST_DATABASE_PREFIX', 'ssm_test_')}{os.getpid()}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, migrated; dropped at the end."""
    import psycopg

    admin = _admin_url()
    name = _database_name()
    try:
        connection = psycopg.connect(admin, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL answers at {admin}: {exc}")
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(admin).set(database=name).render_as_string(hide_password=False)
    engine = database.make_engine(url)
    database.upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (cheaper than migrating each time)."""
    folder = Path(tmp_path_factory.mktemp("sqlite"))
    engine = database.make_engine(database.default_url(folder))
    database.upgrade(engine)
    engine.dispose()
    return folder / "screening.db"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    folder = tmp_path / "sqlite"
    folder.mkdir()
    shutil.copy(sqlite_template, folder / "screening.db")
    return database.default_url(folder)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of a migrated database whose tables are empty: SQLite, then PostgreSQL."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    if request.param == "postgres":
        engine = database.make_engine(url)
        names = ", ".join(table.name for table in database.metadata.sorted_tables)
        with engine.begin() as connection:
            # TRUNCATE: the alert history refuses DELETE (append-only), and it is faster.
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[database.Database]:
    found = database.Database(database_url)
    yield found
    found.dispose()
