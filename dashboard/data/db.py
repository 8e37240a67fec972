"""The one module that answers named queries, from the data kept once per version.

A Store opens a store version or a folder of Parquet exports. The first time a version is opened it
is checked against the data contract (validation.py), and the build writes the kept tables of
queries/kept/, the macros of queries/macros/ and the kept results to a DuckDB file in the cache
(cache.py); every open reads that file read-only, closed off from the rest of the file system. No
row is copied into memory. Every number the command line, the pages and the notebooks show comes
from `Store.query(name, ...)`, which runs queries/<name>.sql with DuckDB named parameters (sql.py).

No Streamlit here: the app adds its caching on top (dashboard/app/).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dashboard.data import access, cache, contract, delta, scheme, sql, validation
from dashboard.data.access import Access
from dashboard.data.sql import QUERIES_DIR
from dashboard.errors import DataError

if TYPE_CHECKING:  # pandas is imported by DuckDB when a DataFrame is asked for: `summary` never pays for it
    import pandas as pd

ROOT = Path(__file__).resolve().parents[2]  # the project folder: data/ and queries/ live there
SAMPLE_DIR = ROOT / "data"


@dataclass(frozen=True)
class Filters:
    """The filters every page shares. An empty tuple means no filter on that dimension."""

    years: tuple[int, ...] = ()
    agency_types: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    categories: tuple[int, ...] = ()

    def params(self) -> dict:
        return {
            "years": [int(y) for y in self.years],
            "agency_types": list(self.agency_types),
            "groups": list(self.groups),
            "agency_codes": list(self.agencies),
            "categories": [int(c) for c in self.categories],
        }


def fingerprint(data_dir: Path, version: int | None = None) -> tuple:
    """What the data's aggregates depend on, cheap to take (a stat per file, a store's small log
    files read): the cache key. It starts with the store version asked for (None: the latest)."""
    data_dir = Path(data_dir).resolve()
    if delta.is_store(data_dir):
        paths = []
        head = (version, str(data_dir), delta.fingerprint(data_dir), log_identity(data_dir, version))
    else:
        paths = contract.find_parquet_files(data_dir) if data_dir.is_dir() else []
        head = (version,)
    paths.append(scheme.scheme_path(data_dir))
    return head + tuple(file_identity(p) for p in paths if p.exists())


def file_identity(path: Path) -> tuple:
    """A file as the cache key knows it. Its inode and change time tell a file written anew from
    the one it replaced even where name, size and modification time were kept (an archive unpacked
    again, `cp -p`), which size and time alone would not."""
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def log_identity(location: Path, version: int | None) -> str:
    """A store's history up to `version` (None: all of it): a hash of each commit's name and bytes,
    and each checkpoint's name and size. The first commit holds the table's own id and every commit
    the unique names of the files it added, so a store deleted and made again at the same path, with
    as many versions, never matches. Reads the log's small files only, never a data file."""
    digest = hashlib.sha256()
    for path in sorted((Path(location) / delta.LOG).iterdir()):
        number = path.name.split(".")[0]  # 00000000000000000003.json, ….checkpoint.parquet
        if not number.isdigit() or (version is not None and int(number) > version):
            continue
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        if path.suffix == ".json":
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _code() -> list[Path]:
    """What the build writes is made by: a change to any of it builds the kept file anew (it is part
    of the cache key)."""
    results = [QUERIES_DIR / f"{name}.sql" for name in sql.kept_results()]
    rules = QUERIES_DIR / f"{validation.RULES}.sql"
    modules = [Path(module.__file__) for module in (sql, validation, scheme)]  # scheme: the levels' ranks
    return [*sql.staging(), *sql.kept_tables(), *sql.macros(), *results, rules, *modules, Path(__file__)]


