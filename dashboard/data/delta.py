"""The versioned store: a Delta Lake table of the contract's rows, partitioned by fiscal_year.

Every import is ONE Delta commit (all its years or none), a replaced year stays readable in the
history, and `restore` makes an old version current again as a new version. Delta's log is the
only state: the same folder reads in Spark, Trino or DuckDB's delta extension, and delta-rs
writes it to object storage too.

Local writers also take an exclusive lock on the store folder, so that a failed or interrupted
import can remove the files it wrote and never committed without touching another writer's.
Delta's own optimistic concurrency stays the backstop for writers that do not share the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from dashboard import __version__
from dashboard.data.access import os_user
from dashboard.data.contract import unicode_name
from dashboard.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa
    from deltalake import DeltaTable

# deltalake is imported where a store is opened or written, not here: a reader of a folder of
# exports, or of cached aggregates, never loads it.

LOG = "_delta_log"
PARTITION = "fiscal_year"
META = "pmqa"  # the key of our commit metadata, one JSON object
LOCK_WAIT = 120.0  # seconds a writer waits for another to finish
# delta-rs deletes log entries older than 30 days at each checkpoint by default, which would end time
# travel to them: the history is the point of the store, so it is kept.
KEEP_HISTORY = {"delta.enableExpiredLogCleanup": "false"}


def is_store(location: Path) -> bool:
    return (Path(location) / LOG).is_dir()


def is_empty_folder(location: Path) -> bool:
    location = Path(location)
    return not location.exists() or (location.is_dir() and not any(location.iterdir()))


def open_table(location: Path, version: int | None = None) -> DeltaTable:
    """The store at a version (the latest by default), or a DataError that names the versions it has."""
    from deltalake import DeltaTable
    from deltalake.exceptions import DeltaError, TableNotFoundError

    if not is_store(location):
        raise DataError(
            f"{location} is a file, not a store, so it has no versions"
            if Path(location).is_file()
            else f"{location} is not a store (it has no {LOG}/ folder), so it has no versions"
        )
    commits = _read_log(Path(location))  # refuses a damaged log before delta-rs reads past it
    if not commits:
        raise DataError(f"{location}: the store has no version yet (its first import was interrupted); import again")
    try:
        with _delta_rs():
            latest = DeltaTable(str(location))
    except (TableNotFoundError, DeltaError, OSError) as exc:
        raise DataError(f"{location}: not a readable store ({_reason(exc)})") from None
    if version is None or version == latest.version():
        return latest
    if not 0 <= version <= latest.version():
        raise DataError(f"{location}: no version {version}; the store has versions 0–{latest.version()}")
    try:
        with _delta_rs():
            return DeltaTable(str(location), version=version)
    except (DeltaError, OSError) as exc:
        raise DataError(f"{location}: version {version} cannot be read ({_reason(exc)})") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# --- what delta-rs says ---------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# delta-rs wraps an operating-system error in the names of the layers it passed through
_WRAPPERS = re.compile(r"^(?:Failed to parse parquet: )?(?:External: )?(?:Generic \w+ error: )?")
_UNSUPPORTED = re.compile(r"Unsupported table features required: \[(.*)\]")
_PANIC = re.compile(r"^\s*thread '.*' .*panicked at ", re.MULTILINE)
_STDERR = threading.RLock()


def _reason(exc: BaseException) -> str:
    """A delta-rs error as one plain line: its chain of causes (one per line, each behind a red
    arrow) joined, colour codes dropped, the layers' names left out."""
    text = _ANSI.sub("", str(exc))
    parts = [line.strip().removeprefix("↳").strip() for line in text.splitlines()]
    joined = ": ".join(p for p in parts if p) or type(exc).__name__
    unsupported = _UNSUPPORTED.search(joined)
    if unsupported:
        names = re.sub(r'Unknown\("([^"]*)"\)', r"\1", unsupported.group(1))
        return f"the store asks for Delta Lake writer features this tool cannot write: {names}"
    return _WRAPPERS.sub("", joined)


