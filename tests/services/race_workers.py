"""Code run in separate OS processes by the race tests (spawned: importable, top level)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.records.context import ServiceContext
from frontdesk.store.engine import open_database
from tests.services.desk import Desk

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


def check_in(url: str, patient_id: int, barrier: Any, results: Any) -> None:
    """One desk checking the referred friend in, released at the same instant as the other."""
    db = open_database(url)
    services = build_services(ServiceContext(db=db, clock=FixedClock(NOW)))
    desk = Desk(services)
    barrier.wait(timeout=30)
    try:
        # The real check-in, as a second desk would run it (not refused as a double press).
        result = services.checkin.check_in(
            desk.actor, patient_id, "Initial assessment", allow_repeat=True
        )
        results.put(("ok", [n for n in result.notes if "credit" in n]))
    except Exception as error:  # reported to the test, which fails on anything unexpected
        results.put(("error", repr(error)))
    finally:
        db.dispose()


def crash_mid_check_in(url: str, patient_id: int) -> None:
    """Issue the rewards inside the check-in transaction, then lose power before COMMIT."""
    db = open_database(url)
    services = build_services(ServiceContext(db=db, clock=FixedClock(NOW)))
    desk = Desk(services)
    original = services.effects.visit_attended

    def then_die(event: Any) -> list[str]:
        original(event)
        event.session.flush()  # the rows are written, the transaction is not committed
        os._exit(9)

    object.__setattr__(services.effects, "visit_attended", then_die)
    desk.attend(patient_id)
