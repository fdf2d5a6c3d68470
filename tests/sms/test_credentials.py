"""Twilio credentials live only in a secure keyring, through one class."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends import fail, null

from frontdesk.domain.errors import InvalidInputError
from frontdesk.services.bundle import Services
from frontdesk.services.messaging.sms_service import TwilioCheckError
from frontdesk.services.records.context import SOLE_OWNER
from frontdesk.sms.credentials import (
    CredentialStore,
    CredentialsUnavailableError,
    TwilioCredentials,
    is_secure,
)
from frontdesk.store.models import AuditEvent, Setting
from tests.keyrings import MemoryKeyring
from tests.sms.twilio_server import ACCOUNT_SID, AUTH_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def test_round_trip_in_memory() -> None:
    store = CredentialStore(MemoryKeyring())
    assert store.load() is None and not store.configured()
    creds = TwilioCredentials.parse(ACCOUNT_SID, f"  {AUTH_TOKEN}\n")
    store.save(creds)
    assert store.load() == creds and store.configured()
    store.clear()
    assert store.load() is None


def test_an_api_key_is_kept_with_its_account() -> None:
    store = CredentialStore(MemoryKeyring())
    creds = TwilioCredentials.parse(ACCOUNT_SID, "k" * 32, "SK" + "1" * 32)
    store.save(creds)
    assert store.load() == creds


def test_the_secret_never_appears_in_a_repr() -> None:
    assert AUTH_TOKEN not in repr(TwilioCredentials(ACCOUNT_SID, AUTH_TOKEN))


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_insecure_backends_are_refused(backend: object) -> None:
    store = CredentialStore(backend)  # type: ignore[arg-type]
    with pytest.raises(CredentialsUnavailableError, match="no secure keyring"):
        store.save(TwilioCredentials(ACCOUNT_SID, AUTH_TOKEN))
    assert not store.configured()


def test_a_plaintext_file_keyring_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):  # what keyrings.alt offers as a fallback
        pass

    assert not is_secure(PlaintextKeyring())
    assert is_secure(MemoryKeyring())


@pytest.mark.parametrize(
    ("sid", "secret", "message"),
    [
        ("AC123", AUTH_TOKEN, "Account SID starts with AC"),
        (ACCOUNT_SID, "short", "does not look right"),
        (ACCOUNT_SID, "has a space inside it!", "does not look right"),
    ],
)
def test_bad_credentials_are_refused_with_words(sid: str, secret: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        TwilioCredentials.parse(sid, secret)


def test_configure_checks_with_twilio_and_keeps_the_token_out_of_the_database(
    sms: Services, keyring_backend: MemoryKeyring
) -> None:
    keyring_backend.entries.clear()
    with pytest.raises(TwilioCheckError, match="did not accept"):
        sms.sms.configure(
            SOLE_OWNER, account_sid=ACCOUNT_SID, secret="0" * 32, from_number="07911 123001"
        )
    assert keyring_backend.entries == {}
    note = sms.sms.configure(
        SOLE_OWNER, account_sid=ACCOUNT_SID, secret=AUTH_TOKEN, from_number="07911 123001"
    )
    assert note.startswith("Connected to Twilio")
    assert sms.sms.setup().configured and sms.sms.setup().from_number == "+447911123001"
    assert sms.sms.test_connection().startswith("Connected")
    with sms.ctx.db.read() as session:
        stored = [row.value_json for row in session.query(Setting)]
        stored += [f"{a.before_json}{a.after_json}" for a in session.query(AuditEvent)]
    assert not any(AUTH_TOKEN in text for text in stored)
    assert sms.status.desk_status().sms_configured


@pytest.mark.skipif(sys.platform != "linux", reason="Secret Service is the Linux keyring")
def test_a_real_secret_service_keyring(tmp_path: Path) -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    if missing:
        pytest.fail(f"install {' '.join(missing)} (scripts/dev.sh test does) for this test")
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["PYTHONPATH"] = str(ROOT)
    # A fresh login keyring in a scratch home, created (and unlocked) with our password.
    env["HOME"] = str(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    script = (
        "echo -n frontdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        f" && {sys.executable} -m tests.sms.keyring_child"
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "backend": "keyring.backends.SecretService",
        "round_trip": True,
        "after_clear": True,
    }
