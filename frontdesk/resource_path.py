"""One way to find shipped files: in a checkout, an installed wheel and the frozen bundle."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    """The path of ``resources/<name>`` (installed as the ``frontdesk.resources`` package)."""
    return Path(str(files("frontdesk.resources").joinpath(name)))
