"""Latest answer wins: a slow, stale background result never replaces a newer one.

A screen asks for data again whenever the user types or picks something; answers come back
in whatever order the pool finishes them. Each request takes a guard from ``ask()``; the
guard wraps the request's callbacks, which then run only while that request is the newest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

P = ParamSpec("P")


class LatestAnswer:
    """Hands out guards; only the newest request's callbacks run.

    ``progressive``: an answer also runs when it is newer than the one on screen, even if a
    still newer request is on its way (search-as-you-type shows interim answers).
    """

    def __init__(self, *, progressive: bool = False) -> None:
        self._progressive = progressive
        self._asked = 0
        self._shown = 0

    def ask(self) -> Ticket:
        """A new request: every older request's callbacks are now stale."""
        self._asked += 1
        return Ticket(self, self._asked)

    def current(self) -> Ticket:
        """More of the newest request (a further page): dropped once a new request is made."""
        return Ticket(self, self._asked)

    def _take(self, number: int) -> bool:
        """May the answer to request ``number`` be shown now?"""
        if not self._is_fresh(number):
            return False
        self._shown = max(self._shown, number)
        return True

    def _is_fresh(self, number: int) -> bool:
        if self._progressive:
            return number >= self._shown
        return number == self._asked


class Ticket:
    """One request's guard: ``ticket(callback)`` runs ``callback`` only while it is fresh."""

    def __init__(self, owner: LatestAnswer, number: int) -> None:
        self._owner = owner
        self._number = number

    def __call__(self, callback: Callable[P, None]) -> Callable[P, None]:
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            if self._owner._take(self._number):
                callback(*args, **kwargs)

        return run
