"""The active reward program: versioned rows, the newest active one in force.

Until an owner saves a program, the clinic runs the default (£20 to the referrer, £10 to
the friend, in the clinic's currency). Each reward records the version it was issued under.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.reward_program import RewardProgram
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.services.records.program import ActiveProgram, active_program
from frontdesk.store.models import RewardProgram as ProgramRow


def save_program(
    session: Session, program: RewardProgram, actor: Actor, now: datetime
) -> ActiveProgram:
    """Store ``program`` (already validated) as the new active version."""
    current = session.scalar(select(ProgramRow).where(ProgramRow.active).with_for_update())
    before = json.loads(current.config_json) if current else None
    if current is not None:
        current.active = False
        session.flush()  # the one-active index must see the old row retired first
    row = ProgramRow(
        active=True,
        config_json=json.dumps(program.to_dict(), sort_keys=True),
        created_at=now,
        created_by=actor.staff_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "reward_program.save",
        "reward_program",
        row.id,
        at=now,
        before=before,
        after=program.to_dict(),
    )
    return ActiveProgram(row.id, program, now, actor.staff_id)


__all__ = ["ActiveProgram", "active_program", "save_program"]
