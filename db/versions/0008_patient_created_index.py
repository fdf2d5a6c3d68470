"""check-in: today's new patients are found by an index

Today's list names the patients added today; without this index the query read every
live patient (seconds at a million).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("erased_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_patient_live_created",
        "patient",
        ["created_at"],
        unique=False,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_patient_live_created", table_name="patient")
