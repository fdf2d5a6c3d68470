"""Files written whole or not at all, through a temporary file that cannot be hijacked.

The temporary file is created beside the target (same volume, so the final rename is atomic)
with ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a random name: a file or symlink planted where
it would go makes the open fail instead of being followed or overwritten. Contents are
fsynced before the rename and the folder after it, so a power cut leaves the old file or
the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from frontdesk.domain.errors import InvalidInputError

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def check_target(target: Path) -> None:
    """Refuse, in words for the desk, a place a file cannot be written to."""
    if target.is_dir():
        raise InvalidInputError(
            f"{target} is a folder. Give a file name inside it, like {target / 'report.pdf'}."
        )
    if not target.parent.is_dir():
        raise InvalidInputError(f"There is no folder {target.parent} to save into.")


def _create(target: Path, purpose: str) -> tuple[Path, int]:
    for _ in range(16):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.{purpose}")
        try:
            return temp, os.open(temp, _FLAGS, 0o600)
        except FileExistsError:
            continue
    raise InvalidInputError(f"Could not create a temporary file in {target.parent}.")


def new_temp_beside(target: Path, purpose: str = "partial") -> Path:
    """An empty, new file in ``target``'s folder that nobody else created; the caller fills
    it (SQLite needs a path) and hands it to ``commit``, or unlinks it."""
    temp, fd = _create(target, purpose)
    os.close(fd)
    return temp


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit(temp: Path, target: Path) -> None:
    """Put the finished ``temp`` in ``target``'s place, durably."""
    fsync_path(temp)
    os.replace(temp, target)
    # The rename itself survives a power cut; some file systems cannot sync a folder.
    with contextlib.suppress(OSError):
        fsync_path(target.parent)


@contextmanager
def replacing(target: Path, mode: str = "w", **open_args: Any) -> Iterator[IO[Any]]:
    """``with replacing(path) as handle:`` writes ``path`` whole, or leaves it as it was."""
    check_target(target)
    temp, fd = _create(target, "partial")
    try:
        with os.fdopen(fd, mode, **open_args) as handle:  # the very file created above
            yield handle
        commit(temp, target)
    finally:
        temp.unlink(missing_ok=True)