@contextlib.contextmanager
def _delta_rs(writing: bool = False) -> Iterator[None]:
    """Around a call into delta-rs: a panic of the calling thread (pyo3's PanicException, which is
    not an Exception) becomes an OSError; while writing, a panic of its own threads is not printed
    (reads go without, so that they never wait for a write)."""
    with _panics_unprinted() if writing else contextlib.nullcontext():
        try:
            yield
        except BaseException as exc:
            if type(exc).__name__ == "PanicException":
                raise OSError(f"delta-rs failed: {exc}") from None
            raise


@contextlib.contextmanager
def _panics_unprinted() -> Iterator[None]:
    """delta-rs's threads print a Rust panic straight to the process's stderr ("thread
    'tokio-rt-worker' panicked at …" and a backtrace) even when the call then fails with an error we
    word ourselves: stderr goes to a file for the call, and all but the panic is passed on."""
    try:
        held = tempfile.TemporaryFile()  # noqa: SIM115 - entered below, with the lock
    except OSError:  # nowhere to hold it: a panic may show, the call still runs
        held = None
    if held is None:
        yield
        return
    with _STDERR, held:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            said = held.read().decode(errors="replace")
            panic = _PANIC.search(said)
            sys.stderr.write(said[: panic.start()] if panic else said)


# --- the log --------------------------------------------------------------------------------------

_COMMIT = re.compile(r"^(\d{20})\.json$")
_ACTIONS = {"commitInfo", "add", "remove", "metaData", "protocol", "txn", "cdc", "domainMetadata"}
# what delta-rs counts in a commit's operationMetrics, and the action it counts
_COUNTED = {
    "num_added_files": "add",
    "num_removed_files": "remove",
    "numRestoredFile": "add",
    "numRemovedFile": "remove",
}


def _read_log(location: Path) -> list[tuple[int, list[dict]]]:
    """Every commit of the log, oldest first: its version and actions. A commit file that is empty,
    cut off or not Delta's is refused, naming it: delta-rs would silently read the version before it
    as the latest, or fail later with an error that names nothing."""
    commits = []
    for path in sorted((Path(location) / LOG).iterdir()):
        match = _COMMIT.match(path.name)
        if match:
            commits.append((int(match[1]), _actions(path)))
    return commits


def _actions(path: Path) -> list[dict]:
    def damaged(why: str) -> DataError:
        return DataError(
            f"{path}: version {int(path.stem)} of the store is damaged ({why}); no version is read until "
            "the file is put back from a backup"
        )

    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise damaged(exc.strerror or str(exc)) from None
    if not lines:
        raise damaged("the file is empty")
    actions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            action = json.loads(line)
        except ValueError:
            raise damaged(
                f"line {number} is cut off" if number == len(lines) else f"line {number} is not JSON"
            ) from None
        if not isinstance(action, dict) or not action.keys() & _ACTIONS:
            raise damaged(f"line {number} is not a Delta Lake action")
        actions.append(action)
    _check_counts(actions, damaged)
    return actions


def _check_counts(actions: list[dict], damaged) -> None:
    """Our own commits say how many files they add and remove: fewer means lines were lost whole."""
    info = next((a["commitInfo"] for a in actions if "commitInfo" in a), {})
    if not isinstance(info, dict) or META not in info:
        return
    for metric, kind in _COUNTED.items():
        expected = (info.get("operationMetrics") or {}).get(metric)
        found = sum(kind in a for a in actions)
        if isinstance(expected, int) and found != expected:
            raise damaged(f"cut off: it has {found} of the {expected} '{kind}' actions its commit counts")


def _named_files(location: Path) -> set[Path] | None:
    """Every data file that any version adds, as resolved paths; None when the log no longer reaches
    back to version 0, so that no data file can be known to be nobody's."""
    commits = _read_log(location)
    if [v for v, _ in commits] != list(range(len(commits))):
        return None
    root = location.resolve()
    named = set()
    for _, actions in commits:
        for action in actions:
            path = (action.get("add") or {}).get("path")
            if isinstance(path, str) and "://" not in path:  # relative to the table, URL-encoded
                named.add((root / unquote(path)).resolve())
            elif isinstance(path, str) and path.startswith("file://"):
                named.add(Path(unquote(urlparse(path).path)).resolve())
    return named


