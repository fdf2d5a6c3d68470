"""When the clinic asks a patient for a referral (or first checks how they feel).

Rules are per visit type (or ``*`` for any): after the Nth attended visit, when a plan is
marked complete, after a visit the desk marked happy, N days after a visit, and — always —
after a soft check-in reply of 4 or 5. A reply of 1-3 never leads to an ask; it goes to the
desk. Each trigger is a plain sentence so a decision can be explained later.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import InvalidInputError
from frontdesk.domain.templates import REFERRAL_ASK, SOFT_CHECKIN

NTH_VISIT = "nth_visit"
PLAN_COMPLETE = "plan_complete"
HAPPY = "happy"
DAYS_AFTER = "days_after"
TRIGGERS = (NTH_VISIT, PLAN_COMPLETE, HAPPY, DAYS_AFTER)
ACTIONS = (REFERRAL_ASK, SOFT_CHECKIN)
ANY_VISIT = "*"
GOOD_RATING = 4


@dataclass(frozen=True)
class AskRule:
    visit_type: str  # a visit type, or "*" for any
    trigger: str
    n: int | None = None  # the visit number, or the days to wait
    action: str = REFERRAL_ASK
    needs_happy: bool = False  # only when the desk marked the visit happy
    template: str | None = None  # a named wording of the action's kind; None: the default

    def __post_init__(self) -> None:
        if self.trigger not in TRIGGERS:
            raise InvalidInputError(
                f"{self.trigger!r} is not a trigger. Use one of: {', '.join(TRIGGERS)}."
            )
        if self.action not in ACTIONS:
            raise InvalidInputError(
                f"A rule sends a referral ask or a soft check-in, not {self.action!r}."
            )
        if self.trigger in (NTH_VISIT, DAYS_AFTER) and (self.n is None or self.n < 1):
            raise InvalidInputError("This rule needs a number of visits or days of 1 or more.")

    @property
    def key(self) -> str:
        happy = ":happy" if self.needs_happy and self.trigger != HAPPY else ""
        return f"{self.trigger}:{self.n or 0}:{self.action}:{self.visit_type}{happy}"

    def _when(self) -> str:
        article = "an" if self.visit_type[:1].lower() in "aeiou" else "a"
        where = (
            "any visit" if self.visit_type == ANY_VISIT else f"{article} {self.visit_type} visit"
        )
        what = "referral ask" if self.action == REFERRAL_ASK else "soft check-in"
        happy = " marked happy" if self.needs_happy and self.trigger != HAPPY else ""
        if self.trigger == NTH_VISIT:
            return f"{what} after the {ordinal(self.n or 0)} attended visit ({where}{happy})"
        if self.trigger == PLAN_COMPLETE:
            return f"{what} when a plan is marked complete ({where}{happy})"
        if self.trigger == HAPPY:
            return f"{what} after {where} marked happy"
        days = "1 day" if self.n == 1 else f"{self.n} days"
        return f"{what} {days} after {where}{happy}"

    def describe(self) -> str:
        wording = f" (wording “{self.template}”)" if self.template else ""
        return self._when() + wording

    def applies_to(self, visit_type: str) -> bool:
        return self.visit_type == ANY_VISIT or self.visit_type.casefold() == visit_type.casefold()

    def to_dict(self) -> dict[str, object]:
        return {
            "visit_type": self.visit_type,
            "trigger": self.trigger,
            "n": self.n,
            "action": self.action,
            "needs_happy": self.needs_happy,
            "template": self.template,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AskRule:
        n = data.get("n")
        return cls(
            visit_type=str(data.get("visit_type", ANY_VISIT)),
            trigger=str(data["trigger"]),
            n=int(n) if isinstance(n, int | str) and str(n).strip() else None,
            action=str(data.get("action", REFERRAL_ASK)),
            needs_happy=bool(data.get("needs_happy", False)),
            template=str(data["template"]) if data.get("template") else None,
        )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class VisitFacts:
    visit_type: str
    happy: bool
    plan_complete: bool
    attended_count: int  # the patient's attended visits, this one included


def triggered_at_checkin(rules: tuple[AskRule, ...], visit: VisitFacts) -> list[AskRule]:
    """Rules that fire the moment this visit is recorded (the ``days_after`` ones wait)."""
    fired = []
    for rule in rules:
        if not rule.applies_to(visit.visit_type) or (rule.needs_happy and not visit.happy):
            continue
        if (
            (rule.trigger == NTH_VISIT and visit.attended_count == rule.n)
            or (rule.trigger == PLAN_COMPLETE and visit.plan_complete)
            or (rule.trigger == HAPPY and visit.happy)
        ):
            fired.append(rule)
    # A referral ask beats a check-in: the visit already told us the patient is happy.
    fired.sort(key=lambda r: r.action != REFERRAL_ASK)
    return fired


def rating_outcome(rating: int) -> str:
    """What a soft check-in reply leads to: a referral ask, or the desk's attention."""
    return REFERRAL_ASK if rating >= GOOD_RATING else "desk"


def rule_from_options(
    visit_type: str,
    action: str,
    *,
    after_days: int | None = None,
    after_visits: int | None = None,
    needs_happy: bool = False,
    template: str | None = None,
) -> AskRule:
    """What the owner set in the editor or the CLI as a rule: N days after the visit, after
    the Nth visit, or (neither) at a visit marked happy."""
    actions = {"ask": REFERRAL_ASK, "soft_checkin": SOFT_CHECKIN, **{a: a for a in ACTIONS}}
    if action not in actions:
        raise InvalidInputError("A rule sends an ask or a soft_checkin.")
    if after_days is not None and after_visits is not None:
        raise InvalidInputError("Give days after the visit or a visit number, not both.")
    if after_days is not None and not 0 <= after_days <= 365:
        raise InvalidInputError("Wait 0 to 365 days after the visit.")
    if after_visits is not None and not 1 <= after_visits <= 100:
        raise InvalidInputError("The visit number is 1 to 100.")
    chosen = actions[action]
    wording = " ".join((template or "").split()) or None
    if after_visits is not None:
        return AskRule(visit_type, NTH_VISIT, after_visits, chosen, needs_happy, wording)
    if after_days:
        return AskRule(visit_type, DAYS_AFTER, after_days, chosen, needs_happy, wording)
    if not needs_happy:
        raise InvalidInputError(
            "At the visit itself, a rule needs the visit marked happy (--needs-happy); "
            "otherwise give --after DAYS or --after-visit N."
        )
    return AskRule(visit_type, HAPPY, None, chosen, template=wording)
