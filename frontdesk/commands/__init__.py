"""CLI command groups; each module registers its sub-commands on the parser."""

from frontdesk.commands import clinic, dataio, lookup, reporting, safety

COMMAND_MODULES = (clinic, lookup, dataio, reporting, safety)
