"""check-in search: code suffix column, prefix-friendly indexes on PostgreSQL

Typing just the last four symbols of a code ("K7QD") finds it through an indexed
``referral_code.code_suffix``. On PostgreSQL the name, surname, reversed-phone and email
search indexes are rebuilt with ``varchar_pattern_ops`` so ``LIKE 'prefix%'`` uses them
whatever the server's collation (SQLite searches those columns with ranges instead).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATTERN_INDEXES = {
    "ix_patient_name_norm": "name_norm",
    "ix_patient_last_norm": "last_norm",
    "ix_patient_phone_rev": "phone_rev",
    "ix_patient_email_norm": "email_norm",
}


def upgrade() -> None:
    with op.batch_alter_table("referral_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_suffix", sa.String(length=4), nullable=True))
    # Every code ends with its four random-and-check symbols ("SARAH-K7QD" → "K7QD").
    op.execute("UPDATE referral_code SET code_suffix = substr(code, length(code) - 3, 4)")
    with op.batch_alter_table("referral_code", schema=None) as batch_op:
        batch_op.alter_column("code_suffix", existing_type=sa.String(length=4), nullable=False)
        batch_op.create_index("ix_referral_code_code_suffix", ["code_suffix"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for name, column in PATTERN_INDEXES.items():
            op.drop_index(name, table_name="patient")
            op.create_index(
                name, "patient", [column], postgresql_ops={column: "varchar_pattern_ops"}
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, column in PATTERN_INDEXES.items():
            op.drop_index(name, table_name="patient")
            op.create_index(name, "patient", [column])
    with op.batch_alter_table("referral_code", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_code_code_suffix")
        batch_op.drop_column("code_suffix")
