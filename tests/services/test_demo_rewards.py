"""The demo clinic follows the reward rules: a household flag only where two people share a
surname and address, rewards held while flagged or on hold, the ledger adding up."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from frontdesk.domain.fraud_rules import run_rules
from frontdesk.services.bundle import Services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.fraud.facts import gather
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.store.models import FraudFlag, Referral, Reward
from tests.services.conftest import ledger_matches_rewards


def test_demo_rewards_and_flags_are_what_the_rules_would_produce(services: Services) -> None:
    DemoService(services.ctx).generate(SOLE_OWNER, patients=600, seed=7)
    program = services.rewards.program()
    assert program.id is not None and program.program.hold_days == 7
    now = services.ctx.clock.now()
    with services.ctx.db.read() as session:
        flagged = session.scalars(select(Referral).where(Referral.status == "flagged")).all()
        assert flagged
        for referral in flagged:
            facts = gather(session, referral)
            assert facts is not None
            assert "household" in [f.rule for f in run_rules(facts)]
            assert (
                session.scalar(select(FraudFlag.rule).where(FraudFlag.referral_id == referral.id))
                == "household"
            )
            statuses = set(
                session.scalars(select(Reward.status).where(Reward.referral_id == referral.id))
            )
            assert statuses <= {"held"}
        by_stage: Counter[str] = Counter()
        for referral in session.scalars(
            select(Referral).where(Referral.status.in_(("attended", "rewarded")))
        ):
            rewards = {
                r.role: r
                for r in session.scalars(select(Reward).where(Reward.referral_id == referral.id))
            }
            by_stage[referral.status] += 1
            assert set(rewards) == {"referrer", "new_patient"}
            referrer = rewards["referrer"]
            assert referrer.usable_from == referral.attended_at + timedelta(days=7)
            assert rewards["new_patient"].usable_from == referral.attended_at
            waiting = referrer.usable_from > now
            assert (referral.status == "attended") == waiting
            assert (referrer.status == "held") == waiting
        assert by_stage["attended"] and by_stage["rewarded"]
    assert ledger_matches_rewards(services)
    assert len(services.fraud.queue()) == len(flagged)
