"""Writing a result table as CSV, XLSX or Parquet, safe to open in a spreadsheet.

Text that a spreadsheet would run as a formula stays text: XLSX cells are written as strings
(never formulas or links), and in CSV a text cell beginning with = + - @ tab or carriage return
gets a leading apostrophe (OWASP, CSV injection). CSV carries a byte-order mark so Excel reads
Thai as UTF-8. Every file is written beside its target and renamed into place.

DuckDB writes every file, with the escaping in SQL (queries/macros/csv_text.sql, xlsx_*_cell.sql),
and never on the store's own connection: DuckDB keeps what a large file's work took for as long as
an instance lives, and the store's lives as long as an app server, so an export of a named query
runs on a connection of its own over the kept file, closed after (Store.copy_to, Store.relation).
A CSV or Parquet is DuckDB's COPY (`write_copied`); an XLSX gets each row's XML from DuckDB, batch
by batch; a table already in hand (a DataFrame) is written the same ways on a connection of its
own. An export of the national table costs about what DuckDB's own COPY of it does, never a
DataFrame.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import duckdb

from dashboard.data import sql
from dashboard.data.db import Filters
from dashboard.data.files import atomic_write
from dashboard.errors import DataError

FORMATS = (".csv", ".xlsx", ".parquet")
MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".parquet": "application/vnd.apache.parquet",
}
BOM = "\ufeff"
# The writer's threads: a file is written in order, and the machine serves pages meanwhile.
THREADS = 2


def check_target(path: Path, data_dir: Path | None = None) -> str:
    """The format for an output path, or a DataError saying why it cannot be written. An export never
    goes inside the data it was made from: it could overwrite a source file or add one that breaks it."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DataError(f"{path}: unknown format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    if not Path(path).parent.is_dir():
        raise DataError(f"{path}: folder {Path(path).parent} does not exist")
    if data_dir is not None and Path(path).resolve().is_relative_to(Path(data_dir).resolve()):
        raise DataError(f"{path} is inside the data folder {data_dir}; write the export somewhere else")
    return suffix


def describe(filters: Filters, level: str, source: str, synthetic: bool) -> dict[str, str]:
    """What an export holds, for its "about" sheet and its Parquet metadata. `source` names the data
    (its folder's name and store version), never a path on the server."""
    return {
        "source": source,
        "level": level,
        "filters": json.dumps(filters.params(), ensure_ascii=False),
        "synthetic": "yes: synthetic sample data, not real PMQA results" if synthetic else "no",
    }


def _slug(text: str) -> str:
    """A name's letters, digits and marks, other runs as "-": Thai keeps its vowels and tone marks
    (marks, not letters, to Python's \\w, which cut กลุ่มจังหวัด to กล-มจ-งหว-ด)."""
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else " " for ch in str(text))
    return re.sub(r" +", "-", kept).strip("-")[:40]


def file_stem(filters: Filters, level: str, synthetic: bool) -> str:
    """A file name that says what the file holds: pmqa_agency_2564+2565_cat7_province_synthetic."""

    def many(values, label, prefix=""):
        if not values:
            return []
        if len(values) <= 3:
            return [prefix + "+".join(_slug(v) for v in values)]
        return [f"{len(values)}{label}"]

    parts = [
        "pmqa",
        level,
        *many(filters.years, "years"),
        *many(filters.categories, "cats", "cat"),
        *many(filters.agency_types, "types"),
        *many(filters.groups, "groups"),
        *many(filters.agencies, "agencies"),
    ]
    return "_".join(parts + (["synthetic"] if synthetic else []))


def write(rows, path: Path, about: dict[str, str], reading: dict | None = None, progress=None) -> int:
    """Write the rows (a stream of Arrow record batches, as `sections.rows` gives, or a DataFrame) to
    path in the format its extension names, all or nothing; the number of rows written. `reading`
    (`sections.reading`) makes an XLSX read in a person's language: headers, agency types in words,
    each criterion's name, the about sheet. CSV and Parquet keep the codes, for programs. An XLSX
    tells `progress` the rows written so far after each batch (CSV and Parquet take a second)."""
    fmt = check_target(path)
    written = []
    atomic_write(path, lambda tmp: written.append(_write(rows, tmp, fmt, about, reading, progress)))
    return written[0]


def write_copied(copied: Callable, path: Path, about: dict[str, str]) -> int:
    """Write a CSV or Parquet file as DuckDB's COPY of a named query's rows straight from the kept
    file (`copied(select, options, to)`: sections.copied with its door and query, which writes
    `to`), all or nothing; the number of rows written. No row streams from the store's connection
    to another: that stream cost a national Parquet export a third of its time."""
    fmt = check_target(path)
    select, options = _copy_clauses(fmt, about)
    written = []
    atomic_write(path, lambda tmp: written.append(copied(select, options, tmp)))
    return written[0]


def copied_bytes(copied: Callable, fmt: str, about: dict[str, str]) -> bytes:
    """`write_copied`'s file as bytes, for a download."""
    return _as_bytes(fmt, lambda path: write_copied(copied, path, about))


