"""What a unit of work wrote, as the topics the desk shows (``domain/changes.py``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontdesk.domain.changes import Changes, topics_of_tables
from frontdesk.store.written import written_tables


def written(session: Session) -> Changes:
    """What this unit of work has written so far; call it as the result is built."""
    return topics_of_tables(written_tables(session))
