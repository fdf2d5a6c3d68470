"""Audit entries, written in the same transaction as the change they describe."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.services.records.context import Actor
from frontdesk.store.models import AuditEvent


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    at: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            staff_id=actor.staff_id,
            actor_name=actor.audit_name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before_json=json.dumps(before, default=str) if before is not None else None,
            after_json=json.dumps(after, default=str) if after is not None else None,
            reason=reason,
        )
    )
