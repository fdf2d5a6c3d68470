"""What a write changed, carried by its result so the desk refreshes exactly that.

Anki's operations return ``OpChanges`` for the same reason: the service knows what it wrote
(the effects pipeline may have raised a fraud flag or queued a text in the same transaction),
so no screen has to guess. The UI's task runner announces a result's ``changes``. Pure
values: the window imports them before the data layer loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Topic(StrEnum):
    PATIENTS = "patients"
    REFERRALS = "referrals"
    REWARDS = "rewards"
    FLAGS = "flags"
    MESSAGES = "messages"
    SETTINGS = "settings"


# Which part of the desk a table's rows show up in. Audit and sync bookkeeping show nowhere.
_TABLE_TOPICS: dict[str, tuple[Topic, ...]] = {
    "patient": (Topic.PATIENTS,),
    "referral_code": (Topic.PATIENTS,),
    "visit": (Topic.PATIENTS,),
    "consent_event": (Topic.PATIENTS,),
    "referral": (Topic.REFERRALS,),
    "referral_event": (Topic.REFERRALS,),
    "reward": (Topic.REWARDS,),
    "ledger_entry": (Topic.REWARDS,),
    "fraud_flag": (Topic.FLAGS,),
    "outbox_message": (Topic.MESSAGES,),
    "inbound_message": (Topic.MESSAGES,),
    "message_template": (Topic.MESSAGES,),
    "ask_decision": (Topic.MESSAGES,),
    "clinic": (Topic.SETTINGS,),
    "setting": (Topic.SETTINGS,),
    "location": (Topic.SETTINGS,),
    "staff": (Topic.SETTINGS,),
    "reward_program": (Topic.SETTINGS, Topic.REWARDS),
    "poster": (Topic.SETTINGS,),
    "clinic_logo": (Topic.SETTINGS,),
}


@dataclass(frozen=True)
class Changes:
    """The topics a write touched; empty when it wrote nothing the desk shows."""

    topics: frozenset[Topic] = frozenset()

    @classmethod
    def of(cls, *topics: Topic) -> Changes:
        return cls(frozenset(topics))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.topics | other.topics)

    def __contains__(self, topic: object) -> bool:
        return topic in self.topics

    def __bool__(self) -> bool:
        return bool(self.topics)


NO_CHANGES = Changes()
EVERYTHING = Changes(frozenset(Topic))  # a restore or import replaced the data wholesale


def topics_of_tables(tables: Iterable[str]) -> Changes:
    return Changes(frozenset(t for name in tables for t in _TABLE_TOPICS.get(name, ())))
