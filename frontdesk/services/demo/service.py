"""A living demo clinic: deterministic for a seed and a date, realistic enough to evaluate.

It writes plain rows in bulk in one transaction (a million patients in a few minutes) but
fills every table the way the services would, so every screen has something true to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from frontdesk.domain.errors import ConflictError, InvalidInputError
from frontdesk.domain.money import typical
from frontdesk.domain.reward_program import RewardProgram
from frontdesk.services.demo.names import VISIT_TYPES
from frontdesk.services.demo.rows import DEMO_HOLD_DAYS, TABLES, DemoRows
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.rewards.program_store import save_program
from frontdesk.store.bulk import BulkWriter, bulk_load_tuning
from frontdesk.store.models import Patient, Setting

# Bounded by the room for codes per name part (see demo_rows.NAME_PART_ROOM).
MAX_PATIENTS = 1_000_000
DEMO_SETTING = "demo.mode"


@dataclass(frozen=True)
class DemoReport:
    patients: int
    visits: int
    referrals: int
    messages: int


class DemoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def generate(self, actor: Actor, patients: int = 400, seed: int = 7) -> DemoReport:
        if not 1 <= patients <= MAX_PATIENTS:
            raise InvalidInputError(f"A demo clinic has 1 to {MAX_PATIENTS:,} patients.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session, bulk_load_tuning(session):
            clinic = clinic_row(session)
            if session.scalar(select(func.count(Patient.id))):
                raise ConflictError("This clinic already has patients; a demo needs an empty one.")
            program = replace(RewardProgram.default(clinic.currency), hold_days=DEMO_HOLD_DAYS)
            saved = save_program(session, program, actor, now)
            rows = DemoRows(
                BulkWriter(session, TABLES),
                random.Random(seed),
                now,
                clinic.country,
                clinic.currency,
                _priced(
                    VISIT_TYPES.get(clinic.clinic_type, VISIT_TYPES["physio"]), clinic.currency
                ),
                program_id=saved.id,
            )
            rows.build(patients)
            session.add(Setting(key=DEMO_SETTING, value_json="true", updated_at=now))
            audit.record(
                session,
                actor,
                "demo.generate",
                "clinic",
                1,
                at=now,
                after={"patients": patients, "seed": seed},
            )
        counts = rows.counts
        return DemoReport(patients, counts["visits"], counts["referrals"], counts["messages"])


def _priced(clinic_type: str, currency: str) -> tuple[tuple[str, int], ...]:
    """The demo's prices are written in pence; the same visits in ``currency``'s minor units."""
    kinds = VISIT_TYPES.get(clinic_type, VISIT_TYPES["physio"])
    per_pound = typical(1, currency)
    return tuple((name, pence * per_pound // 100) for name, pence in kinds)
