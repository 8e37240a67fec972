"""The one module that runs SQL.

A Store opens a data folder: it checks the folder against the data contract, loads the Parquet
rows into an in-memory DuckDB table through the staging SQL (queries/staging/), then closes DuckDB
off from the file system. Every number the command line, the pages and the notebooks show comes
from `Store.query(name, ...)`, which runs queries/<name>.sql with DuckDB named parameters.

No Streamlit here: the app adds its caching on top (dashboard/ui.py).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import contract, scheme, store
from dashboard.contract import Problem
from dashboard.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
SAMPLE_DIR = ROOT / "data"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
MAX_PROBLEMS = 200


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


# Only the contract's columns reach the rule and staging SQL: a file's other columns, whatever their
# names, can never change what a check or a metric sees.
_CONTRACT_COLUMNS = ", ".join(f'"{c}"' for c in contract.COLUMNS)


def _register_files(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    # The Python relation API takes the file list as data, so no path is ever formatted into SQL.
    rel = con.read_parquet([str(f) for f in files], union_by_name=True, filename=True, file_row_number=True)
    rel.project(f"{_CONTRACT_COLUMNS}, filename, file_row_number").create_view("raw_scores")


def _register_table(con: duckdb.DuckDBPyConnection, table, version: int) -> None:
    """A store's version: delta-rs resolves which files make it up; DuckDB reads them as Arrow."""
    con.register("store_rows", table.to_pyarrow_dataset())
    con.execute(
        f"create view raw_scores as select {_CONTRACT_COLUMNS}, 'version {int(version)}' as filename, "
        "row_number() over () - 1 as file_row_number from store_rows"
    )


def validate(data_dir: Path, version: int | None = None) -> Validation:
    """Check a folder of exports, or a store at a version, against the data contract."""
    data_dir = Path(data_dir).resolve()
    result = Validation(data_dir)
    if store.is_store(data_dir):
        return _validate_store(result, version)
    if version is not None:
        raise DataError(f"{data_dir} is a folder of exports, not a store: it has no versions (--version)")
    if not data_dir.is_dir():
        result.add(str(data_dir), "no such folder")
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
    result.files = [Path(u) for u in table.file_uris()]
    result.synthetic = store.is_synthetic(table)
    schema = table.schema().to_arrow()
    problems = contract.check_arrow_schema(pa.schema(schema), f"version {result.version}")
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
    con = duckdb.connect()
    try:
        register(con)
        rows = run(con, "validation/contract_problems", max_problems=MAX_PROBLEMS, max_points=contract.MAX_POINTS)
    except duckdb.Error as exc:
        # A file whose footer reads but whose pages do not: say which error, not a traceback.
        result.add("", f"could not read the data: {str(exc).splitlines()[0]}")
        return
    finally:
        con.close()
    for r in rows.itertuples():
        row = None if pd.isna(r.file_row_number) else int(r.file_row_number)
        key = f"key {contract.printable(r.row_key)} (row {row + 1})" if row is not None else ""
        message = contract.MESSAGES[r.problem].format(detail=r.detail)
        shown = _shown(Path(r.filename), result.data_dir) if isinstance(r.filename, str) else str(result.data_dir)
        result.problems.append(Problem(shown, r.column_name or "", key, message, row))
    if len(rows):
        result.total_problems += int(rows["total_problems"].iloc[0])


def fingerprint(data_dir: Path, version: int | None = None) -> tuple:
    """Changes whenever a data file, a store's log or the scheme is added, removed or rewritten: the cache key.
    It starts with the store version asked for (None: the latest), so a cache can open what it names."""
    data_dir = Path(data_dir).resolve()
    if store.is_store(data_dir):
        paths = []
        head = (version, store.fingerprint(data_dir))
    else:
        paths = contract.find_parquet_files(data_dir) if data_dir.is_dir() else []
        head = (version,)
    paths.append(scheme.scheme_path(data_dir))
    return head + tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p.exists())


class Store:
    """A validated data folder loaded into DuckDB, answering named queries."""

    def __init__(self, data_dir: Path, version: int | None = None):
        report = validate(data_dir, version)
        if not report.ok:
            shown = "\n".join(f"  {p}" for p in report.problems[:10])
            more = report.total_problems - min(10, len(report.problems))
            tail = f"\n  … and {more} more" if more > 0 else ""
            raise DataError(
                f"{report.data_dir} does not meet the data contract "
                f"(run `python -m dashboard validate {report.data_dir}` for every problem):\n{shown}{tail}"
            )
        self.data_dir = report.data_dir
        self.files = report.files
        self.synthetic = report.synthetic
        self.version = report.version
        self.is_store = report.version is not None
        self.scheme = scheme.load(self.data_dir)
        self.fingerprint = fingerprint(self.data_dir, version)
        self._con = self._load()
        self._lock = threading.Lock()

    def _load(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        if self.is_store:
            _register_table(con, store.open_table(self.data_dir, self.version), self.version)
        else:
            _register_files(con, self.files)
        con.register("scheme_levels_df", self.scheme.levels)
        con.execute("create table scheme_levels as select * from scheme_levels_df")
        con.unregister("scheme_levels_df")
        for path in sorted((QUERIES_DIR / "staging").glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))
        con.execute("drop view raw_scores")
        if self.is_store:
            con.unregister("store_rows")
        # Everything is in memory now: no query may touch the file system again.
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        return con

    def query(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with the shared filters and any named parameters."""
        merged = (filters or Filters()).params() | params
        with self._lock:
            cursor = self._con.cursor()
        try:
            return run(cursor, name, **merged)
        finally:
            cursor.close()

    def years(self) -> list[int]:
        return [int(y) for y in self.query("fiscal_years")["fiscal_year"]]

    def require_years(self, *years: int) -> None:
        """Refuse a year the data does not hold, naming the ones it does."""
        have = self.years()
        unknown = [y for y in years if y not in have]
        if unknown:
            raise DataError(
                f"no data for fiscal year {', '.join(map(str, unknown))} (B.E.); "
                f"the data holds {', '.join(map(str, have))}"
            )
