"""One query string → ranked patients, by code, phone (any format or last digits), name or email.

Every branch is an index seek or range (code unique index, E.164 index, reversed-digits
prefix, normalised-name prefix, phonetic keys): nothing scans the patient table, so a search
takes about as long at a million patients as at a thousand. Statements are built once per
dialect and reused, and the rows shown are read in one query for all hits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidPhoneError
from frontdesk.domain.names import name_similarity, normalize_name, phonetic_key
from frontdesk.domain.phones import mask_phone, phone_search_forms
from frontdesk.domain.referral_code import looks_like_code, near_misses, normalize_code
from frontdesk.services.clinic import clinic_row
from frontdesk.services.context import ServiceContext
from frontdesk.services.dto import LookupResult, PatientRef, SearchHit
from frontdesk.services.lookup_sql import LookupStatements
from frontdesk.services.patient_records import patient_ref
from frontdesk.services.resolve import active_code, resolve_patient
from frontdesk.store.prefix import prefix_params

MAX_HITS = 8
MAX_QUERY = 200
# Rows each name probe may bring back for ranking; the best eight are shown.
NAME_POOL = 100
EXACT_PREFIX, BOTH_NAMES, OTHER_NAME = 0.9, 0.7, 0.5


class LookupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._sql: LookupStatements | None = None

    @property
    def sql(self) -> LookupStatements:
        if self._sql is None:
            self._sql = LookupStatements(self._ctx.db.dialect, NAME_POOL)
        return self._sql

    def resolve(self, query: str) -> PatientRef:
        """The one patient a query names (code, phone, email or unique name), or an error
        that says who matched and what would tell them apart."""
        with self._ctx.db.read() as session:
            patient = resolve_patient(session, query, clinic_row(session).country)
            return patient_ref(patient, active_code(session, patient.id))

    def lookup(self, query: str, limit: int = MAX_HITS) -> LookupResult:
        text = " ".join(query.split())[:MAX_QUERY]
        if not text:
            return LookupResult(query="", hits=())
        with self._ctx.db.read() as session:
            scored: dict[int, tuple[float, str]] = {}
            suggestions: tuple[str, ...] = ()
            exact_code = False
            if looks_like_code(text):
                found, suggestions, exact_code = self._by_code(session, text)
                _merge(scored, found, 1.0, "code")
            if "@" in text:
                _merge(scored, self._by_email(session, text), 0.95, "email")
            digits = sum(ch.isdigit() for ch in text)
            if digits >= 4 and digits >= len(text.replace(" ", "")) // 2:
                _merge(scored, self._by_phone(session, text), 0.97, "phone")
            # Digits are not part of a name: past an exact code, "sean 2cwz" is no name search.
            wants_name = not (exact_code and digits)
            if wants_name and any(ch.isalpha() for ch in text) and "@" not in text:
                for pid, score in self._by_name(session, text, limit):
                    _merge(scored, [pid], score, "name")
            if not scored:
                clinic_row(session)  # an empty database says how to start, not "no one"
            # Stable: equal scores keep the order the probes found them in.
            ranked = sorted(scored.items(), key=lambda item: -item[1][0])[:limit]
            hits = self._hits(session, ranked)
        return LookupResult(query=text, hits=hits, suggestions=suggestions)

    # -- branches ---------------------------------------------------------------------------
    def _by_code(self, session: Session, text: str) -> tuple[list[int], tuple[str, ...], bool]:
        pid = session.scalar(self.sql.code, {"code": normalize_code(text)})
        if pid is not None:
            return [pid], (), True
        candidates = near_misses(text)
        if not candidates:
            return [], (), False
        rows = session.execute(self.sql.near_codes, {"codes": candidates}).all()
        return [row.patient_id for row in rows], tuple(sorted(row.code for row in rows)), False

    def _by_email(self, session: Session, text: str) -> list[int]:
        email = text.strip().lower()
        return list(session.scalars(self.sql.email, prefix_params("email", email)))

    def _by_phone(self, session: Session, text: str) -> list[int]:
        try:
            forms = phone_search_forms(text, self._region(session))
        except InvalidPhoneError:
            return []
        params = {"e164": forms.e164, **prefix_params("rev", forms.suffix_reversed)}
        return list(session.scalars(self.sql.phone, params))

    def _region(self, session: Session) -> str:
        country = session.scalar(self.sql.country)
        return country if country is not None else clinic_row(session).country

    def _by_name(self, session: Session, text: str, limit: int) -> Iterable[tuple[int, float]]:
        norm = normalize_name(text)
        if not norm:
            return []
        tokens = norm.split(" ")
        first, last = tokens[0], tokens[-1]
        first_key = phonetic_key(first) if len(first) >= 3 else None
        last_key = phonetic_key(last) if len(tokens) > 1 and len(last) >= 3 else None
        sql = self.sql
        # Probes from the most to the least telling; the pool is their union, in this order.
        # (statement, parameters, base score): both names matching (sound-alike first name
        # with the last name's sound or beginning) outrank one name matching.
        probes: list[tuple[object, dict[str, object], float]] = [
            (sql.name_prefix, prefix_params("name", norm), OTHER_NAME)
        ]
        if first_key and len(tokens) > 1:
            if last_key:
                keys = {"first_key": first_key, "last_key": last_key}
                probes.append((sql.name_keys, keys, BOTH_NAMES))
            probes.append((sql.first_key_last, {"first_key": first_key, **_last(last)}, BOTH_NAMES))
        probes.append((sql.last_prefix, _last(last), OTHER_NAME))
        if first_key:
            probes.append((sql.first_key, {"first_key": first_key}, OTHER_NAME))
        if last_key:
            probes.append((sql.last_key, {"last_key": last_key}, OTHER_NAME))
        pool: dict[int, tuple[str, float]] = {}
        for index, (statement, params, base) in enumerate(probes):
            for row in session.execute(statement, params):  # type: ignore[call-overload]
                pool.setdefault(row.id, (row.name_norm, base))
            if index == 0 and len(pool) >= limit:
                break  # whole-prefix matches outrank anything the other probes can find
        width = max(len(norm), 1) + 6
        return [
            (
                pid,
                (EXACT_PREFIX if name.startswith(norm) else base)
                + 0.09 * name_similarity(norm, name[:width]),
            )
            for pid, (name, base) in pool.items()
        ]

    # -- presentation -----------------------------------------------------------------------
    def _hits(
        self, session: Session, ranked: list[tuple[int, tuple[float, str]]]
    ) -> tuple[SearchHit, ...]:
        if not ranked:
            return ()
        rows = {
            row.id: row for row in session.execute(self.sql.hits, {"ids": [p for p, _ in ranked]})
        }
        hits = []
        for pid, (score, how) in ranked:
            row = rows.get(pid)
            if row is None:
                continue
            fact = None
            if row.referrer_first is not None:
                fact = f"referred by {row.referrer_first} {row.referrer_last[:1]}.".strip()
            hits.append(
                SearchHit(
                    patient=PatientRef(
                        id=row.id,
                        name=f"{row.first_name} {row.last_name}".strip(),
                        phone=row.phone_e164,
                        email=row.email,
                        code=row.code,
                    ),
                    masked_phone=mask_phone(row.phone_e164) if row.phone_e164 else "no phone",
                    matched_on=how,
                    score=round(score, 3),
                    birth_year=row.birth_year,
                    last_visit=row.last_visit,
                    badge=row.referral_status,
                    fact=fact,
                )
            )
        return tuple(hits)


def _last(last: str) -> dict[str, str]:
    return prefix_params("last", last)


def _merge(
    scored: dict[int, tuple[float, str]], ids: Iterable[int], score: float, how: str
) -> None:
    for pid in ids:
        if pid not in scored or scored[pid][0] < score:
            scored[pid] = (score, how)
