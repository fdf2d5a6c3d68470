"""Twilio error codes in words a receptionist can act on, and what each means for the patient.

Send-time (REST) errors: https://www.twilio.com/docs/api/errors. Delivery errors (30xxx)
arrive later on the message's status.
"""

from __future__ import annotations

from dataclasses import dataclass

PHONE_INVALID = "phone_invalid"
OPTED_OUT = "opted_out"
SETUP = "setup"  # the clinic's account or number is the problem: stop sending
NONE = ""


@dataclass(frozen=True)
class TwilioError:
    words: str
    consequence: str = NONE


SEND_ERRORS: dict[int, TwilioError] = {
    21211: TwilioError("This is not a valid mobile number.", PHONE_INVALID),
    21614: TwilioError("This number cannot receive texts (not a mobile).", PHONE_INVALID),
    21401: TwilioError("This is not a valid phone number.", PHONE_INVALID),
    21610: TwilioError("The patient has opted out by texting STOP.", OPTED_OUT),
    21408: TwilioError(
        "Texts to this country are not enabled on the clinic's Twilio account (Geo "
        "Permissions in the Twilio console)."
    ),
    21612: TwilioError("Twilio cannot reach this number by text."),
    21608: TwilioError("A Twilio trial account can only text numbers verified in the console."),
    21617: TwilioError("The message is longer than 1,600 characters."),
    21602: TwilioError("The message is empty."),
    21606: TwilioError(
        "The clinic's sending number cannot send texts. Check Settings → SMS.", SETUP
    ),
    21659: TwilioError(
        "The clinic's sending number is not a Twilio number. Check Settings → SMS.", SETUP
    ),
    21660: TwilioError("The sending number does not belong to this Twilio account.", SETUP),
    21212: TwilioError("The clinic's sending number is not valid. Check Settings → SMS.", SETUP),
    20003: TwilioError(
        "Twilio did not accept the Account SID and token. Check Settings → SMS.", SETUP
    ),
    20404: TwilioError(
        "Twilio does not know this account. Check the Account SID in Settings → SMS.", SETUP
    ),
    20005: TwilioError("The Twilio account is suspended or closed.", SETUP),
}

DELIVERY_ERRORS: dict[int, TwilioError] = {
    30003: TwilioError("The phone was switched off or out of coverage."),
    30004: TwilioError("The patient's phone blocks texts from the clinic."),
    30005: TwilioError("The number does not exist or is no longer in use.", PHONE_INVALID),
    30006: TwilioError("This is a landline or a number that cannot receive texts.", PHONE_INVALID),
    30007: TwilioError("The mobile carrier filtered the message as spam."),
    30008: TwilioError("The mobile carrier could not deliver it (unknown reason)."),
    21610: TwilioError("The patient has opted out by texting STOP.", OPTED_OUT),
}


def describe_send_error(code: int | None, fallback: str) -> TwilioError:
    if code is not None and code in SEND_ERRORS:
        return SEND_ERRORS[code]
    return TwilioError(f"Twilio refused the message: {fallback}")


def describe_delivery_error(code: int | None, message: str | None) -> TwilioError:
    if code is not None and code in DELIVERY_ERRORS:
        return DELIVERY_ERRORS[code]
    if code is None:
        return TwilioError(message or "Not delivered (no reason given).")
    return TwilioError(f"Not delivered (Twilio error {code}{': ' + message if message else ''}).")
