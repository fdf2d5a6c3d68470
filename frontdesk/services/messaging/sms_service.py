"""Connecting the clinic's Twilio account, testing it, and running a sync.

The Account SID and token (or API key) go to the OS keyring through ``CredentialStore``;
only the clinic's sending number is stored in the database (every desk sends from it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from frontdesk.domain.errors import InvalidInputError, InvalidSettingError
from frontdesk.domain.phones import parse_phone
from frontdesk.services.messaging.sync import SyncEngine, SyncReport
from frontdesk.services.records import audit
from frontdesk.services.records.clinic import clinic_row
from frontdesk.services.records.context import Actor, ServiceContext
from frontdesk.sms.credentials import (
    CredentialStore,
    CredentialsUnavailableError,
    TwilioCredentials,
)
from frontdesk.sms.gateway import GatewayError, NotSentError, SmsGateway

GatewayFactory = Callable[[TwilioCredentials], SmsGateway]


class TwilioCheckError(InvalidInputError):
    """Twilio refused the credentials, or could not be reached to check them."""


@dataclass(frozen=True)
class SmsSetup:
    configured: bool
    account: str | None  # masked Account SID
    uses_api_key: bool
    from_number: str | None
    problem: str | None  # what is missing, in words


def _default_factory(credentials: TwilioCredentials) -> SmsGateway:
    from frontdesk.sms.twilio_gateway import TwilioGateway

    return TwilioGateway(credentials)


class SmsService:
    def __init__(
        self,
        ctx: ServiceContext,
        store: CredentialStore | None = None,
        gateway_factory: GatewayFactory | None = None,
    ) -> None:
        self._ctx = ctx
        self._store = store or CredentialStore()
        self._factory = gateway_factory or _default_factory
        self._configured: bool | None = None

    # -- set-up -------------------------------------------------------------------------------
    def setup(self) -> SmsSetup:
        with self._ctx.db.read() as session:
            number = clinic_row(session).sms_number
        try:
            credentials = self._store.load()
            problem = None if credentials else "Connect the clinic's Twilio account."
        except CredentialsUnavailableError as error:
            credentials, problem = None, error.message
        if credentials and not number:
            problem = "Add the clinic's Twilio number that texts are sent from."
        self._configured = credentials is not None and bool(number)
        return SmsSetup(
            configured=self._configured,
            account=_mask_sid(credentials.account_sid) if credentials else None,
            uses_api_key=bool(credentials and credentials.api_key_sid),
            from_number=number,
            problem=problem,
        )

    def configured(self) -> bool:
        """Cached after the first look (the keyring can be slow); refreshed by set-up calls."""
        if self._configured is None:
            self.setup()
        return bool(self._configured)

    def configure(
        self,
        actor: Actor,
        *,
        account_sid: str,
        secret: str,
        from_number: str,
        api_key_sid: str | None = None,
        verify: bool = True,
    ) -> str:
        """Store the credentials and number; with ``verify``, Twilio must accept them first."""
        actor.require_owner("connect the Twilio account")
        credentials = TwilioCredentials.parse(account_sid, secret, api_key_sid)
        with self._ctx.db.read() as session:
            country = clinic_row(session).country
        try:
            number = parse_phone(from_number, country)
        except InvalidInputError as error:  # say which field, for the settings form
            raise InvalidSettingError(error.message, "from_number") from error
        note = "Saved."
        if verify:
            try:
                note = self._factory(credentials).check()
            except NotSentError as error:
                note = f"Saved, but not checked: {error}"
            except GatewayError as error:
                raise TwilioCheckError(str(error)) from None
        self._store.save(credentials)
        now = self._ctx.clock.now()
        with self._ctx.db.begin() as session:
            clinic = clinic_row(session)
            before = clinic.sms_number
            clinic.sms_number = number
            audit.record(
                session,
                actor,
                "sms.configure",
                "clinic",
                1,
                at=now,
                before={"sms_number": before},
                after={
                    "sms_number": number,
                    "account": _mask_sid(credentials.account_sid),
                    "api_key": bool(credentials.api_key_sid),
                },
            )
        self._configured = True
        return note

    def forget(self, actor: Actor) -> None:
        actor.require_owner("disconnect the Twilio account")
        self._store.clear()
        with self._ctx.db.begin() as session:
            audit.record(session, actor, "sms.forget", "clinic", 1, at=self._ctx.clock.now())
        self._configured = False

    def test_connection(self) -> str:
        gateway = self.gateway()
        if gateway is None:
            raise TwilioCheckError(self.setup().problem or "SMS is not set up.")
        try:
            return gateway.check()
        except GatewayError as error:
            raise TwilioCheckError(str(error)) from None

    # -- sending ------------------------------------------------------------------------------
    def gateway(self) -> SmsGateway | None:
        try:
            credentials = self._store.load()
        except CredentialsUnavailableError:
            return None
        return self._factory(credentials) if credentials else None

    def engine(self, **options: Any) -> SyncEngine:
        return SyncEngine(self._ctx, self.gateway(), **options)

    def sync_once(self, **options: Any) -> SyncReport:
        return self.engine(**options).run_once()


def _mask_sid(sid: str) -> str:
    return f"{sid[:6]}…{sid[-4:]}"
