"""Ask rules from the command line: set and removed by visit type, and `asks log` says why
each patient was (or was not) asked."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli_sms import run, server  # noqa: F401  (the fixture)
from tests.sms.twilio_server import TwilioTestServer


def test_ask_rules_set_and_removed_change_who_is_asked(
    tmp_path: Path,
    server: TwilioTestServer,  # noqa: F811
) -> None:
    db = tmp_path / "clinic.sqlite3"
    run(db, server, "init", "--clinic", "Glow Clinic", "--country", "GB", "--type", "medspa")
    types = json.loads(run(db, server, "--json", "settings", "get", "visit_types").stdout)
    assert types["visit_types"] == ["Consultation", "Injectables", "Facial", "Skin peel"]

    unknown = run(
        db, server, "asks", "rules", "set", "Sports massage", "--action", "ask", "--after", "3"
    )
    assert unknown.returncode == 2
    assert "“Sports massage” is not one of this clinic's visit types" in unknown.stderr
    vague = run(db, server, "asks", "rules", "set", "Facial", "--action", "ask")
    assert vague.returncode == 2 and "--needs-happy" in vague.stderr

    body = "Glowing? Friends who book at {clinic_name} with {code} get {friend_reward}."
    wording = run(db, server, "templates", "set", "referral_ask", "--name", "glow", "--body", body)
    assert wording.returncode == 0 and "wording “glow”" in wording.stdout, wording.stderr
    saved = run(db, server, "asks", "rules", "set", "facial", "--action", "ask", "--after-visit",
                "1", "--template", "glow")  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert "referral ask after the 1st attended visit (a Facial visit)" in saved.stdout
    listed = run(db, server, "asks", "rules").stdout
    assert "(a Facial visit)" in listed and "14 days after an Injectables visit" in listed

    wei = run(db, server, "--json", "patients", "add", "--name", "Wei Chen", "--phone",
              "+447911123401", "--consent")  # fmt: skip
    wei_id = json.loads(wei.stdout)["id"]
    assert run(db, server, "checkin", "Wei Chen", "--visit-type", "Facial").returncode == 0
    log = run(db, server, "asks", "log", "--patient", str(wei_id)).stdout
    assert "asked: referral ask after the 1st attended visit (a Facial visit)" in log
    assert "(wording “glow”)" in log

    removed = run(db, server, "asks", "rules", "remove", "Facial")
    assert removed.returncode == 0 and "(a Facial visit)" not in removed.stdout
    tom = run(db, server, "--json", "patients", "add", "--name", "Tom Baker", "--phone",
              "+447911123402", "--consent")  # fmt: skip
    tom_id = json.loads(tom.stdout)["id"]
    assert run(db, server, "checkin", "Tom Baker", "--visit-type", "Facial").returncode == 0
    assert (
        "No ask decisions yet." in run(db, server, "asks", "log", "--patient", str(tom_id)).stdout
    )
    again = run(db, server, "asks", "rules", "remove", "Facial")
    assert again.returncode == 2 and "There is no ask rule for “Facial”" in again.stderr