def data_files(table: DeltaTable) -> list[Path]:
    """The local data files that make up the table's version, as its log names them."""
    return [Path(u.removeprefix("file://")) for u in table.file_uris()]


def years_in(table: DeltaTable) -> set[int]:
    return {int(p[PARTITION]) for p in table.partitions()}


def scheme_stat(location: Path) -> tuple:
    """The scoring scheme a store uses, as a cache key part: its own file, or the bundled one."""
    from dashboard.data import scheme

    path = scheme.scheme_path(Path(location))
    return (str(path), path.stat().st_size, path.stat().st_mtime_ns)


def fingerprint(location: Path) -> tuple:
    """Changes with every commit: the names and sizes of the log's files (a stat each)."""
    log = Path(location) / LOG
    return tuple(sorted((p.name, p.stat().st_size) for p in log.iterdir() if not p.name.startswith(".")))


@dataclass(frozen=True)
class Source:
    """One file an import read: what the commit records of it."""

    name: str
    sha256: str

    @classmethod
    def of(cls, path: Path, shown: str | None = None) -> Source:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return cls(unicode_name(shown or Path(path).name), digest.hexdigest())


# --- writing ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(location: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """An exclusive lock on the store folder for one write, waiting a while for another writer to
    finish; the kernel releases it when the process ends, however it ends."""
    made = not location.exists()
    location.mkdir(parents=True, exist_ok=True)
    fd = os.open(location, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DataError(f"{location}: another import is still writing to this store; try again") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
        if made and not any(location.iterdir()):
            location.rmdir()  # a refused first import leaves no empty folder behind


def _current(location: Path) -> DeltaTable | None:
    log = location / LOG
    return open_table(location) if log.is_dir() and any(_COMMIT.match(p.name) for p in log.iterdir()) else None


def _remove_uncommitted(location: Path, table: DeltaTable | None) -> None:
    """Delete what a failed or killed write left: our data files that no version of the history names
    (the log alone decides, never a file's time: a copied store's files are all newer than its
    commits), the writer's half-written temporaries (`part-….parquet#1`, a `….json.tmp` in the log),
    and the folders they made. Safe only under the lock."""
    named = _named_files(location) if table is not None else set()
    for path in location.rglob("*"):
        parts = path.relative_to(location).parts
        if not path.is_file():
            continue
        if parts[0].startswith(f"{PARTITION}=") and path.name.startswith("part-"):
            if ".parquet#" in path.name:  # the object store's temporary name, renamed when whole
                path.unlink()
            elif path.suffix == ".parquet" and named is not None and path.resolve() not in named:
                path.unlink()  # a data file of ours (delta-rs names them part-*) that no commit took
        elif parts[0] == LOG and len(parts) == 2 and (path.name.endswith(".tmp") or "#" in path.name):
            path.unlink()
    for folder in sorted((p for p in location.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()) and (folder.name != LOG or table is None):
            folder.rmdir()


def _changes_since(table: DeltaTable, version: int) -> list[dict]:
    return [h for h in table.history() if h["version"] > version]


def _check_unchanged(table: DeltaTable | None, based_on: int | None, years: set[int]) -> None:
    """Refuse when another import touched these years after this one was prepared: its rows would be
    replaced or doubled without anyone having seen them. `based_on` None: prepared where there was
    no store yet, so every version there is now came after."""
    if table is None or table.version() == based_on:
        return
    for commit in _changes_since(table, -1 if based_on is None else based_on):
        meta = commit_meta(commit)
        touched = set(meta.get("years", [])) if meta.get("operation") in ("import", "replace") else None
        if touched is None or touched & years:
            raise DataError(
                f"the store changed while this import was being prepared (version {commit['version']}: "
                f"{meta.get('operation', commit.get('operation', '?')).lower()} "
                f"{', '.join(map(str, sorted(touched or [])))}); nothing was written, run the import again"
            )


def version_of(location: Path) -> int | None:
    """The latest version of a store, None where there is no store yet."""
    table = _current(Path(location)) if is_store(location) else None
    return table.version() if table else None


def is_synthetic(table: DeltaTable) -> bool:
    """Whether the store was made from the synthetic sample: its first commit says so."""
    return bool(commit_meta(table.history()[-1]).get("synthetic"))


def write_years(
    location: Path,
    rows: pa.Table,
    sources: list[Source],
    replace: bool,
    based_on: int | None = None,
    synthetic: bool = False,
    per_year: dict[int, int] | None = None,
) -> tuple[int, dict[int, int]]:
    """Commit every year of `rows` in one version; a year already stored is refused unless `replace`.
    `based_on` is the version the rows were checked against (None: there was no store then);
    `per_year` the rows' count_by_year, when the caller has it. Returns the new version and rows per year."""
    location = Path(location)
    if not is_store(location) and not is_empty_folder(location):
        raise DataError(not_a_store_message(location))
    per_year = {int(y): n for y, n in (per_year or count_by_year(rows)).items()}
    with _locked(location):
        table = _current(location)
        _remove_uncommitted(location, table)
        _check_unchanged(table, based_on, set(per_year))
        if table is not None and is_synthetic(table) != synthetic:
            kind = "the synthetic sample" if synthetic else "real results"
            raise DataError(f"{location} does not hold {kind}: the sample and real results never share a store")
        held = years_in(table) & set(per_year) if table else set()
        if held and not replace:
            raise DataError(
                f"fiscal year {', '.join(map(str, sorted(held)))} is already in the store; use --replace to "
                "replace it (the current rows stay in the history: see `history` and `restore`)"
            )
        meta = {
            "operation": "replace" if held else "import",
            "years": sorted(per_year),
            "rows": {str(y): n for y, n in sorted(per_year.items())},
            "replaced": sorted(held),
            "sources": [{"name": s.name, "sha256": s.sha256} for s in sources],
            "user": os_user(),
            "tool": f"pmqa {__version__}",
            "synthetic": synthetic,
        }
        # The log folder first: a first import killed while writing data files then still leaves a
        # store (that the next import mends), never a folder that looks like exports.
        (location / LOG).mkdir(exist_ok=True)
        _began(location, table, meta)
        try:
            _commit(location, table, rows, sorted(per_year), meta)
        except BaseException:
            _remove_uncommitted(location, _current(location))
            raise
        return _current(location).version(), per_year


