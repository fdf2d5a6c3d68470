"""The log file after a day at the desk and a sync: no phone, email, message text or secret."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.logs import LOG_NAME, install_crash_handler, redact, start_logging
from frontdesk.services.bundle import Services
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.services.staff.service import StaffService
from tests.sms.conftest import CLINIC_NUMBER, engine
from tests.sms.helpers import queue
from tests.sms.twilio_server import AUTH_TOKEN, TwilioTestServer

PEOPLE = (
    ("Sarah", "Connolly", "07911 123456", "+447911123456", "sarah.connolly@example.org"),
    ("Tom", "Baker", "07911 123789", "+447911123789", "tom.baker@example.net"),
)
REPLY = "My sister Anna wants to book for Tuesday"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = start_logging(tmp_path / "logs", level=logging.DEBUG)
    root.setLevel(logging.DEBUG)  # everything our code says, even at DEBUG
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def test_a_day_at_the_desk_and_a_sync_leave_no_personal_details_in_the_log(
    sms: Services, twilio: TwilioTestServer, clock: FixedClock, log_file: Path
) -> None:
    ids = []
    for first, last, typed, _e164, email in PEOPLE:
        added = sms.patients.add(
            SOLE_OWNER,
            NewPatientForm(first, last, phone=typed, email=email, sms_consent=True),
            referrer_id=ids[0] if ids else None,
        )
        ids.append(added.patient.id)
    sms.checkin.check_in(SOLE_OWNER, ids[1], "Initial assessment")
    queue(sms, ids[0])
    twilio.inbound(PEOPLE[0][3], CLINIC_NUMBER, REPLY, clock.now())
    clock.advance(timedelta(hours=3))
    report = engine(sms).run_once()
    assert report.sent >= 1 and report.replies == 1
    owner = sms.staff.add(SOLE_OWNER, "Sam Owner", "owner", "4826")
    with pytest.raises(Exception, match="do not match"):
        StaffService(sms.ctx).sign_in(owner.name, "9999")
    try:  # an unexpected error whose text carries a patient's details
        raise ValueError(f"could not text {PEOPLE[1][3]} <{PEOPLE[1][4]}> token={AUTH_TOKEN}")
    except ValueError:
        logging.getLogger("frontdesk.test").exception("crash while texting %s", PEOPLE[1][2])

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert log_file.name == LOG_NAME
    assert "crash while texting •••789" in text  # the log was written, masked
    assert "ValueError: could not text •••789 <[email]> token=[hidden]" in text
    for _first, _last, typed, e164, email in PEOPLE:
        for secret in (typed, e164, e164[1:], typed.replace(" ", ""), email):
            assert secret not in text
    assert REPLY not in text and "Anna wants" not in text
    assert AUTH_TOKEN not in text
    assert "4826" not in text and "9999" not in text


def test_redaction_keeps_dates_and_small_numbers_legible() -> None:
    line = "sync at 2026-12-02 19:44:31 sent 12 of 1500 texts to (415) 555-0132"
    assert redact(line) == "sync at 2026-12-02 19:44:31 sent 12 of 1500 texts to •••132"


def test_an_unexpected_error_is_logged_redacted_and_the_desk_told_where(log_file: Path) -> None:
    import sys
    import threading

    told: list[str] = []
    saved = sys.excepthook, threading.excepthook
    try:
        install_crash_handler(log_file, told.append)
        try:
            raise RuntimeError("lost connection while texting +447911123456")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook, threading.excepthook = saved
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert len(told) == 1 and str(log_file) in told[0]
    assert "What you saved is safe" in told[0]
    text = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: lost connection while texting •••456" in text
    assert "+447911123456" not in text
