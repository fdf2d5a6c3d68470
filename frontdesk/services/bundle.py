"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontdesk.services import asks
from frontdesk.services.asks import AskService
from frontdesk.services.checkin import CheckinService
from frontdesk.services.clinic import ClinicService
from frontdesk.services.context import ServiceContext
from frontdesk.services.effects import EffectHandlers
from frontdesk.services.lookup import LookupService
from frontdesk.services.messages import MessagesService
from frontdesk.services.patient_card import PatientCardService
from frontdesk.services.patients import PatientService
from frontdesk.services.sms import GatewayFactory, SmsService
from frontdesk.services.sms_templates import TemplateService
from frontdesk.services.staff import StaffService
from frontdesk.services.status import StatusService
from frontdesk.sms.credentials import CredentialStore


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    effects: EffectHandlers
    clinic: ClinicService
    staff: StaffService
    lookup: LookupService
    status: StatusService
    patients: PatientService
    checkin: CheckinService
    cards: PatientCardService
    sms: SmsService
    messages: MessagesService
    templates: TemplateService
    asks: AskService

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def desk_effects(extra: EffectHandlers | None = None) -> EffectHandlers:
    """The handlers every desk event runs, in order, inside the event's transaction.

    The referral lifecycle, rewards, fraud and ask-rule modules register theirs here.
    ``extra`` (tests, tools) runs after them.
    """
    # Ask rules run last among the desk's own handlers: a reward notice or welcome text
    # queued by an earlier handler counts towards the one-marketing-text-a-day guardrail.
    on_visit_attended: tuple = (asks.on_visit_attended,)
    on_referral_attached: tuple = ()
    on_visit_reversed: tuple = ()
    if extra is not None:
        on_visit_attended += extra.on_visit_attended
        on_referral_attached += extra.on_referral_attached
        on_visit_reversed += extra.on_visit_reversed
    return EffectHandlers(
        on_visit_attended=on_visit_attended,
        on_referral_attached=on_referral_attached,
        on_visit_reversed=on_visit_reversed,
    )


def build_services(
    ctx: ServiceContext,
    *,
    sms_configured: bool | None = None,
    extra_effects: EffectHandlers | None = None,
    rng: random.Random | None = None,
    credentials: CredentialStore | None = None,
    gateway_factory: GatewayFactory | None = None,
) -> Services:
    """``sms_configured`` None: ask the keyring (lazily, once); a bool forces the answer."""
    effects = desk_effects(extra_effects)
    sms = SmsService(ctx, credentials, gateway_factory)
    configured = sms.configured if sms_configured is None else (lambda: bool(sms_configured))
    return Services(
        ctx=ctx,
        effects=effects,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=LookupService(ctx),
        status=StatusService(ctx, sms_configured=configured),
        patients=PatientService(ctx, effects, rng),
        checkin=CheckinService(ctx, effects),
        cards=PatientCardService(ctx),
        sms=sms,
        messages=MessagesService(ctx),
        templates=TemplateService(ctx),
        asks=AskService(ctx),
    )
