"""The SMS commands end to end: configure (token on stdin), list, sync --once, templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from frontdesk.domain.clock import FixedClock
from frontdesk.services.bundle import build_services
from frontdesk.services.messaging.outbox import enqueue
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.patients import NewPatient, build_patient
from frontdesk.store.engine import open_database
from tests.sms.twilio_server import ACCOUNT_SID, AUTH_TOKEN, TwilioTestServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> TwilioTestServer:
    started = TwilioTestServer().start()
    yield started  # type: ignore[misc]
    started.stop()


def run(
    db: Path, server: TwilioTestServer, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "FRONTDESK_HOME": str(db.parent / "home"),
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileTestKeyring",
        "FRONTDESK_TEST_KEYRING_FILE": str(db.parent / "keyring.json"),
        "FRONTDESK_TWILIO_API_URL": server.url,
    }
    env.pop("FRONTDESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def _queue_one(db: Path) -> None:
    database = open_database(str(db))
    services = build_services(
        ServiceContext(db=database, clock=FixedClock(datetime.now(UTC).replace(hour=11)))
    )
    now = services.ctx.clock.now()
    with database.begin() as session:
        patient = build_patient(NewPatient("Sarah", "Lee", "+447911123456", None, None, True), now)
        session.add(patient)
        session.flush()
        enqueue(
            session,
            now,
            patient=patient,
            kind="reminder",
            variables={},
            cause="test",
            marketing=False,
        )
    database.dispose()


def test_configure_sync_and_list(tmp_path: Path, server: TwilioTestServer) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert run(db, server, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    run(db, server, "settings", "set", "sms.quiet_end", "20:00")  # whatever the hour of the run

    not_yet = run(db, server, "sync", "--once")
    assert not_yet.returncode == 0 and "SMS is not set up" in not_yet.stdout

    wrong = run(
        db,
        server,
        "sms",
        "configure",
        "--account-sid",
        ACCOUNT_SID,
        "--from",
        "07911 123001",
        stdin="0" * 32 + "\n",
    )
    assert wrong.returncode == 2
    assert (
        wrong.stderr.strip()
        == "frontdesk: Twilio did not accept the Account SID and token. Check Settings → SMS."
    )

    ok = run(
        db,
        server,
        "sms",
        "configure",
        "--account-sid",
        ACCOUNT_SID,
        "--from",
        "07911 123001",
        stdin=AUTH_TOKEN + "\n",
    )
    assert ok.returncode == 0, ok.stderr
    assert "Texts go out from +447911123001" in ok.stdout
    assert AUTH_TOKEN not in (tmp_path / "clinic.sqlite3").read_bytes().decode("latin-1")

    _queue_one(db)
    waiting = json.loads(
        run(db, server, "--json", "messages", "list", "--status", "waiting").stdout
    )
    assert [m["state"] for m in waiting] == ["Waiting to send"]

    synced = run(db, server, "--json", "sync", "--once")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["sent"] == 1
    assert server.sent_bodies("+447911123456") == [
        "Hi Sarah, a reminder from Harbour Physio. Reply to this text if you need anything."
    ]
    listed = run(db, server, "messages", "list")
    assert "Sent" in listed.stdout and "+44 ••• ••• •456" in listed.stdout
    assert "+447911123456" not in listed.stdout


def test_templates_refuse_unknown_placeholders(tmp_path: Path, server: TwilioTestServer) -> None:
    db = tmp_path / "clinic.sqlite3"
    run(db, server, "init", "--clinic", "Harbour Physio", "--country", "GB", "--type", "medspa")
    bad = run(db, server, "templates", "set", "referral_ask", "--body", "Hi {frist_name}")
    assert bad.returncode == 2 and "Unknown placeholder {frist_name}" in bad.stderr
    good = run(
        db, server, "templates", "set", "referral_ask", "--body", "Hi {first_name} 😊 {code}"
    )
    assert good.returncode == 0 and "UCS-2" in good.stdout
    preview = run(db, server, "templates", "preview", "soft_checkin")
    assert "how are you finding your results" in preview.stdout  # the med spa default
    assert "1 part" in preview.stdout or "2 parts" in preview.stdout
