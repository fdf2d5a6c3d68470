"""rewards: what a reward is worth, a note on it, the friend's appointment, ledger by reward

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reward") as batch:
        batch.add_column(
            sa.Column("value_minor", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch.create_check_constraint("value_non_negative", "value_minor >= 0")
    op.create_index("ix_reward_status", "reward", ["status"])
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("booked_for", sa.DateTime(), nullable=True))
    op.create_index("ix_ledger_entry_reward_id", "ledger_entry", ["reward_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_entry_reward_id", table_name="ledger_entry")
    with op.batch_alter_table("referral") as batch:
        batch.drop_column("booked_for")
    op.drop_index("ix_reward_status", table_name="reward")
    with op.batch_alter_table("reward") as batch:
        batch.drop_constraint("value_non_negative", type_="check")
        batch.drop_column("note")
        batch.drop_column("value_minor")
