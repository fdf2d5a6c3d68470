"""Settings change all together or not at all, owner only, and every change is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.domain.errors import InvalidInputError, PermissionDeniedError
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import RECEPTIONIST, SOLE_OWNER, Actor
from frontdesk.store.models import AuditEvent


def test_several_settings_are_saved_together_and_audited(services: Services) -> None:
    saved = services.clinic.set_settings(
        SOLE_OWNER, {"clinic.name": "Harbour Physio & Sports", "sms.quiet_start": "21:00"}
    )
    assert saved == {"clinic.name": "Harbour Physio & Sports", "sms.quiet_start": "21:00"}
    values = services.clinic.get_settings()
    assert values["clinic.name"] == "Harbour Physio & Sports"
    assert values["sms.quiet_start"] == "21:00"
    with services.ctx.db.read() as session:
        audits = session.scalars(
            select(AuditEvent.before_json).where(AuditEvent.action == "setting.set")
        ).all()
    assert '{"clinic.name": "Harbour Physio"}' in audits
    assert '{"sms.quiet_start": "20:00"}' in audits


def test_one_bad_value_saves_nothing(services: Services) -> None:
    with pytest.raises(InvalidInputError, match="time like 20:00"):
        services.clinic.set_settings(
            SOLE_OWNER, {"clinic.name": "Renamed", "sms.quiet_start": "25:00"}
        )
    assert services.clinic.get_settings("clinic.name") == {"clinic.name": "Harbour Physio"}


def test_a_receptionist_cannot_change_settings(services: Services) -> None:
    desk = Actor(name="Anna", role=RECEPTIONIST, staff_id=None)
    with pytest.raises(PermissionDeniedError, match="Only an owner"):
        services.clinic.set_settings(desk, {"sms.quiet_start": "21:00"})
    assert services.clinic.get_settings("sms.quiet_start") == {"sms.quiet_start": "20:00"}
