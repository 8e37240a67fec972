"""The one module that runs SQL.

A Store opens a store version or a folder of Parquet exports. The first time a version is opened it
is checked against the data contract, and queries/staging/build/ writes its aggregates, and
queries/staging/session/ the metric macros, to a DuckDB file in the cache (dashboard/cache.py);
every open reads that file read-only, closed off from the rest of the file system. No row is copied
into memory. Every number the command line, the pages and the notebooks show comes from
`Store.query(name, ...)`, which runs queries/<name>.sql with DuckDB named parameters.

No Streamlit here: the app adds its caching on top (dashboard/ui.py).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dashboard.data import access, cache, contract, scheme, store
from dashboard.data.access import Access
from dashboard.data.contract import Problem
from dashboard.errors import DataError

if TYPE_CHECKING:  # pandas is imported by DuckDB when a DataFrame is asked for: `summary` never pays for it
    import pandas as pd

ROOT = Path(__file__).resolve().parents[2]  # the project folder: queries/ and data/ live there
QUERIES_DIR = ROOT / "queries"
SAMPLE_DIR = ROOT / "data"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
MAX_PROBLEMS = 200
_RULES = QUERIES_DIR / "validation" / "contract_problems.sql"
# What building the kept tables may hold in memory; beyond it DuckDB sorts and groups on disk.
BUILD_MEMORY = "1GB"


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


@functools.cache
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql; names come from code, never from users."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def _bind(sql: str, params: dict) -> dict:
    """Only the parameters the SQL names: DuckDB refuses extra ones, and a missing one is a bug."""
    wanted = set(_PARAM.findall(sql))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: v for k, v in params.items() if k in wanted}


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    sql = load_sql(name)
    return con.execute(sql, _bind(sql, params)).df()


def run_records(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    """The same as `run`, as plain rows (None for NULL): no DataFrame, no pandas."""
    sql = load_sql(name)
    return _rows(con.execute(sql, _bind(sql, params)))


def _rows(result: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


@dataclass
class Validation:
    """What `validate` found in a data folder or a store's version."""

    data_dir: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0
    synthetic: bool = False
    version: int | None = None  # the store's version read; None for a folder of exports

    @property
    def ok(self) -> bool:
        return self.total_problems == 0

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, "", "", message))
        self.total_problems += 1


def _shown(path: Path, data_dir: Path) -> str:
    return str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)


def _contract_columns(rel: duckdb.DuckDBPyRelation) -> str:
    """Only the contract's columns reach the rule and staging SQL: a file's other columns, whatever
    their names, can never change what a check or a metric sees. An optional column no file holds
    reads as empty."""
    present = set(rel.columns)
    optional = [f'"{c}"' if c in present else f'null::varchar as "{c}"' for c in contract.OPTIONAL]
    return ", ".join([f'"{c}"' for c in contract.COLUMNS] + optional)


