"""Every text a patient receives is right: queued from real events (check-in, a reward, an ask
rule, a poster keyword, a balance question) for each clinic type, sent through the local
Twilio server, and read back as the patient's phone would get it."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from frontdesk.domain.clock import FixedClock
from frontdesk.domain.errors import ConflictError, InvalidInputError
from frontdesk.printing.geometry import Paper
from frontdesk.printing.templates import default_template_key
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.templates import clinic_defaults
from frontdesk.services.patients.dto import NewPatientForm
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import OutboxMessage, Referral
from tests.sms.conftest import CLINIC_NUMBER, engine
from tests.sms.twilio_server import TwilioTestServer

# clinic type, country, currency, booking page, the money sign its texts must use
CLINICS = [
    ("physio", "GB", "GBP", "https://harbourphysio.example/book", "£"),
    ("medspa", "US", "USD", "https://glow.example/book", "$"),
    ("massage", "GB", "GBP", None, "£"),
    ("other", "IE", "EUR", "https://clinic.example/book", "€"),
]
OTHER_SIGNS = {"£", "$", "€", "¥"}
ONE_PART_KINDS = {"reward_earned", "keyword_reply", "poster_welcome", "balance_reply"}


def _setup(sms: Services, clinic_type: str, country: str, currency: str, url: str | None) -> None:
    owner = SOLE_OWNER
    sms.clinic.set_settings(
        owner,
        {
            "clinic.type": clinic_type,
            "clinic.country": country,
            "clinic.currency": currency,
            "clinic.timezone": {"US": "America/New_York", "IE": "Europe/Dublin"}.get(
                country, "Europe/London"
            ),
            "clinic.booking_url": url or "",
        },
    )


def _add(sms: Services, first: str, last: str, phone: str, referred_by: str | None = None) -> int:
    form = NewPatientForm(first, last, phone, None, sms_consent=True)
    return sms.patients.add(SOLE_OWNER, form, referred_by=referred_by).patient.id


def _sent(sms: Services) -> list[OutboxMessage]:
    with sms.ctx.db.read() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        for row in rows:
            session.expunge(row)
    return rows


@pytest.mark.parametrize(("clinic_type", "country", "currency", "url", "sign"), CLINICS)
def test_every_text_carries_the_real_values_of_its_event(
    sms: Services,
    twilio: TwilioTestServer,
    clock: FixedClock,
    clinic_type: str,
    country: str,
    currency: str,
    url: str | None,
    sign: str,
) -> None:
    clock.advance(timedelta(hours=6))  # mid-afternoon in London, late morning in New York
    _setup(sms, clinic_type, country, currency, url)
    visit_types = sms.checkin.visit_types()
    assert visit_types == clinic_defaults(clinic_type)["visit_types"]

    wei = _add(sms, "Wei", "Chen", "+447911123301")
    tom = _add(sms, "Tom", "Baker", "+447911123302", referred_by="Wei Chen")
    checked = sms.checkin.check_in(SOLE_OWNER, tom, visit_types[0])  # Tom's first visit
    assert any("Wei" in note for note in checked.notes)
    sms.checkin.check_in(SOLE_OWNER, wei, visit_types[1], happy=True)  # the happy rule asks

    design = default_template_key(clinic_type)
    poster = sms.printing.print_posters(SOLE_OWNER, design, Paper.A4, ["Treatment room 2"])
    qr = poster.pages[0].qr.payload
    stranger_text = "FRIEND TREATMENT ROOM 2"
    if qr.startswith("sms:"):  # no booking page: the QR pre-fills the keyword and its tag
        stranger_text = unquote(qr.split("body=", 1)[1])
    twilio.inbound("+447911123303", CLINIC_NUMBER, stranger_text, clock.now())
    twilio.inbound("+447911123301", CLINIC_NUMBER, "friend", clock.now())
    twilio.inbound("+447911123301", CLINIC_NUMBER, "Balance?", clock.now())
    clock.advance(timedelta(minutes=1))
    engine(sms).run_once()
    engine(sms).run_once()

    # The soft check-in of the clinic type's "days after" rule, on its day.
    rule = next(
        r for r in clinic_defaults(clinic_type)["ask_rules"] if r["trigger"] == "days_after"
    )
    visit_type = visit_types[0] if rule["visit_type"] == "*" else rule["visit_type"]
    assert visit_type in visit_types  # a rule never names a visit this clinic does not have
    mia = _add(sms, "Mia", "Lopez", "+447911123304")
    sms.checkin.check_in(SOLE_OWNER, mia, visit_type)
    clock.advance(timedelta(days=rule["n"], hours=1))
    engine(sms).run_once()

    rows = _sent(sms)
    by_kind = {row.kind: row for row in rows if row.status in ("sent", "delivered")}
    assert set(by_kind) >= {
        "reward_earned",
        "referral_ask",
        "keyword_reply",
        "poster_welcome",
        "balance_reply",
        "soft_checkin",
    }, [(r.kind, r.status, r.error_text) for r in rows]
    phone_bodies = [m.body for m in twilio.state.outbound()]
    for row in rows:
        assert row.status != "failed", (row.kind, row.error_text)
        body = row.body
        assert body in phone_bodies
        assert "{" not in body and "}" not in body, body
        assert "  " not in body, body
        assert not re.search(r"\s[,:.!?;]", body), body  # a blank placeholder leaves " :"
        assert not OTHER_SIGNS - {sign} & set(body), body
        if row.kind in ONE_PART_KINDS:
            assert (row.encoding, row.segments) == ("GSM-7", 1), body

    prog = sms.rewards.program().program
    referrer_value = prog.referrer.describe(currency) if prog.referrer else ""
    friend_value = prog.new_patient.describe(currency) if prog.new_patient else ""
    assert sign in referrer_value and sign in friend_value
    assert "Tom" in by_kind["reward_earned"].body  # the notice names the friend
    assert referrer_value in by_kind["reward_earned"].body
    ask = by_kind["referral_ask"].body
    assert referrer_value in ask and friend_value in ask  # both rewards' real values
    keyword = by_kind["keyword_reply"].body
    wei_code = _code_of(sms, wei)
    assert wei_code in keyword and friend_value in keyword
    if url:
        assert f"ref={wei_code}" in keyword
        assert url in by_kind["poster_welcome"].body
    assert friend_value in by_kind["poster_welcome"].body
    balance = by_kind["balance_reply"].body
    assert referrer_value.split(" ")[0] in balance and wei_code in balance
    assert by_kind["soft_checkin"].patient_id == mia

    # The stranger is an introduction credited to the poster, and the report says so.
    with sms.ctx.db.read() as session:
        intro = session.scalar(select(Referral).where(Referral.prospect_phone == "+447911123303"))
        assert intro is not None and intro.status == "introduced" and intro.poster_id
    report = sms.reports.monthly("2026-11")  # the month the stranger texted
    row = next(r for r in report.by_poster if "treatment-room-2" in r.key)
    assert row.introductions == 1


def _code_of(sms: Services, patient_id: int) -> str:
    from frontdesk.store.models import ReferralCode

    with sms.ctx.db.read() as session:
        code = session.scalar(
            select(ReferralCode.code).where(
                ReferralCode.patient_id == patient_id, ReferralCode.active.is_(True)
            )
        )
    assert code
    return code


def test_a_value_the_event_lacks_holds_the_text_until_retry_can_fill_it(
    sms: Services, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    sms.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", "")
    sms.templates.save(SOLE_OWNER, "keyword_reply", "Hi {first_name}, book here: {link}")
    wei = _add(sms, "Wei", "Chen", "+447911123311")
    twilio.inbound("+447911123311", CLINIC_NUMBER, "FRIEND", clock.now())
    engine(sms).run_once()
    assert twilio.state.outbound() == []  # nothing half-written went out
    (held,) = sms.messages.outbox(status="failed")
    assert held.patient_id == wei and held.state == "Held"
    assert held.error is not None
    assert "{link}" in held.error and "no booking page" in held.error
    assert held.body == "Hi Wei, book here: {link}"

    with pytest.raises(ConflictError, match="no booking page"):
        sms.messages.retry(SOLE_OWNER, held.id)
    sms.clinic.set_setting(SOLE_OWNER, "clinic.booking_url", "https://harbourphysio.example/b")
    retried = sms.messages.retry(SOLE_OWNER, held.id)
    assert (
        retried.body
        == f"Hi Wei, book here: https://harbourphysio.example/b?ref={_code_of(sms, wei)}"
    )
    engine(sms).run_once()
    assert [m.body for m in twilio.state.outbound()] == [retried.body]


def test_a_template_using_a_value_its_event_never_has_is_refused_on_save(sms: Services) -> None:
    with pytest.raises(InvalidInputError, match=r"\{friend_name\} is not known for a poster"):
        sms.templates.save(SOLE_OWNER, "keyword_reply", "Hi {first_name}, {friend_name} says hi")
    with pytest.raises(InvalidInputError, match=r"\{first_name\} is not known for a poster reply"):
        sms.templates.save(SOLE_OWNER, "poster_welcome", "Hi {first_name}!")


def test_the_preview_renders_a_real_recent_event_through_the_same_facts(sms: Services) -> None:
    empty = sms.templates.examples()["reward_earned"]
    assert empty.sample and "sample values" in empty.caption
    wei = _add(sms, "Wei", "Chen", "+447911123321")
    tom = _add(sms, "Tom", "Baker", "+447911123322", referred_by="Wei Chen")
    sms.checkin.check_in(SOLE_OWNER, tom, sms.checkin.visit_types()[0])
    example = sms.templates.examples()["reward_earned"]
    assert not example.sample
    assert example.caption == "What Wei Chen would receive for referring Tom"
    body = next(t.body for t in sms.templates.list() if t.kind == "reward_earned")
    shown = sms.templates.preview("reward_earned", body)
    assert shown.error is None
    assert shown.text == (
        "Thank you Wei! Tom has visited Harbour Physio on your recommendation: "
        "you have earned £20.00 credit."
    )
    with sms.ctx.db.read() as session:
        queued = session.scalar(
            select(OutboxMessage.body).where(
                OutboxMessage.patient_id == wei, OutboxMessage.kind == "reward_earned"
            )
        )
    assert queued == shown.text  # what the owner sees is what Wei got


def test_a_poster_stranger_is_one_introduction_answered_a_few_times_then_credited_at_the_desk(
    sms: Services, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=4))
    sms.printing.print_posters(SOLE_OWNER, "physio", Paper.A4, ["Treatment room 2"])
    for minute in range(5):
        text = "friend treatment room 2!" if minute else "FRIEND TREATMENT-ROOM-2"
        twilio.inbound("+447911123501", CLINIC_NUMBER, text, clock.now())
        clock.advance(timedelta(minutes=1))
        engine(sms).run_once()
    welcomes = [m for m in twilio.state.outbound() if m.to == "+447911123501"]
    assert len(welcomes) == 3  # answered, but not without end
    with sms.ctx.db.read() as session:
        intros = session.scalars(
            select(Referral).where(Referral.prospect_phone == "+447911123501")
        ).all()
        assert len(intros) == 1
    assert sms.messages.inbox() == []  # nothing for the desk to type

    added = sms.patients.add(
        SOLE_OWNER, NewPatientForm("Ana", "Silva", "07911 123501", None, sms_consent=True)
    )
    assert any("Treatment room 2 poster" in note for note in added.notes)
    sms.checkin.check_in(SOLE_OWNER, added.patient.id, "Initial assessment")
    (row,) = [r for r in sms.reports.monthly("2026-11").by_poster if "treatment" in r.key]
    assert (row.introductions, row.attended) == (1, 1)


def test_a_balance_question_from_an_unknown_number_reveals_nothing(
    sms: Services, twilio: TwilioTestServer, clock: FixedClock
) -> None:
    clock.advance(timedelta(hours=4))
    twilio.inbound("+447911123601", CLINIC_NUMBER, "BALANCE", clock.now())
    engine(sms).run_once()
    assert twilio.state.outbound() == []
    (waiting,) = sms.messages.inbox()
    assert waiting.body == "BALANCE" and waiting.patient_id is None


def test_an_ask_rule_can_use_a_named_wording_and_refuses_one_that_does_not_exist(
    sms: Services, clock: FixedClock
) -> None:
    from frontdesk.domain.ask_rules import rule_from_options

    clock.advance(timedelta(hours=4))
    rule = rule_from_options("Follow-up", "ask", after_visits=1, template="spring")
    with pytest.raises(InvalidInputError, match="no referral ask wording named “spring”"):
        sms.asks.set_rule(SOLE_OWNER, rule)
    sms.templates.save(
        SOLE_OWNER,
        "referral_ask",
        "Spring at {clinic_name}: friends get {friend_reward}!",
        "spring",
    )
    assert sms.templates.names() == {"referral_ask": ["spring"]}
    sms.asks.set_rule(SOLE_OWNER, rule)
    wei = _add(sms, "Wei", "Chen", "+447911123701")
    sms.checkin.check_in(SOLE_OWNER, wei, "Follow-up")
    (decision,) = sms.asks.decisions(wei)
    assert decision.asked and decision.rule.endswith("(wording “spring”)")
    (queued,) = [m for m in _sent(sms) if m.patient_id == wei]
    assert queued.body.startswith("Spring at Harbour Physio: friends get £10.00 credit!")
    # The default wording is untouched.
    default = next(t for t in sms.templates.list() if t.kind == "referral_ask")
    assert not default.customised


def test_setting_a_rule_replaces_only_the_same_kind_of_rule_for_that_visit_type(
    sms: Services,
) -> None:
    from frontdesk.domain.ask_rules import rule_from_options

    before = {r.describe() for r in sms.asks.rules()}
    assert "referral ask after the 4th attended visit (any visit)" in before
    after = sms.asks.set_rule(SOLE_OWNER, rule_from_options("*", "ask", after_visits=5))
    described = {r.describe() for r in after}
    assert "referral ask after the 5th attended visit (any visit)" in described
    assert "referral ask after the 4th attended visit (any visit)" not in described
    assert before - described == {"referral ask after the 4th attended visit (any visit)"}
