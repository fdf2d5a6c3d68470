"""Stores, reads and deletes Twilio credentials through the OS keyring this process finds.

Run by test_credentials.py under ``dbus-run-session`` with an unlocked gnome-keyring-daemon,
so the real Secret Service back-end is exercised; prints what it saw as JSON.
"""

from __future__ import annotations

import json

import keyring

from frontdesk.sms.credentials import CredentialStore, TwilioCredentials

store = CredentialStore()
saved = TwilioCredentials("AC" + "ab" * 16, "s3cr3t-token-0123456789", None)
store.save(saved)
loaded = store.load()
store.clear()
print(
    json.dumps(
        {
            "backend": type(keyring.get_keyring()).__module__,
            "round_trip": loaded == saved,
            "after_clear": store.load() is None,
        }
    )
)
