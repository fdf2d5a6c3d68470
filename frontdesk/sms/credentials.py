"""Twilio credentials in the operating system's keyring — the only place they are kept.

One class reads and writes them (rule 12). It refuses keyring back-ends that would keep the
secret in a plain file or nowhere (``keyrings.alt`` files, the ``fail``/``null`` back-ends),
so a clinic PC without a real keyring says so instead of leaking the token. Never call it
on the GUI thread: a Secret Service may take a moment (or ask to unlock).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from frontdesk.domain.errors import InvalidInputError, InvalidSettingError

SERVICE = "Frontdesk Twilio"
USERNAME = "credentials"

_ACCOUNT_SID = re.compile(r"^AC[0-9a-f]{32}$")
_API_KEY_SID = re.compile(r"^SK[0-9a-f]{32}$")
_INSECURE_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


class CredentialsUnavailableError(InvalidInputError):
    """No secure keyring on this computer (or it refused us)."""


@dataclass(frozen=True)
class TwilioCredentials:
    account_sid: str
    secret: str  # the Auth Token, or the API key's secret
    api_key_sid: str | None = None

    def __repr__(self) -> str:  # never print the secret, even in a traceback
        return (
            f"TwilioCredentials(account_sid={self.account_sid!r}, api_key_sid={self.api_key_sid!r})"
        )

    @classmethod
    def parse(
        cls, account_sid: str, secret: str, api_key_sid: str | None = None
    ) -> TwilioCredentials:
        sid = account_sid.strip()
        if not _ACCOUNT_SID.match(sid):
            raise InvalidSettingError(
                "An Account SID starts with AC followed by 32 letters and digits (0-9, a-f); "
                "copy it from the Twilio console's dashboard.",
                "account_sid",
            )
        key = api_key_sid.strip() if api_key_sid else None
        if key is not None and not _API_KEY_SID.match(key):
            raise InvalidSettingError(
                "An API key SID starts with SK followed by 32 letters and digits.", "api_key_sid"
            )
        cleaned = secret.strip()
        if not cleaned or any(ch.isspace() for ch in cleaned) or len(cleaned) < 16:
            what = "API key secret" if key else "Auth Token"
            raise InvalidSettingError(
                f"That {what} does not look right; paste it again from Twilio.", "secret"
            )
        return cls(sid, cleaned, key)


def is_secure(backend: KeyringBackend) -> bool:
    """False for back-ends that store secrets in plain files or not at all."""
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: secure when any real keyring is behind it
        return any(is_secure(child) for child in children)
    module = type(backend).__module__
    plaintext = "plaintext" in type(backend).__name__.lower()
    return not (module.startswith(_INSECURE_MODULES) or plaintext)


class CredentialStore:
    """Reads and writes the clinic's Twilio credentials in the keyring."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        if not is_secure(backend):
            raise CredentialsUnavailableError(
                "This computer has no secure keyring, so Frontdesk will not store the Twilio "
                "token. On Linux install and unlock GNOME Keyring or KWallet; Windows and "
                "macOS have one built in."
            )
        return backend

    def load(self) -> TwilioCredentials | None:
        try:
            raw = self._keyring().get_password(SERVICE, USERNAME)
        except KeyringError as error:
            raise CredentialsUnavailableError(f"The keyring could not be read: {error}") from None
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return TwilioCredentials(data["account_sid"], data["secret"], data.get("api_key_sid"))
        except (ValueError, KeyError, TypeError):
            return None  # someone else's entry under our name: treat as not set up

    def save(self, credentials: TwilioCredentials) -> None:
        payload = json.dumps(
            {
                "account_sid": credentials.account_sid,
                "api_key_sid": credentials.api_key_sid,
                "secret": credentials.secret,
            }
        )
        try:
            self._keyring().set_password(SERVICE, USERNAME, payload)
        except KeyringError as error:
            raise CredentialsUnavailableError(f"The keyring refused the token: {error}") from None

    def clear(self) -> None:
        try:
            self._keyring().delete_password(SERVICE, USERNAME)
        except keyring.errors.PasswordDeleteError:
            pass
        except KeyringError as error:
            raise CredentialsUnavailableError(
                f"The keyring could not be changed: {error}"
            ) from None

    def configured(self) -> bool:
        """True when credentials are stored; False when not, or when no keyring is usable."""
        try:
            return self.load() is not None
        except CredentialsUnavailableError:
            return False
