"""Background results for a widget that may be gone by the time they arrive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def while_alive(owner: QObject, callback: Callable[..., Any]) -> Callable[..., None]:
    """``callback``, dropped quietly if ``owner`` was deleted (a screen closed while its
    preview was still being drawn)."""

    def deliver(*args: Any) -> None:
        if shiboken6.isValid(owner):
            callback(*args)

    return deliver
