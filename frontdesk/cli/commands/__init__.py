"""CLI command groups; each module registers its sub-commands on the parser."""

from frontdesk.cli.commands import (
    checkin,
    clinic,
    dataio,
    flags,
    lookup,
    messages,
    patient_card,
    printing,
    referrals,
    reporting,
    rewards,
    safety,
    staff,
)

COMMAND_MODULES = (
    clinic,
    lookup,
    checkin,
    patient_card,
    messages,
    printing,
    dataio,
    referrals,
    rewards,
    flags,
    reporting,
    safety,
    staff,
)
