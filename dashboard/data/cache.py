"""Where work done once per data version is kept: a DuckDB database file per version of the data.

The data is validated and its aggregates (agencies, agency-category sums, years) are computed once,
then kept in the user's cache folder, outside the data. Reopening unchanged data costs a stat per
file (or a listing of a store's log) and opening that small file. The key holds everything the
file depends on: the data's location and version, each file's path, size and modification time,
the scoring scheme, and the SQL that builds it, so a change to any of them builds anew.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from dashboard import __version__

KEEP = 16  # cache files kept; the oldest beyond these are removed when a new one is made


def folder() -> Path:
    """$PMQA_CACHE, else $XDG_CACHE_HOME/pmqa, else ~/.cache/pmqa."""
    explicit = os.environ.get("PMQA_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pmqa"


def path_for(fingerprint: tuple, sql_files: list[Path]) -> Path:
    digest = hashlib.sha256(repr((__version__, fingerprint)).encode())
    for sql in sql_files:
        digest.update(sql.read_bytes())
    return folder() / f"{digest.hexdigest()[:32]}.duckdb"


def prune(keep: int = KEEP) -> None:
    """Remove the least recently made cache files beyond `keep`; one in use by a reader stays readable
    for it (the open file outlives its name on POSIX)."""
    files = sorted(folder().glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
