"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontdesk.services.checkin import CheckinService
from frontdesk.services.clinic import ClinicService
from frontdesk.services.context import ServiceContext
from frontdesk.services.effects import EffectHandlers
from frontdesk.services.fraud import FraudService
from frontdesk.services.lookup import LookupService
from frontdesk.services.patient_card import PatientCardService
from frontdesk.services.patients import PatientService
from frontdesk.services.referral_effects import referral_program_handlers
from frontdesk.services.referrals import ReferralService
from frontdesk.services.rewards import RewardService
from frontdesk.services.staff import StaffService
from frontdesk.services.status import StatusService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    effects: EffectHandlers
    clinic: ClinicService
    staff: StaffService
    lookup: LookupService
    status: StatusService
    referrals: ReferralService
    rewards: RewardService
    fraud: FraudService
    patients: PatientService
    checkin: CheckinService
    cards: PatientCardService

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def desk_effects(
    extra: EffectHandlers | None = None, *, program: EffectHandlers | None = None
) -> EffectHandlers:
    """The handlers every desk event runs, in order, inside the event's transaction.

    The referral lifecycle, rewards, fraud and ask-rule modules register theirs here.
    ``extra`` (tests, tools) runs after them.
    """
    on_visit_attended: tuple = ()
    on_referral_attached: tuple = ()
    on_visit_reversed: tuple = ()
    if program is not None:  # referral stages, fraud flags and rewards
        on_visit_attended += program.on_visit_attended
        on_referral_attached += program.on_referral_attached
        on_visit_reversed += program.on_visit_reversed
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
    sms_configured: bool = False,
    extra_effects: EffectHandlers | None = None,
    rng: random.Random | None = None,
) -> Services:
    referrals, rewards, fraud = (
        ReferralService(ctx, rng),
        RewardService(ctx, rng),
        FraudService(ctx),
    )
    program = referral_program_handlers(referrals, fraud, rewards)
    effects = desk_effects(extra_effects, program=program)
    return Services(
        ctx=ctx,
        effects=effects,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=LookupService(ctx),
        status=StatusService(ctx, sms_configured=sms_configured),
        referrals=referrals,
        rewards=rewards,
        fraud=fraud,
        patients=PatientService(ctx, effects, rng),
        checkin=CheckinService(ctx, effects),
        cards=PatientCardService(ctx),
    )
