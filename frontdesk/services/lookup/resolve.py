"""Turning one typed query into exactly one patient ("Referred by?", `checkin QUERY`).

The search box may show several people; a command that acts on one must not guess. A code,
a full phone number or an email identifies a person; a name or the last digits of a phone
do only when exactly one patient matches. Otherwise the error lists who matched and asks
for something that tells them apart.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError, NotFoundError, UnknownCodeError
from frontdesk.domain.names import normalize_name
from frontdesk.domain.person_fields import clean_email
from frontdesk.domain.phones import MIN_SUFFIX_DIGITS, digits_of, mask_phone, parse_phone
from frontdesk.domain.referral_code import looks_like_code, near_misses, normalize_code
from frontdesk.services.records.patients import active_code
from frontdesk.store.models import Patient, ReferralCode
from frontdesk.store.prefix import has_prefix

MAX_QUERY = 200
SHOW_AMBIGUOUS = 3


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def resolve_patient(session: Session, query: str, region: str) -> Patient:
    """The one patient a query names, or a NotFound/UnknownCode/InvalidInput error."""
    text = " ".join(query.split())
    if not text:
        raise InvalidInputError("Type a code, phone number, email or name.")
    if len(text) > MAX_QUERY:
        raise InvalidInputError(f"That search is too long ({len(text)} characters).")
    if looks_like_code(text):
        found = _by_code(session, text)
        if found is not None:
            return found
        if any(ch.isdigit() for ch in text):
            _refuse_unknown_code(session, text)
        try:  # "Ann Ward" has a code's shape too: a name it may be
            return _by_name(session, text)
        except NotFoundError:
            if _real_near_misses(session, text):
                _refuse_unknown_code(session, text)
            raise
    if "@" in text:
        return _by_email(session, text)
    digits = digits_of(text)
    if len(digits) >= MIN_SUFFIX_DIGITS and not any(ch.isalpha() for ch in text):
        return _by_phone(session, text, digits, region)
    return _by_name(session, text)


def _live(session: Session, ids: list[int]) -> list[Patient]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(Patient).where(Patient.id.in_(ids), Patient.erased_at.is_(None))
        ).all()
    )


def _one(matches: list[Patient], text: str, session: Session, hint: str) -> Patient:
    if not matches:
        raise NotFoundError(f"No one on file matches “{text[:40]}”.")
    if len(matches) == 1:
        return matches[0]
    shown = "; ".join(_describe(session, p) for p in matches[:SHOW_AMBIGUOUS])
    more = f" and {len(matches) - SHOW_AMBIGUOUS} more" if len(matches) > SHOW_AMBIGUOUS else ""
    raise InvalidInputError(f"“{text[:40]}” matches {len(matches)} people: {shown}{more}. {hint}")


def _describe(session: Session, patient: Patient) -> str:
    phone = mask_phone(patient.phone_e164) if patient.phone_e164 else "no phone"
    code = active_code(session, patient.id) or "no code"
    return f"{patient.first_name} {patient.last_name}".strip() + f" ({phone}, {code})"


def _by_code(session: Session, text: str) -> Patient | None:
    code = normalize_code(text)
    pid = session.scalar(select(ReferralCode.patient_id).where(ReferralCode.code == code))
    found = _live(session, [pid]) if pid is not None else []
    return found[0] if found else None


def _real_near_misses(session: Session, text: str) -> list[str]:
    """Codes on file one typo away from ``text``."""
    candidates = near_misses(text)
    if not candidates:
        return []
    return sorted(
        session.scalars(
            select(ReferralCode.code).where(ReferralCode.code.in_(candidates), ReferralCode.active)
        )
    )


def _refuse_unknown_code(session: Session, text: str) -> NoReturn:
    code = normalize_code(text)
    real = _real_near_misses(session, text)
    if real:
        raise UnknownCodeError(
            f"No patient has the code {code}. Did you mean {' or '.join(real)}?", real
        )
    raise UnknownCodeError(f"No patient has the code {code}. Please check it with the patient.")


def _by_email(session: Session, text: str) -> Patient:
    email = clean_email(text)
    ids = list(session.scalars(select(Patient.id).where(Patient.email_norm == email)))
    return _one(_live(session, ids), text, session, "Give their phone number or code instead.")


def _by_phone(session: Session, text: str, digits: str, region: str) -> Patient:
    try:
        e164 = parse_phone(text, region)
    except InvalidInputError:
        e164 = None
    if e164 is not None:
        ids = list(session.scalars(select(Patient.id).where(Patient.phone_e164 == e164)))
        if ids:
            return _one(_live(session, ids), text, session, "Give their code instead.")
    ids = list(
        session.scalars(
            select(Patient.id)
            .where(has_prefix(Patient.phone_rev, digits[::-1], _dialect(session)))
            .limit(SHOW_AMBIGUOUS + 20)
        )
    )
    return _one(_live(session, ids), text, session, "Type more of the number, or their code.")


def _by_name(session: Session, text: str) -> Patient:
    norm = normalize_name(text)
    if not norm:
        raise InvalidInputError(
            f"“{text[:40]}” is not a code, phone, email or name; please check what was typed."
        )
    ids = list(session.scalars(select(Patient.id).where(Patient.name_norm == norm).limit(50)))
    if not ids:
        ids = list(
            session.scalars(
                select(Patient.id)
                .where(has_prefix(Patient.name_norm, norm + " ", _dialect(session)))
                .limit(50)
            )
        )
    return _one(_live(session, ids), text, session, "Give their code or phone number to pick one.")