def _build(con: duckdb.DuckDBPyConnection, synthetic: bool, levels: list[tuple]) -> None:
    """Make everything the kept file holds, on a connection whose raw_scores reads the data."""
    for path in sql.staging():
        con.execute(f"create view {path.stem} as {path.read_text(encoding='utf-8')}")
    for path in sql.build_order():
        text = path.read_text(encoding="utf-8")
        if path not in sql.kept_tables():
            con.execute(text)
        elif _BY_YEAR in text:
            _keep_by_year(con, path.stem, text)
        else:
            con.execute(f"create table {path.stem} as {text}")
    # the types pandas gave them when a DataFrame was registered here: the kept file is as before
    con.execute(
        "create table scheme_levels (scheme_year bigint, level varchar, level_rank bigint, min_pct double, "
        "label_th varchar, label_en varchar)"
    )
    con.executemany("insert into scheme_levels values (?, ?, ?, ?, ?, ?)", levels)
    con.execute("create table source_meta as select $synthetic as synthetic", {"synthetic": synthetic})
    for name in sql.kept_results():
        text = sql.load(name)
        con.execute(f"create table kept_{name} as {text}", sql.bind(text, Filters().params()))
    # The staging views read the data's files: the kept file holds no path of them.
    for path in sql.staging():
        con.execute(f"drop view {path.stem}")
    con.execute("drop view raw_scores")


# A kept table whose select reads this (a list of years; unset, every year) is made a year at a time.
_BY_YEAR = "getvariable('kept_years')"


def _keep_by_year(con: duckdb.DuckDBPyConnection, name: str, text: str) -> None:
    """The kept table made one year at a time, in year order. The criterion pair sums' self-join of
    every year spilled past the build's memory (KEEP_MEMORY); a year's fits: 1.0 s against 1.33 s at
    8,000 agencies x 10 years, and a build peak of 360 MB against 455 MB. A scoped cursor's view of
    the table runs its select with the variable unset, over every year at once."""
    years = [y for (y,) in con.execute("select distinct fiscal_year from scores order by fiscal_year").fetchall()]
    con.execute(f"create table {name} as select * from ({text}) limit 0")
    try:
        for year in years:
            con.execute("set variable kept_years = $years", {"years": [year]})
            con.execute(f"insert into {name} {text}")
    finally:
        con.execute("reset variable kept_years")


