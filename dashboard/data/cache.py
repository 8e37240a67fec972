"""Where work done once per data version is kept: a DuckDB database file per version of the data.

The data is validated and its aggregates (agencies, agency-category sums, years) are computed once,
then kept in the user's cache folder, outside the data. Reopening unchanged data costs a stat per
file (or reading a store's small log files) and opening that small file. The key holds everything
the file depends on: the data's location, version and identity (a store's commits, each file's
size, times and inode), the scoring scheme, and the SQL that builds it, so a change to any of them
builds anew.

The kept file holds every criterion row, so it is the owner's alone: the folder 0700, files 0600.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from dashboard import __version__
from dashboard.errors import DataError

KEEP = 16  # cache files kept; the oldest beyond these are removed when a new one is made
STALE_BUILD = 24 * 3600  # seconds after which a build folder is a killed build's, and removed
# Errors of a build that mean the folder could not take the file (a full disk, a file size limit, a
# lost mount): DuckDB reports a failed write as an IO error, as a failed commit of its WAL, or as a
# fatal error when its checkpoint fails (the database is then invalidated).
WRITE_ERRORS = (OSError, duckdb.IOException, duckdb.TransactionException, duckdb.FatalException)
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


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


def unwritable(where: Path, exc: BaseException) -> DataError:
    """One line for a cache that cannot be written, whatever failed (an OSError or DuckDB's own)."""
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        full = exc.errno in _FULL
    else:  # DuckDB's message ends with the system's reason: "Could not write file "…": File too large"
        reason = str(exc).strip().splitlines()[0].rsplit(": ", 1)[-1]
        full = True
    if where.exists() and not where.is_dir():
        reason = "it is a file, not a folder"
    hint = " (disk full?)" if full else ""
    return DataError(
        f"cannot write the cache in {where}{hint}: {reason}; nothing was kept there. "
        "Free some space, or set PMQA_CACHE to a folder you can write."
    )


def prepared() -> Path:
    """The cache folder, made owner-only. The default folder is ours alone, so one an earlier
    version left open to others is closed too; a PMQA_CACHE folder that exists is the operator's
    choice and stays as it is (the files in it are 0600 either way)."""
    where = folder()
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.environ.get("PMQA_CACHE") and where.stat().st_mode & 0o077:
            where.chmod(0o700)
    except OSError as exc:
        raise unwritable(where, exc) from None
    return where


@contextlib.contextmanager
def building(target: Path) -> Iterator[Path]:
    """A path to build `target` at, in a private folder of its own (0700), so that DuckDB's WAL and
    spill files are never readable by others and builders at once never share a name. The whole
    file is then linked into place, 0600; a failed build leaves nothing behind."""
    where = prepared()
    try:
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=where))
    except OSError as exc:
        raise unwritable(where, exc) from None
    try:
        built = work / target.name
        yield built
        if any(work.glob("*.wal")):  # DuckDB's last checkpoint failed without a word: the file is partial
            raise OSError(errno.EIO, "the cache file could not be completed")
        built.chmod(0o600)
        _place(built, target)
    except WRITE_ERRORS as exc:
        raise unwritable(where, exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _place(built: Path, target: Path) -> None:
    """Link the built file in unless another builder was first: its file is as good, and one that
    a reader has open is never swapped under it (DuckDB shares one instance per path in a process)."""
    try:
        os.link(built, target)
    except FileExistsError:
        pass
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        os.replace(built, target)  # a file system without hard links


def prune(keep: int = KEEP) -> None:
    """Remove the least recently made cache files beyond `keep`, and the folders of builds killed
    long ago; one in use by a reader stays readable for it (the open file outlives its name on POSIX).
    Another process may prune at the same time, so a file gone already is no error."""
    where = folder()
    files = sorted(((_mtime(p), p) for p in where.glob("*.duckdb")), reverse=True)
    for _, old in files[keep:]:
        old.unlink(missing_ok=True)
    for work in where.glob(".build-*"):
        if _mtime(work) < time.time() - STALE_BUILD:
            shutil.rmtree(work, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
