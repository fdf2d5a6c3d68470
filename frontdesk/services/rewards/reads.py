"""Reading rewards: a patient's balance, rewards and ledger; everyone's balances; vouchers.

Reads first end any hold that is over (a cheap check, and a short write only when needed),
so a balance is never shown stale because no sweep has run yet.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from sqlalchemy import and_, case, func, or_, select

from frontdesk.domain.errors import NotFoundError
from frontdesk.domain.reward_program import RewardKind
from frontdesk.domain.voucher import normalize_voucher
from frontdesk.services.records.context import RECEPTIONIST, Actor, ServiceContext
from frontdesk.services.rewards.dto import Balance, PatientRewards, RewardView
from frontdesk.services.rewards.issue import Issuer
from frontdesk.services.rewards.ledger import AVAILABLE, HELD, PENDING
from frontdesk.services.rewards.lifecycle import release_due
from frontdesk.services.rewards.program_store import active_program
from frontdesk.services.rewards.views import balance_of, ledger_lines, patient_refs, reward_views
from frontdesk.store.models import Reward

BALANCE_ROWS = 500  # the Rewards screen's list; a search finds anyone beyond it
# Who the audit log names for steps Frontdesk takes by itself (a hold period ending).
SYSTEM = Actor(name="Frontdesk", role=RECEPTIONIST)


class RewardReads:
    _ctx: ServiceContext
    _rng: random.Random

    # -- reading -----------------------------------------------------------------------------
    def patient_rewards(self, patient_id: int) -> PatientRewards:
        self._release(patient_id)
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            ref = patient_refs(session, [patient_id]).get(patient_id)
            if ref is None:
                raise NotFoundError(f"There is no patient {patient_id}.")
            rows = list(
                session.scalars(
                    select(Reward).where(Reward.patient_id == patient_id).order_by(Reward.id)
                )
            )
            views = reward_views(session, rows, now)
            currency = active_program(session).program.currency
            balance = balance_of(session, ref, rows, views, currency, now)
            ledger = ledger_lines(session, patient_id, {r.id: r for r in rows})
        return PatientRewards(balance, tuple(views), tuple(ledger))

    def balance(self, patient_id: int) -> Balance:
        return self.patient_rewards(patient_id).balance

    def balances(
        self, patient_ids: Sequence[int] | None = None, limit: int = BALANCE_ROWS
    ) -> list[Balance]:
        """Patients with rewards, most usable credit first (the top ``limit``), or the given
        patients. Ranked in SQL so a clinic with a million patients answers at once."""
        self._release(None)
        now = self._ctx.clock.now()
        usable = and_(
            Reward.status == AVAILABLE,
            Reward.kind == RewardKind.CREDIT,
            Reward.usable_from <= now,
            or_(Reward.expires_at.is_(None), Reward.expires_at > now),
        )
        waiting = and_(
            Reward.kind == RewardKind.CREDIT,
            or_(
                Reward.status.in_((HELD, PENDING)),
                and_(Reward.status == AVAILABLE, Reward.usable_from > now),
            ),
        )
        available = func.sum(case((usable, Reward.remaining_minor), else_=0))
        on_hold = func.sum(case((waiting, Reward.remaining_minor), else_=0))
        ranked = (
            select(Reward.patient_id)
            .group_by(Reward.patient_id)
            .order_by(available.desc(), on_hold.desc(), Reward.patient_id)
            .limit(limit)
        )
        if patient_ids is not None:
            ranked = ranked.where(Reward.patient_id.in_(list(patient_ids)[:500]))
        with self._ctx.db.read() as session:
            currency = active_program(session).program.currency
            ids = list(session.scalars(ranked))
            rows = list(
                session.scalars(
                    select(Reward).where(Reward.patient_id.in_(ids)).order_by(Reward.id)
                )
            )
            views = reward_views(session, rows, now)
            grouped: dict[int, tuple[list[Reward], list[RewardView]]] = {
                pid: ([], []) for pid in ids
            }
            for row, view in zip(rows, views, strict=True):
                grouped[row.patient_id][0].append(row)
                grouped[row.patient_id][1].append(view)
            return [
                balance_of(session, v[0].patient, r, v, currency, now)
                for r, v in grouped.values()
                if r
            ]

    def list_rewards(
        self, status: str | None = None, patient_ids: Sequence[int] | None = None
    ) -> list[RewardView]:
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            query = select(Reward).order_by(Reward.issued_at.desc(), Reward.id.desc())
            if status:
                query = query.where(Reward.status == status)
            if patient_ids is not None:
                query = query.where(Reward.patient_id.in_(list(patient_ids)[:500]))
            rows = list(session.scalars(query.limit(5000)))
            return reward_views(session, rows, now)

    def voucher(self, text: str) -> RewardView | None:
        """The reward a typed voucher code belongs to (forgiving of case, spaces, dashes)."""
        code = normalize_voucher(text)
        if code is None:
            return None
        now = self._ctx.clock.now()
        with self._ctx.db.read() as session:
            reward = session.scalar(select(Reward).where(Reward.voucher_code == code))
            if reward is None:
                raise NotFoundError(f"There is no voucher {code}.")
            return reward_views(session, [reward], now)[0]

    def pending_approvals(self) -> list[RewardView]:
        return self.list_rewards(PENDING)

    def _release(self, patient_id: int | None) -> None:
        """Before reading, end holds that are over (a cheap check; a write only if needed)."""
        query = select(Reward.id).where(
            Reward.status == HELD, Reward.usable_from <= self._ctx.clock.now()
        )
        if patient_id is not None:
            query = query.where(Reward.patient_id == patient_id)
        with self._ctx.db.read() as session:
            if session.scalar(query.limit(1)) is None:
                return
        with self._ctx.db.begin() as session:
            release_due(
                Issuer.for_session(session, self._ctx.clock.now(), SYSTEM, self._rng),
                patient_id=patient_id,
            )