def _commit(location: Path, table: DeltaTable | None, rows: pa.Table, years: list[int], meta: dict) -> None:
    from deltalake import CommitProperties
    from deltalake.exceptions import CommitFailedError, DeltaError

    props = CommitProperties(custom_metadata={META: json.dumps(meta, ensure_ascii=False)})
    try:
        with _delta_rs(writing=True):
            _write(location, table, rows, years, props)
    except CommitFailedError as exc:
        if _UNSUPPORTED.search(str(exc)):  # delta-rs reports a feature it lacks as a failed commit
            raise DataError(f"{location}: {_reason(exc)}; nothing was written") from None
        raise DataError(
            f"another writer changed the same years of the store at the same time ({_reason(exc)}); "
            "nothing was written, run the import again"
        ) from None
    except (DeltaError, OSError) as exc:
        raise DataError(f"{location}: the store could not be written ({_reason(exc)}); nothing was written") from None


def _write(location: Path, table: DeltaTable | None, rows: pa.Table, years: list[int], props) -> None:
    from deltalake import write_deltalake

    if table is None:
        write_deltalake(
            str(location),
            rows,
            partition_by=[PARTITION],
            mode="error",
            configuration=KEEP_HISTORY,
            commit_properties=props,
        )
    else:
        # An overwrite bounded by the years, never a blind append: Delta then sees a concurrent
        # writer of the same years as a conflict instead of keeping both writers' rows.
        predicate = f"{PARTITION} IN ({', '.join(str(int(y)) for y in years)})"
        write_deltalake(table, rows, mode="overwrite", predicate=predicate, commit_properties=props)