def _register_files(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    # The Python relation API takes the file list as data, so no path is ever formatted into SQL.
    rel = con.read_parquet([str(f) for f in files], union_by_name=True, filename=True, file_row_number=True)
    rel.project(f"{_contract_columns(rel)}, filename, file_row_number").create_view("raw_scores")


def _register_table(con: duckdb.DuckDBPyConnection, table, version: int) -> None:
    """A store's version: delta-rs says which files make it up (the log); DuckDB scans them, reading
    fiscal_year from the partition folder (fiscal_year=2565/) as delta-rs writes it. Plain files keep
    projection and filter pushdown, and every cursor of the connection sees them."""
    files = [str(f) for f in store.data_files(table)]
    rel = con.read_parquet(files, hive_partitioning=True, file_row_number=True)
    columns = _contract_columns(rel)
    rel.project(f"{columns}, 'version {int(version)}' as filename, file_row_number").create_view("raw_scores")


def validate(data_dir: Path, version: int | None = None) -> Validation:
    """Check a folder of exports, or a store at a version, against the data contract."""
    data_dir = Path(data_dir).resolve()
    result = Validation(data_dir)
    if store.is_store(data_dir):
        return _validate_store(result, version)
    if version is not None:
        raise DataError(store.no_versions_message(data_dir))
    if not data_dir.is_dir():
        what = "a file, not a store or a folder of exports" if data_dir.exists() else "no such folder"
        result.add(str(data_dir), what)
    else:
        result.files = contract.find_parquet_files(data_dir)
        if not result.files:
            result.add(str(data_dir), "no Parquet file in this folder or below it")
    readable, marks = [], []
    for path in result.files:
        problems, synthetic = contract.check_schema(path, _shown(path, data_dir))
        result.problems += problems
        result.total_problems += len(problems)
        marks.append(synthetic)
        if not problems:
            readable.append(path)
    result.synthetic = any(marks)
    _check_scheme(result)
    if readable:
        _check_rows(result, lambda con: _register_files(con, readable))
    return result


def _validate_store(result: Validation, version: int | None) -> Validation:
    table = store.open_table(result.data_dir, version)
    result.version = table.version()
    result.files = store.data_files(table)
    result.synthetic = store.is_synthetic(table)
    import pyarrow as pa

    problems = contract.check_arrow_schema(pa.schema(table.schema().to_arrow()), f"version {result.version}")
    result.problems += problems
    result.total_problems += len(problems)
    _check_scheme(result)
    if not problems:
        _check_rows(result, lambda con: _register_table(con, table, result.version))
    return result


def _check_scheme(result: Validation) -> None:
    try:
        scheme.load(result.data_dir)
    except DataError as exc:
        result.add("", str(exc))


def _check_rows(result: Validation, register) -> None:
    con = duckdb.connect(config={"memory_limit": BUILD_MEMORY})
    try:
        register(con)
        rows = run_records(
            con, "validation/contract_problems", max_problems=MAX_PROBLEMS, max_points=contract.MAX_POINTS
        )
    except duckdb.Error as exc:
        # A file whose footer reads but whose pages do not: say which error, not a traceback.
        result.add("", f"could not read the data: {str(exc).splitlines()[0]}")
        return
    finally:
        con.close()
    for r in rows:
        row = r["file_row_number"]
        key = f"key {contract.printable(r['row_key'])} (row {row + 1})" if row is not None else ""
        message = contract.MESSAGES[r["problem"]].format(detail=r["detail"])
        shown = _shown(Path(r["filename"]), result.data_dir) if r["filename"] else str(result.data_dir)
        result.problems.append(Problem(shown, r["column_name"] or "", key, message, row))
    if rows:
        result.total_problems += int(rows[0]["total_problems"])


def fingerprint(data_dir: Path, version: int | None = None) -> tuple:
    """What the data's aggregates depend on, cheap to take (a stat per file, a store's small log
    files read): the cache key. It starts with the store version asked for (None: the latest)."""
    data_dir = Path(data_dir).resolve()
    if store.is_store(data_dir):
        paths = []
        head = (version, str(data_dir), store.fingerprint(data_dir), log_identity(data_dir, version))
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
    for path in sorted((Path(location) / store.LOG).iterdir()):
        number = path.name.split(".")[0]  # 00000000000000000003.json, ….checkpoint.parquet
        if not number.isdigit() or (version is not None and int(number) > version):
            continue
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        if path.suffix == ".json":
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _staging(part: str) -> list[Path]:
    return sorted((QUERIES_DIR / "staging" / part).glob("*.sql"))


def _run_scripts(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    for path in paths:
        con.execute(path.read_text(encoding="utf-8"))


# Results every session asks for without a filter (the sidebar, Data quality, Trends, the agency
# pickers): computed once when the kept file is built, so a cleared page cache reads a small table
# instead of scanning the aggregates again.
KEPT_RESULTS = (
    "fiscal_years",
    "group_list",
    "agency_list",
    "data_quality_by_year",
    "agency_changes_by_year",
    "criterion_gaps_by_year",
    "pct_stats_by_category_year",
    "overall_stats_by_year",
    "agency_count_by_type_year",
    "category_rank_by_year",
    "criterion_names",
)


def _statement(name: str, filters: Filters | None, params: dict, whole: bool) -> tuple[str, dict]:
    """The SQL and parameters that answer a named query: its kept result when it has one and the
    person may see the whole data (kept results count every agency)."""
    filters = filters or Filters()
    if whole and name in KEPT_RESULTS and not params and filters == Filters():
        return f"select * from kept_{name}", {}
    sql = load_sql(name)
    return sql, _bind(sql, filters.params() | params)


def _limit_to_scope(cursor: duckdb.DuckDBPyConnection, scope) -> None:
    """Shadow the kept tables on this cursor with views of the scope's agencies only: temporary
    objects come first in DuckDB's search path, so no named query or macro can read past them."""
    catalog = cursor.execute("select current_database()").fetchone()[0]
    quoted = '"' + catalog.replace('"', '""') + '"'
    cursor.execute(load_sql("access/scope_agencies").replace("{catalog}", quoted), scope.params())
    cursor.execute(load_sql("access/scoped_views").replace("{catalog}", quoted))


# A DuckDB file is three 4 KiB headers, then its blocks (DuckDB's storage layout).
_HEADERS = 3 * 4096


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
    aggregates, the criterion rows in year and category order, the metric macros).

    Every query runs for a person (`access`), named when the store is opened (the command line names
    the operator, the app nobody) and replaced by `scoped`. A scoped query's cursor sees only the
    scope's agencies (queries/access/), and a role that may not read criterion-level rows is refused
    them here, whoever asks."""

    def __init__(self, data_dir: Path, person: Access, version: int | None = None):
        # The person is required: a caller that forgets it fails at once instead of seeing everything.
        self.access: Access = person
        self.data_dir = Path(data_dir).resolve()
        self.is_store = store.is_store(self.data_dir)
        if version is not None and not self.is_store:
            raise DataError(store.no_versions_message(self.data_dir))
        self._table = store.open_table(self.data_dir, version) if self.is_store else None
        self.version = self._table.version() if self._table else None
        if self.is_store:
            self.files = store.data_files(self._table)
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
        # The key holds the SQL and this file's code too: a change to what a build writes builds anew.
        kept = [QUERIES_DIR / f"{name}.sql" for name in KEPT_RESULTS]
        code = [*_staging("build"), *_staging("session"), *kept, _RULES, Path(__file__)]
        self._con, self.synthetic = self._kept(cache.path_for(self.fingerprint, code))
        self._lock = threading.Lock()

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
            raise DataError(f"the cache file {built} cannot be read ({store._first_line(exc)})") from None

    def _build(self, target: Path) -> None:
        """Validate once, then keep the aggregates in a new cache file, put into place whole."""
        report = validate(self.data_dir, self.version)
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
        con = duckdb.connect(str(path), config={"memory_limit": BUILD_MEMORY})
        try:
            self._register(con)
            _run_scripts(con, _staging("build") + _staging("session"))
            con.register("scheme_levels_df", scheme.load(self.data_dir).levels)
            con.execute("create table scheme_levels as select * from scheme_levels_df")
            con.execute("create table source_meta as select $synthetic as synthetic", {"synthetic": synthetic})
            for name in KEPT_RESULTS:
                sql = load_sql(name)
                con.execute(f"create table kept_{name} as {sql}", _bind(sql, Filters().params()))
            # The build's own views read the data's files: the kept file holds no path of them.
            con.execute("drop view scores")
            con.execute("drop view raw_scores")
            con.execute("checkpoint")  # a checkpoint that fails when closing is silent: fail here instead
        finally:
            con.close()

    def _register(self, con: duckdb.DuckDBPyConnection) -> None:
        if self._table is not None:
            _register_table(con, self._table, self.version)
        else:
            _register_files(con, self.files)

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
            if not (whole or self.access.scope.everything):
                _limit_to_scope(cursor, self.access.scope)
            yield cursor
        finally:
            cursor.close()

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
        self.access.require_query(name)
        if name in access.PEER_QUERIES:
            params = params | access.peer_params(self.access)
        whole = self._sees_all(name, params)
        sql, bound = _statement(name, filters, params, whole=self.access.scope.everything)
        return sql, bound, whole

    def query(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with the shared filters and any named parameters."""
        sql, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            return cursor.execute(sql, bound).df()

    def records(self, name: str, filters: Filters | None = None, **params) -> list[dict]:
        """The same as `query`, as plain rows: for callers that need no DataFrame (and no pandas)."""
        sql, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            return _rows(cursor.execute(sql, bound))

    def window(self, name: str, rows: int, filters: Filters | None = None, **params) -> tuple[pd.DataFrame, int, int]:
        """The first `rows` rows of a named query, with how many rows and agencies it has in all: what
        a page shows of a table that can be large. Costs the same at any size of result."""
        sql, bound, whole = self._statement(name, filters, params)
        with self._cursor(whole) as cursor:
            head = cursor.execute(f"select * from ({sql}) limit {int(rows)}", bound).df()
            count = f"select count(*), count(distinct agency_code) from ({sql})"
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
