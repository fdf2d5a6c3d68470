"""fraud: friends named by phone are found by an index

The "same phone under another referrer's code" rule looks a phone up among the friends
named at the desk or by text; without this index it read every referral.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_referral_prospect_phone", "referral", ["prospect_phone"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_referral_prospect_phone", table_name="referral")
