"""Every command's arguments, typed badly: never exit 1, never a traceback (Hypothesis).

The commands and their options are read from the real parser, so a new command is covered
the day it is added. Values mix the valid (the option's own choices) with what people and
scripts really type: huge and negative ids, empty strings, control characters, folders
where files go, emoji, SQL. Runs the real entry point on a real demo clinic.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.cli.main import build_parser, main

# Left out: the long-running or interactive ones (a sync loop, the Twilio set-up that reads a
# token from the terminal) and the ones that rebuild the whole clinic each example.
SKIPPED = {("sync",), ("sms", "configure"), ("sms", "test"), ("demo",), ("print",)}
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "99999999999999999999",
    "9223372036854775808",
    "1e309",
    "nan",
    "\x1b[31mred",
    "line\nbreak",
    "tab\tin",
    "../../../etc/passwd",
    "/",
    "/dev/null",
    "🙂" * 20,
    "a" * 3000,
    "2026-13-45",
    "+44 7700 900123",
    "'; DROP TABLE patient; --",
    "%s%n",
    "-",
]


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    found = []
    for name, child in subs[0].choices.items():
        found += _leaves(child, (*path, name))
    return found


COMMANDS = [
    (path, parser)
    for path, parser in _leaves(build_parser())
    if not any(path[: len(skip)] == skip for skip in SKIPPED)
]


def _value(action: argparse.Action) -> st.SearchStrategy[str]:
    options = [st.sampled_from(NASTY), st.text(max_size=40)]
    options.append(st.integers(-(2**70), 2**70).map(str))
    if action.choices:
        options.append(st.sampled_from([str(c) for c in action.choices]))
    return st.one_of(*options)


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    path, parser = draw(st.sampled_from(COMMANDS))
    argv = list(path)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # positional: usually given
            if draw(st.integers(0, 9)) or action.nargs in (None, 1):
                argv.append(draw(_value(action)))
            continue
        if not draw(st.booleans()):
            continue
        argv.append(action.option_strings[-1])
        if action.nargs != 0:
            argv.append(draw(_value(action)))
    return argv


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    saved = os.environ.get("FRONTDESK_HOME")
    os.environ["FRONTDESK_HOME"] = str(root / "home")
    db = root / "clinic.sqlite3"
    try:
        assert main(["--db", str(db), "init", "--clinic", "Harbour Physio", "--country", "GB"]) == 0
        assert main(["--db", str(db), "demo", "--patients", "60", "--seed", "2"]) == 0
    finally:  # the other test files keep their own home
        if saved is None:
            os.environ.pop("FRONTDESK_HOME", None)
        else:
            os.environ["FRONTDESK_HOME"] = saved
    return db


@settings(
    max_examples=int(os.environ.get("FRONTDESK_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=invocations())
def test_no_argument_makes_a_command_crash(
    clinic: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.setenv("FRONTDESK_HOME", str(clinic.parent / "home"))
    monkeypatch.delenv("FRONTDESK_PIN", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.chdir(clinic.parent)
    capsys.readouterr()
    try:
        status = main(["--db", str(clinic), *argv])
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    shown = [arg[:60] for arg in argv]
    assert "Traceback" not in err and "Traceback" not in out, (shown, err[-2000:])
    assert status != 1, (shown, err[-500:])
    if status:
        assert err.startswith(("frontdesk: ", "usage:")), (shown, err[-500:])
    restore = clinic.parent / "restored-from-fuzz"
    if restore.exists():
        shutil.rmtree(restore)
