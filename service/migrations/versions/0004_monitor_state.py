"""Where re-screening of the book stands: per list, the version the book was last screened
against; for the algorithm, the version and a resumable full re-screen's checkpoint.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_state",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("monitor_state")
