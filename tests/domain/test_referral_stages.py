"""Every stage transition the lifecycle allows, and every neighbour it refuses."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import IllegalTransition
from frontdesk.domain.referral_stages import (
    INITIAL,
    TRANSITIONS,
    Stage,
    check_transition,
    is_terminal,
    needs_owner,
    needs_reason,
    parse_stage,
    stage_of,
)

S = Stage
ALLOWED = {
    (S.INTRODUCED, S.BOOKED),
    (S.INTRODUCED, S.ATTENDED),
    (S.INTRODUCED, S.CANCELLED),
    (S.INTRODUCED, S.EXPIRED),
    (S.INTRODUCED, S.BLOCKED),
    (S.INTRODUCED, S.FLAGGED),
    (S.BOOKED, S.ATTENDED),
    (S.BOOKED, S.CANCELLED),
    (S.BOOKED, S.EXPIRED),
    (S.BOOKED, S.FLAGGED),
    (S.ATTENDED, S.REWARDED),
    (S.ATTENDED, S.FLAGGED),
    (S.ATTENDED, S.CANCELLED),
    (S.REWARDED, S.CANCELLED),
    (S.FLAGGED, S.INTRODUCED),
    (S.FLAGGED, S.BOOKED),
    (S.FLAGGED, S.ATTENDED),
    (S.FLAGGED, S.REWARDED),
    (S.FLAGGED, S.REJECTED),
    (S.FLAGGED, S.CANCELLED),
    (S.CANCELLED, S.BOOKED),
    (S.CANCELLED, S.ATTENDED),
    (S.BLOCKED, S.INTRODUCED),
}
EVERY_PAIR = [(a, b) for a in Stage for b in Stage]


@pytest.mark.parametrize(("current", "requested"), sorted(ALLOWED))
def test_allowed_moves(current: Stage, requested: Stage) -> None:
    check_transition(current, requested)


@pytest.mark.parametrize(
    ("current", "requested"), [pair for pair in EVERY_PAIR if pair not in ALLOWED]
)
def test_every_other_move_is_refused_in_words(current: Stage, requested: Stage) -> None:
    with pytest.raises(IllegalTransition) as error:
        check_transition(current, requested)
    assert error.value.exit_code == 3
    assert current.value in error.value.message
    assert error.value.current == current.value and error.value.requested == requested.value


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


def test_messages_say_why_for_final_stages() -> None:
    with pytest.raises(IllegalTransition, match=r"rejected; it can.t be marked booked.*final"):
        check_transition(S.REJECTED, S.BOOKED)
    with pytest.raises(IllegalTransition, match="already attended"):
        check_transition(S.ATTENDED, S.ATTENDED)
    with pytest.raises(IllegalTransition, match="Expired referrals are closed"):
        check_transition(S.EXPIRED, S.ATTENDED)


def test_a_referral_starts_only_where_the_desk_can_start_it() -> None:
    assert {s for s in Stage if s in INITIAL} == {S.INTRODUCED, S.BOOKED, S.ATTENDED, S.BLOCKED}
    for stage in INITIAL:
        check_transition(None, stage)
    with pytest.raises(IllegalTransition, match="cannot start as rewarded"):
        check_transition(None, S.REWARDED)


def test_terminal_owner_only_and_reason_rules() -> None:
    assert {s for s in Stage if is_terminal(s)} == {S.EXPIRED, S.REJECTED}
    assert needs_owner(S.FLAGGED, S.REJECTED) and needs_owner(S.BLOCKED, S.INTRODUCED)
    assert needs_owner(S.FLAGGED, S.ATTENDED)
    assert not needs_owner(S.INTRODUCED, S.BOOKED)
    assert needs_reason(S.BOOKED, S.CANCELLED) and needs_reason(S.FLAGGED, S.REJECTED)
    assert not needs_reason(S.BOOKED, S.ATTENDED)


def test_parse_stage_and_held_stage() -> None:
    assert parse_stage(" Booked ") == S.BOOKED
    with pytest.raises(IllegalTransition, match="not a referral stage"):
        parse_stage("paid")
    assert stage_of("flagged", "attended") == S.ATTENDED
    assert stage_of("booked", None) == S.BOOKED
