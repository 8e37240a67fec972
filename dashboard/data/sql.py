"""The SQL in queries/ as the code reads it, laid out as dbt projects are:

    queries/<name>.sql   a named query, run by name (`db.Store.query`); one with a line `-- kept:`
                         is computed once by the build, as the table kept_<name>
    queries/staging/     the criterion rows as the build reads them: the view `scores`
    queries/kept/        the tables kept once per data version: one select per file, named after
                         its table
    queries/macros/      the metric macros: one per file, named after its macro
    queries/validation/  the contract's row rules (dashboard/data/validation.py)
    queries/access/      a scope's views of the kept tables
    queries/import/      an imported CSV's rows, staged by DuckDB, parsed and checked (staged_import.py)

The kept tables and the macros are made in the order their files name each other, so a new file is
added to the build by being there: no list in Python names them.
"""

from __future__ import annotations

import functools
import graphlib
import re
from pathlib import Path

import duckdb

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"
# What a connection that reads the data's files may hold in memory; beyond it DuckDB sorts and
# groups on disk. 300 MB halved the first open's peak at 8,000 agencies × 10 years (980 → 495 MB) in
# about the same time, but while it was set a staged import's check of 1.26 M rows never finished
# (DuckDB 2.0, every worker idle; whether the limit caused it is not established, and duckdb#24961
# is such a hang at the limit): kept at 1 GB, tested up to 30,000 agencies, until a lower limit is
# tested at every scale.
BUILD_MEMORY = "1GB"
# What the build of a version's kept file may hold (db.Store, its first open): measured on 2 cores,
# against 1 GB, at 8,000 agencies × 10 years 4.6 -> 5.0 s and a process peak of 1,045 -> 556 MB; at
# 30,000 × 10, 20.4 -> 25.0 s and 1,507 -> 562 MB, no hang. Validation and import keep BUILD_MEMORY;
# the contract check no longer needs it at 30,000 × 10 (185 MB, from 745 MB, since keys given twice
# are found by bits), and the first open there takes 9.0 s and 448 MB, the build's (10.6 s and
# 747 MB before, the check's). A file of millions of distinct criteria still takes the check to it.
KEEP_MEMORY = "300MB"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_COMMENT = re.compile(r"--[^\n]*")
# A marker line rather than a folder of its own: a kept result is still a named query, called by
# its name, and the reason it is kept sits next to its SQL.
_KEPT_MARK = re.compile(r"^-- kept:", re.MULTILINE)


@functools.cache
def load(name: str) -> str:
    """The text of queries/<name>.sql; names come from code, never from users."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def bind(sql: str, params: dict) -> dict:
    """Only the parameters the SQL names: DuckDB refuses extra ones, and a missing one is a bug."""
    wanted = set(_PARAM.findall(sql))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: v for k, v in params.items() if k in wanted}


def rows(result: duckdb.DuckDBPyConnection) -> list[dict]:
    """A result as plain rows (None for NULL): no DataFrame, no pandas."""
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def staging() -> list[Path]:
    return sorted((QUERIES_DIR / "staging").glob("*.sql"))


@functools.cache
def kept_tables() -> tuple[Path, ...]:
    return in_dependency_order(sorted((QUERIES_DIR / "kept").glob("*.sql")))


@functools.cache
def macros() -> tuple[Path, ...]:
    return in_dependency_order(sorted((QUERIES_DIR / "macros").glob("*.sql")))


@functools.cache
def build_order() -> tuple[Path, ...]:
    """The kept tables and the macros together, each after the files it names: a macro reads kept
    tables, and a kept table may use a metric macro (a percentage is written once, in score_pct)."""
    return in_dependency_order([*kept_tables(), *macros()])


@functools.cache
def kept_results() -> tuple[str, ...]:
    """The named queries marked `-- kept:` in their file: results every session asks for without a
    filter (the sidebar, Data quality, Trends, the agency pickers), computed once when the kept file
    is built, so a cleared page cache reads a small table instead of scanning the aggregates again."""
    named = sorted(QUERIES_DIR.glob("*.sql"))
    return tuple(p.stem for p in named if _KEPT_MARK.search(p.read_text(encoding="utf-8")))


def in_dependency_order(paths: list[Path]) -> tuple[Path, ...]:
    """The files, each after the others it names outside its comments: DuckDB checks a table's or a
    macro's body when it is made, so what it reads must exist by then."""
    by_name = {p.stem: p for p in paths}
    order = graphlib.TopologicalSorter()
    for name, path in by_name.items():
        words = set(_WORD.findall(_COMMENT.sub("", path.read_text(encoding="utf-8"))))
        order.add(name, *sorted(words & by_name.keys() - {name}))
    return tuple(by_name[name] for name in order.static_order())
