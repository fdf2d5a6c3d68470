"""Is the database at this address usable? Asked before anything is written to it.

Two questions, both answered without writing a byte: does ``--db`` name something Frontdesk
can use (a supported URL, an existing folder, an SQLite file rather than a folder or a
spreadsheet), and does the SQLite file pass ``PRAGMA quick_check``. The check reads the
whole file, so its "ok" is remembered per file, keyed on the file's identity, size and
modification time (and its WAL's): the next command on an unchanged file pays nothing, and
a check that runs past its time budget gives no verdict rather than making a desk wait.
"""

from __future__ import annotations

import difflib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from frontdesk.domain.errors import InvalidInputError
from frontdesk.store.atomic_file import commit, new_temp_beside
from frontdesk.store.engine import normalize_url

SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
CHECK_BUDGET_S = 2.0  # FRONTDESK_CHECK_BUDGET_S overrides; past it, no verdict (a big file)
_CACHED_FILES = 20


@dataclass(frozen=True)
class DatabaseTarget:
    url: str  # a SQLAlchemy URL
    path: Path | None  # the SQLite file; None for a server


def resolve_target(url_or_path: str) -> DatabaseTarget:
    """The database ``--db`` names, or a one-line reason it cannot be one (exit 2)."""
    url = normalize_url(url_or_path)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInputError(f"{url_or_path!r} is not a database address.") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "postgresql"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return DatabaseTarget(parsed.render_as_string(hide_password=False), None)
    if backend != "sqlite":
        scheme = url_or_path.split("://", 1)[0]
        raise InvalidInputError(
            f"Frontdesk keeps its data in an SQLite file or on a PostgreSQL server, and "
            f"{scheme}:// is neither. Give a file path or a postgresql://… address."
        )
    database = parsed.database or ""
    if database in ("", ":memory:"):
        raise InvalidInputError("A database in memory keeps nothing; give the clinic's file.")
    return DatabaseTarget(url, Path(database))


def check_sqlite_path(path: Path, *, may_create: bool) -> None:
    """Refuse a path that names no clinic database (exit 2). A damaged file passes here:
    that is for ``verdict`` to say, with the way out."""
    if path.is_dir():
        inside = path / "frontdesk.sqlite3"
        hint = f" Did you mean {inside}?" if inside.is_file() else ""
        raise InvalidInputError(f"{path} is a folder, not a clinic database.{hint}")
    if not path.parent.is_dir():
        raise InvalidInputError(f"There is no folder {path.parent}; check the --db path.")
    if not path.exists():
        if may_create:
            return
        raise InvalidInputError(
            f"There is no clinic at {path}.{_did_you_mean(path)} To start a new clinic there: "
            f"frontdesk --db {path} init --clinic NAME --country CC"
        )
    if path.stat().st_size and not _has_sqlite_header(path) and _looks_like_text(path):
        raise InvalidInputError(f"{path} is not a clinic database (it is not an SQLite file).")


def _did_you_mean(path: Path) -> str:
    try:
        nearby = [p.name for p in path.parent.iterdir() if p.suffix in DATABASE_SUFFIXES]
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, nearby, n=1, cutoff=0.5) or nearby[:1]
    return f" Did you mean {path.parent / close[0]}?" if close else ""


def _has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _looks_like_text(path: Path) -> bool:
    """A CSV or a note given by mistake, rather than a database whose header was wiped."""
    with path.open("rb") as handle:
        start = handle.read(512)
    return b"\x00" not in start


@dataclass(frozen=True)
class Verdict:
    ok: bool | None  # None: no verdict within the time budget
    detail: str  # SQLite's words, or what is wrong with the file itself


def _file_key(path: Path) -> list[int]:
    key: list[int] = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            st = part.stat()
        except FileNotFoundError:
            key += [0, 0, 0, 0]
            continue
        key += [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
    return key


class VerdictCache:
    """ "ok" verdicts remembered in a small JSON file (a damaged file is always re-checked)."""

    def __init__(self, file: Path | None) -> None:
        self._file = file

    def _load(self) -> dict[str, list[int]]:
        if self._file is None:
            return {}
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def is_known_ok(self, path: Path) -> bool:
        return self._load().get(str(path.resolve())) == _file_key(path)

    def remember_ok(self, path: Path) -> None:
        if self._file is None or not path.exists():
            return
        data = self._load()
        data.pop(str(path.resolve()), None)
        data[str(path.resolve())] = _file_key(path)
        data = dict(list(data.items())[-_CACHED_FILES:])
        try:
            temp = new_temp_beside(self._file)
            temp.write_text(json.dumps(data), encoding="utf-8")
            commit(temp, self._file)
        except (OSError, InvalidInputError):
            pass  # only a cache: the next command checks again

    def forget(self, path: Path) -> None:
        data = self._load()
        if data.pop(str(path.resolve()), None) is not None and self._file is not None:
            try:
                temp = new_temp_beside(self._file)
                temp.write_text(json.dumps(data), encoding="utf-8")
                commit(temp, self._file)
            except (OSError, InvalidInputError):
                pass


def budget_seconds() -> float:
    try:
        return float(os.environ.get("FRONTDESK_CHECK_BUDGET_S", CHECK_BUDGET_S))
    except ValueError:
        return CHECK_BUDGET_S


def verdict(
    path: Path, cache: VerdictCache | None = None, budget_s: float | None = None
) -> Verdict:
    """SQLite's quick check of the file at ``path`` (which exists), read-only."""
    if cache is not None and cache.is_known_ok(path):
        return Verdict(True, "ok (unchanged since the last check)")
    if path.stat().st_size == 0:
        return Verdict(False, "the file is empty (0 bytes)")
    if not _has_sqlite_header(path):
        return Verdict(False, "the start of the file (its SQLite header) is overwritten")
    deadline = time.monotonic() + (budget_seconds() if budget_s is None else budget_s)
    wal = path.with_name(path.name + "-wal")
    if not wal.exists():
        # No log: no desk has the file open, and the file alone is the database. Reading it
        # as immutable leaves no -wal/-shm behind, so a damaged file stays exactly as found.
        result = _quick_check(path, "mode=ro&immutable=1", deadline)
        if not wal.exists():  # nobody began writing meanwhile
            return _remembered(result, path, cache)
    return _remembered(_quick_check(path, "mode=ro", deadline), path, cache)


def _remembered(result: Verdict, path: Path, cache: VerdictCache | None) -> Verdict:
    if result.ok and cache is not None:
        cache.remember_ok(path)
    return result


def _quick_check(path: Path, mode: str, deadline: float) -> Verdict:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=1)
    except sqlite3.Error as error:
        return Verdict(False, str(error))
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 20_000)
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.OperationalError as error:
        if "interrupt" in str(error):
            return Verdict(None, "the check did not finish within its time budget")
        return Verdict(False, str(error))
    except sqlite3.DatabaseError as error:
        return Verdict(False, str(error))
    finally:
        conn.close()
    return Verdict(True, "ok") if rows == ["ok"] else Verdict(False, _first_problem(rows))


def _first_problem(rows: list[str]) -> str:
    """SQLite's first finding on one line ("Page 4: btreeInitPage() returns error code 11")."""
    lines = [line.strip() for row in rows for line in row.splitlines()]
    found = [line for line in lines if line and not line.startswith("***")]
    return (found[0] if found else "damaged")[:160]
