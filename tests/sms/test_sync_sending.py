"""Sending through the real twilio client to the local server: once, and only once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import Services
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import SyncState
from tests.sms.conftest import CLINIC_NUMBER, AddPatient, engine, patient
from tests.sms.helpers import message, queue
from tests.sms.twilio_server import TwilioTestServer


def test_a_queued_message_is_sent_once_and_its_delivery_recorded(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah", "+447911123123")
    queued = queue(sms, pid)
    assert queued.message_id is not None

    report = engine(sms).run_once()
    assert (report.sent, report.waiting, report.error) == (1, 0, None)
    assert twilio.sent_bodies("+447911123123") == [
        "Thank you Sarah! Tom has visited Harbour Physio on your recommendation: you have "
        "earned £20 credit."
    ]
    post = next(r for r in twilio.state.requests if r[0] == "POST")
    assert post[2]["From"] == CLINIC_NUMBER
    row = message(sms, queued.message_id)
    assert row.status == "sent" and row.provider_sid and row.provider_sid.startswith("SM")

    twilio.deliver_all()
    report = engine(sms).run_once()
    assert report.sent == 0 and report.statuses == 1
    row = message(sms, queued.message_id)
    assert row.status == "delivered" and row.price_minor == 4
    assert len(twilio.state.outbound()) == 1


def test_the_first_marketing_text_carries_the_opt_out_wording_and_the_next_does_not(
    sms: Services, add_patient: AddPatient, clock: FixedClock
) -> None:
    pid = add_patient("Sarah")
    first = queue(sms, pid, "soft_checkin", marketing=True)
    clock.advance(timedelta(days=1))
    second = queue(sms, pid, "soft_checkin", marketing=True)
    assert first.message_id and second.message_id
    assert message(sms, first.message_id).body.endswith("Reply STOP to opt out.")
    assert "STOP" not in message(sms, second.message_id).body


def test_a_second_marketing_text_the_same_day_is_refused_with_a_reason(
    sms: Services, add_patient: AddPatient
) -> None:
    pid = add_patient("Sarah")
    assert queue(sms, pid, "soft_checkin", marketing=True).message_id
    refused = queue(sms, pid, "referral_ask", marketing=True)
    assert refused.message_id is None
    assert refused.reason and "one a day" in refused.reason


def test_quiet_hours_hold_a_message_until_nine_clinic_time(
    sms: Services, add_patient: AddPatient, clock: FixedClock, twilio: TwilioTestServer
) -> None:
    clock.set(clock.now().replace(hour=21))  # 21:00 in London
    pid = add_patient("Sarah")
    queued = queue(sms, pid)
    assert queued.send_at is not None and queued.send_at.hour == 9
    assert engine(sms).run_once().sent == 0
    assert twilio.state.outbound() == []
    clock.set(queued.send_at)
    assert engine(sms).run_once().sent == 1


def test_segments_and_encoding_are_recorded(sms: Services, add_patient: AddPatient) -> None:
    pid = add_patient("Zoë")  # ë is not GSM-7: the whole text is UCS-2
    queued = queue(sms, pid)
    assert queued.message_id
    row = message(sms, queued.message_id)
    assert row.encoding == "UCS-2" and row.segments == 2


def test_invalid_number_fails_for_good_and_marks_the_phone_invalid(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah", "+447911123555")
    twilio.state.invalid_numbers.add("+447911123555")
    queued = queue(sms, pid)
    report = engine(sms).run_once()
    assert report.failed == 1 and report.error is None
    row = message(sms, queued.message_id or 0)
    assert (row.status, row.error_code) == ("failed", "21211")
    assert row.error_text == "This is not a valid mobile number."
    assert patient(sms, pid).phone_invalid
    assert queue(sms, pid).reason == "the mobile number on file is not valid"


def test_twilio_saying_unsubscribed_opts_the_patient_out(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah", "+447911123556")
    twilio.state.opted_out_numbers.add("+447911123556")
    queue(sms, pid)
    engine(sms).run_once()
    assert patient(sms, pid).opted_out_at is not None


def test_a_delivery_failure_is_explained(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    pid = add_patient("Sarah", "+447911123557")
    queued = queue(sms, pid)
    engine(sms).run_once()
    twilio.set_status(twilio.state.outbound()[0].sid, "undelivered", 30006)
    engine(sms).run_once()
    row = message(sms, queued.message_id or 0)
    assert row.status == "undelivered"
    assert row.error_text == "This is a landline or a number that cannot receive texts."
    assert patient(sms, pid).phone_invalid


def test_wrong_credentials_stop_the_sync_and_keep_messages_waiting(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, keyring_backend
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.sms.credentials import CredentialStore, TwilioCredentials

    CredentialStore(keyring_backend).save(TwilioCredentials("AC" + "9" * 32, "wrong" * 8))
    queued = queue(sms, add_patient("Sarah"))
    report = engine(sms).run_once()
    assert report.error and "did not accept the Account SID and token" in report.error
    row = message(sms, queued.message_id or 0)
    assert row.status == "pending" and row.attempts == 0
    assert twilio.state.outbound() == []


def test_no_credentials_means_messages_wait_calmly(
    sms: Services, add_patient: AddPatient, keyring_backend
) -> None:  # type: ignore[no-untyped-def]
    keyring_backend.entries.clear()
    queue(sms, add_patient("Sarah"))
    report = engine(sms).run_once()
    assert not report.ran and report.waiting == 1
    assert report.skipped and "not set up" in report.skipped


def test_only_one_desk_drains_at_a_time(
    sms: Services, add_patient: AddPatient, clock: FixedClock
) -> None:
    queue(sms, add_patient("Sarah"))
    with sms.ctx.db.begin() as session:
        lease = session.get(SyncState, "outbox_drain")
        assert lease is not None
        lease.holder = "reception-2/1234/abcd"
        lease.expires_at = clock.now() + timedelta(minutes=1)
    report = engine(sms).run_once()
    assert not report.ran and "reception-2" in (report.skipped or "")
    clock.advance(timedelta(minutes=2))  # the other desk's lease ran out
    assert engine(sms).run_once().sent == 1


@pytest.mark.parametrize("kind", ["status500", "drop_before"])
def test_a_failure_before_twilio_accepted_is_reconciled_then_sent_once(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock, kind: str
) -> None:
    queued = queue(sms, add_patient("Sarah"))
    twilio.fault(kind)
    report = engine(sms).run_once()
    assert report.sent == 0 and report.retrying == 1 and report.error
    row = message(sms, queued.message_id or 0)
    assert row.status == "pending" and row.in_doubt
    clock.advance(timedelta(hours=2))
    report = engine(sms).run_once()
    assert report.sent == 1 and report.reconciled == 0
    assert len(twilio.state.outbound()) == 1


@pytest.mark.parametrize("kind", ["drop_after_accept", "timeout"])
def test_a_message_twilio_accepted_without_telling_us_is_never_sent_again(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock, kind: str
) -> None:
    queued = queue(sms, add_patient("Sarah"))
    twilio.fault(kind)
    report = engine(sms).run_once()
    assert report.sent == 0 and report.error
    assert message(sms, queued.message_id or 0).in_doubt
    clock.advance(timedelta(hours=2))
    report = engine(sms).run_once()
    assert report.reconciled == 1 and report.sent == 0
    row = message(sms, queued.message_id or 0)
    assert row.status == "sent" and row.provider_sid == twilio.state.outbound()[0].sid
    assert len(twilio.state.outbound()) == 1


def test_429_waits_at_least_retry_after_and_is_not_in_doubt(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    queued = queue(sms, add_patient("Sarah"))
    twilio.fault("status429", retry_after=120)
    engine(sms).run_once()
    row = message(sms, queued.message_id or 0)
    assert row.status == "pending" and not row.in_doubt
    assert row.next_attempt_at >= clock.now() + timedelta(seconds=120)
    assert engine(sms).run_once().sent == 0  # too early
    clock.advance(timedelta(seconds=121))
    assert engine(sms).run_once().sent == 1


def test_connection_refused_keeps_everything_waiting(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    queued = queue(sms, add_patient("Sarah"))
    twilio.stop()
    report = engine(sms).run_once()
    assert report.error and "couldn't reach Twilio" in report.error
    row = message(sms, queued.message_id or 0)
    assert row.status == "pending" and not row.in_doubt and row.attempts == 1


def test_twilio_down_for_a_day_loses_nothing_and_backs_off(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    sms.clinic.set_setting(SOLE_OWNER, "sms.quiet_end", "20:00")  # no quiet hours here
    ids = [queue(sms, add_patient(f"P{i}")).message_id for i in range(3)]
    twilio.fault("status500", times=10_000)
    for _ in range(12):  # a day of syncs every two hours
        engine(sms).run_once()
        clock.advance(timedelta(hours=2))
    for message_id in ids:
        row = message(sms, message_id or 0)
        assert row.status == "pending" and row.in_doubt and row.attempts >= 2
        # Equal jitter: between half and all of 30 s × 2^(attempts-1), capped at an hour.
        full = min(timedelta(seconds=30) * 2 ** (row.attempts - 1), timedelta(hours=1))
        assert full / 2 <= row.next_attempt_at - (row.last_attempt_at or clock.now()) <= full
    posts = len([r for r in twilio.state.requests if r[0] == "POST"])
    assert posts == 12  # one try per sync: a down Twilio is not hammered
    twilio.state.faults.clear()
    engine(sms).run_once()
    assert sorted(twilio.sent_bodies()) == sorted(message(sms, i or 0).body for i in ids)
    assert all(message(sms, i or 0).status == "sent" for i in ids)


def test_two_desks_syncing_at_once_send_each_message_once(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    import threading

    ids = [queue(sms, add_patient(f"P{i}")).message_id for i in range(30)]
    reports: list[object] = []
    desks = [engine(sms, holder=f"desk-{n}/0/x") for n in range(2)]
    threads = [threading.Thread(target=lambda e=e: reports.append(e.run_once())) for e in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for _ in range(2):  # whichever desk waited sends what is left
        for desk in desks:
            desk.run_once()
    assert sorted(twilio.sent_bodies()) == sorted(message(sms, i or 0).body for i in ids)
    assert len(twilio.state.outbound()) == 30


def test_statuses_come_from_one_list_not_a_fetch_per_message(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    for i in range(12):
        queue(sms, add_patient(f"P{i}"))
    engine(sms).run_once()
    twilio.deliver_all()
    before = len(twilio.state.requests)
    report = engine(sms).run_once()
    assert report.statuses == 12
    fetches = [r for r in twilio.state.requests[before:] if r[1].count("/Messages/") == 1]
    assert fetches == []


def test_a_text_still_waiting_when_quiet_hours_begin_goes_at_their_end(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    clock.set(clock.now().replace(hour=19, minute=0))  # 19:00 in London: queued to go now
    queued = queue(sms, add_patient("Sarah"))
    assert queued.send_at == clock.now()
    clock.set(clock.now().replace(hour=21))  # the next sync runs in quiet hours (21:00)
    assert engine(sms).run_once().sent == 0
    assert twilio.state.outbound() == []
    clock.advance(timedelta(hours=11, minutes=59))  # 08:59 the next morning
    assert engine(sms).run_once().sent == 0
    clock.advance(timedelta(minutes=1))
    assert engine(sms).run_once().sent == 1
    assert message(sms, queued.message_id or 0).status == "sent"


def test_a_text_sent_before_twilio_stops_answering_is_recorded_and_the_rest_wait(
    sms: Services, add_patient: AddPatient, twilio: TwilioTestServer
) -> None:
    ids = [queue(sms, add_patient(f"P{i}")).message_id or 0 for i in range(3)]

    def busy_after_the_first(point: str, _message_id: int | None) -> None:
        if point == "posted" and not twilio.state.faults:
            twilio.fault("status429", retry_after=60)

    report = engine(sms, probe=busy_after_the_first).run_once()
    assert report.sent == 1 and report.error and "slow down" in report.error
    first, second, third = (message(sms, i) for i in ids)
    assert first.status == "sent" and first.provider_sid == twilio.state.outbound()[0].sid
    assert (second.status, second.in_doubt, second.attempts) == ("pending", False, 1)
    assert (third.status, third.attempts) == ("pending", 0)
    assert len(twilio.state.outbound()) == 1
