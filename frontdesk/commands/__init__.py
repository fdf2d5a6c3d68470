"""CLI command groups; each module registers its sub-commands on the parser."""

from frontdesk.commands import checkin, clinic, lookup

COMMAND_MODULES = (clinic, lookup, checkin)
