"""Replies: STOP honoured before the next send, START, ratings feeding ask rules, the inbox.
Ask rules at check-in (events built by hand until the check-in service lands) and on schedule."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.asks import on_visit_attended
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.services.records.effects import VisitAttended
from frontdesk.store.models import ConsentEvent, InboundMessage, OutboxMessage, SyncState, Visit
from tests.sms.conftest import CLINIC_NUMBER, AddPatient, engine, patient
from tests.sms.helpers import message, queue
from tests.sms.twilio_server import TwilioTestServer


def test_stop_is_honoured_before_the_next_send(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    pid = add_patient("Sarah", "+447911123200")
    queued = queue(sms, pid)
    twilio.inbound("+447911123200", CLINIC_NUMBER, "  Stop 🙏 ", clock.now())
    report = engine(sms).run_once()
    assert (report.replies, report.sent) == (1, 0)
    assert twilio.state.outbound() == []
    row = message(sms, queued.message_id or 0)
    assert row.status == "cancelled" and "opted out" in (row.error_text or "")
    assert patient(sms, pid).opted_out_at is not None
    with sms.ctx.db.read() as session:
        events = session.scalars(select(ConsentEvent.kind).where(ConsentEvent.patient_id == pid))
        assert list(events) == ["opted_out"]
    assert queue(sms, pid).reason == "opted out of texts"
    assert sms.messages.inbox() == []  # nothing for the desk to do

    clock.advance(timedelta(minutes=5))
    twilio.inbound("+447911123200", CLINIC_NUMBER, "START", clock.now())
    engine(sms).run_once()
    assert patient(sms, pid).opted_out_at is None
    assert queue(sms, pid).message_id is not None


def test_replies_are_stored_once_however_often_they_are_polled(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    add_patient("Sarah", "+447911123201")
    twilio.inbound("+447911123201", CLINIC_NUMBER, "My sister Anna wants to book", clock.now())
    twilio.inbound("+447911123999", "+447911123002", "for another number", clock.now())
    assert engine(sms).run_once().replies == 1
    clock.advance(timedelta(minutes=10))
    assert engine(sms).run_once().replies == 0  # the overlapping window re-reads, SID dedupes
    with sms.ctx.db.read() as session:
        assert session.scalar(select(InboundMessage.body)) == "My sister Anna wants to book"
        cursor = session.get(SyncState, "inbound_cursor")
        assert cursor is not None and cursor.value
    listed = [r for r in twilio.state.requests if r[0] == "GET" and "To" in r[2]]
    assert listed[-1][2]["To"] == CLINIC_NUMBER and "DateSent>" in listed[-1][2]


def test_replies_come_from_every_page(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    add_patient("Sarah", "+447911123202")
    for i in range(230):  # three pages of 100
        twilio.inbound(
            "+447911123202", CLINIC_NUMBER, f"note {i}", clock.now() - timedelta(seconds=i)
        )
    assert engine(sms).run_once().replies == 230
    assert len(sms.messages.inbox()) == 230


def test_words_go_to_the_inbox_with_context_and_become_an_introduction(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    pid = add_patient("Sarah", "+447911123203")
    queue(sms, pid)
    engine(sms).run_once()
    clock.advance(timedelta(hours=1))
    twilio.inbound("+447911123203", CLINIC_NUMBER, "my sister Anna wants to book", clock.now())
    engine(sms).run_once()
    [item] = sms.messages.inbox()
    assert item.patient_id == pid and item.patient_name == "Sarah Connolly"
    assert item.answers and item.answers.startswith("Thank you Sarah")
    assert sms.status.desk_status().unhandled_replies == 1
    referral_id = sms.messages.create_introduction(SOLE_OWNER, item.id, "Anna", "07911 123456")
    assert referral_id
    assert sms.messages.inbox() == []
    assert sms.status.desk_status().unhandled_replies == 0


def test_a_good_rating_leads_to_a_referral_ask_and_a_low_one_to_the_desk(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    happy, unhappy = add_patient("Sarah", "+447911123204"), add_patient("Tom", "+447911123205")
    for pid in (happy, unhappy):
        queue(sms, pid, "soft_checkin", marketing=True)
    engine(sms).run_once()
    clock.advance(timedelta(days=1))
    twilio.inbound("+447911123204", CLINIC_NUMBER, "5 👍", clock.now())
    twilio.inbound("+447911123205", CLINIC_NUMBER, "2", clock.now())
    engine(sms).run_once()
    asks = [m for m in twilio.state.outbound() if "code" in m.body]
    assert [m.to for m in asks] == ["+447911123204"]
    [decision] = sms.asks.decisions(happy)
    assert decision.asked and decision.describe().startswith("asked: referral ask after a check-in")
    [low] = sms.messages.inbox()
    assert (low.patient_id, low.rating) == (unhappy, 2)


def _visit(
    sms: Services, pid: int, visit_type: str = "Follow-up", happy: bool = False
) -> list[str]:
    now = sms.ctx.clock.now()
    with sms.ctx.db.begin() as session:
        visit = Visit(
            patient_id=pid,
            visit_type=visit_type,
            status="attended",
            at=now,
            happy=happy,
            created_at=now,
        )
        session.add(visit)
        session.flush()
        event = VisitAttended(session, now, SOLE_OWNER, pid, visit.id, visit_type, happy, False)
        return list(on_visit_attended(event))


def test_the_fourth_attended_visit_triggers_a_referral_ask(
    sms: Services, add_patient: AddPatient, clock: FixedClock
) -> None:
    pid = add_patient("Sarah")
    for _ in range(3):
        assert _visit(sms, pid) == []
        clock.advance(timedelta(days=7))
    notes = _visit(sms, pid)
    assert notes == ["A referral ask to Sarah is in the outbox."]
    with sms.ctx.db.read() as session:
        body = session.scalar(
            select(OutboxMessage.body).where(OutboxMessage.kind == "referral_ask")
        )
    assert body and "Reply STOP to opt out." in body and "Harbour Physio" in body


def test_a_happy_visit_soon_after_an_ask_is_not_asked_and_says_why(
    sms: Services, add_patient: AddPatient, clock: FixedClock
) -> None:
    pid = add_patient("Sarah")
    assert _visit(sms, pid, happy=True) == ["A referral ask to Sarah is in the outbox."]
    clock.advance(timedelta(days=12))
    notes = _visit(sms, pid, happy=True)
    assert notes == ["No referral ask to Sarah: asked 12 days ago (minimum gap 60 days)."]
    latest = sms.asks.decisions(pid)[0]
    assert latest.describe().startswith("not asked: asked 12 days ago")


def test_no_consent_no_ask(sms: Services, add_patient: AddPatient) -> None:
    pid = add_patient("Sarah", consent=False)
    assert _visit(sms, pid, happy=True) == ["No referral ask to Sarah: no SMS consent."]


def test_a_days_after_rule_is_applied_by_the_sync_once(
    sms: Services, add_patient: AddPatient, clock: FixedClock, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah")
    assert _visit(sms, pid, "Initial assessment") == []  # physio: check-in text 2 days later
    clock.advance(timedelta(days=1))
    assert engine(sms).run_once().asks == 0
    clock.advance(timedelta(days=1, hours=1))
    report = engine(sms).run_once()
    assert report.asks == 1 and report.sent == 1
    assert "Reply 1-5" in twilio.sent_bodies()[0]
    assert engine(sms).run_once().asks == 0


def test_the_whole_path_from_check_in_to_a_text_on_the_phone(
    sms: Services, add_patient: AddPatient, clock: FixedClock, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah", "+447911123210")
    for _ in range(3):
        result = sms.checkin.check_in(SOLE_OWNER, pid, "Follow-up")
        assert not any("referral ask" in note for note in result.notes)
        clock.advance(timedelta(days=7))
    fourth = sms.checkin.check_in(SOLE_OWNER, pid, "Follow-up")
    assert "A referral ask to Sarah is in the outbox." in fourth.notes
    assert engine(sms).run_once().sent == 1
    [ask] = twilio.sent_bodies("+447911123210")
    assert "Give them your code SARAH-" in ask and ask.endswith("Reply STOP to opt out.")
    clock.advance(timedelta(days=1))
    happy = sms.checkin.check_in(SOLE_OWNER, pid, "Follow-up", happy=True)
    assert "No referral ask to Sarah: asked yesterday (minimum gap 60 days)." in happy.notes
