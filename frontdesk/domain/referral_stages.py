"""Referral stages and the only moves between them (SPEC §3).

Main path: introduced → booked → attended → rewarded. Side states: blocked (self-referral),
flagged (held for owner review; approving returns the referral to the stage it was held at,
rejecting ends it), cancelled (no-show or cancelled first visit; the friend may rebook),
expired (not attended in time). A flagged referral keeps moving underneath: its
``held_status`` follows booking and attendance while the flag waits for a decision.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.domain.errors import IllegalTransition


class Stage(StrEnum):
    INTRODUCED = "introduced"
    BOOKED = "booked"
    ATTENDED = "attended"
    REWARDED = "rewarded"
    BLOCKED = "blocked"
    FLAGGED = "flagged"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"


S = Stage
# The stages a referral may be created at: a friend named or a code given, a booking made
# at once, a late attach after the first visit, or a self-referral refused at the desk.
INITIAL: frozenset[Stage] = frozenset({S.INTRODUCED, S.BOOKED, S.ATTENDED, S.BLOCKED})

# Progress a referral can make while it waits for review (held_status moves, status stays).
PROGRESS: frozenset[Stage] = frozenset({S.INTRODUCED, S.BOOKED, S.ATTENDED, S.REWARDED})

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    S.INTRODUCED: frozenset({S.BOOKED, S.ATTENDED, S.CANCELLED, S.EXPIRED, S.BLOCKED, S.FLAGGED}),
    S.BOOKED: frozenset({S.ATTENDED, S.CANCELLED, S.EXPIRED, S.FLAGGED}),
    S.ATTENDED: frozenset({S.REWARDED, S.FLAGGED, S.CANCELLED}),
    S.REWARDED: frozenset({S.CANCELLED}),
    # Approving returns to the held stage; rejecting ends it; a reversed first visit cancels.
    S.FLAGGED: frozenset({S.INTRODUCED, S.BOOKED, S.ATTENDED, S.REWARDED, S.REJECTED, S.CANCELLED}),
    # A friend who missed or cancelled the first visit may book again, or simply turn up.
    S.CANCELLED: frozenset({S.BOOKED, S.ATTENDED}),
    # Only an owner overrides a blocked self-referral, with a written reason.
    S.BLOCKED: frozenset({S.INTRODUCED}),
    S.EXPIRED: frozenset(),
    S.REJECTED: frozenset(),
}

# Moves a receptionist may not make: owner decisions.
OWNER_ONLY: frozenset[tuple[Stage, Stage]] = frozenset(
    {(S.BLOCKED, S.INTRODUCED), (S.FLAGGED, S.REJECTED)}
    | {(S.FLAGGED, stage) for stage in PROGRESS}
)

# Moves a person makes on purpose need a written reason (sweeps and check-ins give their own).
NEEDS_REASON: frozenset[tuple[Stage, Stage]] = frozenset(
    {(S.BLOCKED, S.INTRODUCED), (S.FLAGGED, S.REJECTED)}
    | {(stage, S.CANCELLED) for stage in TRANSITIONS}
)

_VERB: dict[Stage, str] = {
    S.INTRODUCED: "reopened",
    S.BOOKED: "marked booked",
    S.ATTENDED: "marked attended",
    S.REWARDED: "rewarded",
    S.BLOCKED: "blocked",
    S.FLAGGED: "flagged for review",
    S.CANCELLED: "cancelled",
    S.EXPIRED: "expired",
    S.REJECTED: "rejected",
}

_WHY: dict[Stage, str] = {
    S.EXPIRED: " Expired referrals are closed; the friend can be introduced again as new.",
    S.REJECTED: " An owner rejected it after review; that decision is final.",
    S.REWARDED: " Its rewards are already issued.",
    S.BLOCKED: " It was blocked as a self-referral; only an owner can override that.",
}


def parse_stage(text: str) -> Stage:
    try:
        return Stage(text.strip().lower())
    except ValueError:
        known = ", ".join(stage.value for stage in Stage)
        raise IllegalTransition(
            f"{text!r} is not a referral stage. Stages: {known}.", "", text
        ) from None


def can_move(current: Stage | None, requested: Stage) -> bool:
    if current is None:
        return requested in INITIAL
    return requested in TRANSITIONS[current]


def check_transition(current: Stage | None, requested: Stage) -> None:
    """Refuse a move that the lifecycle does not allow, in words for the desk."""
    if can_move(current, requested):
        return
    if current is None:
        message = f"A new referral cannot start as {requested.value}."
    elif current == requested:
        message = f"This referral is already {current.value}."
    else:
        message = f"This referral is {current.value}; it can't be {_VERB[requested]}." + _WHY.get(
            current, ""
        )
    raise IllegalTransition(message, current.value if current else "", requested.value)


def is_terminal(stage: Stage) -> bool:
    return not TRANSITIONS[stage]


def needs_owner(current: Stage, requested: Stage) -> bool:
    return (current, requested) in OWNER_ONLY


def needs_reason(current: Stage, requested: Stage) -> bool:
    return (current, requested) in NEEDS_REASON


def stage_of(status: str, held_status: str | None) -> Stage:
    """The stage that counts for progress: a flagged referral's held stage."""
    if status == S.FLAGGED and held_status:
        return Stage(held_status)
    return Stage(status)
