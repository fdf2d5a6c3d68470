"""Ask rules at work: at check-in, on a schedule run by the sync, and after a 1-5 reply.

Each decision — asked or not — is written to ``ask_decision`` with its reason in words
("not asked: asked 12 days ago (minimum gap 60 days)"), keyed by its trigger so the same
trigger is never decided (or texted) twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.domain import guardrails
from frontdesk.domain.ask_rules import (
    ANY_VISIT,
    DAYS_AFTER,
    AskRule,
    VisitFacts,
    rating_outcome,
    triggered_at_checkin,
)
from frontdesk.domain.errors import InvalidInputError, NotFoundError
from frontdesk.domain.templates import REFERRAL_ASK
from frontdesk.services.messaging.outbox import enqueue, load_policy, patient_facts
from frontdesk.services.messaging.templates import clinic_defaults
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row, setting_value
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.services.records.effects import VisitAttended
from frontdesk.store.models import (
    AskDecision,
    InboundMessage,
    MessageTemplate,
    Patient,
    Setting,
    Visit,
)

RULES_KEY = "sms.ask_rules"
SCHEDULE_LOOKBACK_DAYS = 30  # a days-after rule is not applied to visits older than this


def load_rules(session: Session) -> tuple[AskRule, ...]:
    row = session.get(Setting, RULES_KEY)
    raw = (
        json.loads(row.value_json)
        if row
        else clinic_defaults(clinic_row(session).clinic_type)["ask_rules"]
    )
    return tuple(AskRule.from_dict(item) for item in raw)


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    patient_id: int
    decided_at: datetime
    rule: str
    action: str
    asked: bool
    reason: str
    message_id: int | None

    def describe(self) -> str:
        return f"{'asked' if self.asked else 'not asked'}: {self.reason}"


def decide(
    session: Session,
    now: datetime,
    *,
    patient: Patient,
    action: str,
    rule: str,
    source_key: str,
    visit_id: int | None = None,
    inbound_id: int | None = None,
    not_before: datetime | None = None,
    template: str | None = None,
) -> AskDecision | None:
    """Decide one trigger; None when this trigger was already decided."""
    if session.scalar(select(AskDecision.id).where(AskDecision.source_key == source_key)):
        return None
    queued = enqueue(
        session,
        now,
        patient=patient,
        kind=action,
        variables={},
        cause=f"ask:{source_key}"[:60],
        marketing=True,
        not_before=not_before,
        template_name=template,
    )
    asked = queued.message_id is not None and not queued.held
    reason = rule if asked else f"{queued.reason} — rule: {rule}"
    if asked and queued.reason:
        reason = f"{rule}; {queued.reason}"
    decision = AskDecision(
        patient_id=patient.id,
        visit_id=visit_id,
        inbound_id=inbound_id,
        source_key=source_key,
        rule=rule[:200],
        action=action,
        asked=asked,
        reason=reason,
        outbox_id=queued.message_id,
        decided_at=now,
    )
    session.add(decision)
    session.flush()
    return decision


def _note(decision: AskDecision | None, first_name: str) -> list[str]:
    if decision is None:
        return []
    what = "referral ask" if decision.action == REFERRAL_ASK else "check-in text"
    if decision.asked:
        return [f"A {what} to {first_name} is in the outbox."]
    return [f"No {what} to {first_name}: {decision.reason.split(' — ')[0]}."]


def on_visit_attended(event: VisitAttended) -> Sequence[str]:
    """The effect handler registered for check-ins (runs in the check-in transaction)."""
    session = event.session
    patient = session.get(Patient, event.patient_id)
    visit = session.get(Visit, event.visit_id)
    if patient is None:
        return []
    attended = session.scalar(
        select(func.count(Visit.id)).where(
            Visit.patient_id == patient.id, Visit.status == "attended", Visit.id != event.visit_id
        )
    )
    facts = VisitFacts(
        visit_type=event.visit_type,
        happy=event.happy,
        plan_complete=bool(visit.plan_complete) if visit else False,
        attended_count=int(attended or 0) + 1,
    )
    notes: list[str] = []
    for rule in triggered_at_checkin(load_rules(session), facts):
        decision = decide(
            session,
            event.now,
            patient=patient,
            action=rule.action,
            rule=rule.describe(),
            source_key=f"visit:{event.visit_id}:{rule.key}",
            visit_id=event.visit_id,
            template=rule.template,
        )
        notes += _note(decision, patient.first_name)
        if decision is not None and decision.asked:
            break  # never stack two asks from one visit
    return notes


def after_rating(
    session: Session, now: datetime, patient: Patient, inbound: InboundMessage, rating: int
) -> AskDecision | None:
    """A 4-5 reply leads to a referral ask; 1-3 goes to the desk (the caller leaves it open)."""
    if rating_outcome(rating) != REFERRAL_ASK:
        return None
    return decide(
        session,
        now,
        patient=patient,
        action=REFERRAL_ASK,
        rule=f"referral ask after a check-in reply of {rating}",
        source_key=f"reply:{inbound.provider_sid}",
        inbound_id=inbound.id,
    )


def run_scheduled(session: Session, now: datetime) -> int:
    """Apply the 'N days after a visit' rules whose day has come; returns decisions made."""
    made = 0
    for rule in load_rules(session):
        if rule.trigger != DAYS_AFTER or rule.n is None:
            continue
        due_before = now - timedelta(days=rule.n)
        oldest = due_before - timedelta(days=SCHEDULE_LOOKBACK_DAYS)
        visits = session.scalars(
            select(Visit)
            .where(Visit.status == "attended", Visit.at <= due_before, Visit.at > oldest)
            .order_by(Visit.at)
        ).all()
        for visit in visits:
            if not rule.applies_to(visit.visit_type) or (rule.needs_happy and not visit.happy):
                continue
            patient = session.get(Patient, visit.patient_id)
            if patient is None:
                continue
            decision = decide(
                session,
                now,
                patient=patient,
                action=rule.action,
                rule=rule.describe(),
                source_key=f"visit:{visit.id}:{rule.key}",
                visit_id=visit.id,
                template=rule.template,
            )
            made += decision is not None
    return made


@dataclass(frozen=True)
class UpcomingAsk:
    """A patient a days-after rule would text in the coming days, and whether it may."""

    patient_id: int
    name: str
    due_at: datetime
    rule: str
    action: str
    allowed: bool
    reason: str


@dataclass(frozen=True)
class Guardrails:
    """The limits every ask obeys whatever the rules say, for the editor to show."""

    quiet_start: str
    quiet_end: str
    min_gap_days: int
    lifetime_cap: int


def upcoming(session: Session, now: datetime, days: int = 7) -> list[UpcomingAsk]:
    """Who the "N days after a visit" rules would text before ``now + days``, checked against
    the guardrails as things stand (visits not yet made cannot be foreseen)."""
    policy = load_policy(session)
    horizon = now + timedelta(days=days)
    out: list[UpcomingAsk] = []
    for rule in load_rules(session):
        if rule.trigger != DAYS_AFTER or rule.n is None:
            continue
        wait = timedelta(days=rule.n)
        visits = session.scalars(
            select(Visit)
            .where(Visit.status == "attended", Visit.at > now - wait, Visit.at <= horizon - wait)
            .order_by(Visit.at)
        ).all()
        for visit in visits:
            if not rule.applies_to(visit.visit_type) or (rule.needs_happy and not visit.happy):
                continue
            patient = session.get(Patient, visit.patient_id)
            if patient is None or patient.erased_at is not None:
                continue
            due = visit.at + wait
            verdict = guardrails.check(
                patient_facts(session, patient),
                policy,
                due,
                marketing=True,
                referral_ask=rule.action == REFERRAL_ASK,
            )
            name = f"{patient.first_name} {patient.last_name}".strip()
            out.append(
                UpcomingAsk(
                    patient.id,
                    name,
                    due,
                    rule.describe(),
                    rule.action,
                    verdict.allowed,
                    verdict.reason,
                )
            )
    return sorted(out, key=lambda row: row.due_at)


class AskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def rules(self) -> tuple[AskRule, ...]:
        with self._ctx.db.read() as session:
            return load_rules(session)

    def save_rules(self, actor: Actor, rules: Sequence[AskRule]) -> tuple[AskRule, ...]:
        actor.require_owner("change the ask rules")
        now = self._ctx.clock.now()
        encoded = json.dumps([rule.to_dict() for rule in rules])
        with self._ctx.db.begin() as session:
            before = [rule.to_dict() for rule in load_rules(session)]
            row = session.get(Setting, RULES_KEY)
            if row is None:
                session.add(Setting(key=RULES_KEY, value_json=encoded, updated_at=now))
            else:
                row.value_json, row.updated_at = encoded, now
            audit.record(
                session,
                actor,
                "ask_rules.save",
                "setting",
                None,
                at=now,
                before={"rules": before},
                after={"rules": json.loads(encoded)},
            )
        return tuple(rules)

    def set_rule(self, actor: Actor, rule: AskRule) -> tuple[AskRule, ...]:
        """Add ``rule``, replacing the visit type's rule of the same kind of trigger (its
        "N days after" rule, say); its other rules — a plan-complete one — stay."""
        known = self.visit_types()
        match = next((v for v in known if v.casefold() == rule.visit_type.casefold()), None)
        if rule.visit_type != ANY_VISIT and match is None:
            raise InvalidInputError(
                f"“{rule.visit_type}” is not one of this clinic's visit types: "
                f"{', '.join(known)} (or * for any visit)."
            )
        rule = replace(rule, visit_type=match or ANY_VISIT)
        if rule.template and rule.template not in self._wordings(rule.action):
            raise InvalidInputError(
                f"There is no {rule.action.replace('_', ' ')} wording named “{rule.template}”. "
                f"Save one first: frontdesk templates set {rule.action} --name "
                f'"{rule.template}" --body "…"'
            )
        kept = [
            r
            for r in self.rules()
            if not (
                r.visit_type.casefold() == rule.visit_type.casefold() and r.trigger == rule.trigger
            )
        ]
        return self.save_rules(actor, [*kept, rule])

    def remove_rules(
        self, actor: Actor, visit_type: str, only: AskRule | None = None
    ) -> tuple[AskRule, ...]:
        """Remove a visit type's rules (or just ``only``, one of them)."""
        rules = self.rules()
        if only is not None:
            kept = [r for r in rules if r != only]
        else:
            kept = [r for r in rules if r.visit_type.casefold() != visit_type.strip().casefold()]
        if len(kept) == len(rules):
            raise NotFoundError(f"There is no ask rule for “{visit_type}”.")
        return self.save_rules(actor, kept)

    def _wordings(self, kind: str) -> list[str]:
        with self._ctx.db.read() as session:
            return list(
                session.scalars(
                    select(MessageTemplate.name).where(
                        MessageTemplate.kind == kind, MessageTemplate.active.is_(True)
                    )
                )
            )

    def visit_types(self) -> list[str]:
        with self._ctx.db.read() as session:
            return list(setting_value(session, "visit_types"))

    def upcoming(self, days: int = 7) -> list[UpcomingAsk]:
        with self._ctx.db.read() as session:
            return upcoming(session, self._ctx.clock.now(), days)

    def guardrails(self) -> Guardrails:
        with self._ctx.db.read() as session:
            return Guardrails(
                str(setting_value(session, "sms.quiet_start")),
                str(setting_value(session, "sms.quiet_end")),
                int(setting_value(session, "sms.min_ask_gap_days")),
                int(setting_value(session, "sms.ask_lifetime_cap")),
            )

    def run_scheduled(self) -> int:
        with self._ctx.db.begin() as session:
            return run_scheduled(session, self._ctx.clock.now())

    def decisions(self, patient_id: int | None = None, limit: int = 200) -> list[DecisionInfo]:
        with self._ctx.db.read() as session:
            query = select(AskDecision).order_by(
                AskDecision.decided_at.desc(), AskDecision.id.desc()
            )
            if patient_id is not None:
                query = query.where(AskDecision.patient_id == patient_id)
            return [
                DecisionInfo(
                    d.id,
                    d.patient_id,
                    d.decided_at,
                    d.rule,
                    d.action,
                    d.asked,
                    d.reason,
                    d.outbox_id,
                )
                for d in session.scalars(query.limit(limit))
            ]
