"""Issuing rewards when a referral reaches the program's trigger, in the caller's transaction.

Exactly one reward per referral and role: the referral row is locked first, existing rewards
are skipped, and the database's unique (referral, role) constraint stops anything that
slips past (a savepoint turns that into "already issued" instead of a failed check-in).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frontdesk.domain.clinic_time import day_text, time_text
from frontdesk.domain.referral_stages import Stage, stage_of
from frontdesk.domain.reward_program import (
    Delivery,
    NewPatientOffer,
    RewardKind,
    RewardProgram,
    RewardSpec,
    Trigger,
)
from frontdesk.domain.reward_rules import (
    BONUS,
    NEW_PATIENT,
    REFERRER,
    apply_value_cap,
    bonus_due,
    expires_at,
    usable_from,
    year_start,
)
from frontdesk.domain.voucher import generate_voucher
from frontdesk.services.messaging.outbox import enqueue
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor
from frontdesk.services.records.referral_stage import move
from frontdesk.services.rewards.ledger import (
    AVAILABLE,
    HELD,
    NOT_COUNTED,
    PENDING,
    add_entry,
    describe,
)
from frontdesk.services.rewards.program_store import ActiveProgram, active_program
from frontdesk.store.models import Clinic, Patient, Referral, Reward

VOUCHER_ATTEMPTS = 10
NO_REWARD_STAGES = {Stage.BLOCKED, Stage.CANCELLED, Stage.EXPIRED, Stage.REJECTED}


@dataclass
class Issuer:
    """Everything issuing needs, built once per event from the caller's session."""

    session: Session
    now: datetime
    actor: Actor
    rng: random.Random
    active: ActiveProgram
    clinic: Clinic

    @classmethod
    def for_session(
        cls, session: Session, now: datetime, actor: Actor, rng: random.Random
    ) -> Issuer:
        return cls(session, now, actor, rng, active_program(session), clinic_row(session))

    @property
    def program(self) -> RewardProgram:
        return self.active.program

    def money(self, reward: Reward) -> str:
        return describe(reward)

    @property
    def zone(self) -> str:
        """The clinic's time zone: the days and times this issuer writes are on its clock."""
        return self.clinic.timezone

    # -- the trigger -------------------------------------------------------------------------
    def settle(self, referral: Referral) -> list[str]:
        """Issue what the referral has earned and is not yet issued; move it to rewarded."""
        if referral.referee_id is None or referral.referrer_id is None:
            return []  # a friend only named, or a professional's referral: no rewards
        stage = stage_of(referral.status, referral.held_status)
        if stage in NO_REWARD_STAGES:
            return []
        reached = stage in (Stage.ATTENDED, Stage.REWARDED) or (
            stage == Stage.BOOKED and self.program.trigger == Trigger.BOOKED
        )
        if not reached:
            return []
        trigger_at = (
            referral.attended_at if stage != Stage.BOOKED else referral.booked_at
        ) or self.now
        referrer = self._lock_patient(referral.referrer_id)
        friend = self.session.get_one(Patient, referral.referee_id)
        notes: list[str] = []
        have = self._roles(referral.id)
        if NEW_PATIENT not in have and self.program.new_patient is not None:
            notes += self._issue(
                referral, NEW_PATIENT, friend, self.program.new_patient, trigger_at
            )
        if REFERRER not in have and self.program.referrer is not None:
            issued, more = self._referrer_reward(referral, referrer, trigger_at)
            notes += more
            if issued and BONUS not in have:
                notes += self._bonus(referral, referrer, trigger_at)
        self.refresh_stage(referral)
        return notes

    def issue_voucher(self, referral: Referral) -> list[str]:
        """The new-patient offer as a single-use code, sent when the friend is referred."""
        spec = self.program.new_patient
        if (
            self.program.new_patient_offer != NewPatientOffer.VOUCHER
            or spec is None
            or referral.referee_id is None
            or referral.referrer_id is None
            or stage_of(referral.status, referral.held_status) in NO_REWARD_STAGES
            or NEW_PATIENT in self._roles(referral.id)
        ):
            return []
        friend = self.session.get_one(Patient, referral.referee_id)
        return self._issue(referral, NEW_PATIENT, friend, spec, self.now, voucher=True)

    def _referrer_reward(
        self, referral: Referral, referrer: Patient, trigger_at: datetime
    ) -> tuple[bool, list[str]]:
        cap = self.program.cap_per_referrer_per_year
        if cap is not None:
            this_year = self._count(
                referrer.id, REFERRER, year_start(self.now, self.clinic.timezone)
            )
            if this_year >= cap:
                return False, [
                    f"{referrer.first_name} has already been rewarded for {this_year} referrals "
                    f"this year (the cap is {cap}): no referrer reward this time."
                ]
        spec = self.program.referrer
        assert spec is not None
        notes = self._issue(referral, REFERRER, referrer, spec, trigger_at)
        return REFERRER in self._roles(referral.id), notes

    def _bonus(self, referral: Referral, referrer: Patient, trigger_at: datetime) -> list[str]:
        count = self._count(referrer.id, REFERRER, None)
        if not bonus_due(count, self.program) or self.program.bonus is None:
            return []
        return self._issue(
            referral, BONUS, referrer, self.program.bonus, trigger_at, why=f"referral no. {count}"
        )

    # -- one reward --------------------------------------------------------------------------
    def _issue(
        self,
        referral: Referral,
        role: str,
        patient: Patient,
        spec: RewardSpec,
        trigger_at: datetime,
        *,
        voucher: bool = False,
        why: str | None = None,
    ) -> list[str]:
        program, name = self.program, patient.first_name
        if program.excludes(patient.payer_type):
            return [f"{name} gets no reward: the program excludes {patient.payer_type} patients."]
        received = self._value_this_year(patient.id)
        decision = apply_value_cap(spec, received, program, name)
        if decision.spec is None:
            return [decision.note or ""]
        spec = decision.spec
        start = usable_from(role, trigger_at, program)
        if referral.status == Stage.FLAGGED:
            status = HELD
        elif program.delivery == Delivery.MANUAL:
            status = PENDING
        else:
            status = HELD if start > self.now else AVAILABLE
        credit = spec.amount_minor if spec.kind == RewardKind.CREDIT else 0
        reward = Reward(
            referral_id=referral.id,
            patient_id=patient.id,
            role=role,
            kind=spec.kind.value,
            currency=program.currency,
            amount_minor=credit,
            remaining_minor=0,
            percent=spec.percent if spec.kind == RewardKind.PERCENT else None,
            item_name=spec.item if spec.kind == RewardKind.ITEM else None,
            value_minor=spec.face_value,
            status=status,
            issued_at=self.now,
            usable_from=start,
            expires_at=expires_at(start, program),
            program_id=self.active.id,
            note=decision.note,
        )
        try:
            with self.session.begin_nested():
                if voucher:
                    reward.voucher_code = self._free_voucher()
                self.session.add(reward)
                self.session.flush()
        except IntegrityError:
            # Another desk issued this reward in the same instant; theirs stands.
            return []
        add_entry(
            self.session,
            reward,
            "issued",
            credit,
            now=self.now,
            actor=self.actor,
            reason=why or f"referral {referral.id}",
        )
        audit.record(
            self.session,
            self.actor,
            "reward.issue",
            "reward",
            reward.id,
            at=self.now,
            after={
                "role": role,
                "kind": reward.kind,
                "value": reward.value_minor,
                "status": status,
                "referral_id": referral.id,
            },
        )
        return [*([decision.note] if decision.note else []), self._issued_note(reward, patient)]

    def _issued_note(self, reward: Reward, patient: Patient) -> str:
        name, what = patient.first_name, self.money(reward)
        if reward.status == HELD and self.session.get_one(Referral, reward.referral_id).status == (
            Stage.FLAGGED
        ):
            return f"{name}'s {what} is held until an owner reviews the flag on this referral."
        if reward.status == PENDING:
            return f"{name}'s {what} waits for an owner's approval."
        if reward.voucher_code:
            sent = self.notify(reward, patient)
            return f"{name}'s voucher {reward.voucher_code} ({what}): {sent}."
        if reward.status == HELD:
            return f"{name} earns {what}, usable from {day_text(reward.usable_from, self.zone)}."
        if reward.role == NEW_PATIENT:
            return f"{name} gets {what} at this visit."
        label = "a bonus of " if reward.role == BONUS else ""
        return f"{name} earned {label}{what}; {self.notify(reward, patient)}."

    def notify(self, reward: Reward, patient: Patient) -> str:
        """Queue the text that tells the patient about a reward they can now use.

        The text quotes this reward (a bonus or an older program's value included) and, for
        a referrer, names the friend who visited; the rest comes from the outbox's facts."""
        what = self.money(reward)
        referral = self.session.get(Referral, reward.referral_id) if reward.referral_id else None
        variables = {"referrer_reward": what, "friend_name": _friend_name(self.session, referral)}
        kind = "reward_earned"
        if reward.role == NEW_PATIENT:
            kind = "welcome_offer"
            extra = f" with voucher {reward.voucher_code}" if reward.voucher_code else ""
            variables = {"friend_reward": f"{what}{extra}"}
        queued = enqueue(
            self.session,
            self.now,
            patient=patient,
            kind=kind,
            variables=variables,
            cause=f"reward:{reward.id}",
            marketing=False,
        )
        if queued.held:
            return f"the text is held, not sent. {queued.reason}"
        if queued.message_id is None:
            return f"no text sent ({queued.reason})"
        text = "a text" if reward.voucher_code else "a thank-you text"
        if queued.send_at is not None and queued.send_at > self.now:
            return f"{text} will go out at {time_text(queued.send_at, self.zone)}"
        return f"{text} is queued"

    # -- stage ------------------------------------------------------------------------------
    def refresh_stage(self, referral: Referral) -> None:
        """Attended → rewarded once its rewards are issued and none is waiting any more."""
        if referral.status != Stage.ATTENDED:
            return
        statuses = list(
            self.session.scalars(select(Reward.status).where(Reward.referral_id == referral.id))
        )
        waiting = any(s in (HELD, PENDING) for s in statuses)
        if statuses and not waiting and any(s not in NOT_COUNTED for s in statuses):
            move(
                self.session,
                referral,
                Stage.REWARDED,
                actor=self.actor,
                now=self.now,
                system=True,
            )

    # -- facts -------------------------------------------------------------------------------
    def _roles(self, referral_id: int) -> set[str]:
        return set(
            self.session.scalars(select(Reward.role).where(Reward.referral_id == referral_id))
        )

    def _lock_patient(self, patient_id: int) -> Patient:
        # Caps and bonuses count this referrer's rewards: two desks must not both count 4.
        patient = self.session.scalar(
            select(Patient).where(Patient.id == patient_id).with_for_update()
        )
        assert patient is not None
        return patient

    def _count(self, patient_id: int, role: str, since: datetime | None) -> int:
        query = select(func.count(Reward.id)).where(
            Reward.patient_id == patient_id,
            Reward.role == role,
            Reward.status.not_in(NOT_COUNTED),
        )
        if since is not None:
            query = query.where(Reward.issued_at >= since)
        return self.session.scalar(query) or 0

    def _value_this_year(self, patient_id: int) -> int:
        since = year_start(self.now, self.clinic.timezone)
        total = self.session.scalar(
            select(func.coalesce(func.sum(Reward.value_minor), 0)).where(
                Reward.patient_id == patient_id,
                Reward.issued_at >= since,
                Reward.status.not_in(NOT_COUNTED),
            )
        )
        return int(total or 0)

    def _free_voucher(self) -> str:
        for _ in range(VOUCHER_ATTEMPTS):
            code = generate_voucher(self.rng)
            if self.session.scalar(select(Reward.id).where(Reward.voucher_code == code)) is None:
                return code
        raise RuntimeError("could not find a free voucher code")


def _friend_name(session: Session, referral: Referral | None) -> str:
    """The referred friend's first name ("" when not known: the outbox then holds the text)."""
    if referral is None:
        return ""
    if referral.referee_id is not None:
        friend = session.get(Patient, referral.referee_id)
        if friend is not None and friend.erased_at is None:
            return friend.first_name.strip()
    return (referral.prospect_name or "").split(" ")[0]
