"""Money and country defaults from the command line: a yen clinic, any country, no made-up
currencies (issue 12: yen were stored ×100 and `init --country JP` crashed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.test_cli_checkin import ok, refused, run


def settings(db: Path) -> dict:
    return json.loads(run(db, "--json", "settings", "get").stdout)


def test_a_japanese_clinic_checks_in_5500_yen(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert run(db, "init", "--clinic", "Sakura Physio", "--country", "JP").returncode == 0
    shown = settings(db)
    assert (shown["clinic.timezone"], shown["clinic.currency"]) == ("Asia/Tokyo", "JPY")
    ok(run(db, "--json", "patients", "add", "--name", "Hana Sato", "--phone", "090-1234-5678"))
    done = ok(run(db, "--json", "checkin", "Hana Sato", "--amount", "5500"))
    assert (done["amount"], done["amount_minor"], done["currency"]) == ("¥5,500", 5500, "JPY")
    assert "¥5,500 paid" in done["notes"][0]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT amount_minor FROM visit").fetchall() == [(5500,)]
    # Yen have no decimals: a typed fraction is refused, and nothing is written.
    refused(run(db, "checkin", "Hana Sato", "--amount", "55.5"), 2, "JPY takes whole amounts")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM visit").fetchone() == (1,)
    program = ok(run(db, "--json", "rewards", "program", "show"))
    assert "¥2,000" in json.dumps(program, ensure_ascii=False)


def test_a_country_outside_the_old_list_of_eleven(tmp_path: Path) -> None:
    for country, zone, currency in (
        ("KE", "Africa/Nairobi", "KES"),
        ("BR", "America/Sao_Paulo", "BRL"),
    ):
        db = tmp_path / f"{country}.sqlite3"
        result = run(db, "init", "--clinic", "Clinic", "--country", country)
        assert result.returncode == 0, result.stderr
        shown = settings(db)
        assert (shown["clinic.timezone"], shown["clinic.currency"]) == (zone, currency)


def test_an_unknown_currency_is_refused_at_init_and_in_settings(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    made_up = run(db, "init", "--clinic", "Harbour Physio", "--country", "GB", "--currency", "ZZZ")
    refused(made_up, 2, "ZZZ is not a currency in use today")
    assert run(db, "init", "--clinic", "Harbour Physio", "--country", "GB").returncode == 0
    refused(
        run(db, "settings", "set", "clinic.currency", "ZZZ"),
        2,
        "ZZZ is not a currency in use today",
    )
    assert settings(db)["clinic.currency"] == "GBP"
