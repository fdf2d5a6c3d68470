"""The Messages screen: table models, the template editor's live preview, the inbox, and a
GUI that stays responsive while the background sync works through 10,000 queued texts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select

from frontdesk.domain.clock import SystemClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.messaging.messages import InboxRow, OutboxRow
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.sms.credentials import CredentialStore
from frontdesk.sms.twilio_gateway import TwilioGateway
from frontdesk.store.models import InboundMessage, OutboxMessage, Referral
from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.screens.messages.models import InboxModel, OutboxModel
from frontdesk.ui.screens.messages.screen import MessagesScreen
from frontdesk.ui.sync_worker import SyncWorker
from frontdesk.ui.tasks import TaskRunner
from tests.keyrings import MemoryKeyring
from tests.sms.conftest import CLINIC_NUMBER, CREDENTIALS
from tests.sms.twilio_server import TwilioTestServer

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


@pytest.fixture
def server() -> TwilioTestServer:
    started = TwilioTestServer().start()
    yield started  # type: ignore[misc]
    started.stop()


@pytest.fixture
def services(sqlite_db, server: TwilioTestServer) -> Services:  # type: ignore[no-untyped-def]
    store = CredentialStore(MemoryKeyring())
    store.save(CREDENTIALS)
    built = build_services(
        ServiceContext(db=sqlite_db, clock=SystemClock()),
        credentials=store,
        gateway_factory=lambda c: TwilioGateway(c, api_url=server.url, timeout=5.0),
    )
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    built.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", CLINIC_NUMBER)
    built.clinic.set_setting(SOLE_OWNER, "sms.segments_per_second", "100")
    built.clinic.set_setting(SOLE_OWNER, "sms.quiet_end", "20:00")  # no quiet hours
    return built


def _outbox_row(i: int, status: str = "pending") -> OutboxRow:
    return OutboxRow(
        i,
        None,
        "Sarah Lee",
        "+44 ••• ••• •456",
        "reminder",
        "Reminder",
        status,
        "Waiting to send",
        "Hi",
        1,
        "GSM-7",
        0,
        NOW,
        NOW,
        None,
        None,
    )


def _inbox_row(i: int) -> InboxRow:
    return InboxRow(
        i,
        1,
        "Sarah Lee",
        "+44 ••• ••• •456",
        "My sister Anna wants to book",
        NOW,
        "text",
        None,
        None,
        "Thanks for visiting",
        NOW,
        None,
    )


def test_models_pass_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    outbox = OutboxModel("Europe/London")
    outbox.set_rows([_outbox_row(1), _outbox_row(2, "failed")])
    qtmodeltester.check(outbox)
    inbox = InboxModel("Europe/London")
    inbox.set_rows([_inbox_row(1), _inbox_row(2)])
    qtmodeltester.check(inbox)


@pytest.fixture
def screen(services: Services, qtbot: QtBot) -> MessagesScreen:
    create_application([])
    events = AppEvents()
    tasks = TaskRunner(events=events)
    widget = MessagesScreen(services, tasks, events, SOLE_OWNER, None, timezone="Europe/London")
    tasks.setParent(widget)
    events.setParent(widget)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_template_editor_live_preview_and_refusal(
    screen: MessagesScreen, services: Services, qtbot: QtBot
) -> None:
    tab = screen.templates
    screen.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.kinds.count() == 8, timeout=5000)
    tab.kinds.setCurrentRow(0)  # referral ask
    assert "sample values" in tab.caption.text()  # no patient on file yet
    qtbot.waitUntil(lambda: "{code}" in tab.editor.toPlainText(), timeout=5000)
    assert "GSM-7" in tab.counter.text()
    assert not tab.save_button.isEnabled()  # nothing changed yet

    tab.editor.setPlainText("Hi {first_name}! Your code is {code} 😊")
    assert "UCS-2 because of 😊" in tab.counter.text()
    assert tab.preview.text().startswith("Hi Sarah! Your code is SARAH-K7QD 😊")
    assert tab.preview.text().endswith("Reply STOP to opt out.")
    assert tab.cost.text().startswith("About £0.04")
    assert tab.save_button.isEnabled() and tab.error.text() == ""

    tab.editor.setPlainText("Hi {frist_name}")
    assert "Unknown placeholder {frist_name}" in tab.error.text()
    assert not tab.save_button.isEnabled()

    tab.editor.setPlainText("Hi {first_name}, thanks! Share your code {code} with a friend.")
    assert tab.save_button.isEnabled(), tab.error.text()
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.saved.text() == "Saved." or bool(tab.error.text()), timeout=10_000)
    assert tab.error.text() == ""
    assert tab.saved.text() == "Saved."
    qtbot.waitUntil(lambda: "✎" in tab.kinds.item(0).text(), timeout=10_000)  # list refreshed
    assert tab.saved.text() == "Saved."  # and the confirmation stays
    saved = {t.kind: t for t in services.templates.list()}["referral_ask"]
    assert saved.customised and saved.body.startswith("Hi {first_name}, thanks!")


def test_template_preview_is_a_real_patient_and_a_draft_survives_picking_another_kind(
    services: Services, qtbot: QtBot
) -> None:
    form = NewPatientForm("Wei", "Chen", "+447911123456", None, sms_consent=True)
    services.patients.add(SOLE_OWNER, form)
    events = AppEvents()
    tasks = TaskRunner(events=events)
    widget = MessagesScreen(services, tasks, events, SOLE_OWNER, None, timezone="Europe/London")
    tasks.setParent(widget)
    events.setParent(widget)
    qtbot.addWidget(widget)
    tab = widget.templates
    qtbot.waitUntil(lambda: tab.kinds.count() == 8, timeout=5000)
    tab.kinds.setCurrentRow(0)  # referral ask
    qtbot.waitUntil(lambda: "{code}" in tab.editor.toPlainText(), timeout=5000)
    assert tab.caption.text() == "What Wei Chen (a recent patient) would receive"
    assert tab.preview.text().startswith("Hi Wei, ")
    assert "£10.00 credit" in tab.preview.text() and "£20.00 credit" in tab.preview.text()

    offered = [tab.insert.itemData(i) for i in range(1, tab.insert.count())]
    assert "code" in offered and "friend_name" not in offered  # an ask has no friend
    tab.editor.setPlainText("Hi {first_name}, pass on {code} please.")
    tab.kinds.setCurrentRow(1)  # another kind: the edit is kept as a draft, not dropped
    assert "unsaved" in tab.kinds.item(0).text() and tab.has_unsaved_edits()
    tab.kinds.setCurrentRow(0)
    assert tab.editor.toPlainText() == "Hi {first_name}, pass on {code} please."
    assert tab.save_button.isEnabled()
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.saved.text() == "Saved.", timeout=10_000)
    qtbot.waitUntil(lambda: "✎" in tab.kinds.item(0).text(), timeout=10_000)
    assert not tab.has_unsaved_edits()


def test_inbox_mark_handled(screen: MessagesScreen, services: Services, qtbot: QtBot) -> None:
    with services.ctx.db.begin() as session:
        session.add(
            InboundMessage(
                provider_sid="SM" + "1" * 32,
                from_phone="+447911123456",
                to_phone=CLINIC_NUMBER,
                body="Can I move my booking?",
                received_at=NOW,
                intent="text",
            )
        )
    tab = screen.inbox
    screen.refresh()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    assert "Can I move my booking?" in tab.detail.text()
    assert "not on file" in tab.detail.text()
    assert not tab.intro_button.isEnabled()  # no patient to attach a friend to
    tab.handled_button.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=5000)


def _queue_many(services: Services, count: int) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)
    rows = [
        {
            "to_phone": f"+4479111{i:05d}",
            "kind": "reminder",
            "body": f"Reminder {i}",
            "segments": 1,
            "encoding": "GSM-7",
            "marketing": False,
            "status": "pending",
            "not_before": now,
            "next_attempt_at": now,
            "attempts": 0,
            "in_doubt": False,
            "created_at": now,
        }
        for i in range(count)
    ]
    with services.ctx.db.begin() as session:
        session.execute(insert(OutboxMessage), rows)


def test_gui_stays_responsive_while_10000_messages_sync(
    services: Services, server: TwilioTestServer, qtbot: QtBot
) -> None:
    create_application([])
    _queue_many(services, 10_000)
    events = AppEvents()
    worker = SyncWorker(services.sms.sync_once, events, interval_ms=3_600_000)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    progress: list[int] = []
    worker.progress.connect(progress.append)
    reports: list[object] = []
    worker.finished.connect(reports.append)

    timer.start()
    assert worker.sync_now()
    assert not worker.sync_now()  # one sync at a time
    qtbot.waitUntil(lambda: len(server.state.outbound()) >= 150, timeout=60_000)
    started = time.monotonic()
    while time.monotonic() - started < 3:  # three seconds of a busy sync
        QApplication.processEvents()
        time.sleep(0.001)
    worker.stop()
    qtbot.waitUntil(lambda: bool(reports), timeout=30_000)
    timer.stop()
    worker.shutdown()

    def sent_now() -> int:
        return len(server.state.outbound())

    window = [t for t in ticks if t >= started]
    gaps = [b - a for a, b in pairwise(window)]
    assert len(window) > 100  # the GUI thread kept ticking…
    assert max(gaps) < 0.25, f"the GUI froze for {max(gaps):.3f} s"  # …without a freeze
    assert progress and progress[-1] >= 150
    print(f"GUI max gap {max(gaps) * 1000:.0f} ms over {len(window)} ticks; sent {sent_now()}")
    sent = len(server.state.outbound())
    assert reports[0].sent == sent and reports[0].waiting == 10_000 - sent  # type: ignore[attr-defined]
    assert len({m.body for m in server.state.outbound()}) == sent  # none twice


def test_the_worker_syncs_when_the_connection_returns_and_off_the_gui_thread(qtbot: QtBot) -> None:
    import threading

    create_application([])
    events = AppEvents()
    threads: list[str] = []

    def run(**_options: object) -> object:
        threads.append(threading.current_thread().name)
        from frontdesk.services.messaging.sync import SyncReport

        return SyncReport(True, sent=1)

    worker = SyncWorker(run, events, interval_ms=3_600_000)
    finished: list[object] = []
    worker.finished.connect(finished.append)
    events.connectivity_changed.emit(False)
    qtbot.wait(100)
    assert finished == []  # going offline does not sync
    events.connectivity_changed.emit(True)
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=5000)
    assert threads and threads[0] != threading.main_thread().name
    worker.shutdown()


def test_ask_rules_changed_in_the_gui_change_who_is_asked(
    screen: MessagesScreen, services: Services, qtbot: QtBot
) -> None:
    def add(first: str, phone: str) -> int:
        form = NewPatientForm(first, "Chen", phone, None, sms_consent=True)
        return services.patients.add(SOLE_OWNER, form).patient.id

    wei = add("Wei", "+447911123461")
    services.checkin.check_in(SOLE_OWNER, wei, "Initial assessment")
    tab = screen.ask_rules
    screen.tabs.setCurrentWidget(tab)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.visit_type.count() == 5, timeout=5000)  # any + physio's four
    qtbot.waitUntil(lambda: tab.rules.count() == 4, timeout=5000)
    assert "60 days between asks" in tab.guardrails.text()
    assert "at most 3 asks" in tab.guardrails.text()

    def upcoming() -> list[str]:
        return [tab.upcoming.item(i).text() for i in range(tab.upcoming.count())]

    # Wei's initial assessment: physio's soft check-in two days later.
    qtbot.waitUntil(
        lambda: any("Wei Chen · check-in · would be texted" in x for x in upcoming()), timeout=5000
    )

    tab.visit_type.setCurrentIndex(tab.visit_type.findData("Follow-up"))
    tab.action.setCurrentIndex(tab.action.findData("ask"))
    tab.when.setCurrentIndex(tab.when.findData("visit"))
    tab.number.setValue(1)
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.message.text().startswith("Saved"), timeout=10_000)
    qtbot.waitUntil(lambda: tab.rules.count() == 5, timeout=5000)

    tom = add("Tom", "+447911123462")
    services.checkin.check_in(SOLE_OWNER, tom, "Follow-up")
    (decision,) = services.asks.decisions(tom)
    assert decision.asked
    assert decision.rule == "referral ask after the 1st attended visit (a Follow-up visit)"

    follow_up = next(
        tab.rules.item(i)
        for i in range(tab.rules.count())
        if "Follow-up" in tab.rules.item(i).text()
    )
    tab.rules.setCurrentItem(follow_up)
    tab.remove_button.click()
    qtbot.waitUntil(lambda: tab.message.text().startswith("Removed"), timeout=10_000)
    qtbot.waitUntil(lambda: tab.rules.count() == 4, timeout=5000)
    mia = add("Mia", "+447911123463")
    services.checkin.check_in(SOLE_OWNER, mia, "Follow-up")
    assert services.asks.decisions(mia) == []


def test_create_introduction_says_what_it_created_and_opens_the_card(
    screen: MessagesScreen, services: Services, qtbot: QtBot
) -> None:
    form = NewPatientForm("Sarah", "Connolly", "+447911123471", None, sms_consent=True)
    sarah = services.patients.add(SOLE_OWNER, form).patient.id
    with services.ctx.db.begin() as session:
        session.add(
            InboundMessage(
                provider_sid="SM" + "2" * 32,
                from_phone="+447911123471",
                to_phone=CLINIC_NUMBER,
                body="My sister Anna wants to book",
                received_at=NOW,
                patient_id=sarah,
                intent="text",
            )
        )
    tab = screen.inbox
    screen.refresh()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    row = tab.selected()
    assert row is not None and tab.intro_button.isEnabled()
    with qtbot.waitSignal(screen.inbox._events.patient_opened, timeout=10_000) as opened:
        tab.introduce(row, "Anna  Connolly", None)
    assert opened.args == [sarah]
    assert tab.confirmation.text().startswith("Introduced Anna Connolly as Sarah Connolly's friend")
    with services.ctx.db.read() as session:
        intro = session.scalar(select(Referral).where(Referral.referrer_id == sarah))
        assert intro is not None and intro.prospect_name == "Anna Connolly"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=5000)  # handled
