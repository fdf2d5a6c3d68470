"""CLI command groups; each module registers its sub-commands on the parser."""

from frontdesk.commands import (
    checkin,
    clinic,
    dataio,
    lookup,
    messages,
    printing,
    reporting,
    safety,
)

COMMAND_MODULES = (clinic, lookup, checkin, messages, printing, dataio, reporting, safety)
