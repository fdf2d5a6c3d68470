"""The indexed queries behind the search box, one per way a person can be named.

Each branch is a separate, limited query that an index answers (EXPLAIN-checked in the
tests), so the search costs the same at 500 patients or 500,000. Prefix searches go through
``store.prefix.has_prefix`` (a byte range on SQLite, pattern operators on PostgreSQL, both
served by indexes).

The branches a code or a phone takes — what the desk types most — run statements built once
(Core, on the session's connection): building a ``select()`` and the ORM layer cost several
times the indexed query itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, Select, Table, bindparam, select
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.names import PHONETIC_MIN, TYPO_MIN, phonetic_key
from frontdesk.domain.phones import phone_search_forms
from frontdesk.domain.referral_code import ALPHABET, FOLD, SUFFIX_LEN, near_misses, normalize_code
from frontdesk.store.models import Patient, ReferralCode, Visit
from frontdesk.store.prefix import has_prefix, prefix_params, starts_with

BRANCH_LIMIT = 60

_P: Table = Patient.__table__  # type: ignore[assignment]
_RC: Table = ReferralCode.__table__  # type: ignore[assignment]
_V: Table = Visit.__table__  # type: ignore[assignment]
_LIVE = _P.c.erased_at.is_(None)
_CODE_OWNER = select(_RC.c.patient_id, _P.c.name_norm).join_from(
    _RC, _P, _P.c.id == _RC.c.patient_id
)
_CODE_EXACT = _CODE_OWNER.where(_RC.c.code == bindparam("code"), _LIVE)
_CODE_NEAR = (
    select(_RC.c.code, _RC.c.patient_id, _P.c.name_norm)
    .join_from(_RC, _P, _P.c.id == _RC.c.patient_id)
    .where(_RC.c.code.in_(bindparam("codes", expanding=True)), _RC.c.active, _LIVE)
)
_CODE_SUFFIX = _CODE_OWNER.where(
    _RC.c.code_suffix == bindparam("suffix"), _RC.c.active, _LIVE
).limit(BRANCH_LIMIT)
_PHONE_EXACT = (
    select(_P.c.id, _P.c.name_norm)
    .where(_P.c.phone_e164 == bindparam("e164"), _LIVE)
    .limit(BRANCH_LIMIT)
)
_BOOKED_TODAY = select(_V.c.patient_id).where(
    _V.c.patient_id.in_(bindparam("ids", expanding=True)),
    _V.c.at >= bindparam("start"),
    _V.c.at < bindparam("end"),
)


@cache
def _phone_suffix(dialect: str) -> Select[tuple[int, str]]:
    """Numbers ending with the typed digits: a prefix of the reversed digits, in index order."""
    return (
        select(_P.c.id, _P.c.name_norm)
        .where(starts_with(_P.c.phone_rev, "rev", dialect), _LIVE)
        .order_by(_P.c.phone_rev)
        .limit(BRANCH_LIMIT)
    )


@dataclass(frozen=True)
class Candidate:
    patient_id: int
    name_norm: str
    base: float  # a score from the branch itself (code, phone, email), or 0 for names
    how: str


class Branches:
    def __init__(self, session: Session, region: str, dialect: str) -> None:
        self.s = session
        self.region = region
        self.dialect = dialect

    def _rows(self, *where: ColumnElement[bool], order: object = None) -> list:
        """(id, name_norm) of live patients; with ``order`` the index's own order, so the
        database stops after the first rows instead of sorting every match."""
        query = select(Patient.id, Patient.name_norm).where(*where, Patient.erased_at.is_(None))
        if order is not None:
            query = query.order_by(order)  # type: ignore[arg-type]
        return list(self.s.execute(query.limit(BRANCH_LIMIT)).all())

    # -- codes ----------------------------------------------------------------------------
    def code(self, text: str) -> tuple[list[Candidate], tuple[str, ...]]:
        """The exact code, or the real codes one typo away ("did you mean")."""
        conn = self.s.connection()
        exact = conn.execute(_CODE_EXACT, {"code": normalize_code(text)}).first()
        if exact is not None:
            return [Candidate(exact.patient_id, exact.name_norm, 1.0, "code")], ()
        candidates = near_misses(text)
        if not candidates:
            return [], ()
        rows = conn.execute(_CODE_NEAR, {"codes": list(candidates)}).all()
        found = [Candidate(r.patient_id, r.name_norm, 0.86, "did you mean") for r in rows]
        return found, tuple(sorted(r.code for r in rows))

    def code_suffix(self, compact: str) -> list[Candidate]:
        """Just the last four symbols ("K7QD"): the indexed suffix column."""
        folded = compact.upper().translate(FOLD)
        if len(folded) != SUFFIX_LEN or any(ch not in ALPHABET for ch in folded):
            return []
        rows = self.s.connection().execute(_CODE_SUFFIX, {"suffix": folded}).all()
        # Four letters may be a name ("anna"): a suffix hit with a digit is a surer one.
        score = 0.95 if any(ch.isdigit() for ch in compact) else 0.6
        return [Candidate(r.patient_id, r.name_norm, score, "code") for r in rows]

    # -- phone and email ------------------------------------------------------------------
    def phone(self, text: str) -> list[Candidate]:
        try:
            forms = phone_search_forms(text, self.region)
        except InvalidPhoneError:
            return []
        conn = self.s.connection()
        found: list[Candidate] = []
        if forms.e164:
            found += [
                Candidate(r.id, r.name_norm, 0.99, "phone")
                for r in conn.execute(_PHONE_EXACT, {"e164": forms.e164})
            ]
        if forms.suffix_reversed:
            surer = 0.93 if len(forms.suffix_reversed) >= 7 else 0.9
            found += [
                Candidate(r.id, r.name_norm, surer, "phone")
                for r in conn.execute(
                    _phone_suffix(self.dialect), prefix_params("rev", forms.suffix_reversed)
                )
            ]
        return found

    def email(self, text: str) -> list[Candidate]:
        email = text.strip().lower()
        exact = [
            Candidate(r.id, r.name_norm, 0.99, "email")
            for r in self._rows(Patient.email_norm == email)
        ]
        starts = [
            Candidate(r.id, r.name_norm, 0.9, "email")
            for r in self._rows(
                has_prefix(Patient.email_norm, email, self.dialect), order=Patient.email_norm
            )
        ]
        return exact + starts

    # -- names ----------------------------------------------------------------------------
    def names(self, norm: str) -> list[Candidate]:
        """Everyone a typed name could mean; the ranking decides who comes first."""
        tokens = norm.split(" ")
        first, last = tokens[0], tokens[-1]
        rows = self._rows(
            has_prefix(Patient.name_norm, norm, self.dialect), order=Patient.name_norm
        )
        if len(tokens) == 1:
            rows += self._rows(
                has_prefix(Patient.last_norm, first, self.dialect), order=Patient.last_norm
            )
            if len(first) >= PHONETIC_MIN:
                key = phonetic_key(first)
                rows += self._rows(Patient.first_key == key)
                rows += self._rows(Patient.last_key == key)
            if len(first) >= TYPO_MIN:
                # A typo after the first letters ("kathyrn"): the ranking judges the rest.
                head = first[:3]
                rows += self._rows(
                    has_prefix(Patient.name_norm, head, self.dialect), order=Patient.name_norm
                )
                rows += self._rows(
                    has_prefix(Patient.last_norm, head, self.dialect), order=Patient.last_norm
                )
        else:
            # A typo in either word, but not in its first letter ("sarh connolly").
            rows += self._rows(
                has_prefix(Patient.last_norm, last, self.dialect),
                has_prefix(Patient.name_norm, first[0], self.dialect),
                order=Patient.last_norm,
            )
            rows += self._rows(
                has_prefix(Patient.name_norm, f"{first} {last[0]}", self.dialect),
                order=Patient.name_norm,
            )
            rows += self._rows(
                has_prefix(Patient.last_norm, last, self.dialect),
                has_prefix(Patient.name_norm, first, self.dialect),
                order=Patient.last_norm,
            )
            if len(first) >= PHONETIC_MIN:
                rows += self._rows(
                    has_prefix(Patient.last_norm, last, self.dialect),
                    Patient.first_key == phonetic_key(first),
                    order=Patient.last_norm,
                )
            if len(last) >= PHONETIC_MIN:
                rows += self._rows(
                    Patient.last_key == phonetic_key(last),
                    has_prefix(Patient.name_norm, first, self.dialect),
                )
                if len(first) >= PHONETIC_MIN:
                    rows += self._rows(
                        Patient.last_key == phonetic_key(last),
                        Patient.first_key == phonetic_key(first),
                    )
            # Surname typed first ("connolly sarah").
            rows += self._rows(
                has_prefix(Patient.last_norm, first, self.dialect),
                has_prefix(Patient.name_norm, last, self.dialect),
                order=Patient.last_norm,
            )
        return [Candidate(r.id, r.name_norm, 0.0, "name") for r in rows]

    def booked_today(self, ids: list[int], start: datetime, end: datetime) -> set[int]:
        """Which of these people are booked or seen today: the person at the desk most
        likely is one of them."""
        if not ids:
            return set()
        params = {"ids": ids, "start": start, "end": end}
        return set(self.s.connection().execute(_BOOKED_TODAY, params).scalars())