def _scope_sql(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The SQL that limits a cursor to a scope (queries/access/): the scope's agencies, then a view
    for every kept table, in the kept tables' order. A table of agencies' rows (it has an
    agency_code) becomes the scope's rows; an aggregate over agencies is its own select again, over
    those views. Temporary objects come first in DuckDB's search path, so no named query or macro
    can read past them."""
    catalog = con.execute("select current_database()").fetchone()[0]
    with_agencies = con.execute(
        "select table_name from duckdb_columns() where database_name = $catalog and column_name = 'agency_code'",
        {"catalog": catalog},
    ).fetchall()
    views = []
    for path in sql.kept_tables():
        if (path.stem,) in with_agencies:
            view = sql.load("access/scoped_rows")
        else:
            view = sql.load("access/scoped_aggregate").replace("{select}", path.read_text(encoding="utf-8"))
        views.append(view.replace("{table}", path.stem))  # a file's name in queries/kept/, never a user's
    quoted = '"' + catalog.replace('"', '""') + '"'
    agencies = sql.load("access/scope_agencies")
    return agencies.replace("{catalog}", quoted), ";\n".join(views).replace("{catalog}", quoted)


# A DuckDB file is three 4 KiB headers, then its blocks (DuckDB's storage layout).
_HEADERS = 3 * 4096


# An export's threads (Store._own_connection): a file is written in order, and the machine serves
# pages meanwhile.
EXPORT_THREADS = 2


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Damaged(Exception):
    """A kept file that opens but is not whole."""


def _check_whole(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a kept file shorter than the blocks its header counts (cut short by a full disk or a
    crash): DuckDB opens it, and fails only when a query reaches a missing block."""
    blocks, block_size = con.execute("select total_blocks, block_size from pragma_database_size()").fetchone()
    if path.stat().st_size < _HEADERS + blocks * block_size:
        raise _Damaged(f"{path.name} is shorter than its {blocks} blocks")


class Store:
    """Validated data answering named queries, all read from its kept file in the cache (the
    aggregates, the criterion rows a year at a time, the metric macros).

    Every query runs for a person (`access`), named when the store is opened (the command line names
    the operator, the app nobody) and replaced by `scoped`. A scoped query's cursor sees only the
    scope's agencies (queries/access/), and a role that may not read criterion-level rows is refused
    them here, whoever asks."""

    def __init__(self, data_dir: Path, person: Access, version: int | None = None):
        # The person is required: a caller that forgets it fails at once instead of seeing everything.
        self.access: Access = person
        self.data_dir = Path(data_dir).resolve()
        self.is_store = delta.is_store(self.data_dir)
        if version is not None and not self.is_store:
            raise DataError(delta.no_versions_message(self.data_dir))
        self._table = delta.open_table(self.data_dir, version) if self.is_store else None
        self.version = self._table.version() if self._table else None
        if self.is_store:
            self.files = delta.data_files(self._table)
            identity = (log_identity(self.data_dir, self.version), self._table.metadata().id)
            self.fingerprint = (
                self.version,
                str(self.data_dir),
                *identity,
                file_identity(scheme.scheme_path(self.data_dir)),
            )
        else:
            self.fingerprint = fingerprint(self.data_dir)
            self.files = [Path(f[0]) for f in self.fingerprint[1:] if f[0].endswith(".parquet")]
        self._con, self.synthetic = self._kept(cache.path_for(self.fingerprint, _code()))
        self._lock = threading.Lock()
        self._scoping: tuple[str, str] | None = None

    def _kept(self, built: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """The kept file open, and whether the data is synthetic; built first when missing."""
        if built.exists():
            try:
                return self._open(built)
            except (duckdb.Error, _Damaged):  # damaged after it was made: it is only a copy, so make it again
                built.unlink(missing_ok=True)
        self._build(built)
        try:
            return self._open(built)
        except (duckdb.Error, _Damaged) as exc:
            raise DataError(f"the cache file {built} cannot be read ({delta._first_line(exc)})") from None

    def _build(self, target: Path) -> None:
        """Validate once, then keep the aggregates in a new cache file, put into place whole."""
        report = validation.validate(self.data_dir, self.version)
        if not report.ok:
            shown = "\n".join(f"  {p}" for p in report.problems[:10])
            more = report.total_problems - min(10, len(report.problems))
            tail = f"\n  … and {more} more" if more > 0 else ""
            raise DataError(
                f"{report.data_dir} does not meet the data contract "
                f"(run `pmqa validate {report.data_dir}` for every problem):\n{shown}{tail}"
            )
        with cache.building(target) as tmp:
            self._write(tmp, report.synthetic)
        cache.prune()

    def _write(self, path: Path, synthetic: bool) -> None:
        con = duckdb.connect(str(path), config={"memory_limit": sql.KEEP_MEMORY})
        try:
            self._register(con)
            _build(con, synthetic, scheme.levels(self.data_dir))
            con.execute("checkpoint")  # a checkpoint that fails when closing is silent: fail here instead
        finally:
            con.close()

    def _register(self, con: duckdb.DuckDBPyConnection) -> None:
        if self._table is not None:
            validation.register_version(con, self._table, self.version)
        else:
            validation.register_files(con, self.files)

    def _open(self, built: Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """The kept file, read-only: its tables and the metric macros, all a query needs. No query may
        touch the file system again."""
        # Set when connecting: DuckDB shares one instance per file within a process, so a second Store
        # of the same data gets the same, already locked, settings.
        con = duckdb.connect(
            str(built), read_only=True, config={"enable_external_access": False, "lock_configuration": True}
        )
        try:
            _check_whole(con, built)
            self.kept_path, self._catalog = built, con.execute("select current_database()").fetchone()[0]
            return con, bool(con.execute("select synthetic from source_meta").fetchone()[0])
        except BaseException:
            con.close()
            raise

    @property
    def version_label(self) -> str:
        """Which data a number comes from, without a path on this machine: the store's version, or
        a short fingerprint of a folder's files (sizes and modification times)."""
        if self.is_store:
            return f"{self.data_dir.name}, store version {self.version}"
        shown = [f[:3] for f in self.fingerprint[1:]]  # path, size and time: the same label as before
        digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:12]
        return f"{self.data_dir.name}, files {digest}"

    @functools.cached_property
    def scheme(self) -> scheme.Scheme:
        return scheme.load(self.data_dir)

    def scoped(self, person: Access) -> Store:
        """The same data as `person` may see it: their scope on every query, their role on every
        row-level query. Cheap (the connection is shared); the scope is in `key` for caches."""
        view = copy.copy(self)
        view.access = person
        return view

    @property
    def key(self) -> tuple:
        """What a cached result of this store depends on: the data's version and whose view it is."""
        return (str(self.data_dir), self.fingerprint, self.access)

    @contextlib.contextmanager
    def _cursor(self, whole: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for each query (pages run in threads, and a cursor is not shared),
        seeing only what the person's scope allows, unless `whole` (a peer query, see `_sees_all`)."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            if not whole:
                self._scope(cursor)
            yield cursor
        finally:
            cursor.close()

    def _scope(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Limit a cursor of the kept file to what the person's scope allows (nothing to do for every
        agency)."""
        if self.access.scope.everything:
            return
        self._scoping = self._scoping or _scope_sql(cursor)  # the same for every cursor of the file
        agencies, views = self._scoping
        cursor.execute(agencies, self.access.scope.params())
        cursor.execute(views)

    def _sees_all(self, name: str, params: dict) -> bool:
        """Whether a query may read every agency for this person: all of them are in the scope, or
        it is a peer query about an agency in the scope (it returns that agency's rows and only
        aggregates of the others, so a scoped person still learns how their agency compares)."""
        if self.access.scope.everything:
            return True
        if name not in access.PEER_QUERIES:
            return False
        with self._cursor() as cursor:  # the agency must be one the person may see
            found = cursor.execute("select 1 from agencies where agency_code = $code", {"code": params["agency_code"]})
            return found.fetchone() is not None

    def _statement(self, name: str, filters: Filters | None, params: dict) -> tuple[str, dict, bool]:
        """The SQL and parameters that answer a named query for this person, and whether its cursor
        may read every agency (`_sees_all`). A query asked without a filter answers from its kept
        result when it has one and the person sees the whole data (kept results count every agency)."""
        self.access.require_query(name)
        if name in access.PEER_QUERIES:
            params = params | access.peer_params(self.access)
        whole = self._sees_all(name, params)
        filters = filters or Filters()
        if self.access.scope.everything and name in sql.kept_results() and not params and filters == Filters():
            return f"select * from kept_{name}", {}, whole
        text = sql.load(name)
        return text, sql.bind(text, filters.params() | params), whole

    def query(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with the shared filters and any named parameters."""
        text, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            return cursor.execute(text, bound).df()

    def records(self, name: str, filters: Filters | None = None, **params) -> list[dict]:
        """The same as `query`, as plain rows: for callers that need no DataFrame (and no pandas)."""
        text, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            return sql.rows(cursor.execute(text, bound))

    @contextlib.contextmanager
    def relation(self, name: str, filters: Filters | None = None, **params) -> Iterator[duckdb.DuckDBPyRelation]:
        """The same as `query`, as a DuckDB relation read while the block runs, on a connection of its
        own over the kept file (`_own_connection`): a file of every row is written from it batch by
        batch (SQL projected on it, its `to_arrow_reader`), never the whole table in memory."""
        text, bound, whole = self._statement(name, filters, params)
        with self._own_connection(whole) as con:
            yield con.sql(text, params=bound)

    def copy_to(
        self, name: str, filters: Filters | None, select: Callable[[list[tuple[str, str]]], str], options: str, to: Path
    ) -> int:
        """The same rows as `query`, written by DuckDB's COPY (`options`: its format and settings) to the
        file `to`, on a connection of its own that may write `to`'s folder; how many. `select` makes
        the copy's columns from the query's (name, type) pairs. No row passes through Python, nor
        from one connection to another."""
        text, bound, whole = self._statement(name, filters, {})
        to = Path(os.path.abspath(to))  # as DuckDB compares it with the allowed folder: no "..", no link resolved
        with self._own_connection(whole, writes=to.parent) as con:
            described = con.sql(text, params=bound)  # bound, not run: the columns and their types
            columns = select(list(zip(described.columns, map(str, described.types), strict=True)))
            statement = f"copy (select {columns} from ({text})) to {_literal(str(to))} ({options})"
            return int(con.execute(statement, bound).fetchone()[0])

    @contextlib.contextmanager
    def _own_connection(self, whole: bool, writes: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own that attaches the kept file read-only (as the catalog the named
        queries and scope views name), scoped as the store's cursors are unless `whole`, that may
        write the folder `writes` and touch no other file, closed after the block: what an export
        runs on. Not the store's: DuckDB keeps what a national file's work took (120-250 MB) for as
        long as an instance lives, and the store's lives as long as an app server."""
        if not self.kept_path.exists():  # pruned from the cache while this store reads it (cache.prune): made again
            self._build(self.kept_path)
        con = duckdb.connect(config={"threads": EXPORT_THREADS})
        try:
            con.execute(f"attach {_literal(str(self.kept_path))} as {_quoted(self._catalog)} (read_only)")
            con.execute(f"use {_quoted(self._catalog)}")
            con.execute("set allowed_directories = $dirs", {"dirs": [f"{writes}{os.sep}"] if writes else []})
            for setting in (
                "enable_external_access = false",
                "enable_progress_bar = false",
                "lock_configuration = true",
            ):
                con.execute(f"set {setting}")
            if not whole:
                self._scope(con)
            yield con
        finally:
            con.close()

    def window(self, name: str, rows: int, filters: Filters | None = None, **params) -> tuple[pd.DataFrame, int, int]:
        """The first `rows` rows of a named query, with how many rows and agencies it has in all: what
        a page shows of a table that can be large. Costs the same at any size of result."""
        text, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            head = cursor.execute(f"select * from ({text}) limit {int(rows)}", bound).df()
            count = f"select count(*), count(distinct agency_code) from ({text})"
            total, agencies = cursor.execute(count, bound).fetchone()
        return head, int(total), int(agencies)

    def years(self) -> list[int]:
        return [int(r["fiscal_year"]) for r in self.records("fiscal_years")]

    def require_groups(self, groups) -> None:
        """Refuse a ministry or cluster the data does not hold, naming the ones it does."""
        have = [r["agency_group_th"] for r in self.records("group_list")]
        unknown = [g for g in groups if g not in have]
        if unknown:
            listed = ", ".join(have[:30]) + (f", … ({len(have)} in all)" if len(have) > 30 else "")
            raise DataError(f"no ministry or cluster named {contract.printable(unknown[0])!r}; the data has: {listed}")

    def require_years(self, *years: int) -> None:
        """Refuse a year the data does not hold, naming the ones it does."""
        have = self.years()
        unknown = [y for y in years if y not in have]
        if unknown:
            holds = f"the data holds {', '.join(map(str, have))}" if have else "there is no data your access covers"
            raise DataError(f"no data for fiscal year {', '.join(map(str, unknown))} (B.E.); {holds}")
