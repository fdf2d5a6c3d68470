"""Typed errors whose message is written for a receptionist, not a developer.

The UI and the CLI turn any error into words with ``in_words`` (the one place that does):
a typed error shows its message; anything else (a database fault, a bug) shows a calm
sentence and its detail goes to the log, never raw SQL, HTTP text or a traceback on screen.
The CLI exits with ``exit_code`` (2: bad usage or bad input, 3: a rule refused the action,
4: the database is damaged, unreachable or busy past the wait).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

log = logging.getLogger(__name__)

UNEXPECTED = "That didn't work, and nothing was saved. Please try again."


class FrontdeskError(Exception):
    """Base of every error a person can act on."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(FrontdeskError):
    """What was typed (or imported, or received) is not usable as it stands."""


class NotFoundError(InvalidInputError):
    """Nothing on file matches."""


class InvalidPhoneError(InvalidInputError):
    """A phone number that cannot be a real number."""


class InvalidSettingError(InvalidInputError):
    """A setting's new value is not usable; ``key`` names the setting, so a form can show the
    message under that field."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


class UnknownCodeError(NotFoundError):
    """A referral code that is not on file; ``suggestions`` holds the nearest real codes."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = tuple(suggestions)


class RuleRefusedError(FrontdeskError):
    """A business rule refused the action (the input itself was fine)."""

    exit_code = 3


class SelfReferralError(RuleRefusedError):
    """The new patient and the referrer are the same person."""


class KnownPersonError(RuleRefusedError):
    """The 'new' patient is already on file, so earns no referral reward."""

    def __init__(self, message: str, existing_patient_id: int) -> None:
        super().__init__(message)
        self.existing_patient_id = existing_patient_id


class PermissionDeniedError(RuleRefusedError):
    """Only an owner may do this."""


class OptedOutError(RuleRefusedError):
    """The patient does not want our messages."""


class ConflictError(RuleRefusedError):
    """Someone (another desk, or an earlier click) already did this."""


class IllegalTransition(RuleRefusedError):
    """A referral cannot move from its stage to the one asked for (e.g. cancelled → booked)."""

    def __init__(self, message: str, current: str, requested: str) -> None:
        super().__init__(message)
        self.current = current
        self.requested = requested


class InsufficientCreditError(RuleRefusedError):
    """A redemption asks for more credit than the patient can use right now."""


class DatabaseUnavailableError(FrontdeskError):
    """The database cannot be used safely right now: damaged, unreachable or locked past the
    wait. Nothing was written; the message says the way out (a restore, a retry)."""

    exit_code = 4


class DatabaseDamagedError(DatabaseUnavailableError):
    """The database file fails SQLite's check: it is only read, never written, until restored."""


class DatabaseBusyError(DatabaseUnavailableError):
    """Another desk or program held the write lock for longer than we wait."""


class DataUnavailableError(DatabaseUnavailableError):
    """The clinic's database could not be opened or reached; the message says what to do."""


def in_words(error: BaseException, fallback: str = UNEXPECTED) -> str:
    """What the desk is told about ``error``; ``fallback`` says it for an unexpected one."""
    if isinstance(error, FrontdeskError):
        return error.message
    if isinstance(error, OSError) and error.filename and error.strerror:
        return f"Couldn't use the file {error.filename}: {error.strerror}."
    log.error("unexpected error shown as %r", fallback, exc_info=error)
    return fallback
