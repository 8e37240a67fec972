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

from dashboard import contract, scheme
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
    """What `validate` found in a data folder."""

    data_dir: Path
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0
    synthetic: bool = False

    @property
    def ok(self) -> bool:
        return self.total_problems == 0


def _shown(path: Path, data_dir: Path) -> str:
    return str(path.relative_to(data_dir)) if path.is_relative_to(data_dir) else str(path)


def _register_raw(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    # The Python relation API takes the file list as data, so no path is ever formatted into SQL.
    rel = con.read_parquet([str(f) for f in files], union_by_name=True, filename=True, file_row_number=True)
    rel.create_view("raw_scores")


def validate(data_dir: Path) -> Validation:
    """Check a folder against the data contract: structure file by file, then the row rules."""
    data_dir = Path(data_dir).resolve()
    result = Validation(data_dir)
    if not data_dir.is_dir():
        result.problems.append(Problem(str(data_dir), "", "", "no such folder"))
    else:
        result.files = contract.find_parquet_files(data_dir)
        if not result.files:
            result.problems.append(Problem(str(data_dir), "", "", "no Parquet file in this folder or below it"))
    readable, marks = [], []
    for path in result.files:
        problems, synthetic = contract.check_schema(path, _shown(path, data_dir))
        result.problems += problems
        marks.append(synthetic)
        if not problems:
            readable.append(path)
    result.synthetic = any(marks)
    result.total_problems = len(result.problems)
    if readable:
        _check_rows(result, readable)
    return result


def _check_rows(result: Validation, readable: list[Path]) -> None:
    con = duckdb.connect()
    try:
        _register_raw(con, readable)
        rows = run(con, "validation/contract_problems", max_problems=MAX_PROBLEMS)
    except duckdb.Error as exc:
        # A file whose footer reads but whose pages do not: say which error, not a traceback.
        result.problems.append(Problem("", "", "", f"could not read the data: {str(exc).splitlines()[0]}"))
        result.total_problems += 1
        return
    finally:
        con.close()
    for r in rows.itertuples():
        key = f"key {r.row_key} (row {int(r.file_row_number) + 1})"
        message = contract.MESSAGES[r.problem].format(detail=r.detail)
        shown = _shown(Path(r.filename), result.data_dir)
        result.problems.append(Problem(shown, r.column_name, key, message, int(r.file_row_number)))
    if len(rows):
        result.total_problems += int(rows["total_problems"].iloc[0])


def fingerprint(data_dir: Path) -> tuple:
    """Changes whenever a data file or the scheme is added, removed or rewritten: the cache key."""
    data_dir = Path(data_dir).resolve()
    paths = contract.find_parquet_files(data_dir) if data_dir.is_dir() else []
    paths.append(scheme.scheme_path(data_dir))
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p.exists())


class Store:
    """A validated data folder loaded into DuckDB, answering named queries."""

    def __init__(self, data_dir: Path):
        report = validate(data_dir)
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
        self.scheme = scheme.load(self.data_dir)
        self.fingerprint = fingerprint(self.data_dir)
        self._con = self._load()
        self._lock = threading.Lock()

    def _load(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        _register_raw(con, self.files)
        con.register("scheme_levels_df", self.scheme.levels)
        con.execute("create table scheme_levels as select * from scheme_levels_df")
        con.unregister("scheme_levels_df")
        for path in sorted((QUERIES_DIR / "staging").glob("*.sql")):
            con.execute(path.read_text(encoding="utf-8"))
        con.execute("drop view raw_scores")
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
