"""check-in search: code suffix column, covering search indexes, prefix-friendly on PostgreSQL

Typing just the last four symbols of a code ("K7QD") finds it through an indexed
``referral_code.code_suffix``; a patient's codes are found by ``patient_id``. The name
searches are answered from partial (live patients only), covering indexes. On PostgreSQL
the name, surname, reversed-phone and email search indexes are rebuilt with
``varchar_pattern_ops`` so ``LIKE 'prefix%'`` uses them whatever the server's collation
(SQLite searches those columns with ranges instead).

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

LIVE = "erased_at IS NULL"
PATTERN = "varchar_pattern_ops"
# name → (columns, the columns searched by prefix, which need pattern ops on PostgreSQL)
SEARCH_INDEXES: dict[str, tuple[list[str], list[str]]] = {
    "ix_patient_live_name": (["name_norm"], ["name_norm"]),
    "ix_patient_live_last_name": (["last_norm", "name_norm"], ["last_norm", "name_norm"]),
    "ix_patient_live_first_key_last": (
        ["first_key", "last_norm", "name_norm"],
        ["last_norm", "name_norm"],
    ),
    "ix_patient_live_keys": (["last_key", "first_key", "name_norm"], ["name_norm"]),
}
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
        batch_op.create_index("ix_referral_code_patient_id", ["patient_id"], unique=False)
    # The sound-alike keys are searched only through the composite indexes below.
    op.drop_index("ix_patient_first_key", table_name="patient")
    op.drop_index("ix_patient_last_key", table_name="patient")
    for name, (columns, prefixed) in SEARCH_INDEXES.items():
        op.create_index(
            name,
            "patient",
            columns,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
            postgresql_ops={column: PATTERN for column in prefixed},
        )
    if op.get_bind().dialect.name == "postgresql":
        for name, column in PATTERN_INDEXES.items():
            op.drop_index(name, table_name="patient")
            op.create_index(name, "patient", [column], postgresql_ops={column: PATTERN})


def downgrade() -> None:
    for name in SEARCH_INDEXES:
        op.drop_index(name, table_name="patient")
    op.create_index("ix_patient_first_key", "patient", ["first_key"])
    op.create_index("ix_patient_last_key", "patient", ["last_key"])
    if op.get_bind().dialect.name == "postgresql":
        for name, column in PATTERN_INDEXES.items():
            op.drop_index(name, table_name="patient")
            op.create_index(name, "patient", [column])
    with op.batch_alter_table("referral_code", schema=None) as batch_op:
        batch_op.drop_index("ix_referral_code_patient_id")
        batch_op.drop_index("ix_referral_code_code_suffix")
        batch_op.drop_column("code_suffix")
