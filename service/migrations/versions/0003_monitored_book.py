"""The monitored book, its alerts, and their append-only history.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")  # SQLite autoincrements INTEGER keys only
JSONDoc = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "counterparties",
        sa.Column("client_id", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("address", JSONDoc),
        sa.Column("country", sa.String(2)),
        sa.Column("birth_date", sa.String(10)),
        sa.Column("identifiers", JSONDoc, nullable=False),
        sa.Column("tags", JSONDoc, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("screened_at", WHEN),
    )
    op.create_table(
        "alerts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("list_id", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("match_kind", sa.String(10), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("listed_name", sa.Text),
        sa.Column("matched_name", sa.Text),
        sa.Column("entity_digest", sa.String(32)),
        sa.Column("entity", JSONDoc),
        sa.Column("decided_digest", sa.String(32)),
        sa.Column("decided_entity", JSONDoc),
        sa.Column("decided_by", sa.String(64)),
        sa.Column("decided_at", WHEN),
        sa.Column("note", sa.Text),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.UniqueConstraint("client_id", "entity_id", name="alerts_pair"),
    )
    op.create_index("alerts_state", "alerts", ["state"])
    op.create_index("alerts_entity", "alerts", ["entity_id"])
    op.create_table(
        "alert_events",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.BigInteger, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("details", JSONDoc),
    )
    op.create_index("alert_events_alert", "alert_events", ["alert_id"])
    if op.get_bind().dialect.name == "postgresql":
        # The history is append-only in the database itself, not only by the code's habit.
        op.execute(
            """
            CREATE FUNCTION alert_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'alert_events is append-only'; END $$;
            CREATE TRIGGER alert_events_append_only BEFORE UPDATE OR DELETE ON alert_events
            FOR EACH ROW EXECUTE FUNCTION alert_events_append_only();
            """
        )
    else:
        op.execute(
            "CREATE TRIGGER alert_events_no_update BEFORE UPDATE ON alert_events"
            " BEGIN SELECT RAISE(ABORT, 'alert_events is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER alert_events_no_delete BEFORE DELETE ON alert_events"
            " BEGIN SELECT RAISE(ABORT, 'alert_events is append-only'); END"
        )


def downgrade() -> None:
    op.drop_table("alert_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS alert_events_append_only()")
    op.drop_table("alerts")
    op.drop_table("counterparties")
