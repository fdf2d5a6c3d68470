"""Fixtures for the referral program's service tests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.services.bundle import Services
from tests.services.desk import Desk


@pytest.fixture
def desk(services: Services) -> Desk:
    return Desk(services)


def ledger_matches_rewards(services: Services) -> bool:
    """The invariant: each reward's remaining credit is the sum of its ledger entries."""
    from frontdesk.store.models import LedgerEntry, Reward

    with services.ctx.db.read() as session:
        sums = dict(
            session.execute(
                select(LedgerEntry.reward_id, func.sum(LedgerEntry.amount_minor)).group_by(
                    LedgerEntry.reward_id
                )
            ).all()
        )
        rewards = session.execute(select(Reward.id, Reward.remaining_minor)).all()
    return all(sums.get(rid, 0) == remaining for rid, remaining in rewards)
