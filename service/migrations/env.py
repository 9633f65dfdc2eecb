"""Alembic's entry point: runs the migrations on the engine ``service.database`` hands it."""

from __future__ import annotations

from alembic import context

from service import database

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # the ``alembic`` command itself, pointed at this folder: DATABASE_URL or the default
    from service.config import from_env

    settings = from_env()
    engine = database.from_settings(settings.database_url, settings.data_dir).engine

with engine.connect() as connection:
    # One transaction per migration: a failed one leaves the schema at the revision before it
    # (PostgreSQL and SQLite both have transactional DDL).
    context.configure(connection=connection, target_metadata=database.metadata, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
