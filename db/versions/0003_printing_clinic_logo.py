"""printing: the clinic's logo for posters and cards

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_logo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_clinic_logo_single_row")),
        sa.CheckConstraint(
            "format IN ('png', 'jpeg', 'svg')", name=op.f("ck_clinic_logo_format_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_logo")),
    )


def downgrade() -> None:
    op.drop_table("clinic_logo")
