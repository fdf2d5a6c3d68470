"""Exactly once across a crash: the sync runs in a subprocess that is SIGKILLed before the
POST, after the POST but before the result is recorded, and during the status refresh. The
local Twilio server must have received every message exactly once after the next sync."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.domain.clock import SystemClock
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.records.patients import NewPatient, build_patient
from frontdesk.store.engine import Database
from frontdesk.store.models import OutboxMessage
from tests.sms.conftest import CLINIC_NUMBER
from tests.sms.helpers import queue
from tests.sms.twilio_server import TwilioTestServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live(database: Database) -> Services:
    """Real time on both sides: the child process runs on the system clock."""
    built = build_services(ServiceContext(db=database, clock=SystemClock()))
    built.clinic.init(SOLE_OWNER, name="Harbour Physio", country="GB")
    built.clinic.set_setting(SOLE_OWNER, "clinic.sms_number", CLINIC_NUMBER)
    built.clinic.set_setting(SOLE_OWNER, "sms.segments_per_second", "100")
    built.clinic.set_setting(SOLE_OWNER, "sms.quiet_end", "20:00")  # no quiet hours
    return built


@pytest.fixture
def server() -> TwilioTestServer:
    started = TwilioTestServer().start()
    yield started  # type: ignore[misc]
    started.stop()


def _child(database: Database, server: TwilioTestServer, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sms.sync_child", database.url, server.url, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_and_kill(database: Database, server: TwilioTestServer, point: str, tmp: Path) -> int:
    marker = tmp / f"{point}.marker"
    child = _child(database, server, point, str(marker))
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(f"the sync finished before reaching {point}: {child.communicate()}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the sync never reached {point}")
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    return int(marker.read_text())


def _sync_to_completion(database: Database, server: TwilioTestServer) -> dict[str, object]:
    child = _child(database, server)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return json.loads(out)


def _queue_three(live: Services) -> None:
    now = live.ctx.clock.now()
    with live.ctx.db.begin() as session:
        patients = [
            build_patient(NewPatient(first, "Lee", f"+44791112330{i}", None, None, True), now)
            for i, first in enumerate(("Sarah", "Tom", "Priya"))
        ]
        session.add_all(patients)
        session.flush()
        ids = [p.id for p in patients]
    for pid in ids:
        assert queue(live, pid).message_id


def _assert_exactly_once(live: Services, server: TwilioTestServer) -> None:
    sent = Counter((m.to, m.body) for m in server.state.outbound())
    with live.ctx.db.read() as session:
        rows = session.execute(
            select(
                OutboxMessage.to_phone,
                OutboxMessage.body,
                OutboxMessage.status,
                OutboxMessage.provider_sid,
            )
        ).all()
    assert len(rows) == 3
    assert all(count == 1 for count in sent.values()), sent
    assert set(sent) == {(r.to_phone, r.body) for r in rows}
    assert {r.provider_sid for r in rows} == {m.sid for m in server.state.outbound()}
    assert all(r.status in ("sent", "delivered") for r in rows)


@pytest.mark.parametrize("point", ["claimed:2", "posted:2"])
def test_killed_while_sending(
    live: Services, database: Database, server: TwilioTestServer, tmp_path: Path, point: str
) -> None:
    _queue_three(live)
    killed_on = _run_and_kill(database, server, point, tmp_path)
    before_post = point.startswith("claimed")
    assert len(server.state.outbound()) == (1 if before_post else 2)
    with live.ctx.db.read() as session:
        assert session.get(OutboxMessage, killed_on).status == "sending"  # type: ignore[union-attr]
    report = _sync_to_completion(database, server)
    assert report["reconciled"] == (0 if before_post else 1)
    _assert_exactly_once(live, server)


def test_killed_during_the_status_refresh(
    live: Services, database: Database, server: TwilioTestServer, tmp_path: Path
) -> None:
    _queue_three(live)
    assert _sync_to_completion(database, server)["sent"] == 3
    server.deliver_all()
    _run_and_kill(database, server, "refreshing:2", tmp_path)
    report = _sync_to_completion(database, server)
    assert report["sent"] == 0 and report["statuses"] >= 1
    _assert_exactly_once(live, server)
    with live.ctx.db.read() as session:
        assert set(session.scalars(select(OutboxMessage.status))) == {"delivered"}
