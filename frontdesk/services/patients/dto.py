"""What the check-in, new-patient and patient-card services hand back (frozen, no ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.domain.changes import NO_CHANGES, Changes
from frontdesk.services.records.dto import PatientRef


@dataclass(frozen=True)
class NewPatientForm:
    """What the desk typed for a new patient, before it is checked."""

    first_name: str
    last_name: str = ""
    phone: str | None = None
    email: str | None = None
    sms_consent: bool = False
    birth_year: int | None = None


@dataclass(frozen=True)
class AddedPatient:
    patient: PatientRef
    referral_id: int | None
    referrer: PatientRef | None
    notes: tuple[str, ...]  # for the desk: "Referred by Sarah C.", effects of handlers
    overridden: bool = False  # an owner let a same-phone/email referral through
    referral_status: str | None = None
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class AttachedReferral:
    referral_id: int
    referee: PatientRef
    referrer: PatientRef
    status: str
    notes: tuple[str, ...]
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class CheckinResult:
    visit_id: int
    patient: PatientRef
    visit_type: str
    at: datetime
    amount_minor: int | None
    currency: str
    happy: bool
    first_attended: bool
    notes: tuple[str, ...]  # the friendly confirmation, one line each
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class CheckinUndone:
    notes: tuple[str, ...]
    changes: Changes = NO_CHANGES


@dataclass(frozen=True)
class ReferralLine:
    """A referral on a patient card: who, and where it stands."""

    referral_id: int
    other: str  # the other person's name ("Tom Baker"), or the prospect's
    status: str
    at: datetime
    other_id: int | None = None  # the other person's patient id, when they are on file


@dataclass(frozen=True)
class PatientCard:
    """Everything the desk needs at the moment of check-in, worked out in one read."""

    patient: PatientRef
    masked_phone: str
    masked_email: str | None
    sms_status: str  # "SMS ✓", "no SMS consent", "opted out", "number invalid", "no mobile"
    link: str | None  # the booking page with ?ref=CODE, when the clinic has one
    currency: str
    credit_minor: int  # available reward credit to redeem now
    welcome_offer: str | None  # an open new-patient offer, in words
    completes_referral: str | None  # "This first visit completes Sarah Connolly's referral."
    referred_by: ReferralLine | None
    referrals_made: tuple[ReferralLine, ...]
    flag: str | None  # an open fraud flag on one of this patient's referrals, in words
    visits: int
    first_visit: datetime | None
    last_visit: datetime | None
    checked_in_today: bool
    birth_year: int | None
    can_attach_referrer: bool  # no referrer yet and still inside the late-attach window
    late_attach_until: date | None  # last day a forgotten referrer can be attached
    late_attach_blocked: str | None  # why not, when there is a reason worth saying


@dataclass(frozen=True)
class TodayRow:
    """One line of today's list: checked in, expected (booked) or new today."""

    patient: PatientRef
    state: str  # checked_in, expected, new
    at: datetime
    visit_type: str | None
    visit_id: int | None


@dataclass(frozen=True)
class PatientRow:
    """One row of the Patients screen's table."""

    patient: PatientRef
    masked_phone: str
    sms_consent: bool
    opted_out: bool
    created_at: datetime
    last_visit: datetime | None
    visits: int


@dataclass(frozen=True)
class PatientPage:
    rows: tuple[PatientRow, ...]
    total: int
    offset: int
