"""A small clinic built by hand so every figure of the October 2026 report is known.

London time; summer time ends on 25 October 2026. "Now" is 25 November 10:30 UTC.

Referrals (introduced → booked → attended):
  R1 Sarah → Tom   3 Oct → 3 Oct → 5 Oct   rewarded (Sarah £20, Tom £10 on 5 Oct)
  R2 Sarah → Anna 10 Oct → 11 Oct → 3 Nov  attended
  R3 Sarah → Ben  15 Oct, introduced only
  R4 Cara  → Cara's twin, blocked self-referral (16 Oct): not counted
  R5 Eve   → "Fay" 5 Nov, from the mirror poster
  R6 Dan   → Hal  20 Oct, rejected as fraud: not counted
  R7 Dan   → Gus  30 Sep 23:30 UTC = 1 Oct 00:30 London: an October introduction
Visits of referred patients: Tom 5 Oct £60 (first), 12 Oct cancelled, 20 Oct £45,
  2 Nov £45; Anna 3 Nov £60 (first).
Ledger: Eve £20 issued 10 Aug, expired 25 Oct; Sarah +£20 5 Oct, −£15 20 Oct;
  Tom +£10 5 Oct, −£10 2 Nov.
Texts: Sarah's "Friendly ask" 25 Sep (2 segments, no price yet); Dan's standard ask 28 Oct
  (5p); Sarah's reward notice 5 Oct (Twilio price −4p); one still pending.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.models import (
    LedgerEntry,
    MessageTemplate,
    OutboxMessage,
    Patient,
    Poster,
    Referral,
    Reward,
    Visit,
)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def build(session: Session) -> dict[str, int]:
    rng = random.Random(9)
    ids: dict[str, int] = {}
    for index, name in enumerate(("Sarah", "Tom", "Anna", "Ben", "Cara", "Dan", "Eve", "Gus")):
        patient, _code = add_patient(
            session,
            NewPatient(name, "Test", f"+4474001234{index:02d}", None, None),
            at(8, 1),
            rng,
        )
        ids[name] = patient.id
    hal, _ = add_patient(session, NewPatient("Hal", "Test", None, None, None), at(8, 1), rng)
    ids["Hal"] = hal.id
    poster = Poster(
        source_tag="mirror",
        name="Mirror poster",
        template="mirror",
        paper="A4",
        qr_payload="https://harbourphysio.example/book?src=mirror",
        created_at=at(9, 1),
    )
    template = MessageTemplate(
        kind="referral_ask", name="Friendly ask", body="Hi {first_name}", updated_at=at(8, 1)
    )
    session.add_all([poster, template])
    session.flush()

    def visit(who: str, when: datetime, amount: int | None, kind: str, status: str = "attended"):  # type: ignore[no-untyped-def]
        row = Visit(
            patient_id=ids[who],
            visit_type=kind,
            status=status,
            at=when,
            amount_minor=amount,
            created_at=when,
        )
        session.add(row)
        session.flush()
        return row

    tom_first = visit("Tom", at(10, 5), 6000, "Initial assessment")
    visit("Tom", at(10, 12), None, "Follow-up", "cancelled")
    visit("Tom", at(10, 20), 4500, "Follow-up")
    visit("Tom", at(11, 2), 4500, "Follow-up")
    anna_first = visit("Anna", at(11, 3), 6000, "Initial assessment")
    visit("Sarah", at(10, 6), 5000, "Follow-up")  # the referrer's own visit: not referred revenue

    def referral(referrer: str, referee: str | None, status: str, created: datetime, **extra):  # type: ignore[no-untyped-def]
        row = Referral(
            referrer_id=ids[referrer],
            referee_id=ids[referee] if referee else None,
            status=status,
            created_at=created,
            **extra,
        )
        session.add(row)
        session.flush()
        return row

    r1 = referral(
        "Sarah",
        "Tom",
        "rewarded",
        at(10, 3),
        booked_at=at(10, 3),
        attended_at=at(10, 5),
        first_visit_id=tom_first.id,
    )
    referral(
        "Sarah",
        "Anna",
        "attended",
        at(10, 10),
        booked_at=at(10, 11),
        attended_at=at(11, 3),
        first_visit_id=anna_first.id,
    )
    referral("Sarah", "Ben", "introduced", at(10, 15))
    referral("Cara", None, "blocked", at(10, 16), prospect_name="Cara's twin")
    referral("Eve", None, "introduced", at(11, 5), prospect_name="Fay", poster_id=poster.id)
    referral("Dan", "Hal", "rejected", at(10, 20), booked_at=at(10, 20))
    referral("Dan", "Gus", "introduced", datetime(2026, 9, 30, 23, 30, tzinfo=UTC))

    def reward(who: str, role: str, amount: int, issued: datetime, referral_id: int | None):  # type: ignore[no-untyped-def]
        row = Reward(
            referral_id=referral_id,
            patient_id=ids[who],
            role=role,
            kind="credit",
            currency="GBP",
            amount_minor=amount,
            remaining_minor=0,
            status="redeemed",
            issued_at=issued,
            usable_from=issued,
        )
        session.add(row)
        session.flush()
        return row

    def entry(row: Reward, kind: str, amount: int, when: datetime) -> None:
        session.add(
            LedgerEntry(
                reward_id=row.id,
                patient_id=row.patient_id,
                entry_type=kind,
                amount_minor=amount,
                at=when,
            )
        )

    eve = reward("Eve", "bonus", 2000, at(8, 10), None)
    entry(eve, "issued", 2000, at(8, 10))
    entry(eve, "expired", -2000, at(10, 25, 12))
    sarah = reward("Sarah", "referrer", 2000, at(10, 5), r1.id)
    entry(sarah, "issued", 2000, at(10, 5))
    entry(sarah, "redeemed", -1500, at(10, 20))
    tom = reward("Tom", "new_patient", 1000, at(10, 5), r1.id)
    entry(tom, "issued", 1000, at(10, 5))
    entry(tom, "redeemed", -1000, at(11, 2))

    def text(who: str, kind: str, sent: datetime | None, **extra):  # type: ignore[no-untyped-def]
        session.add(
            OutboxMessage(
                patient_id=ids[who],
                to_phone="+447400123400",
                kind=kind,
                body="…",
                status="delivered" if sent else "pending",
                not_before=sent or at(11, 25),
                next_attempt_at=sent or at(11, 25),
                created_at=sent or at(11, 25),
                sent_at=sent,
                **extra,
            )
        )

    text("Sarah", "referral_ask", at(9, 25), template_id=template.id, segments=2)
    text("Dan", "referral_ask", at(10, 28), segments=1, price_minor=5)
    text("Sarah", "reward_earned", at(10, 5), segments=1, price_minor=-4)
    text("Eve", "referral_ask", None, segments=1)
    return ids


__all__ = ["Patient", "at", "build"]
