"""`pmqa validate`: a folder of Parquet exports, or a store's version, checked against the data
contract. The columns and their types are checked file by file (contract.py), the row rules in one
query over every readable file at once (queries/validation/), so a duplicate key is found across
files too. The rows are read through the view raw_scores, which the build reads as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dashboard.data import contract, delta, scheme, sql
from dashboard.data.contract import Problem
from dashboard.errors import DataError

MAX_PROBLEMS = 200
RULES = "validation/contract_problems"


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


def register_files(con: duckdb.DuckDBPyConnection, files: list[Path]) -> None:
    """A folder's Parquet files as the view raw_scores."""
    # The Python relation API takes the file list as data, so no path is ever formatted into SQL.
    rel = con.read_parquet([str(f) for f in files], union_by_name=True, filename=True, file_row_number=True)
    rel.project(f"{_contract_columns(rel)}, filename, file_row_number").create_view("raw_scores")


def register_version(con: duckdb.DuckDBPyConnection, table, version: int) -> None:
    """A store's version as the view raw_scores: delta-rs says which files make it up (the log);
    DuckDB scans them, reading fiscal_year from the partition folder (fiscal_year=2565/) as delta-rs
    writes it. Plain files keep projection and filter pushdown, and every cursor of the connection
    sees them."""
    # In path order, so a year's partition (fiscal_year=2565/) is read as one run: the build keeps the
    # criterion rows in the order it reads them (queries/kept/criterion_score.sql).
    files = sorted(str(f) for f in delta.data_files(table))
    rel = con.read_parquet(files, hive_partitioning=True, file_row_number=True)
    columns = _contract_columns(rel)
    rel.project(f"{columns}, 'version {int(version)}' as filename, file_row_number").create_view("raw_scores")


def register_rows(con: duckdb.DuckDBPyConnection, table) -> None:
    """An import's rows (an Arrow table in the contract's columns) as the view raw_scores, row n of
    the table at file_row_number n: checked where they are, with no copy written to check them."""
    import numpy as np
    import pyarrow as pa

    # from the numbers' buffer: pa.array() of anything asks whether it is pandas', importing pandas
    numbers = np.arange(table.num_rows, dtype=np.int64)
    numbered = table.append_column(
        "file_row_number", pa.Array.from_buffers(pa.int64(), len(numbers), [None, pa.py_buffer(numbers)])
    )
    rel = con.from_arrow(numbered)
    rel.project(f"{_contract_columns(rel)}, 'import' as filename, file_row_number").create_view("raw_scores")


def check_rows(table, data_dir: Path) -> Validation:
    """The contract's rules over an import's rows (an Arrow table), as `validate` runs them over a
    folder's files; `data_dir` is only what a problem without a row names."""
    result = Validation(Path(data_dir))
    problems = contract.check_arrow_schema(table.schema, "import")
    result.problems += problems
    result.total_problems += len(problems)
    if not problems:
        _check_rows(result, lambda con: register_rows(con, table))
    return result


def validate(data_dir: Path, version: int | None = None) -> Validation:
    """Check a folder of exports, or a store at a version, against the data contract."""
    data_dir = Path(data_dir).resolve()
    result = Validation(data_dir)
    if delta.is_store(data_dir):
        return _validate_store(result, version)
    if version is not None:
        raise DataError(delta.no_versions_message(data_dir))
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
        _check_rows(result, lambda con: register_files(con, readable))
    return result


def _validate_store(result: Validation, version: int | None) -> Validation:
    table = delta.open_table(result.data_dir, version)
    result.version = table.version()
    result.files = delta.data_files(table)
    result.synthetic = delta.is_synthetic(table)
    import pyarrow as pa

    problems = contract.check_arrow_schema(pa.schema(table.schema().to_arrow()), f"version {result.version}")
    result.problems += problems
    result.total_problems += len(problems)
    _check_scheme(result)
    if not problems:
        _check_rows(result, lambda con: register_version(con, table, result.version))
    return result


def _check_scheme(result: Validation) -> None:
    try:
        scheme.check(result.data_dir)
    except DataError as exc:
        result.add("", str(exc))


def _check_rows(result: Validation, register: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    con = duckdb.connect(config={"memory_limit": sql.BUILD_MEMORY})
    params = {
        "max_problems": MAX_PROBLEMS,
        "max_points": contract.MAX_POINTS,
        "agency_types": list(contract.AGENCY_TYPES),
    }
    try:
        register(con)
        rules = sql.load(RULES)
        rows = sql.rows(con.execute(rules, sql.bind(rules, params)))
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
        detail = "" if r["detail"] is None else str(r["detail"])
        result.problems.append(Problem(shown, r["column_name"] or "", key, message, row, r["problem"], detail))
    if rows:
        result.total_problems += int(rows[0]["total_problems"])