def count_by_year(rows: pa.Table) -> dict[int, int]:
    """The rows by fiscal year, in year order. Counted by DuckDB, which every import has loaded: not
    Table.group_by (Acero: its import brings pyarrow.dataset and pandas, a third of a second), nor
    pyarrow.compute (30 ms of its own to import)."""
    import duckdb

    con = duckdb.connect()
    try:
        counted = con.from_arrow(rows).aggregate(f"{PARTITION}, count(*)").order(PARTITION).fetchall()
        return {int(year): int(n) for year, n in counted}
    finally:
        con.close()


def restore(location: Path, version: int) -> int:
    """Make version N's content current as a new version; returns the new version number."""
    from deltalake import CommitProperties
    from deltalake.exceptions import DeltaError

    location = Path(location)
    if not is_store(location):
        raise DataError(not_a_store_message(location) if location.exists() else f"{location}: no such store")
    with _locked(location):
        table = _current(location)
        if table is None:
            raise DataError(f"{location}: the store has no version yet")
        _remove_uncommitted(location, table)
        target = open_table(location, version)
        if version == table.version():
            raise DataError(f"version {version} is already the current version; nothing to restore")
        meta = {
            "operation": "restore",
            "years": sorted(years_in(target)),
            "restored_version": version,
            "user": os_user(),
            "tool": f"pmqa {__version__}",
        }
        props = CommitProperties(custom_metadata={META: json.dumps(meta, ensure_ascii=False)})
        _began(location, table, meta)
        try:
            with _delta_rs(writing=True):
                table.restore(version, commit_properties=props)
        except (DeltaError, OSError) as exc:
            raise DataError(
                f"{location}: could not restore version {version} ({_reason(exc)}); nothing was written"
            ) from None
        return _current(location).version()


# The write this process began last, so that an interruption can tell whether it landed: its commit
# is found in the log by its own record (under the lock no other local writer commits meanwhile).
_last_write: tuple[Path, int, dict] | None = None


def _began(location: Path, table: DeltaTable | None, meta: dict) -> None:
    global _last_write
    _last_write = (location, -1 if table is None else table.version(), meta)


def landed_version() -> int | None:
    """After an interruption: the version the last write of this process became, if its commit
    landed; None if it did not (or there was none)."""
    if _last_write is None:
        return None
    location, before, meta = _last_write
    try:
        table = _current(location)
    except DataError:
        return None
    mine = [c for c in _changes_since(table, before) if commit_meta(c) == meta] if table else []
    return int(mine[0]["version"]) if mine else None


def not_a_store_message(location: Path) -> str:
    if Path(location).is_file():
        return (
            f"{location} is a file, not a store: --data names a store's folder. To bring the file into a "
            f"store, `pmqa import {location} --data NEW_FOLDER`"
        )
    return (
        f"{location} is a folder of exports, not a store, and stays read-only. Make a store from it with "
        f"`pmqa import {location}/*.parquet --data NEW_FOLDER` (or the CSV/XLSX files), "
        "then read NEW_FOLDER"
    )


def no_versions_message(location: Path) -> str:
    """For --version on data that is not a store."""
    what = "a file" if Path(location).is_file() else "a folder of exports"
    return f"{location} is {what}, not a store: it has no versions (--version)"


# --- history ----------------------------------------------------------------------------------


def commit_meta(commit: dict) -> dict:
    try:
        return json.loads(commit.get(META) or "{}")
    except ValueError:  # a commit made by another tool with a key of the same name
        return {}


def history(location: Path) -> list[dict]:
    """One entry per version, newest first: version, time, operation, years, rows, source files, user."""
    table = open_table(Path(location))
    entries = []
    for commit in table.history():
        meta = commit_meta(commit)
        entries.append(
            {
                "version": int(commit["version"]),
                "timestamp": datetime.fromtimestamp(commit["timestamp"] / 1000, UTC).isoformat(timespec="seconds"),
                "operation": meta.get("operation") or str(commit.get("operation", "")).lower(),
                "years": meta.get("years", []),
                "rows": {int(y): n for y, n in meta.get("rows", {}).items()},
                "replaced": meta.get("replaced", []),
                "restored_version": meta.get("restored_version"),
                "sources": meta.get("sources", []),
                "user": meta.get("user"),
                "tool": meta.get("tool") or commit.get("clientVersion"),
            }
        )
    return entries
