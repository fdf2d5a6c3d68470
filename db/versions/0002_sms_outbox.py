"""sms: outbox reconciliation columns, ask decisions, the drain lease row

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("in_doubt", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch_op.add_column(sa.Column("from_phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(), nullable=True))

    op.create_table(
        "ask_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("inbound_id", sa.Integer(), nullable=True),
        sa.Column("source_key", sa.String(length=160), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbound_id"],
            ["inbound_message.id"],
            name=op.f("fk_ask_decision_inbound_id_inbound_message"),
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox_message.id"],
            name=op.f("fk_ask_decision_outbox_id_outbox_message"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_ask_decision_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_ask_decision_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_decision")),
        sa.UniqueConstraint("source_key", name=op.f("uq_ask_decision_source_key")),
    )
    with op.batch_alter_table("ask_decision", schema=None) as batch_op:
        batch_op.create_index("ix_ask_decision_patient_id", ["patient_id"], unique=False)

    # The one-desk drain lease exists from the start, so desks only ever UPDATE it (a row
    # lock on PostgreSQL, the write lock on SQLite) and never race to INSERT it.
    sync_state = sa.table(
        "sync_state",
        sa.column("name", sa.String),
        sa.column("updated_at", sa.DateTime),
    )
    op.bulk_insert(
        sync_state,
        [{"name": "outbox_drain", "updated_at": datetime.now(UTC).replace(tzinfo=None)}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM sync_state WHERE name = 'outbox_drain'")
    with op.batch_alter_table("ask_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_ask_decision_patient_id")
    op.drop_table("ask_decision")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("last_attempt_at")
        batch_op.drop_column("from_phone")
        batch_op.drop_column("in_doubt")
