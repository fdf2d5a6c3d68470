"""Runs one sync in a child process, and can freeze at a named point so the test kills it.

    python -m tests.sms.sync_child DB_URL API_URL [POINT:N MARKER_FILE]

At the Nth time the sync passes POINT (claimed, posted, refreshing) it writes the message id
to MARKER_FILE and sleeps; the parent then SIGKILLs it — a crash at exactly that moment.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from frontdesk.domain.clock import SystemClock
from frontdesk.services.bundle import build_services
from frontdesk.services.records.context import ServiceContext
from frontdesk.services.records.dto import to_json
from frontdesk.sms.credentials import CredentialStore, TwilioCredentials
from frontdesk.sms.twilio_gateway import TwilioGateway
from frontdesk.store.engine import open_database
from tests.keyrings import MemoryKeyring
from tests.sms.twilio_server import ACCOUNT_SID, AUTH_TOKEN


def main(argv: list[str]) -> int:
    url, api = argv[0], argv[1]
    point, _, nth = (argv[2] if len(argv) > 2 else "").partition(":")
    marker = Path(argv[3]) if len(argv) > 3 else None
    seen = {"count": 0}

    def probe(name: str, message_id: int | None) -> None:
        if name != point:
            return
        seen["count"] += 1
        if seen["count"] == int(nth or 1) and marker is not None:
            # Written aside and renamed, so the parent never reads a half-written marker.
            partial = marker.with_suffix(".partial")
            partial.write_text(str(message_id))
            partial.replace(marker)
            time.sleep(600)  # the parent kills us here

    store = CredentialStore(MemoryKeyring())
    store.save(TwilioCredentials(ACCOUNT_SID, AUTH_TOKEN))
    db = open_database(url)
    services = build_services(
        ServiceContext(db=db, clock=SystemClock()),
        credentials=store,
        gateway_factory=lambda c: TwilioGateway(c, api_url=api, timeout=5.0),
    )
    report = services.sms.engine(probe=probe, sleep=lambda _s: None).run_once()
    print(json.dumps(to_json(report)))
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
