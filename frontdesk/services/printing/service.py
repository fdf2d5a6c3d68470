"""What to print: today's patients or a chosen list as referral cards, and posters whose
source tags are stored so the introductions they bring are credited to them.

Returns ``PrintDocument``s (pure data, QR matrices included); ``ui/printing`` paints them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError, NotFoundError
from frontdesk.domain.names import normalize_name
from frontdesk.domain.referral_code import generate_code, normalize_code
from frontdesk.domain.referral_link import personal_link
from frontdesk.printing.documents import CardPerson, Logo, PosterPage, PrintDocument, card_document
from frontdesk.printing.geometry import Paper
from frontdesk.services.lookup.service import LookupService
from frontdesk.services.printing.posters import (
    PosterInfo,
    poster_document,
    poster_info,
    record_poster,
)
from frontdesk.services.printing.wording import load_logo, load_wording, remove_logo, store_logo
from frontdesk.services.records.clinic import clinic_info, clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.dto import PatientRef
from frontdesk.services.records.patients import patient_ref
from frontdesk.store.models import Patient, Poster, ReferralCode, Visit

__all__ = ["PosterInfo", "PrintService"]

SAMPLE_NAMES = ("Sarah", "Tom", "Amara", "Luca", "Priya", "Oliver", "Mei", "Jonas", "Aisha", "Noah")
MAX_CARDS = 500
MAX_POSTERS = 20


class PrintService:
    def __init__(self, ctx: ServiceContext, lookup: LookupService) -> None:
        self._ctx = ctx
        self._lookup = lookup

    # -- who -------------------------------------------------------------------------------
    def todays_patients(self) -> tuple[PatientRef, ...]:
        """Everyone with an attended visit today (clinic time), in the order they came."""
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            start, end = _local_day(self._ctx.clock.now(), clinic.timezone)
            first_seen = func.min(Visit.at)
            rows = session.execute(
                select(Visit.patient_id, first_seen)
                .join(Patient, Patient.id == Visit.patient_id)
                .where(Visit.status == "attended", Visit.at >= start, Visit.at < end)
                .where(Patient.erased_at.is_(None))
                .group_by(Visit.patient_id)
                .order_by(first_seen, Visit.patient_id)
            ).all()
            return self._refs(session, [row.patient_id for row in rows])

    def patients(self, patient_ids: Sequence[int]) -> tuple[PatientRef, ...]:
        with self._ctx.db.read() as session:
            return self._refs(session, list(patient_ids))

    def resolve(self, queries: Iterable[str]) -> tuple[PatientRef, ...]:
        """One patient per query (code, phone, name or email), or a clear reason why not."""
        chosen: list[PatientRef] = []
        for query in queries:
            by_code = self._by_exact_code(query)
            if by_code is not None:
                if by_code.id not in {p.id for p in chosen}:
                    chosen.append(by_code)
                continue
            result = self._lookup.lookup(query)
            hits = result.hits
            if not hits:
                hint = (
                    f" Did you mean {' or '.join(result.suggestions)}?"
                    if result.suggestions
                    else ""
                )
                raise NotFoundError(f"No patient matches {query!r}.{hint}")
            exact = [h for h in hits if h.matched_on in ("code", "phone", "email")]
            wanted = normalize_name(query)
            named = [h for h in hits if normalize_name(h.patient.name) == wanted]
            pick = exact[0] if len(exact) == 1 else named[0] if len(named) == 1 else None
            if pick is None and len(hits) == 1:
                pick = hits[0]
            if pick is None:
                listed = "; ".join(
                    f"{h.patient.name} ({h.patient.code}, {h.masked_phone})" for h in hits[:4]
                )
                raise InvalidInputError(
                    f"{query!r} matches {len(hits)} patients: {listed}. Use their code instead."
                )
            if pick.patient.id not in {p.id for p in chosen}:
                chosen.append(pick.patient)
        return tuple(chosen)

    def _by_exact_code(self, query: str) -> PatientRef | None:
        # The search box only treats a word as a code when it has a digit; a printed batch
        # may name any code exactly ("SARAH-PWXE").
        code = normalize_code(query)
        with self._ctx.db.read() as session:
            pid = session.scalar(
                select(ReferralCode.patient_id).where(
                    ReferralCode.code == code, ReferralCode.active
                )
            )
            refs = self._refs(session, [pid]) if pid is not None else ()
        return refs[0] if refs else None

    # -- cards -----------------------------------------------------------------------------
    def card_document(
        self,
        patient_ids: Sequence[int],
        paper: Paper = Paper.A4,
        *,
        aftercare: bool = False,
        template: str | None = None,
    ) -> PrintDocument:
        ids = list(dict.fromkeys(patient_ids))
        if not ids:
            raise InvalidInputError("Choose at least one patient to print a card for.")
        if len(ids) > MAX_CARDS:
            raise InvalidInputError(f"Print at most {MAX_CARDS} cards at a time.")
        with self._ctx.db.read() as session:
            wording = load_wording(session, template)
            clinic = clinic_info(clinic_row(session))
            rows = {
                row.id: row
                for row in session.execute(
                    select(Patient.id, Patient.first_name, ReferralCode.code)
                    .join(ReferralCode, ReferralCode.patient_id == Patient.id)
                    .where(Patient.id.in_(ids), ReferralCode.active, Patient.erased_at.is_(None))
                )
            }
        missing = [pid for pid in ids if pid not in rows]
        if missing:
            raise NotFoundError(
                f"{len(missing)} of the chosen patients are no longer on file "
                f"(ids {', '.join(map(str, missing[:5]))}); refresh the list and try again."
            )
        people = [
            CardPerson(
                patient_id=pid,
                first_name=rows[pid].first_name,
                code=rows[pid].code,
                payload=personal_link(clinic.booking_url, rows[pid].code, clinic.sms_number),
            )
            for pid in ids
        ]
        return card_document(
            paper=paper,
            template=wording.template,
            clinic=wording.clinic,
            people=people,
            offer=wording.card_offer,
            contact=wording.clinic.contact_line(),
            aftercare=wording.aftercare if aftercare else None,
        )

    def sample_card_document(
        self, paper: Paper = Paper.A4, *, aftercare: bool = False, template: str | None = None
    ) -> PrintDocument:
        """A sheet of example cards for previews and thumbnails; never for printing."""
        with self._ctx.db.read() as session:
            wording = load_wording(session, template)
            clinic = clinic_info(clinic_row(session))
        people = []
        for index, name in enumerate(SAMPLE_NAMES):
            code = generate_code(name, random.Random(index))
            link = personal_link(clinic.booking_url, code, clinic.sms_number)
            people.append(CardPerson(patient_id=0, first_name=name, code=code, payload=link))
        document = card_document(
            paper=paper,
            template=wording.template,
            clinic=wording.clinic,
            people=people,
            offer=wording.card_offer,
            contact=wording.clinic.contact_line(),
            aftercare=wording.aftercare if aftercare else None,
        )
        return replace(document, title="Sample referral cards")

    # -- posters ---------------------------------------------------------------------------
    def list_posters(self) -> tuple[PosterInfo, ...]:
        with self._ctx.db.read() as session:
            rows = session.scalars(select(Poster).order_by(Poster.created_at, Poster.id))
            return tuple(poster_info(row) for row in rows)

    def poster_preview(self, template: str, paper: Paper, source_name: str) -> PrintDocument:
        """The poster as it would print, without recording it."""
        with self._ctx.db.read() as session:
            wording = load_wording(session, template)
            clinic = clinic_info(clinic_row(session))
        return poster_document(wording, clinic, paper, [source_name])

    def print_posters(
        self, actor: Actor, template: str, paper: Paper, source_names: Sequence[str]
    ) -> PrintDocument:
        """Record a poster per source (or bring an existing one up to date) and lay them out.
        A source already on file keeps its tag, so reprints stay credited to it."""
        names = [" ".join(name.split()) for name in source_names if name.strip()]
        if not names:
            raise InvalidInputError("Name where the poster goes, like 'Reception'.")
        if len(names) > MAX_POSTERS:
            raise InvalidInputError(f"Print at most {MAX_POSTERS} posters at a time.")
        try:
            return self._print_posters(actor, template, paper, names)
        except IntegrityError:
            # Another desk recorded the same source a moment ago: its row is there now.
            return self._print_posters(actor, template, paper, names)

    def _print_posters(
        self, actor: Actor, template: str, paper: Paper, names: list[str]
    ) -> PrintDocument:
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            wording = load_wording(session, template)
            clinic = clinic_info(clinic_row(session))
            document = poster_document(wording, clinic, paper, names)
            for page in document.pages:
                if isinstance(page, PosterPage):
                    record_poster(session, actor, page, template, paper, now)
        return document

    # -- logo ------------------------------------------------------------------------------
    def logo(self) -> Logo | None:
        with self._ctx.db.read() as session:
            return load_logo(session)

    def set_logo(self, actor: Actor, data: bytes) -> Logo:
        with self._ctx.db.begin() as session:
            return store_logo(session, actor, data, self._ctx.clock.now())

    def clear_logo(self, actor: Actor) -> None:
        with self._ctx.db.begin() as session:
            remove_logo(session, actor, self._ctx.clock.now())

    # -- helpers ---------------------------------------------------------------------------
    def _refs(self, session: Session, ids: list[int]) -> tuple[PatientRef, ...]:
        if not ids:
            return ()
        rows = session.execute(
            select(Patient, ReferralCode.code)
            .outerjoin(ReferralCode, (ReferralCode.patient_id == Patient.id) & ReferralCode.active)
            .where(Patient.id.in_(ids), Patient.erased_at.is_(None))
        ).all()
        by_id = {patient.id: patient_ref(patient, code) for patient, code in rows}
        return tuple(by_id[pid] for pid in ids if pid in by_id)


def _local_day(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Today's bounds in the clinic's time zone, as aware instants."""
    local = now.astimezone(ZoneInfo(timezone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # Aware arithmetic is wall-clock arithmetic: this is the next local midnight, DST or not.
    return start, start + timedelta(days=1)
