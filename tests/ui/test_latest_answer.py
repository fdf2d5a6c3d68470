"""Latest answer wins, driven by real work on the task runner's pool."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from frontdesk.ui.app import create_application
from frontdesk.ui.events import AppEvents
from frontdesk.ui.latest import LatestAnswer
from frontdesk.ui.tasks import TaskRunner


def _slow_and_fast(
    latest: LatestAnswer, qtbot: QtBot
) -> tuple[list[str], TaskRunner, threading.Event]:
    """Ask twice: the first answer is held back until the second one is on screen."""
    create_application([])
    tasks = TaskRunner(events=AppEvents())
    shown: list[str] = []
    release = threading.Event()

    def slow() -> str:
        release.wait(10)
        return "old query"

    tasks.read(slow, latest.ask()(shown.append))
    tasks.read(lambda: "new query", latest.ask()(shown.append))
    qtbot.waitUntil(lambda: shown == ["new query"], timeout=5000)
    return shown, tasks, release


def test_a_slow_stale_answer_after_a_newer_one_is_dropped(qtbot: QtBot) -> None:
    latest = LatestAnswer()
    shown, tasks, release = _slow_and_fast(latest, qtbot)
    release.set()
    assert tasks.wait(5000)
    qtbot.wait(0)  # let the stale answer's queued signal reach the GUI thread
    assert shown == ["new query"]


def test_a_stale_failure_is_dropped_too_and_a_new_request_still_shows(qtbot: QtBot) -> None:
    create_application([])
    tasks = TaskRunner()
    latest = LatestAnswer()
    shown: list[str] = []
    release = threading.Event()

    def slow_failure() -> str:
        release.wait(10)
        raise RuntimeError("boom")

    old = latest.ask()
    tasks.read(slow_failure, old(shown.append), old(lambda error: shown.append(str(error))))
    tasks.read(lambda: "first", latest.ask()(shown.append))
    qtbot.waitUntil(lambda: shown == ["first"], timeout=5000)
    release.set()
    assert tasks.wait(5000)
    qtbot.wait(0)
    tasks.read(lambda: "second", latest.ask()(shown.append))
    qtbot.waitUntil(lambda: shown == ["first", "second"], timeout=5000)


def test_more_of_the_newest_request_still_shows(qtbot: QtBot) -> None:
    """A further page of the newest request is kept; one of an older request is not."""
    create_application([])
    tasks = TaskRunner()
    latest = LatestAnswer()
    shown: list[str] = []
    stale_page = latest.ask()
    latest.ask()
    tasks.read(lambda: "page 2 of old", stale_page(shown.append))
    tasks.read(lambda: "page 2 of new", latest.current()(shown.append))
    qtbot.waitUntil(lambda: "page 2 of new" in shown, timeout=5000)
    assert tasks.wait(5000)
    qtbot.wait(0)
    assert shown == ["page 2 of new"]


def test_progressive_shows_interim_answers_but_never_an_older_one(qtbot: QtBot) -> None:
    """Search as you type: an answer newer than the one on screen shows, an older does not."""
    create_application([])
    tasks = TaskRunner()
    latest = LatestAnswer(progressive=True)
    shown: list[str] = []
    first, second = latest.ask(), latest.ask()
    latest.ask()  # a third query is still on its way
    tasks.read(lambda: "sar", second(shown.append))
    qtbot.waitUntil(lambda: shown == ["sar"], timeout=5000)
    tasks.read(lambda: "s", first(shown.append))
    assert tasks.wait(5000)
    qtbot.wait(0)
    assert shown == ["sar"]
