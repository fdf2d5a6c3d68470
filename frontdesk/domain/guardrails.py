"""Whether a patient may be texted now, later, or not at all — and why, in words.

Pure rules over facts the caller gathered, so every refusal reads like a receptionist would
say it ("not asked: asked 12 days ago") and every rule is tested with exact times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Policy:
    timezone: str
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)
    min_ask_gap_days: int = 60
    ask_lifetime_cap: int = 3

    @classmethod
    def from_settings(
        cls, timezone: str, quiet_start: str, quiet_end: str, gap_days: int, cap: int
    ) -> Policy:
        return cls(timezone, _hhmm(quiet_start), _hhmm(quiet_end), gap_days, cap)


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class PatientFacts:
    has_phone: bool
    phone_invalid: bool
    consent: bool
    opted_out: bool
    last_marketing_at: datetime | None  # last marketing text queued or sent (not cancelled)
    last_ask_at: datetime | None
    asks_total: int
    not_mobile: str | None = None  # why the number cannot take texts (a landline…), if so


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str
    send_at: datetime | None = None  # when allowed: now, or the end of quiet hours

    @property
    def delayed(self) -> bool:
        return self.allowed and self.send_at is not None and self.reason.startswith("waits")


def in_quiet_hours(at: datetime, policy: Policy) -> bool:
    local = at.astimezone(ZoneInfo(policy.timezone)).time()
    start, end = policy.quiet_start, policy.quiet_end
    if start == end:
        return False
    if start < end:  # e.g. 12:00-14:00
        return start <= local < end
    return local >= start or local < end  # e.g. 20:00-09:00, across midnight


def quiet_hours_end(at: datetime, policy: Policy) -> datetime:
    """The first instant at or after ``at`` that is outside quiet hours (aware, same tz as at)."""
    if not in_quiet_hours(at, policy):
        return at
    zone = ZoneInfo(policy.timezone)
    local = at.astimezone(zone)
    candidate_day = local.date()
    if local.time() >= policy.quiet_end:
        candidate_day += timedelta(days=1)
    end = datetime.combine(candidate_day, policy.quiet_end, tzinfo=zone)
    return end.astimezone(at.tzinfo)


def _days_ago(then: datetime, now: datetime) -> str:
    days = (now - then).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def same_local_day(a: datetime, b: datetime, timezone: str) -> bool:
    zone = ZoneInfo(timezone)
    return a.astimezone(zone).date() == b.astimezone(zone).date()


def check(
    facts: PatientFacts,
    policy: Policy,
    now: datetime,
    *,
    marketing: bool,
    referral_ask: bool,
) -> Verdict:
    """May this text go to this patient? Refusals first (cheapest to explain), then timing."""
    if not facts.has_phone:
        return Verdict(False, "no mobile number on file")
    if facts.phone_invalid:
        return Verdict(False, "the mobile number on file is not valid")
    if facts.not_mobile:
        return Verdict(False, facts.not_mobile)
    if facts.opted_out:
        return Verdict(False, "opted out of texts")
    if marketing and not facts.consent:
        return Verdict(False, "no SMS consent")
    if referral_ask:
        if policy.ask_lifetime_cap == 0 or facts.asks_total >= policy.ask_lifetime_cap:
            return Verdict(
                False,
                f"already asked {facts.asks_total} time{'s' if facts.asks_total != 1 else ''} "
                f"(lifetime cap {policy.ask_lifetime_cap})",
            )
        if facts.last_ask_at is not None:
            gap = timedelta(days=policy.min_ask_gap_days)
            if now - facts.last_ask_at < gap:
                return Verdict(
                    False,
                    f"asked {_days_ago(facts.last_ask_at, now)} "
                    f"(minimum gap {policy.min_ask_gap_days} days)",
                )
    send_at = quiet_hours_end(now, policy)
    if (
        marketing
        and facts.last_marketing_at is not None
        and same_local_day(facts.last_marketing_at, send_at, policy.timezone)
    ):
        return Verdict(False, "already had a marketing text that day (one a day at most)")
    if send_at != now:
        local = send_at.astimezone(ZoneInfo(policy.timezone))
        return Verdict(True, f"waits for the end of quiet hours ({local:%H:%M})", send_at)
    return Verdict(True, "goes out at the next sync", now)
