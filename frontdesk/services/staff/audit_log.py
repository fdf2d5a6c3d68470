"""Reading the audit log (owner only): who changed what, when, before → after and why."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from frontdesk.domain.csv_safety import safe_cell
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.staff.dto import AuditEntry
from frontdesk.store.models import AuditEvent, Referral, Reward, Visit

PAGE = 500
EXPORT_LIMIT = 1_000_000


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    until: datetime | None = None
    staff: str | None = None  # matches the name the entry was written under
    patient_id: int | None = None  # entries about the patient, their visits, referrals, rewards
    kind: str | None = None  # an action ("reward.issue") or its family ("reward")


def _about_patient(patient_id: int) -> ColumnElement[bool]:
    referrals = select(Referral.id).where(
        or_(Referral.referrer_id == patient_id, Referral.referee_id == patient_id)
    )
    return or_(
        and_(AuditEvent.entity == "patient", AuditEvent.entity_id == patient_id),
        and_(
            AuditEvent.entity == "visit",
            AuditEvent.entity_id.in_(select(Visit.id).where(Visit.patient_id == patient_id)),
        ),
        and_(AuditEvent.entity == "referral", AuditEvent.entity_id.in_(referrals)),
        and_(
            AuditEvent.entity == "reward",
            AuditEvent.entity_id.in_(select(Reward.id).where(Reward.patient_id == patient_id)),
        ),
    )


class AuditLogService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list(
        self, actor: Actor, where: AuditFilter = AuditFilter(), limit: int = PAGE
    ) -> tuple[AuditEntry, ...]:
        """Newest first, at most ``limit`` entries."""
        actor.require_owner("read the audit log")
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        if where.since is not None:
            query = query.where(AuditEvent.at >= where.since)
        if where.until is not None:
            query = query.where(AuditEvent.at < where.until)
        if where.staff:
            name = where.staff.strip()
            # An owner who stepped in is written "Sam (for Anna)": both names find it.
            query = query.where(
                or_(
                    AuditEvent.actor_name == name,
                    AuditEvent.actor_name.like(f"{name} (for %"),
                    AuditEvent.actor_name.like(f"% (for {name})"),
                )
            )
        if where.kind:
            query = query.where(
                or_(AuditEvent.action == where.kind, AuditEvent.action.like(f"{where.kind}.%"))
            )
        if where.patient_id is not None:
            query = query.where(_about_patient(where.patient_id))
        with self._ctx.db.read() as session:
            return tuple(
                AuditEntry(
                    id=e.id,
                    at=e.at,
                    who=e.actor_name,
                    action=e.action,
                    entity=e.entity,
                    entity_id=e.entity_id,
                    before=e.before_json,
                    after=e.after_json,
                    reason=e.reason,
                )
                for e in session.scalars(query.limit(limit))
            )

    def export_csv(self, actor: Actor, where: AuditFilter, out: Path | str) -> int:
        """The entries ``where`` picks, as a CSV defused against spreadsheet formulas
        (a name or reason typed as ``=HYPERLINK(…)`` stays text). Returns the row count."""
        entries = self.list(actor, where, limit=EXPORT_LIMIT)
        target = Path(out)
        with target.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["at", "who", "action", "entity", "entity_id", "before", "after", "reason"]
            )
            for e in entries:
                writer.writerow(
                    safe_cell(value)
                    for value in (
                        e.at.isoformat(),
                        e.who,
                        e.action,
                        e.entity,
                        e.entity_id,
                        e.before,
                        e.after,
                        e.reason,
                    )
                )
        return len(entries)

    def kinds(self) -> tuple[str, ...]:
        """The families of change on file (for the screen's filter)."""
        with self._ctx.db.read() as session:
            actions = session.scalars(select(AuditEvent.action).distinct())
            return tuple(sorted({a.split(".")[0] for a in actions}))
