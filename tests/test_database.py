"""The relational store: migrations shipped in the package, applied by the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from service import database
from service.cli import main
from service.errors import Unavailable


def test_the_migrations_bring_each_database_to_the_head_revision(db: database.Database) -> None:
    assert database.current_revision(db.engine) == database.head_revision() is not None
    assert db.ready() is db.engine
    database.upgrade(db.engine)  # again: nothing to do, nothing broken
    assert database.current_revision(db.engine) == database.head_revision()
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {table.name for table in database.metadata.sorted_tables} <= tables


def test_a_configured_database_not_migrated_answers_503_naming_the_command(tmp_path: Path) -> None:
    found = database.Database(database.default_url(tmp_path))  # as if given by DATABASE_URL
    with pytest.raises(Unavailable, match="screening db upgrade"):
        found.ready()


def test_the_embedded_default_migrates_itself_on_first_use(tmp_path: Path) -> None:
    found = database.from_settings(None, tmp_path)
    found.ready()
    assert (tmp_path / "screening.db").exists()
    assert database.current_revision(found.engine) == database.head_revision()


def test_db_upgrade_creates_the_embedded_database_under_the_data_dir(tmp_path: Path) -> None:
    env = {"SCREENING_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert "upgraded from empty to" in upgraded.output
    assert (tmp_path / "screening.db").exists()
    again = runner.invoke(main, ["db", "upgrade"], env=env)
    assert "up to date" in again.output
    assert runner.invoke(main, ["db", "current"], env=env).exit_code == 0


def test_db_current_reads_database_url(postgres_url: str, tmp_path: Path) -> None:
    env = {"SCREENING_DATA_DIR": str(tmp_path), "DATABASE_URL": postgres_url}
    current = CliRunner().invoke(main, ["db", "current"], env=env)
    assert current.exit_code == 0, current.output
    assert current.output.startswith(str(database.head_revision()))
    assert not (tmp_path / "screening.db").exists()


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    env = {"SCREENING_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    failed = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert failed.exit_code == 1 and "the database is unreachable" in failed.output
