"""Which tables a unit of work wrote, so a service can say what changed without guessing.

Every flush (new, changed and deleted rows) and every bulk ``insert``/``update``/``delete``
run through the session adds its table names to ``session.info``; a service reads them at
the end of its transaction (``services/records/changes.py`` turns them into topics).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

_KEY = "frontdesk.written_tables"


def track_writes(factory: sessionmaker[Session]) -> None:
    """Record the tables each session of ``factory`` writes."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "after_rollback", _forget)


def written_tables(session: Session) -> frozenset[str]:
    """The tables this session has written so far (pending ORM changes are flushed first)."""
    session.flush()
    return frozenset(session.info.get(_KEY, ()))


def _note(session: Session, name: str) -> None:
    session.info.setdefault(_KEY, set()).add(name)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is not None and (obj in session.new or session.is_modified(obj)):
            _note(session, table.name)


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table: Any = getattr(state.statement, "table", None)
    if isinstance(table, Table):
        _note(state.session, table.name)


def _forget(session: Session) -> None:
    # A rolled-back unit of work changed nothing.
    session.info.pop(_KEY, None)
