"""Render the README's print samples from a fresh demo clinic (offscreen).

    .venv/bin/python scripts/print_samples.py [--out docs/images]

Writes poster.png (A4 physio poster), cards.png (a sheet of ten cards, long and non-Latin
names included), print_posters.png (the three poster templates side by side) and
print_screen.png (the Print screen with its live preview).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

from frontdesk.domain.clock import FixedClock
from frontdesk.printing.geometry import Paper
from frontdesk.services.bundle import Services, build_services
from frontdesk.services.demo.service import DemoService
from frontdesk.services.records.context import SOLE_OWNER, ServiceContext
from frontdesk.services.records.patients import NewPatient, add_patient
from frontdesk.store.engine import open_database
from frontdesk.store.migrate import upgrade
from frontdesk.store.models import Visit
from frontdesk.ui.app import build_window, create_application
from frontdesk.ui.render.printing.output import render_image

DOC_DPI = 150  # the product exports 300 dpi; half is plenty for a README
SHOWCASE = (
    "Sarah",
    "Maximiliana-Alexandrina",
    "王小明",
    "Σωκράτης",
    "Анастасия",
    "Nguyễn Thị Minh Khai",
    "Tom",
    "محمد",
    "Zoë",
    "Bartholomew",
)


def settle(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def showcase_patients(services: Services, now: datetime) -> list[int]:
    """Ten patients seen today, with the names that stress a card the most."""
    ids = []
    rng = random.Random(3)
    with services.ctx.db.begin() as session:
        for index, first in enumerate(SHOWCASE):
            patient, _code = add_patient(
                session,
                NewPatient(
                    first_name=first,
                    last_name="Sample",
                    phone_e164=f"+4474009{index:05d}",
                    email=None,
                    email_norm=None,
                ),
                now - timedelta(days=60),
                rng,
            )
            session.add(
                Visit(
                    patient_id=patient.id,
                    visit_type="Follow-up",
                    status="attended",
                    at=now - timedelta(minutes=30 * (10 - index)),
                    created_at=now,
                )
            )
            ids.append(patient.id)
    return ids


def side_by_side(images: list[QImage], gap: int = 48) -> QImage:
    width = sum(i.width() for i in images) + gap * (len(images) + 1)
    height = max(i.height() for i in images) + 2 * gap
    canvas = QImage(width, height, QImage.Format.Format_RGB32)
    canvas.fill(QColor("#E4E7EC"))
    painter = QPainter(canvas)
    x = gap
    for image in images:
        painter.fillRect(x + 4, gap + 6, image.width(), image.height(), QColor(16, 24, 40, 40))
        painter.drawImage(x, gap, image)
        x += image.width() + gap
    painter.end()
    return canvas


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/images")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["FRONTDESK_HOME"] = home
        db = open_database(str(Path(home) / "demo.sqlite3"))
        upgrade(db)
        now = datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
        services = build_services(ServiceContext(db=db, clock=FixedClock(now)))
        services.clinic.init(
            SOLE_OWNER,
            name="Harbour Physio",
            country="GB",
            booking_url="https://harbourphysio.example/book",
        )
        DemoService(services.ctx).generate(SOLE_OWNER, patients=400, seed=7)
        app = create_application([])
        ids = showcase_patients(services, now)
        printing = services.printing

        poster = printing.poster_preview("physio", Paper.A4, "Reception")
        render_image(poster, 0, DOC_DPI).save(str(out / "poster.png"))
        cards = printing.card_document(ids, Paper.A4)
        render_image(cards, 0, DOC_DPI).save(str(out / "cards.png"))
        templates = [
            render_image(printing.poster_preview(key, Paper.A4, "Reception"), 0, 60)
            for key in ("physio", "medspa", "massage")
        ]
        side_by_side(templates).save(str(out / "print_posters.png"))

        window = build_window(services)
        window.resize(1440, 900)
        window.show()
        window.show_screen("print")
        settle(2500)
        window.grab().save(str(out / "print_screen.png"))
        window.close()
        settle(200)
        db.dispose()
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
