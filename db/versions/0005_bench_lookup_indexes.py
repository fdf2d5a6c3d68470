"""bench: indexes the search box can walk at a million patients

Revision ID: 0005_bench
Revises: 0004
Create Date: 2026-11-25 14:00:00

- (first_key, last_norm) replaces (first_key) and (last_key, first_key) replaces (last_key):
  a sound-alike first name with the last name's beginning, or a sound-alike full name, is
  one index seek instead of thousands of row visits; each still serves its key alone.
- referral_code(patient_id): SQLite only uses the partial "one active code" index when a
  query says exactly ``WHERE active``; SQLAlchemy renders ``active = 1``, so every "this
  patient's code" read scanned all codes (240 ms a search at a million patients).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_bench"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_patient_first_key", table_name="patient")
    op.drop_index("ix_patient_last_key", table_name="patient")
    op.create_index("ix_patient_first_key_last_norm", "patient", ["first_key", "last_norm"])
    op.create_index("ix_patient_last_key_first_key", "patient", ["last_key", "first_key"])
    op.create_index("ix_referral_code_patient_id", "referral_code", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_code_patient_id", table_name="referral_code")
    op.drop_index("ix_patient_last_key_first_key", table_name="patient")
    op.drop_index("ix_patient_first_key_last_norm", table_name="patient")
    op.create_index("ix_patient_last_key", "patient", ["last_key"])
    op.create_index("ix_patient_first_key", "patient", ["first_key"])
