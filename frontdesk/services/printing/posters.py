"""Posters on file: each has its own source tag, carried in its QR, so the introductions it
brings are credited to it; reprinting a poster keeps its tag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.printing import payloads
from frontdesk.printing.documents import PosterPage, PrintDocument, poster_page
from frontdesk.printing.geometry import Paper
from frontdesk.services.printing.wording import PrintWording
from frontdesk.services.records import audit
from frontdesk.services.records.context import Actor
from frontdesk.services.records.dto import ClinicInfo
from frontdesk.store.models import Poster

BOOKING_INSTRUCTION = "Scan with your phone camera and share the page with a friend."
SMS_INSTRUCTION = "Scan to text us — we'll reply with your own code to share."


@dataclass(frozen=True)
class PosterInfo:
    id: int
    name: str
    source_tag: str
    template: str
    paper: str
    qr_payload: str
    created_at: datetime


def poster_info(row: Poster) -> PosterInfo:
    return PosterInfo(
        id=row.id,
        name=row.name,
        source_tag=row.source_tag,
        template=row.template,
        paper=row.paper,
        qr_payload=row.qr_payload,
        created_at=row.created_at,
    )


def poster_document(
    wording: PrintWording, clinic: ClinicInfo, paper: Paper, names: Sequence[str]
) -> PrintDocument:
    """One page per distinct source (two names with the same tag are one poster)."""
    pages = []
    seen: set[str] = set()
    sms = not clinic.booking_url
    for name in names:
        tag = payloads.slugify_tag(name)
        if tag in seen:
            continue
        seen.add(tag)
        target = payloads.poster_target(clinic.booking_url, clinic.sms_number, wording.keyword, tag)
        pages.append(
            poster_page(
                paper=paper,
                template=wording.template,
                clinic=wording.clinic,
                payload=target,
                headline=wording.headline,
                offer=wording.poster_offer,
                instruction=SMS_INSTRUCTION if sms else BOOKING_INSTRUCTION,
                contact=wording.clinic.contact_line(wording.keyword if sms else None),
                source_name=name,
                source_tag=tag,
            )
        )
    count = len(pages)
    title = f"{wording.template.label} poster" + ("" if count == 1 else f"s ({count})")
    return PrintDocument(title=title, paper=paper, pages=tuple(pages))


def record_poster(
    session: Session, actor: Actor, page: PosterPage, template: str, paper: Paper, now: datetime
) -> None:
    """Create the poster's row, or bring an existing one (same tag) up to date; audited."""
    tag = page.source_tag
    row = session.scalar(select(Poster).where(Poster.source_tag == tag))
    after = {
        "name": page.source_name,
        "template": template,
        "paper": paper.value,
        "qr_payload": page.qr.payload,
    }
    if row is None:
        row = Poster(source_tag=tag, created_at=now, **after)
        session.add(row)
        session.flush()
        audit.record(
            session, actor, "poster.create", "poster", row.id, at=now,
            after={"source_tag": tag, **after},
        )  # fmt: skip
        return
    before = {k: getattr(row, k) for k in after}
    if before != after:
        for key, value in after.items():
            setattr(row, key, value)
        audit.record(
            session, actor, "poster.update", "poster", row.id, at=now, before=before, after=after
        )
