"""Which text each message kind uses: the clinic's own template, or the default for its type.

Defaults live in ``resources/sms/<clinic type>.json`` (physio, med spa, massage). A saved
template is validated first (unknown placeholder, over 1,600 characters → refused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.domain import templates as tpl
from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.money import format_micros
from frontdesk.resource_path import resource_path
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.store.models import MessageTemplate

ACTIVE_NAME = "default"


@cache
def clinic_defaults(clinic_type: str) -> dict[str, Any]:
    path = resource_path(f"sms/{clinic_type}.json")
    if not path.exists():
        path = resource_path("sms/physio.json")
    return json.loads(path.read_text(encoding="utf-8"))


def default_body(clinic_type: str, kind: str) -> str:
    return clinic_defaults(clinic_type)["templates"][kind]


def template_for(session: Session, kind: str) -> tuple[int | None, str]:
    """The template id (None for a shipped default) and body used for ``kind`` right now."""
    row = session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.kind == kind,
            MessageTemplate.name == ACTIVE_NAME,
            MessageTemplate.active.is_(True),
        )
    )
    if row is not None:
        return row.id, row.body
    return None, default_body(clinic_row(session).clinic_type, kind)


@dataclass(frozen=True)
class TemplateInfo:
    kind: str
    label: str
    help: str
    marketing: bool
    body: str
    customised: bool


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

    def save(self, actor: Actor, kind: str, body: str) -> TemplateInfo:
        actor.require_owner("change message templates")
        cleaned = tpl.validate_body(kind, body)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            row = session.scalar(
                select(MessageTemplate).where(
                    MessageTemplate.kind == kind, MessageTemplate.name == ACTIVE_NAME
                )
            )
            before = row.body if row else default_body(clinic_row(session).clinic_type, kind)
            if row is None:
                row = MessageTemplate(
                    kind=kind, name=ACTIVE_NAME, body=cleaned, active=True, updated_at=now
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
                after={"body": cleaned},
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
            default = default_body(clinic_row(session).clinic_type, kind)
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

    def preview(self, kind: str, body: str) -> TemplatePreview:
        with self._ctx.db.read() as session:
            clinic = clinic_row(session)
            price = int(setting_value(session, "sms.segment_price_micros"))
            values = {"clinic_name": clinic.name}
            currency = clinic.currency
        return build_preview(kind, body, price, currency, values)


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
