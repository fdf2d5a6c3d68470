"""Which text each message kind uses: the clinic's own template, or the default for its type.

Defaults live in ``resources/sms/<clinic type>.json`` (physio, med spa, massage), with their
own wording for a clinic with no booking page (no link to send). A saved template is
validated first (unknown placeholder, one with no value for that kind, over 1,600 characters
→ refused).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from frontdesk.domain import templates as tpl
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_micros
from frontdesk.services.messaging.facts import clinic_values, patient_values
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row, clinic_type_defaults, setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.models import MessageTemplate, Patient, Referral, Visit

ACTIVE_NAME = "default"
MAX_NAME = 40


def clinic_defaults(clinic_type: str) -> dict[str, Any]:
    return clinic_type_defaults(clinic_type)


def default_body(clinic_type: str, kind: str, booking_page: bool = True) -> str:
    defaults = clinic_defaults(clinic_type)
    if not booking_page and kind in defaults.get("templates_without_booking_page", {}):
        return defaults["templates_without_booking_page"][kind]
    return defaults["templates"][kind]


def clinic_default(session: Session, kind: str) -> str:
    """The shipped text for ``kind`` that fits this clinic (its type, a booking page or not)."""
    clinic = clinic_row(session)
    return default_body(clinic.clinic_type, kind, bool(clinic.booking_url))


def template_for(session: Session, kind: str, name: str | None = None) -> tuple[int | None, str]:
    """The template id (None for a shipped default) and body used for ``kind`` right now; a
    named wording (an ask rule's) when it exists, else the clinic's own or shipped default."""
    if name and name != ACTIVE_NAME:
        named = session.scalar(
            select(MessageTemplate).where(
                MessageTemplate.kind == kind,
                MessageTemplate.name == name,
                MessageTemplate.active.is_(True),
            )
        )
        if named is not None:
            return named.id, named.body
    row = session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.kind == kind,
            MessageTemplate.name == ACTIVE_NAME,
            MessageTemplate.active.is_(True),
        )
    )
    if row is not None:
        return row.id, row.body
    return None, clinic_default(session, kind)


@dataclass(frozen=True)
class TemplateInfo:
    kind: str
    label: str
    help: str
    marketing: bool
    body: str
    customised: bool


@dataclass(frozen=True)
class Example:
    """The real facts the editor previews a kind with (the outbox's own render path)."""

    kind: str
    values: dict[str, str]
    caption: str  # "What Sarah Connolly (a recent patient) would receive", or that it is a sample
    sample: bool


@dataclass(frozen=True)
class TemplatePreview:
    text: str
    encoding: str
    characters: int
    segments: int
    remaining: int
    summary: str
    cost: str
    error: str | None


class TemplateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list(self) -> list[TemplateInfo]:
        with self._ctx.db.read() as session:
            out = []
            for kind, info in tpl.KINDS.items():
                template_id, body = template_for(session, kind)
                out.append(
                    TemplateInfo(
                        kind, info.label, info.help, info.marketing, body, template_id is not None
                    )
                )
            return out

    def names(self) -> dict[str, list[str]]:
        """Each kind's named wordings (besides its default), for ask rules to choose from."""
        with self._ctx.db.read() as session:
            rows = session.execute(
                select(MessageTemplate.kind, MessageTemplate.name)
                .where(MessageTemplate.name != ACTIVE_NAME, MessageTemplate.active.is_(True))
                .order_by(MessageTemplate.name)
            )
            out: dict[str, list[str]] = {}
            for kind, name in rows:
                out.setdefault(kind, []).append(name)
            return out

    def save(self, actor: Actor, kind: str, body: str, name: str = ACTIVE_NAME) -> TemplateInfo:
        """Save the kind's text, or (``name``) a named wording an ask rule can use."""
        actor.require_owner("change message templates")
        cleaned = tpl.validate_body(kind, body)
        label = " ".join(name.split()) or ACTIVE_NAME
        if len(label) > MAX_NAME:
            raise InvalidInputError(f"A wording's name is at most {MAX_NAME} characters.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.scalar(
                select(MessageTemplate).where(
                    MessageTemplate.kind == kind, MessageTemplate.name == label
                )
            )
            before = row.body if row else clinic_default(session, kind)
            if row is None:
                row = MessageTemplate(
                    kind=kind, name=label, body=cleaned, active=True, updated_at=now
                )
                session.add(row)
            else:
                row.body, row.active, row.updated_at = cleaned, True, now
            session.flush()
            audit.record(
                session,
                actor,
                "template.save",
                "message_template",
                row.id,
                at=now,
                before={"body": before},
                after={"body": cleaned, "name": label},
            )
        info = tpl.KINDS[kind]
        return TemplateInfo(kind, info.label, info.help, info.marketing, cleaned, True)

    def reset(self, actor: Actor, kind: str) -> TemplateInfo:
        """Go back to the shipped default for the clinic's type."""
        actor.require_owner("change message templates")
        if kind not in tpl.KINDS:
            raise InvalidInputError(f"There is no message kind {kind!r}.")
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.scalar(
                select(MessageTemplate).where(
                    MessageTemplate.kind == kind, MessageTemplate.name == ACTIVE_NAME
                )
            )
            default = clinic_default(session, kind)
            if row is not None:
                # Sent messages keep pointing at the row, so it is switched off, not deleted.
                audit.record(
                    session,
                    actor,
                    "template.reset",
                    "message_template",
                    row.id,
                    at=now,
                    before={"body": row.body},
                    after={"body": default},
                )
                row.active, row.updated_at = False, now
        info = tpl.KINDS[kind]
        return TemplateInfo(kind, info.label, info.help, info.marketing, default, False)

    def examples(self) -> dict[str, Example]:
        """For each kind, the facts of a real recent event (or samples, said so)."""
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            return {kind: example_for(session, now, kind) for kind in tpl.KINDS}

    def preview(self, kind: str, body: str) -> TemplatePreview:
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            currency = clinic_row(session).currency
            price = int(setting_value(session, "sms.segment_price_micros"))
            example = example_for(session, now, kind)
        return build_preview(kind, body, price, currency, example.values)


def example_for(session: Session, now: datetime, kind: str) -> Example:
    if kind == tpl.POSTER_WELCOME:
        caption = "What someone new who texted a poster would receive"
        return Example(kind, clinic_values(session), caption, False)
    friend_name: str | None = None
    patient: Patient | None = None
    if kind == tpl.REWARD_EARNED:
        referee = aliased(Patient)
        row = session.execute(
            select(Patient, referee.first_name)
            .join(Referral, Referral.referrer_id == Patient.id)
            .join(referee, referee.id == Referral.referee_id)
            .where(Patient.erased_at.is_(None))
            .order_by(Referral.created_at.desc(), Referral.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            patient, friend_name = row[0], row[1]
    if patient is None:
        patient = session.scalar(
            select(Patient)
            .join(Visit, Visit.patient_id == Patient.id)
            .where(Patient.erased_at.is_(None), Visit.status == "attended")
            .order_by(Visit.at.desc(), Visit.id.desc())
            .limit(1)
        ) or session.scalar(
            select(Patient).where(Patient.erased_at.is_(None)).order_by(Patient.id.desc()).limit(1)
        )
    if patient is None:
        values = {**tpl.SAMPLE_VALUES, **clinic_values(session)}
        return Example(kind, values, "An example with sample values: no patient on file yet", True)
    values = patient_values(session, now, patient)
    name = f"{patient.first_name} {patient.last_name}".strip()
    caption = f"What {name} (a recent patient) would receive"
    if kind == tpl.REWARD_EARNED:
        if friend_name:
            values["friend_name"] = friend_name
            caption = f"What {name} would receive for referring {friend_name}"
        else:
            values["friend_name"] = tpl.SAMPLE_VALUES["friend_name"]
            caption = f"What {name} would receive (the friend's name is a sample)"
    return Example(kind, values, caption, False)


def build_preview(
    kind: str, body: str, price_micros: int, currency: str, values: dict[str, str] | None = None
) -> TemplatePreview:
    """Pure: what the template editor shows for ``body`` (used on every keystroke)."""
    result = tpl.preview(kind, body, price_per_segment_micros=price_micros, values=values)
    seg = result.segments
    return TemplatePreview(
        text=result.text,
        encoding=seg.encoding,
        characters=seg.characters,
        segments=seg.segments,
        remaining=seg.remaining_in_segment,
        summary=seg.describe(),
        cost=format_micros(result.cost_micros, currency),
        error=result.error,
    )
