"""All services for one database, built once by a composition root and handed down."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.services.clinic import ClinicService
from frontdesk.services.context import ServiceContext
from frontdesk.services.effects import EffectHandlers
from frontdesk.services.fraud import FraudService
from frontdesk.services.lookup import LookupService
from frontdesk.services.referral_effects import referral_program_handlers
from frontdesk.services.referrals import ReferralService
from frontdesk.services.rewards import RewardService
from frontdesk.services.staff import StaffService
from frontdesk.services.status import StatusService


@dataclass(frozen=True)
class Services:
    ctx: ServiceContext
    clinic: ClinicService
    staff: StaffService
    lookup: LookupService
    status: StatusService
    referrals: ReferralService
    rewards: RewardService
    fraud: FraudService
    effects: EffectHandlers

    @property
    def database_kind(self) -> str:
        return "SQLite" if self.ctx.db.is_sqlite else "PostgreSQL"


def build_services(ctx: ServiceContext, *, sms_configured: bool = False) -> Services:
    referrals, rewards, fraud = ReferralService(ctx), RewardService(ctx), FraudService(ctx)
    return Services(
        ctx=ctx,
        clinic=ClinicService(ctx),
        staff=StaffService(ctx),
        lookup=LookupService(ctx),
        status=StatusService(ctx, sms_configured=sms_configured),
        referrals=referrals,
        rewards=rewards,
        fraud=fraud,
        effects=referral_program_handlers(referrals, fraud, rewards),
    )
