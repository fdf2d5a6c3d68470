"""The referral program's handlers for desk events, in the order they must run.

On attendance the stage moves first, then the fraud rules look at the referral, then rewards
are issued (held if a rule fired). On a reversed first visit the rewards are taken back
before the referral is cancelled, so the notes read in the order things happened.
"""

from __future__ import annotations

from frontdesk.services.effects import EffectHandlers
from frontdesk.services.fraud import FraudService
from frontdesk.services.referrals import ReferralService
from frontdesk.services.rewards import RewardService


def referral_program_handlers(
    referrals: ReferralService, fraud: FraudService, rewards: RewardService
) -> EffectHandlers:
    return EffectHandlers(
        on_visit_attended=(
            referrals.on_visit_attended,
            fraud.on_visit_attended,
            rewards.on_visit_attended,
        ),
        on_referral_attached=(fraud.on_referral_attached, rewards.on_referral_attached),
        on_visit_reversed=(rewards.on_visit_reversed, referrals.on_visit_reversed),
    )
