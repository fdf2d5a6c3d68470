"""Alembic environment: the app hands over a live connection; SQLite renders as batch."""

from __future__ import annotations

from alembic import context

from frontdesk.store import models  # noqa: F401  (registers every table on the metadata)
from frontdesk.store.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through frontdesk.store.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
