"""The log file: rotating, in the platform's log folder, and never a patient's details.

Every line passes through ``redact`` after formatting (tracebacks included): phone numbers
keep only their last three digits, emails and anything shaped like a secret (Twilio auth
tokens, API key secrets, ``Authorization`` headers) are replaced. Message bodies are never
logged by our code; the Twilio library's request logging (which would carry them) is kept
out of the file.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "frontdesk.log"
MAX_BYTES = 1_000_000
KEEP = 5

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SECRET = re.compile(
    r"(?i)(authorization:\s*\S+\s+)\S+|\b(SK|AC)?[0-9a-f]{32}\b|(token|password|secret|pin)"
    r"(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"
)
# A run of 7+ digits, allowing the spaces, dashes, dots and brackets people type in phones.
# Never starting inside a longer number or word, and never an ISO date or time.
_PHONE = re.compile(r"(?<![\w\-:.])(?!\d{4}-\d{2}-\d{2})\+?\(?\d(?:[\s\-.()]{0,2}\d){6,}")


def _secret(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + "[hidden]"
    if match.group(3):
        return match.group(3) + match.group(4) + "[hidden]"
    return "[hidden]"


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"•••{digits[-3:]}"


def redact(text: str) -> str:
    """``text`` with phones masked to their last 3 digits, emails and secrets removed."""
    text = _SECRET.sub(_secret, text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(_phone, text)


class RedactingFormatter(logging.Formatter):
    """Redacts the message and the traceback; the time stamp and logger name stay legible."""

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args = redact(record.getMessage()), None
        if record.exc_info:
            copy.exc_text = redact(self.formatException(record.exc_info))
            copy.exc_info = None
        if record.stack_info:
            copy.stack_info = redact(record.stack_info)
        return super().format(copy)


def start_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Send the app's log to ``folder/frontdesk.log`` (rotated at 1 MB, 5 kept); returns it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for existing in root.handlers:  # started already (the CLI's main called in-process)
        if isinstance(existing, RotatingFileHandler) and existing.baseFilename == str(
            path.resolve()
        ):
            return path
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, level))
    # The Twilio library logs each request with its form body (the message text) at INFO.
    logging.getLogger("twilio").setLevel(logging.WARNING)
    return path


def install_crash_handler(log_path: Path, tell: Callable[[str], None]) -> None:
    """An unexpected error anywhere is written to the log (traceback and all, redacted) and
    the desk is told, in words, where that file is."""
    log = logging.getLogger("frontdesk.crash")

    def crashed(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if threading.current_thread() is not threading.main_thread():
            return  # a window can only be shown from the main thread; the log has it
        tell(
            "Something went wrong that Frontdesk did not expect. What you saved is safe. "
            f"The details are in {log_path} — send that file to your IT support."
        )

    sys.excepthook = crashed
    threading.excepthook = lambda args: crashed(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    )
