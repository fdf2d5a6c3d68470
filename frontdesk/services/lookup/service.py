"""One query string → ranked patients, by code, phone (any format or last digits), name or email.

The branches (``lookup.branches``) gather candidates through indexes; this module decides
who the receptionist most likely means: an exact code is that person alone (the other
branches are not asked), an exact phone beats everything, then how well the name matches
(prefix, sound-alike, typo), then who is booked today, then who came most recently. When
some people match every typed word, those who match only part of it are left out.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select

from frontdesk.domain.clinic_time import clinic_day
from frontdesk.domain.names import match_score, normalize_name
from frontdesk.domain.referral_code import SUFFIX_LEN, looks_like_code
from frontdesk.domain.voucher import normalize_voucher
from frontdesk.services.lookup.branches import Branches, Candidate
from frontdesk.services.lookup.hits import build_hits, last_visits
from frontdesk.services.lookup.resolve import resolve_patient
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.dto import LookupResult, PatientRef
from frontdesk.services.records.patients import active_code, patient_ref
from frontdesk.store.models import Patient, Reward

MAX_HITS = 8
MAX_QUERY = 200
FULL_MATCH = 0.7  # every typed word found something in the name
WEAK_MATCH = 0.3
TODAY_BOOST = 0.04
RECENT_DAYS = 120
SHORTLIST = 5
_SEPARATORS = re.compile(r"[\s\-_.]")


def clean_query(query: str) -> str:
    """Single spaces, no invisible or control characters (pasted text carries them)."""
    visible = "".join(ch for ch in query if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(visible.split())


class LookupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def resolve(self, query: str) -> PatientRef:
        """The one patient a query names (code, phone, email or unique name), or an error
        that says who matched and what would tell them apart."""
        with self._ctx.db.read() as session:
            patient = resolve_patient(session, query, clinic_row(session).country)
            return patient_ref(patient, active_code(session, patient.id))

    def lookup(self, query: str, limit: int = MAX_HITS) -> LookupResult:
        text = clean_query(query)
        if not text:
            return LookupResult(query="", hits=())
        if len(text) > MAX_QUERY:
            return LookupResult(
                query=text[:40] + "…",
                hits=(),
                message="That search is too long. Type a code, a phone number, a name or an email.",
            )
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            branches = Branches(session, clinic.country, self._ctx.db.dialect)
            found, suggestions = self._gather(branches, text)
            if not found:
                return LookupResult(
                    query=text, hits=(), suggestions=suggestions, message=_why_nothing(text)
                )
            found = _shortlist(found, limit)
            today = branches.booked_today(list(found), *clinic_day(now, clinic.timezone))
            visits = last_visits(session, list(found))
            ranked = _rank(found, today, visits, now)[:limit]
            hits = build_hits(session, ranked, visits, clinic.currency, now)
        message = None if hits else _why_nothing(text)
        return LookupResult(query=text, hits=hits, suggestions=suggestions, message=message)

    def _gather(
        self, branches: Branches, text: str
    ) -> tuple[dict[int, tuple[float, str]], tuple[str, ...]]:
        """Best (score, how) per patient from every branch the text could mean."""
        found: dict[int, tuple[float, str]] = {}
        suggestions: tuple[str, ...] = ()

        def take(candidates: list[Candidate], score_names: str | None = None) -> None:
            scored: set[int] = set()
            for c in candidates:
                if score_names and c.patient_id in scored:
                    continue  # several branches found the same person; score them once
                scored.add(c.patient_id)
                score = match_score(score_names, c.name_norm) if score_names else c.base
                if c.patient_id not in found or found[c.patient_id][0] < score:
                    found[c.patient_id] = (score, c.how)

        compact = _SEPARATORS.sub("", text)
        letters = sum(ch.isalpha() for ch in text)
        digits = sum(ch.isdigit() for ch in text)
        voucher = normalize_voucher(text)
        if voucher:
            take(_by_voucher(branches, voucher))
        if looks_like_code(text):
            exact, suggestions = branches.code(text)
            take(exact)
            if exact:  # a whole code names one person, as in resolve(): no other branch
                return found, suggestions
        if len(compact) == SUFFIX_LEN and compact.isalnum() and compact.isascii():
            take(branches.code_suffix(compact))
        if "@" in text:
            take(branches.email(text))
            return found, suggestions
        if digits >= 4 and digits >= letters:
            take(branches.phone(text))
        norm = normalize_name(text)
        if letters and norm and (digits == 0 or not found):
            take(branches.names(norm), norm)
        return found, suggestions


def _by_voucher(branches: Branches, voucher: str) -> list[Candidate]:
    """The new patient holding a single-use welcome voucher (``GIFT-7KQ3XD``)."""
    row = branches.s.execute(
        select(Reward.patient_id, Patient.name_norm)
        .join(Patient, Patient.id == Reward.patient_id)
        .where(Reward.voucher_code == voucher, Patient.erased_at.is_(None))
    ).first()
    return [Candidate(row.patient_id, row.name_norm, 1.0, "voucher")] if row else []


def _shortlist(found: dict[int, tuple[float, str]], limit: int) -> dict[int, tuple[float, str]]:
    """The best few by match alone; the small boosts (today, recency) only reorder these."""
    best = sorted(found.items(), key=lambda item: -item[1][0])[: max(limit * SHORTLIST, 40)]
    return dict(best)


def _rank(
    found: dict[int, tuple[float, str]],
    today: set[int],
    visits: dict[int, datetime],
    now: datetime,
) -> list[tuple[int, float, str]]:
    best = max(score for score, _how in found.values())
    floor = FULL_MATCH if best >= FULL_MATCH else WEAK_MATCH
    ranked = []
    for pid, (score, how) in found.items():
        if score < floor:
            continue
        boost = TODAY_BOOST if pid in today else 0.0
        last = visits.get(pid)
        if last is not None and now - last < timedelta(days=RECENT_DAYS):
            boost += 0.02 * (1 - (now - last) / timedelta(days=RECENT_DAYS))
        ranked.append((pid, min(score + boost, 1.0) if score < 1.0 else 1.0 + boost, how))
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked


def _why_nothing(text: str) -> str:
    if not any(ch.isalnum() for ch in text):
        return "Type a code, a phone number, a name or an email."
    return f"No one matches “{text[:40]}”."
