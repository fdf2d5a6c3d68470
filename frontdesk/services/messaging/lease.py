"""One desk at a time drains the outbox: a lease row in ``sync_state``.

The holder is ``host/pid/token``. A lease runs out after a while (a desk that lost power
holds it no longer than that), and a lease held by a process on this same computer that no
longer exists is taken over at once, so a crashed app restarts sending straight away.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.store.models import SyncState

DRAIN = "outbox_drain"


def new_holder_id() -> str:
    return f"{socket.gethostname()[:40]}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def _holder_alive(holder: str) -> bool:
    host, _, rest = holder.partition("/")
    pid_text = rest.partition("/")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return True  # another computer: trust the expiry time
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(session: Session, holder: str, now: datetime, ttl: timedelta) -> str | None:
    """Take or renew the drain lease; returns the other holder's id when it is busy."""
    row = session.scalar(select(SyncState).where(SyncState.name == DRAIN).with_for_update())
    if row is None:
        session.add(SyncState(name=DRAIN, holder=holder, expires_at=now + ttl, updated_at=now))
        session.flush()
        return None
    busy = (
        row.holder is not None
        and row.holder != holder
        and row.expires_at is not None
        and row.expires_at > now
        and _holder_alive(row.holder)
    )
    if busy:
        return row.holder
    row.holder, row.expires_at, row.updated_at = holder, now + ttl, now
    return None


def release(session: Session, holder: str, now: datetime) -> None:
    row = session.scalar(select(SyncState).where(SyncState.name == DRAIN).with_for_update())
    if row is not None and row.holder == holder:
        row.holder, row.expires_at, row.updated_at = None, None, now


def describe_holder(holder: str) -> str:
    return holder.partition("/")[0] or "another desk"
