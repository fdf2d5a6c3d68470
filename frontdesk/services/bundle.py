"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontdesk.services.clinic.service import ClinicService
from frontdesk.services.dataio.backups import BackupService
from frontdesk.services.dataio.exports import ExportService
from frontdesk.services.dataio.patient_import import ImportService
from frontdesk.services.fraud.service import FraudService
from frontdesk.services.lookup.service import LookupService
from frontdesk.services.messaging import asks
from frontdesk.services.messaging.asks import AskService
from frontdesk.services.messaging.messages import MessagesService
from frontdesk.services.messaging.sms_service import GatewayFactory, SmsService
from frontdesk.services.messaging.templates import TemplateService
from frontdesk.services.patients.card import PatientCardService
from frontdesk.services.patients.checkin import CheckinService
from frontdesk.services.patients.listing import PatientListService
from frontdesk.services.patients.service import PatientService
from frontdesk.services.printing.service import PrintService
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.effects import EffectHandlers
from frontdesk.services.referrals.service import ReferralService
from frontdesk.services.reports.drilldown import ReportRows
from frontdesk.services.reports.service import ReportService
from frontdesk.services.rewards.service import RewardService
from frontdesk.services.staff.audit_log import AuditLogService
from frontdesk.services.staff.service import StaffService
from frontdesk.services.status import StatusService
from frontdesk.sms.credentials import CredentialStore


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    effects: EffectHandlers
    clinic: ClinicService
    staff: StaffService
    audit: AuditLogService
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
    reports: ReportService
    report_rows: ReportRows
    backups: BackupService

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
    # On attendance the stage moves first, then the fraud rules look at the referral, then
    # rewards are issued (held if a rule fired). On a reversed first visit the rewards are
    # taken back before the referral is cancelled, so the notes read in the order things happened.
    referral_program = EffectHandlers(
        on_visit_attended=(
            referrals.on_visit_attended,
            fraud.on_visit_attended,
            rewards.on_visit_attended,
        ),
        on_referral_attached=(fraud.on_referral_attached, rewards.on_referral_attached),
        on_visit_reversed=(rewards.on_visit_reversed, referrals.on_visit_reversed),
    )
    effects = desk_effects(
        referral_program,
        EffectHandlers(on_visit_attended=(asks.on_visit_attended,)),
        extra_effects,
    )
    lookup = LookupService(ctx)
    return Services(
        ctx=ctx,
        effects=effects,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        audit=AuditLogService(ctx),
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
        reports=ReportService(ctx),
        report_rows=ReportRows(ctx),
        backups=BackupService(ctx),
    )
