"""Two desks, one friend, the same instant: exactly one reward pair — on one SQLite file and
on PostgreSQL, with real OS processes. And a power cut mid-check-in leaves nothing behind."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from frontdesk.services.bundle import Services
from frontdesk.store.models import LedgerEntry, OutboxMessage, Reward, Visit
from tests.services import race_workers
from tests.services.conftest import ledger_matches_rewards
from tests.services.desk import Desk

ROUNDS = 3


def _counts(services: Services) -> tuple[int, int, int, int]:
    with services.ctx.db.read() as session:
        return (
            session.scalar(select(func.count(Reward.id))) or 0,
            session.scalar(select(func.count(LedgerEntry.id))) or 0,
            session.scalar(select(func.count(OutboxMessage.id))) or 0,
            session.scalar(select(func.count(Visit.id))) or 0,
        )


def test_two_processes_checking_in_the_same_friend_issue_one_pair(
    services: Services, desk: Desk
) -> None:
    spawn = multiprocessing.get_context("spawn")
    sarah = desk.patient("Sarah", "Connolly")
    for round_ in range(ROUNDS):
        friend = desk.patient(f"Tom{round_}", "Baker")
        desk.refer(sarah, friend)
        barrier, results = spawn.Barrier(2), spawn.Queue()
        workers = [
            spawn.Process(
                target=race_workers.check_in,
                args=(services.ctx.db.url, friend, barrier, results),
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        assert all(kind == "ok" for kind, _ in outcomes), outcomes
        issued = sorted(len(notes) for _kind, notes in outcomes)
        assert issued == [0, 2], outcomes  # one desk issued the pair, the other nothing
    rewards, entries, texts, visits = _counts(services)
    assert (rewards, entries, texts, visits) == (2 * ROUNDS, 2 * ROUNDS, ROUNDS, 2 * ROUNDS)
    assert services.rewards.balance(sarah).available_minor == 2000 * ROUNDS
    assert ledger_matches_rewards(services)


def test_a_crash_before_commit_leaves_nothing_and_the_retry_issues_once(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    desk.refer(sarah, tom)
    spawn = multiprocessing.get_context("spawn")
    worker = spawn.Process(target=race_workers.crash_mid_check_in, args=(services.ctx.db.url, tom))
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == 9
    assert _counts(services) == (0, 0, 0, 0)
    _visit, notes = desk.attend(tom)
    assert len(notes) == 2
    assert _counts(services)[:3] == (2, 2, 1)


def test_the_database_itself_refuses_a_second_reward_for_the_same_role(
    services: Services, desk: Desk
) -> None:
    sarah = desk.patient("Sarah", "Connolly")
    tom = desk.patient("Tom", "Baker")
    referral, _ = desk.refer(sarah, tom)
    desk.attend(tom)
    with pytest.raises(IntegrityError), services.ctx.db.begin() as session:
        existing = session.scalars(select(Reward).where(Reward.referral_id == referral)).first()
        assert existing is not None
        session.add(
            Reward(
                referral_id=referral,
                patient_id=existing.patient_id,
                role=existing.role,
                kind="credit",
                currency="GBP",
                amount_minor=2000,
                remaining_minor=2000,
                status="available",
                issued_at=existing.issued_at,
                usable_from=existing.issued_at,
            )
        )
