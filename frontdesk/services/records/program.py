"""The reward program in force, read inside any unit of work (rewards issue it, messages
quote it: both read it here so a text never promises other values than the ledger pays)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.reward_program import RewardProgram
from frontdesk.services.records.clinic import clinic_row
from frontdesk.store.models import RewardProgram as ProgramRow


@dataclass(frozen=True)
class ActiveProgram:
    id: int | None
    program: RewardProgram
    saved_at: datetime | None
    saved_by: int | None


def active_program(session: Session) -> ActiveProgram:
    row = session.scalar(select(ProgramRow).where(ProgramRow.active))
    if row is None:
        return ActiveProgram(None, RewardProgram.default(clinic_row(session).currency), None, None)
    program = RewardProgram.from_dict(json.loads(row.config_json))
    return ActiveProgram(row.id, program, row.created_at, row.created_by)
