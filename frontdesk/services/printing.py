"""What to print: today's patients or a chosen list as referral cards, and posters whose
source tags are stored so the introductions they bring are credited to them.

Returns ``PrintDocument``s (pure data, QR matrices included); ``ui/printing`` paints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.domain.errors import InvalidInputError, NotFoundError
from frontdesk.domain.names import normalize_name
from frontdesk.domain.referral_code import normalize_code
from frontdesk.printing import payloads
from frontdesk.printing.documents import (
    CardPerson,
    ClinicMark,
    Logo,
    PosterPage,
    PrintDocument,
    card_document,
    poster_page,
)
from frontdesk.printing.geometry import Paper
from frontdesk.printing.logo import validate_logo
from frontdesk.printing.templates import (
    PrintTemplate,
    default_aftercare,
    default_friend_offer,
    template_for,
)
from frontdesk.services import audit
from frontdesk.services.clinic import clinic_info, clinic_row, setting_value
from frontdesk.services.context import Actor, ServiceContext
from frontdesk.services.dto import ClinicInfo, PatientRef
from frontdesk.services.lookup import LookupService
from frontdesk.services.patient_records import patient_ref
from frontdesk.store.models import ClinicLogo, Patient, Poster, ReferralCode, Visit

MAX_CARDS = 500
MAX_POSTERS = 20
MAX_WORDING = 160


@dataclass(frozen=True)
class PosterInfo:
    id: int
    name: str
    source_tag: str
    template: str
    paper: str
    qr_payload: str
    created_at: datetime


@dataclass(frozen=True)
class PrintWording:
    """The owner's words (or the template's), shared by previews and print runs."""

    template: PrintTemplate
    clinic: ClinicMark
    keyword: str
    headline: str
    poster_offer: str
    card_offer: str
    aftercare: str


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
            wording = self._wording(session, template)
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
                payload=payloads.personal_link(
                    clinic.booking_url, clinic.sms_number, rows[pid].code
                ),
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

    # -- posters ---------------------------------------------------------------------------
    def list_posters(self) -> tuple[PosterInfo, ...]:
        with self._ctx.db.read() as session:
            rows = session.scalars(select(Poster).order_by(Poster.created_at, Poster.id))
            return tuple(_poster_info(row) for row in rows)

    def poster_preview(self, template: str, paper: Paper, source_name: str) -> PrintDocument:
        """The poster as it would print, without recording it."""
        with self._ctx.db.read() as session:
            wording = self._wording(session, template)
            clinic = clinic_info(clinic_row(session))
        return self._poster_document(wording, clinic, paper, [source_name])

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
            wording = self._wording(session, template)
            clinic = clinic_info(clinic_row(session))
            document = self._poster_document(wording, clinic, paper, names)
            for page in document.pages:
                if isinstance(page, PosterPage):
                    self._record_poster(session, actor, page, template, paper, now)
        return document

    def _record_poster(
        self,
        session: Session,
        actor: Actor,
        page: PosterPage,
        template: str,
        paper: Paper,
        now: datetime,
    ) -> None:
        tag, name, payload = page.source_tag, page.source_name, page.qr.payload
        row = session.scalar(select(Poster).where(Poster.source_tag == tag))
        after = {"name": name, "template": template, "paper": paper.value, "qr_payload": payload}
        if row is None:
            row = Poster(source_tag=tag, created_at=now, **after)
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor,
                "poster.create",
                "poster",
                row.id,
                at=now,
                after={"source_tag": tag, **after},
            )
            return
        before = {
            "name": row.name,
            "template": row.template,
            "paper": row.paper,
            "qr_payload": row.qr_payload,
        }
        if before != after:
            row.name, row.template, row.paper, row.qr_payload = name, template, paper.value, payload
            audit.record(
                session,
                actor,
                "poster.update",
                "poster",
                row.id,
                at=now,
                before=before,
                after=after,
            )

    def _poster_document(
        self, wording: PrintWording, clinic: ClinicInfo, paper: Paper, names: Sequence[str]
    ) -> PrintDocument:
        pages = []
        seen: set[str] = set()
        sms = not clinic.booking_url
        instruction = (
            "Scan to text us — we'll reply with your own code to share."
            if sms
            else "Scan with your phone camera and share the page with a friend."
        )
        for name in names:
            tag = payloads.slugify_tag(name)
            if tag in seen:
                continue
            seen.add(tag)
            target = payloads.poster_target(
                clinic.booking_url, clinic.sms_number, wording.keyword, tag
            )
            pages.append(
                poster_page(
                    paper=paper,
                    template=wording.template,
                    clinic=wording.clinic,
                    payload=target,
                    headline=wording.headline,
                    offer=wording.poster_offer,
                    instruction=instruction,
                    contact=wording.clinic.contact_line(wording.keyword if sms else None),
                    source_name=name,
                    source_tag=tag,
                )
            )
        count = len(pages)
        title = f"{wording.template.label} poster" + ("" if count == 1 else f"s ({count})")
        return PrintDocument(title=title, paper=paper, pages=tuple(pages))

    # -- logo ------------------------------------------------------------------------------
    def logo(self) -> Logo | None:
        with self._ctx.db.read() as session:
            return _logo(session)

    def set_logo(self, actor: Actor, data: bytes) -> Logo:
        actor.require_owner("change the clinic's logo")
        logo = validate_logo(data)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.get(ClinicLogo, 1)
            before = {"format": row.format, "bytes": len(row.image)} if row else None
            if row is None:
                session.add(ClinicLogo(id=1, format=logo.format, image=logo.data, updated_at=now))
            else:
                row.format, row.image, row.updated_at = logo.format, logo.data, now
            audit.record(
                session,
                actor,
                "clinic.logo",
                "clinic",
                1,
                at=now,
                before=before,
                after={"format": logo.format, "bytes": len(logo.data)},
            )
        return logo

    def clear_logo(self, actor: Actor) -> None:
        actor.require_owner("change the clinic's logo")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.get(ClinicLogo, 1)
            if row is None:
                return
            session.delete(row)
            audit.record(
                session,
                actor,
                "clinic.logo",
                "clinic",
                1,
                at=now,
                before={"format": row.format},
                after=None,
            )

    # -- helpers ---------------------------------------------------------------------------
    def _wording(self, session: Session, template: str | None) -> PrintWording:
        clinic = clinic_row(session)
        chosen = template_for(template or clinic.clinic_type)
        offer = _wording_setting(session, "print.friend_offer")
        return PrintWording(
            template=chosen,
            clinic=ClinicMark(
                name=clinic.name,
                booking_url=clinic.booking_url,
                sms_number=clinic.sms_number,
                country=clinic.country,
                logo=_logo(session),
            ),
            keyword=setting_value(session, "sms.poster_keyword"),
            headline=_wording_setting(session, "print.poster_headline") or chosen.headline,
            poster_offer=offer or default_friend_offer(chosen.key, clinic.currency, "their"),
            card_offer=offer or default_friend_offer(chosen.key, clinic.currency, "your"),
            aftercare=_wording_setting(session, "print.aftercare_text", 400)
            or default_aftercare(chosen.key),
        )

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


def _wording_setting(session: Session, key: str, limit: int = MAX_WORDING) -> str:
    text = " ".join(str(setting_value(session, key) or "").split())
    return text[:limit]


def _logo(session: Session) -> Logo | None:
    row = session.get(ClinicLogo, 1)
    return Logo(data=row.image, format=row.format) if row else None


def _local_day(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """Today's bounds in the clinic's time zone, as aware instants."""
    local = now.astimezone(ZoneInfo(timezone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    # Aware arithmetic is wall-clock arithmetic: this is the next local midnight, DST or not.
    return start, start + timedelta(days=1)


def _poster_info(row: Poster) -> PosterInfo:
    return PosterInfo(
        id=row.id,
        name=row.name,
        source_tag=row.source_tag,
        template=row.template,
        paper=row.paper,
        qr_payload=row.qr_payload,
        created_at=row.created_at,
    )
