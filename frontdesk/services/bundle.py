"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.services import asks
from frontdesk.services.asks import AskService
from frontdesk.services.clinic import ClinicService
from frontdesk.services.context import ServiceContext
from frontdesk.services.effects import EffectHandlers
from frontdesk.services.lookup import LookupService
from frontdesk.services.messages import MessagesService
from frontdesk.services.sms import GatewayFactory, SmsService
from frontdesk.services.sms_templates import TemplateService
from frontdesk.services.staff import StaffService
from frontdesk.services.status import StatusService
from frontdesk.sms.credentials import CredentialStore


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    clinic: ClinicService
    staff: StaffService
    lookup: LookupService
    status: StatusService
    effects: EffectHandlers
    sms: SmsService
    messages: MessagesService
    templates: TemplateService
    asks: AskService

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def build_services(
    ctx: ServiceContext,
    *,
    sms_configured: bool | None = None,
    credentials: CredentialStore | None = None,
    gateway_factory: GatewayFactory | None = None,
) -> Services:
    sms = SmsService(ctx, credentials, gateway_factory)
    configured = sms.configured if sms_configured is None else (lambda: sms_configured)
    return Services(
        ctx=ctx,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=LookupService(ctx),
        status=StatusService(ctx, sms_configured=configured),
        effects=EffectHandlers(on_visit_attended=(asks.on_visit_attended,)),
        sms=sms,
        messages=MessagesService(ctx),
        templates=TemplateService(ctx),
        asks=AskService(ctx),
    )
