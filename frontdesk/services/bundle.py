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
from frontdesk.services.exports import ExportService
from frontdesk.services.fraud import FraudService
from frontdesk.services.lookup import LookupService
from frontdesk.services.messages import MessagesService
from frontdesk.services.patient_card import PatientCardService
from frontdesk.services.patient_import import ImportService
from frontdesk.services.patient_list import PatientListService
from frontdesk.services.patients import PatientService
from frontdesk.services.printing import PrintService
from frontdesk.services.referral_effects import referral_program_handlers
from frontdesk.services.referrals import ReferralService
from frontdesk.services.rewards import RewardService
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
    printing: PrintService
    referrals: ReferralService
    rewards: RewardService
    fraud: FraudService
    imports: ImportService
    exports: ExportService
    patient_list: PatientListService

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def desk_effects(*groups: EffectHandlers | None) -> EffectHandlers:
    """The handlers every desk event runs, group after group, inside the event's transaction.

    The referral lifecycle, rewards and fraud come first, then the ask rules (which must see
    the referral's new stage), then any ``extra`` handlers of tests and tools.
    """
    present = [group for group in groups if group is not None]
    return EffectHandlers(
        on_visit_attended=tuple(h for g in present for h in g.on_visit_attended),
        on_referral_attached=tuple(h for g in present for h in g.on_referral_attached),
        on_visit_reversed=tuple(h for g in present for h in g.on_visit_reversed),
    )


def build_services(
    ctx: ServiceContext,
    *,
    sms_configured: bool | None = None,
    credentials: CredentialStore | None = None,
    gateway_factory: GatewayFactory | None = None,
    extra_effects: EffectHandlers | None = None,
    rng: random.Random | None = None,
) -> Services:
    sms = SmsService(ctx, credentials, gateway_factory)
    configured = sms.configured if sms_configured is None else (lambda: bool(sms_configured))
    referrals, rewards, fraud = (
        ReferralService(ctx, rng),
        RewardService(ctx, rng),
        FraudService(ctx),
    )
    effects = desk_effects(
        referral_program_handlers(referrals, fraud, rewards),
        EffectHandlers(on_visit_attended=(asks.on_visit_attended,)),
        extra_effects,
    )
    lookup = LookupService(ctx)
    return Services(
        ctx=ctx,
        effects=effects,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=lookup,
        status=StatusService(ctx, sms_configured=configured),
        patients=PatientService(ctx, effects, rng),
        checkin=CheckinService(ctx, effects),
        cards=PatientCardService(ctx),
        sms=sms,
        messages=MessagesService(ctx),
        templates=TemplateService(ctx),
        asks=AskService(ctx),
        printing=PrintService(ctx, lookup),
        referrals=referrals,
        rewards=rewards,
        fraud=fraud,
        imports=ImportService(ctx),
        exports=ExportService(ctx),
        patient_list=PatientListService(ctx),
    )
