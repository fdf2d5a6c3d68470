"""CLI command groups; each module registers its sub-commands on the parser."""

from frontdesk.commands import clinic, lookup, printing

COMMAND_MODULES = (clinic, lookup, printing)
