"""The words and marks on printed material: the owner's settings, the template's defaults,
and the clinic's logo (kept in the database so every desk prints the same one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from frontdesk.printing.documents import ClinicMark, Logo
from frontdesk.printing.logo import validate_logo
from frontdesk.printing.templates import (
    PrintTemplate,
    default_aftercare,
    default_friend_offer,
    default_template_key,
    template_for,
)
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import Actor
from frontdesk.store.models import ClinicLogo

MAX_WORDING = 160
MAX_AFTERCARE = 400


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


def load_wording(session: Session, template: str | None) -> PrintWording:
    clinic = clinic_row(session)
    chosen = template_for(template or default_template_key(clinic.clinic_type))
    offer = _setting_text(session, "print.friend_offer", MAX_WORDING)
    return PrintWording(
        template=chosen,
        clinic=ClinicMark(
            name=clinic.name,
            booking_url=clinic.booking_url,
            sms_number=clinic.sms_number,
            country=clinic.country,
            logo=load_logo(session),
        ),
        keyword=setting_value(session, "sms.poster_keyword"),
        headline=_setting_text(session, "print.poster_headline", MAX_WORDING) or chosen.headline,
        poster_offer=offer or default_friend_offer(chosen.key, clinic.currency, "their"),
        card_offer=offer or default_friend_offer(chosen.key, clinic.currency, "your"),
        aftercare=_setting_text(session, "print.aftercare_text", MAX_AFTERCARE)
        or default_aftercare(chosen.key),
    )


def load_logo(session: Session) -> Logo | None:
    row = session.get(ClinicLogo, 1)
    return Logo(data=row.image, format=row.format) if row else None


def store_logo(session: Session, actor: Actor, data: bytes, now: datetime) -> Logo:
    actor.require_owner("change the clinic's logo")
    logo = validate_logo(data)
    row = session.get(ClinicLogo, 1)
    before = {"format": row.format, "bytes": len(row.image)} if row else None
    if row is None:
        session.add(ClinicLogo(id=1, format=logo.format, image=logo.data, updated_at=now))
    else:
        row.format, row.image, row.updated_at = logo.format, logo.data, now
    audit.record(
        session, actor, "clinic.logo", "clinic", 1, at=now, before=before,
        after={"format": logo.format, "bytes": len(logo.data)},
    )  # fmt: skip
    return logo


def remove_logo(session: Session, actor: Actor, now: datetime) -> None:
    actor.require_owner("change the clinic's logo")
    row = session.get(ClinicLogo, 1)
    if row is None:
        return
    session.delete(row)
    audit.record(session, actor, "clinic.logo", "clinic", 1, at=now, before={"format": row.format})


def _setting_text(session: Session, key: str, limit: int) -> str:
    text = " ".join(str(setting_value(session, key) or "").split())
    return text[:limit]