def to_bytes(rows, fmt: str, about: dict[str, str], reading: dict | None = None, progress=None) -> bytes:
    """`write`'s file as bytes, for a download."""
    return _as_bytes(fmt, lambda path: write(rows, path, about, reading, progress))


def _as_bytes(fmt: str, write_to: Callable[[Path], int]) -> bytes:
    """A file written to a folder of its own first, so a large table is never held in memory as a
    table, and read back whole (what the download serves)."""
    with tempfile.TemporaryDirectory(prefix="pmqa-export-") as scratch:
        path = Path(scratch) / f"export{fmt}"
        write_to(path)
        return path.read_bytes()


def _write(rows, target: Path, fmt: str, about: dict[str, str], reading: dict | None = None, progress=None) -> int:
    """DuckDB writes the file from the rows: an XLSX from a relation (sections.rows) on the connection
    it comes with; a DataFrame's rows on a connection of their own (COPY, or an XLSX's cell XML), so
    no row passes through Python but the XLSX cells' text."""
    if isinstance(rows, duckdb.DuckDBPyRelation):
        if fmt != ".xlsx":
            raise ValueError("a named query's CSV or Parquet is its COPY from the kept file: export.write_copied")
        return _write_xlsx(rows, target, about, reading, progress)
    con = duckdb.connect(config={"threads": THREADS})
    try:
        con.execute("set enable_progress_bar = false")  # a command's output is its one line, never a bar
        con.register("export_rows", rows)
        if fmt == ".xlsx":
            from dashboard.outputs import workbook

            workbook.make_cell_macros(con)
            return _write_xlsx(con.table("export_rows"), target, about, reading, progress)
        return _copy(con, target, fmt, about)
    finally:
        con.close()


def _copy(con, target: Path, fmt: str, about: dict[str, str]) -> int:
    con.execute(sql.load("macros/csv_text"))  # in every kept file too: a store's copy has it
    select, options = _copy_clauses(fmt, about)
    relation = con.table("export_rows")
    columns = select(list(zip(relation.columns, map(str, relation.types), strict=True)))
    done = con.execute(f"copy (select {columns} from export_rows) to {_literal(str(target))} ({options})")
    return int(done.fetchone()[0])


def _copy_clauses(fmt: str, about: dict[str, str]) -> tuple[Callable[[list[tuple[str, str]]], str], str]:
    """What a COPY of the rows to CSV or Parquet selects (from the rows' column names and types) and
    its options."""
    if fmt == ".csv":
        # RFC 4180 line ends (cells holding a line break are quoted); the byte-order mark, so Excel
        # reads Thai as UTF-8, leads the header as part of the first name (DuckDB writes no BOM).
        return _csv_columns, "format csv, header, new_line '\r\n'"
    metadata = _literal(json.dumps(about, ensure_ascii=False))
    return lambda _: "*", f'format parquet, kv_metadata {{"pmqa.export": {metadata}}}'


def _csv_columns(columns: list[tuple[str, str]]) -> str:
    """Each text column through csv_text, and the byte-order mark before the first name."""
    picked = []
    for i, (name, kind) in enumerate(columns):
        value = f"csv_text({_quoted(name)})" if kind == "VARCHAR" else _quoted(name)
        picked.append(f"{value} as {_quoted((BOM if i == 0 else '') + name)}")
    return ", ".join(picked)


def _write_xlsx(rows, target: Path, about: dict[str, str], reading: dict | None, progress=None) -> int:
    """The rows (a relation whose connection has the XLSX cell macros: every kept file has them) as
    a streamed sheet, then the about sheet."""
    from dashboard.outputs import workbook  # pandas and xlsxwriter: a CSV or Parquet export never loads them

    labels, pairs, names = None, list(about.items()), ("data", "about")
    if reading is not None:
        rows = _read_as(rows, reading)
        labels = [reading["headers"].get(c, c) for c in rows.columns]
        pairs, names = reading["about"], (reading["sheet"], reading["about_sheet"])
    with tempfile.TemporaryDirectory(prefix="pmqa-xlsx-") as scratch:  # the rows' file, gone however it ends
        book = workbook.new_book(str(target), streamed_in=scratch)
        count = workbook.add_rows(book, names[0], rows, labels, progress)
        workbook.add_pairs(book, names[1], pairs)
        book.close()
    return count


def _read_as(rows, reading: dict):
    """The rows as a person reads them: codes in words (`values`: a column's code -> word) and each
    criterion's name after its code, looked up per row in a small map: a projection, so the rows
    keep their order and still stream."""
    columns = []
    for name in rows.columns:
        words = reading["values"].get(name)
        columns.append(
            f"coalesce({_map(words)}[{_quoted(name)}], {_quoted(name)}) as {_quoted(name)}" if words else _quoted(name)
        )
        if name == "criterion" and reading["names"]:
            columns.append(f"{_map(reading['names'])}[criterion] as criterion_name")
    return rows.project(", ".join(columns))


def _map(pairs: dict[str, str]) -> str:
    return "MAP {" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in pairs.items()) + "}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
