"""The audit archive: screenings shipped from the Redis stream, kept for years.

PostgreSQL: partitioned by month of ``recorded_at`` (the partitions are created by the
shipper as it needs them; retention drops whole partitions). SQLite: one plain table.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TABLE audit_records (
                recorded_at timestamptz NOT NULL,
                screening_id varchar(48) NOT NULL,
                key_id varchar(64),
                endpoint varchar(200),
                record jsonb NOT NULL,
                PRIMARY KEY (recorded_at, screening_id)
            ) PARTITION BY RANGE (recorded_at)
            """
        )
        return
    op.create_table(
        "audit_records",
        sa.Column("recorded_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("screening_id", sa.String(48), primary_key=True),
        sa.Column("key_id", sa.String(64)),
        sa.Column("endpoint", sa.String(200)),
        sa.Column("record", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_records")  # on PostgreSQL, its partitions go with it
