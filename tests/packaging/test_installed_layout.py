"""What `pip install .` puts into site-packages: one `frontdesk` package, nothing generic.

The checkout keeps the client's top-level folders (ui/, db/, resources/); installed, they live
under the frontdesk namespace, and the migrations and shipped files travel with them.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("frontdesk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_installs_one_top_level_package(wheel_names: set[str]) -> None:
    tops = {
        name.split("/")[0] for name in wheel_names if not name.split("/")[0].endswith(".dist-info")
    }
    assert tops == {"frontdesk"}


def test_the_interfaces_migrations_and_shipped_files_are_inside_it(wheel_names: set[str]) -> None:
    for expected in (
        "frontdesk/ui/app.py",
        "frontdesk/ui/render/report_pdf.py",
        "frontdesk/db/env.py",
        "frontdesk/db/script.py.mako",
        "frontdesk/db/versions/0001_initial_schema.py",
        "frontdesk/resources/style.qss",
        "frontdesk/resources/fonts/NotoSans-Regular.ttf",
        "frontdesk/resources/sms/physio.json",
    ):
        assert expected in wheel_names, expected
    assert not any(name.startswith(("tests/", "scripts/")) for name in wheel_names)
