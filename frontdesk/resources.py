"""One way to find shipped files, in a checkout and in the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(name: str) -> Path:
    """The path of ``resources/<name>``."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / name
