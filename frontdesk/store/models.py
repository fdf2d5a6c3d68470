"""The data model: one class per table, typed, with the SPEC's invariants as constraints.

Money is integer minor units (pence, cents). Status columns hold the values of the domain's
StrEnums as plain strings so both SQLite and PostgreSQL store them the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.store.base import Base, UTCDateTime

ACTIVE = text("active")
PATTERN = "varchar_pattern_ops"
LIVE = text("erased_at IS NULL")


def _code_suffix(context: Any) -> str:
    """The last four symbols of a code, for "type just K7QD" searches."""
    return str(context.get_current_parameters()["code"])[-4:]


class Clinic(Base):
    """The single clinic this database belongs to (row id 1)."""

    __tablename__ = "clinic"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    booking_url: Mapped[str | None] = mapped_column(String(500))
    sms_number: Mapped[str | None] = mapped_column(String(20))
    clinic_type: Mapped[str] = mapped_column(String(20), default="physio")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Setting(Base):
    """Typed settings (see ``frontdesk.settings``) stored as JSON text by key."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Location(Base):
    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("role IN ('receptionist', 'owner')", name="role_known"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (
        Index("ix_patient_phone_e164", "phone_e164"),
        # varchar_pattern_ops: LIKE 'prefix%' uses these on PostgreSQL whatever the collation.
        Index("ix_patient_phone_rev", "phone_rev", postgresql_ops={"phone_rev": PATTERN}),
        Index("ix_patient_email_norm", "email_norm", postgresql_ops={"email_norm": PATTERN}),
        Index("ix_patient_name_norm", "name_norm", postgresql_ops={"name_norm": PATTERN}),
        Index("ix_patient_last_norm", "last_norm", postgresql_ops={"last_norm": PATTERN}),
        # The search box's name queries, answered from the index alone (covering, live
        # patients only): see frontdesk/services/lookup/branches.py.
        Index(
            "ix_patient_live_name",
            "name_norm",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
            postgresql_ops={"name_norm": PATTERN},
        ),
        Index(
            "ix_patient_live_last_name",
            "last_norm",
            "name_norm",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
            postgresql_ops={"last_norm": PATTERN, "name_norm": PATTERN},
        ),
        Index(
            "ix_patient_live_first_key_last",
            "first_key",
            "last_norm",
            "name_norm",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
            postgresql_ops={"last_norm": PATTERN, "name_norm": PATTERN},
        ),
        # Today's list: who was added today (a range of one day, never a scan).
        Index("ix_patient_live_created", "created_at", sqlite_where=LIVE, postgresql_where=LIVE),
        Index(
            "ix_patient_live_keys",
            "last_key",
            "first_key",
            "name_norm",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
            postgresql_ops={"name_norm": PATTERN},
        ),
        CheckConstraint(
            "source_kind IN ('walk_in', 'patient', 'professional', 'poster', 'sms', 'import',"
            " 'other')",
            name="source_kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    # Search columns, kept in step with the name/phone/email by the patient service.
    name_norm: Mapped[str] = mapped_column(String(220), default="")
    last_norm: Mapped[str] = mapped_column(String(100), default="")
    first_key: Mapped[str] = mapped_column(String(40), default="")
    last_key: Mapped[str] = mapped_column(String(40), default="")
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    phone_rev: Mapped[str | None] = mapped_column(String(20))
    phone_invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    email_norm: Mapped[str | None] = mapped_column(String(254))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(20))
    payer_type: Mapped[str | None] = mapped_column(String(40))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source_kind: Mapped[str] = mapped_column(String(20), default="walk_in")
    source_detail: Mapped[str | None] = mapped_column(String(200))
    poster_id: Mapped[int | None] = mapped_column(ForeignKey("poster.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    codes: Mapped[list[ReferralCode]] = relationship(back_populates="patient")


class ReferralCode(Base):
    """A patient's personal code. Codes are never reused; one active code per patient."""

    __tablename__ = "referral_code"
    __table_args__ = (
        Index(
            "uq_referral_code_one_active",
            "patient_id",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
        Index("ix_referral_code_patient_id", "patient_id"),
        Index("ix_referral_code_code_suffix", "code_suffix"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    code_suffix: Mapped[str] = mapped_column(String(4), default=_code_suffix)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    patient: Mapped[Patient] = relationship(back_populates="codes")


class Poster(Base):
    """A printed poster; its source tag travels in its QR so introductions are attributed."""

    __tablename__ = "poster"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_tag: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    template: Mapped[str] = mapped_column(String(40))
    paper: Mapped[str] = mapped_column(String(10))
    qr_payload: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Visit(Base):
    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_patient_id_at", "patient_id", "at"),
        Index("ix_visit_at", "at"),
        Index(
            "ix_visit_referred_revenue", "patient_id", "at", "status", "amount_minor", "visit_type"
        ),
        CheckConstraint(
            "status IN ('booked', 'attended', 'cancelled', 'no_show', 'refunded')",
            name="status_known",
        ),
        CheckConstraint("amount_minor IS NULL OR amount_minor >= 0", name="amount_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    visit_type: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    amount_minor: Mapped[int | None] = mapped_column(Integer)
    happy: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Referral(Base):
    """Who brought whom. A patient is referred at most once (unique referee)."""

    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_referrer_id_created", "referrer_id", "created_at"),
        Index("ix_referral_status", "status"),
        Index("ix_referral_prospect_phone", "prospect_phone"),
        Index(
            "ix_referral_created_at",
            "created_at",
            "status",
            "booked_at",
            "attended_at",
            "referrer_id",
            "poster_id",
        ),
        Index(
            "ix_referral_attended_at",
            "attended_at",
            "status",
            "referee_id",
            "referrer_id",
            "first_visit_id",
        ),
        Index("ix_referral_booked_at", "booked_at", "status"),
        CheckConstraint(
            "status IN ('introduced', 'booked', 'attended', 'rewarded', 'blocked', 'flagged',"
            " 'cancelled', 'expired', 'rejected')",
            name="status_known",
        ),
        CheckConstraint(
            "referee_id IS NULL OR referrer_id IS NULL OR referee_id <> referrer_id",
            name="not_self",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    referee_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), unique=True)
    # A friend named before they are a patient ("my sister Anna wants to book").
    prospect_name: Mapped[str | None] = mapped_column(String(200))
    prospect_phone: Mapped[str | None] = mapped_column(String(20))
    professional_name: Mapped[str | None] = mapped_column(String(200))
    code_used: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="desk")
    poster_id: Mapped[int | None] = mapped_column(ForeignKey("poster.id"))
    status: Mapped[str] = mapped_column(String(20))
    held_status: Mapped[str | None] = mapped_column(String(20))
    override_reason: Mapped[str | None] = mapped_column(Text)
    late_attach_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The friend's appointment when booking was recorded at the desk ("booked for Thursday").
    booked_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class ReferralEvent(Base):
    """The stage history: every transition with who, when and why."""

    __tablename__ = "referral_event"
    __table_args__ = (Index("ix_referral_event_referral_id", "referral_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str | None] = mapped_column(Text)


class RewardProgram(Base):
    """Versioned program settings (JSON of ``RewardProgram`` in the domain); one active row."""

    __tablename__ = "reward_program"
    __table_args__ = (
        Index(
            "uq_reward_program_one_active",
            "active",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    config_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class Reward(Base):
    """One reward per referral and role; ``remaining_minor`` can never go below zero."""

    __tablename__ = "reward"
    __table_args__ = (
        UniqueConstraint("referral_id", "role"),
        Index("ix_reward_patient_id", "patient_id"),
        Index("ix_reward_status", "status"),
        CheckConstraint("value_minor >= 0", name="value_non_negative"),
        CheckConstraint("role IN ('referrer', 'new_patient', 'bonus')", name="role_known"),
        CheckConstraint("kind IN ('credit', 'percent', 'item')", name="kind_known"),
        CheckConstraint("amount_minor >= 0", name="amount_non_negative"),
        CheckConstraint("remaining_minor >= 0", name="remaining_non_negative"),
        CheckConstraint("remaining_minor <= amount_minor", name="remaining_within_amount"),
        CheckConstraint(
            "status IN ('held', 'pending_approval', 'available', 'redeemed', 'expired',"
            " 'reversed', 'cancelled')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(Integer, default=0)
    remaining_minor: Mapped[int] = mapped_column(Integer, default=0)
    percent: Mapped[int | None] = mapped_column(Integer)
    item_name: Mapped[str | None] = mapped_column(String(120))
    voucher_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    usable_from: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    program_id: Mapped[int | None] = mapped_column(ForeignKey("reward_program.id"))
    # Face value for caps and reports: the credit, or what a percentage/item is worth.
    value_minor: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    note: Mapped[str | None] = mapped_column(Text)  # why it was trimmed, held or declined


class LedgerEntry(Base):
    """Append-only: issued, redeemed, expired, reversed, adjusted. Never updated."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_entry_patient_id", "patient_id"),
        Index("ix_ledger_entry_reward_id", "reward_id"),
        Index("ix_ledger_entry_at", "at"),
        Index("ix_ledger_entry_at_type_amount", "at", "entry_type", "amount_minor"),
        CheckConstraint(
            "entry_type IN ('issued', 'redeemed', 'expired', 'reversed', 'adjusted')",
            name="entry_type_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("reward.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    entry_type: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    reason: Mapped[str | None] = mapped_column(Text)


class MessageTemplate(Base):
    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """An SMS waiting to go, going, or gone. Written in the same transaction as its cause."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_message_patient_id_created", "patient_id", "created_at"),
        Index(
            "ix_outbox_message_sent_at",
            "sent_at",
            "kind",
            "price_minor",
            "segments",
            "template_id",
            "patient_id",
        ),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed',"
            " 'cancelled')",
            name="status_known",
        ),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    to_phone: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("message_template.id"))
    body: Mapped[str] = mapped_column(Text)
    segments: Mapped[int] = mapped_column(Integer, default=1)
    encoding: Mapped[str] = mapped_column(String(10), default="GSM-7")
    marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str | None] = mapped_column(String(60))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_status: Mapped[str | None] = mapped_column(String(20))
    error_code: Mapped[str | None] = mapped_column(String(20))
    error_text: Mapped[str | None] = mapped_column(Text)
    price_minor: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A send whose outcome is unknown (timeout, dropped connection, 5xx, crash while claimed):
    # Twilio's message list is checked for it before it may be sent again.
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    from_phone: Mapped[str | None] = mapped_column(String(20))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InboundMessage(Base):
    """A reply fetched from Twilio; one row per provider SID however often it is polled."""

    __tablename__ = "inbound_message"
    __table_args__ = (
        Index("ix_inbound_message_patient_id", "patient_id"),
        Index("ix_inbound_message_handled_at", "handled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_phone: Mapped[str] = mapped_column(String(20))
    to_phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    intent: Mapped[str] = mapped_column(String(20), default="text")
    rating: Mapped[int | None] = mapped_column(Integer)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class AskDecision(Base):
    """Why a patient was (or was not) asked: one row per trigger, so it is never re-decided."""

    __tablename__ = "ask_decision"
    __table_args__ = (Index("ix_ask_decision_patient_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_message.id"))
    # e.g. "visit:12:nth_visit:4:referral_ask:*" or "reply:SM…": unique, so two desks or a
    # re-run scheduler never decide (and text) the same trigger twice.
    source_key: Mapped[str] = mapped_column(String(160), unique=True)
    rule: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    asked: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsentEvent(Base):
    __tablename__ = "consent_event"
    __table_args__ = (Index("ix_consent_event_patient_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[str] = mapped_column(String(20))  # granted, withdrawn, opted_out, opted_in
    channel: Mapped[str] = mapped_column(String(20))  # desk, sms, import
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_message.id"))


class FraudFlag(Base):
    __tablename__ = "fraud_flag"
    __table_args__ = (
        UniqueConstraint("referral_id", "rule"),
        Index("ix_fraud_flag_status", "status"),
        CheckConstraint("status IN ('open', 'approved', 'rejected')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    rule: Mapped[str] = mapped_column(String(40))
    explanation: Mapped[str] = mapped_column(Text)
    evidence_json: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class SyncState(Base):
    """Resumable cursors (last inbound poll) and the one-desk outbox drain lease."""

    __tablename__ = "sync_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[str | None] = mapped_column(String(80))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Who changed what, when, before and after. Written in the same transaction as the change."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_at", "at"),
        Index("ix_audit_event_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class ClinicLogo(Base):
    """The clinic's logo for posters and cards, kept in the database so every desk prints
    the same one (row id 1)."""

    __tablename__ = "clinic_logo"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("format IN ('png', 'jpeg', 'svg')", name="format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    image: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
