"""Every time the desk reads is on the clinic's wall clock, whatever zone the PC is set to.

A New York clinic whose PC says Tokyo: the ledger and the messages show New York times, on
both sides of the night the clocks go back (1 Nov 2026, 02:00 EDT → 01:00 EST).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.store.models import OutboxMessage
from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.messages.screen import MessagesScreen
from frontdesk.ui.screens.rewards.screen import RewardsScreen
from frontdesk.ui.tasks import TaskRunner
from tests.services.desk import Desk

NEW_YORK = "America/New_York"
BEFORE = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 12:30 EDT (UTC-4); Tokyo: 1 Nov 01:30
AFTER = datetime(2026, 11, 2, 16, 30, tzinfo=UTC)  # 11:30 EST (UTC-5); Tokyo: 3 Nov 01:30


@pytest.fixture(autouse=True)
def pc_in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PC's own zone is neither UTC nor the clinic's."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def services(sqlite_db) -> Services:  # type: ignore[no-untyped-def]
    built = build_services(ServiceContext(db=sqlite_db, clock=FixedClock(BEFORE)))
    built.clinic.init(SOLE_OWNER, name="Hudson Physio", country="US", timezone=NEW_YORK)
    built.clinic.set_setting(SOLE_OWNER, "sms.quiet_start", "20:00")
    built.clinic.set_setting(SOLE_OWNER, "sms.quiet_end", "20:00")  # no quiet hours
    return built


def _column(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_ledger_shows_the_clinics_times_across_the_clock_change(
    services: Services, qtbot: QtBot
) -> None:
    desk = Desk(services)
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    desk.refer(sarah, tom)
    desk.attend(tom)  # Sarah earns her credit on Saturday, before the change
    services.ctx.clock.set(AFTER)  # type: ignore[attr-defined]
    services.rewards.redeem(SOLE_OWNER, sarah, 500)  # and spends some on Monday, after it

    create_application([])
    tasks, events = TaskRunner(), AppEvents()
    screen = RewardsScreen(services, tasks, events, SOLE_OWNER, NEW_YORK)
    qtbot.addWidget(screen)
    screen.panel.show_patient(sarah)
    qtbot.waitUntil(lambda: screen.panel.ledger.rowCount() == 2, timeout=5000)
    assert sorted(_column(screen.panel.ledger, 0)) == ["2 Nov 2026 11:30", "31 Oct 2026 12:30"]
    assert tasks.wait(10_000)


def test_messages_show_the_clinics_times_across_the_clock_change(
    services: Services, qtbot: QtBot
) -> None:
    sarah = Desk(services).patient("Sarah", "Connolly")
    with services.ctx.db.begin() as session:
        for at in (BEFORE, AFTER):
            session.add(
                OutboxMessage(
                    patient_id=sarah,
                    to_phone="+12125550143",
                    kind="reminder",
                    body="See you soon",
                    status="pending",
                    not_before=at,
                    next_attempt_at=at,
                    created_at=at,
                )
            )
    create_application([])
    tasks, events = TaskRunner(), AppEvents()
    screen = MessagesScreen(services, tasks, events, SOLE_OWNER, None, timezone=NEW_YORK)
    tasks.setParent(screen)
    events.setParent(screen)
    qtbot.addWidget(screen)
    screen.show()
    screen.outbox.refresh()
    model = screen.outbox.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    created = sorted(_column(model, 4))
    assert created == ["2 Nov 2026 11:30", "31 Oct 2026 12:30"]
    assert sorted(_column(model, 5)) == created  # the next attempt too
    tasks.close()  # the other tabs' first loads finish before the screen goes
    assert tasks.wait(10_000)


def test_the_search_shows_the_last_visit_on_the_clinics_calendar(
    services: Services, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QWidget

    from frontdesk.ui.search import SearchBar, hit_details

    evening = datetime(2026, 11, 3, 2, 30, tzinfo=UTC)  # 2 Nov 21:30 in New York; 3 Nov in Tokyo
    services.ctx.clock.set(evening)  # type: ignore[attr-defined]
    desk = Desk(services)
    sarah = desk.patient("Sarah", "Connolly")
    desk.attend(sarah)

    create_application([])
    host = QWidget()
    qtbot.addWidget(host)
    tasks = TaskRunner()
    tasks.setParent(host)
    bar = SearchBar(services.lookup.lookup, tasks, host, host)
    bar.set_timezone(NEW_YORK)
    qtbot.keyClicks(bar.box, "Sarah")
    qtbot.waitUntil(lambda: bar.model.rowCount() == 1, timeout=5000)
    details = hit_details(bar.model.hit(0), bar.model.timezone)
    assert "last visit 2 Nov 2026" in details
    tasks.close()
