"""CSV imports read by DuckDB: the file's rows staged as text in one table, parsed and checked in SQL.
An XLSX's sheet is staged the same way from calamine's reading of it (staged_xlsx.py, which says
when an XLSX goes the Python way); from the staged table on, both are read alike.

importer.py reads a CSV row by row in Python (csv → cells → records → a table), which costs about 30 µs
a row: 10 s for one year of the whole country. Here DuckDB's `read_csv` stages the rows as text with
their numbers; the header is still mapped in Python (importer._columns: one row), the cells are parsed
in SQL (queries/import/number_cells.sql, long_rows.sql; a wide sheet's row once per criterion-code
column) and the contract's rules run in SQL as for every import (importer._check_contract: validate's
query over a Parquet copy; run in the staging connection, DuckDB 2.0 never finished it at 1.26 M
rows). What SQL cannot read alike (a thousands comma, a word where a number should be) is read by
importer.parse_number once per distinct text, and a row SQL finds a problem in is read again by
importer._long, so every value and message is the Python reader's own.

A file goes the Python way (`read` answers None) wherever DuckDB's reading of the text could differ
from Python's csv module's, so the answer never depends on which way was taken:
- an empty line (DuckDB skips it, so the rows after it would be numbered one short), a lone carriage
  return, a quote next to a space or tab (DuckDB trims around a quoted field), a dialect other than
  double quotes doubled (the sniffer's choice), a field longer than csv's field limit;
- a file DuckDB does not read (a line break inside quotes, a row longer than those it sniffed);
- a file that might pass a limit (rows, cells, characters, columns): the Python reader refuses it at
  the row where it does, and here the counts are only bounded (line breaks and delimiters), not
  counted row by row;
- a wide sheet with a problem in a row or in its row of maxima: importer._wide says it column by
  column, in an order (a problem leaves out the row's later columns) SQL does not repeat.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import os
import tempfile
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dashboard.data import contract, delta, importer, scheme, sql, staged_xlsx
from dashboard.data.importer import ImportProblem, Where

if TYPE_CHECKING:
    import pyarrow as pa

# Text DuckDB reads otherwise than Python's csv: an empty line (skipped), a quote with a space or tab
# beside it (trimmed around a quoted field); a lone carriage return is looked for apart.
_DIFFERS = ("\n\n", "\n\r\n", ' "', '" ', '\t"', '"\t')
_DIFFERS_UNDOUBLED = (*_DIFFERS, '""')
_RAW = {  # the staged cells' names in the SQL, by contract column
    "fiscal_year": "year_raw",
    "agency_code": "code_raw",
    "agency_name_th": "name_th_raw",
    "agency_name_en": "name_en_raw",
    "agency_type": "type_raw",
    "agency_group_th": "group_th_raw",
    "agency_group_en": "group_en_raw",
    "category": "category_raw",
    "criterion": "criterion_raw",
    "score": "score_raw",
    "max_score": "max_raw",
}


@functools.cache
def _schema() -> pa.Schema:
    """The contract's columns as the Python reader types them. pyarrow is imported here, after an
    XLSX's cells are staged: calamine's grid and pyarrow are then never held at once (40 MB)."""
    import pyarrow as pa

    types = {"integer": pa.int32(), "number": pa.float64(), "text": pa.string()}
    return pa.schema([(c, types[k]) for c, k in contract.COLUMNS.items()])


class _Maxima(list):
    """The scheme's maxima as importer._maxima_lookup reads them (a DataFrame's rows), without pandas."""

    def itertuples(self):
        return iter(self)


_Maximum = namedtuple("_Maximum", "scheme_year criterion max_score")


class _Python(Exception):
    """This file is read the Python way (see the module's docstring)."""


@dataclass
class _Staged:
    """One file's rows in DuckDB and what the Python way would say of its header."""

    shown: str
    sheet: importer.Sheet  # its header only
    cols: dict[str, int]
    rows: bool  # whether there are data rows under the header
    names: list[str]  # the staged table's columns, in the file's order
    filled: str  # its rows with a cell that is not blank, numbered
    codes: dict[str, int]  # the wide layout's criterion-code columns, by code
    notices: list[str] = field(default_factory=list)  # an XLSX's hidden sheets, left out


def read(paths, data_dir: Path, year: int | None, sheet: str | None, shown, result) -> tuple | None:
    """Every file's rows as one table, with where each came from (as importer._read_all), or None
    where a file is to be read the Python way; `result` is changed only when the answer is not None."""
    names = [shown[i] if shown else Path(p).name for i, p in enumerate(paths)]
    suffixes = {Path(p).suffix.lower() for p in paths}
    if not suffixes <= {".csv", ".xlsx"} or (sheet is not None and ".csv" in suffixes):
        return None
    # first, as the Python way: a broken scheme stops every import
    criteria = _Maxima(_Maximum(*m) for m in scheme.maxima(data_dir))
    con = duckdb.connect(config={"memory_limit": sql.BUILD_MEMORY})
    con.execute(sql.load("import/py_strip"))
    # DuckDB 2.0's late materialization fails (an internal error) on a rowid-ordered top row of a filtered
    # table, which is how the header is found
    con.execute("set disabled_optimizers = 'late_materialization'")
    try:
        with tempfile.TemporaryDirectory(prefix="pmqa-import-") as scratch:
            staged = [_stage(con, Path(p), names[i], i, Path(scratch), sheet) for i, p in enumerate(paths)]
            return _parse(con, staged, criteria, year, names, paths, result)
    except (_Python, duckdb.Error):  # whatever DuckDB cannot do here, the Python reader does
        return None
    finally:
        con.close()


def _stage(con, path: Path, shown: str, index: int, scratch: Path, sheet: str | None) -> _Staged:
    """The file's rows as the table staged_<index>, every cell as text, row n of the file at rowid n-1."""
    if not path.is_file() or path.stat().st_size > importer.limit("MAX_BYTES"):
        raise _Python  # refused there, in its words
    if path.suffix.lower() == ".xlsx":
        return _stage_xlsx(con, path, shown, index, sheet)
    # A file that starts as UTF-8 is read by DuckDB while Python checks it whole (its encoding, then
    # _scan): DuckDB waits for no lock of Python's, and the two took half of a national import one
    # after the other. What DuckDB read is kept only where the checks end as the guess began.
    guess = _utf8_start(path)
    with _a_core_for_python(con, guess is not None), ThreadPoolExecutor(1) as pool:
        early = pool.submit(_staged_or_python, con, path, index, guess[1]) if guess else None
        encoding = importer._encoding(path, shown)
        dialect = importer.sniff_dialect(path, encoding)
        if dialect.quotechar != '"' or dialect.escapechar or dialect.skipinitialspace:
            raise _Python
        text = path if encoding in ("utf-8", "utf-8-sig") else scratch / f"{index}.csv"
        # The sniffer says a quote is doubled only where its sample holds one; where it says not, Python's
        # csv reads "" inside a quoted field differently from DuckDB, so a file with "" is read that way.
        differs = _DIFFERS if dialect.doublequote else _DIFFERS_UNDOUBLED
        _scan(path, encoding, dialect.delimiter, None if text == path else text, differs)
        names = early.result() if early else None
    if guess is None or encoding != guess[0]:
        con.execute(f"drop table if exists staged_{index}")
        names = _staged_or_python(con, text, index, dialect)
    if isinstance(names, _Python):
        raise names
    return _header(con, index, shown, names)


@contextlib.contextmanager
def _a_core_for_python(con, sharing: bool):
    """DuckDB one thread short while Python checks the file beside its read: with all of DuckDB's
    threads, three contended for two cores, and staging 336,000 rows took 0.33 s against 0.29 s."""
    if sharing:
        (threads,) = con.execute("select current_setting('threads')").fetchone()
        con.execute(f"set threads = {max(1, int(threads) - 1)}")
    try:
        yield
    finally:
        if sharing:
            con.execute("reset threads")


def _utf8_start(path: Path) -> tuple[str, type[csv.Dialect] | csv.Dialect] | None:
    """The encoding (UTF-8, with or without its byte-order mark) and dialect the file's start reads
    as, or None where it starts otherwise (another byte-order mark, bytes that are not UTF-8)."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif any(head.startswith(bom) for bom, _ in importer._BOMS):
        return None
    else:
        encoding = "utf-8"
    try:
        return encoding, importer.sniff_dialect(path, encoding)
    except UnicodeDecodeError:
        return None


def _staged_or_python(con, text: Path, index: int, dialect) -> list[str] | _Python:
    """The CSV's rows as the table staged_<index> (its columns' names), or _Python where DuckDB does
    not read it: returned, not raised, from the thread it may run in."""
    if dialect.quotechar != '"' or dialect.escapechar or dialect.skipinitialspace:
        return _Python()
    try:
        # Nothing left to DuckDB's sniffer that Python's csv reads otherwise: no comment lines (it took a
        # row starting with # for one and dropped it), no rows skipped (a row's number is its line)
        rel = con.read_csv(
            str(text), header=False, all_varchar=True, sep=dialect.delimiter, quotechar='"', escapechar='"',
            null_padding=True, comment="", skiprows=0,
        )  # fmt: skip
        names = rel.columns
        if len(names) > importer.limit("MAX_COLUMNS"):
            return _Python()
        # whether a row has a cell that is not blank (importer._sheet keeps it), found once
        rel.project(f"*, py_filled(concat({', '.join(names)})) as filled_").create(f"staged_{index}")
    except duckdb.Error:
        return _Python()
    return names


def _stage_xlsx(con, path: Path, shown: str, index: int, sheet: str | None) -> _Staged:
    """The chosen sheet's rows as read by calamine (staged_xlsx), as the table staged_<index>: the
    spreadsheet's row n at rowid n - first_line."""
    table, names = f"staged_{index}", []

    def take(batch: dict) -> None:  # each batch appended in order: a row's rowid is its place
        if not names:
            names.extend(batch)
            columns = ", ".join(f"{n} varchar" for n in names)
            con.execute(f"create table {table} ({columns}, filled_ boolean)")
        con.register("xlsx_batch", batch)
        con.execute(f"insert into {table} select *, py_strip(concat({', '.join(names)})) <> '' from xlsx_batch")
        con.unregister("xlsx_batch")

    try:
        read = staged_xlsx.stage(path, shown, sheet, take)
    except staged_xlsx.Unstaged:
        raise _Python from None
    if not names:
        raise _Python  # no rows: refused there, in its words
    staged = _header(con, index, shown, names, read.name, read.first_line)
    if any(staged.cols.get(c) in read.fractions for c in ("fiscal_year", "category")):
        raise _Python  # the Python way names a number that is not whole without quotes: 2566.5, not '2566.5'
    staged.notices = read.notices
    return staged


def _scan(path: Path, encoding: str, delimiter: str, copy: Path | None, differs: tuple[str, ...]) -> None:
    """One pass over the text: whether DuckDB reads it as Python's csv would, and whether a limit could
    be passed (a row ends at a line break, a cell at a delimiter or line break); a copy in UTF-8 for
    DuckDB when the file is in another encoding. A UTF-8 file is looked at as bytes, never decoded
    again (importer._encoding has): all that is looked for is ASCII, and a character is a byte that
    does not continue one. Decoding it again cost a fifth of a 336,000-row import."""
    if copy is None and delimiter.isascii():
        with contextlib.closing(_blocks(path, "rb", _Bytes.empty)) as blocks:
            found = _looked_over(blocks, _Bytes, delimiter.encode(), [d.encode() for d in differs])
    else:
        with (
            open(copy or os.devnull, "w", encoding="utf-8") as out,
            contextlib.closing(_blocks(path, "r", _Text.empty, encoding, out if copy else None)) as blocks,
        ):
            found = _looked_over(blocks, _Text, delimiter, differs)
    rows, cells, chars = found
    bounds = {"MAX_ROWS": rows + 1, "MAX_CELLS": rows + cells + 1, "MAX_TEXT": chars}
    if any(count > importer.limit(name) for name, count in bounds.items()):
        raise _Python


class _Text:
    empty, newline, cr, crlf = "", "\n", "\r", "\r\n"
    rare = ('"', "\r", "\t")
    length = len


class _Bytes:
    empty, newline, cr, crlf = b"", b"\n", b"\r", b"\r\n"
    rare = (b'"', b"\r", b"\t")

    @staticmethod
    def length(block: bytes) -> int:  # characters: the bytes that do not continue one (UTF-8)
        return len(block.translate(None, _CONTINUING))


_CONTINUING = bytes(range(0x80, 0xC0))


def _holds(seen, text, kind) -> bool:
    """Whether the block holds the text. One with a quote, a carriage return or a tab is looked for
    only where the block has that character at all: a look for one character costs next to nothing,
    for two a pass over the block, and most files have no quote, no tab and no lone carriage return."""
    return all(c in seen for c in kind.rare if c in text) and text in seen


def _blocks(path: Path, mode: str, empty, encoding: str | None = None, out=None):
    """The file's blocks, each written to `out` too when there is one."""
    with open(path, mode, encoding=encoding, newline=None if "b" in mode else "") as f:
        for block in iter(lambda: f.read(1 << 20), empty):
            if out:
                out.write(block)
            yield block


def _looked_over(blocks, kind, delimiter, differs) -> tuple[int, int, int]:
    """Rows, cells and characters of the blocks (text, or a UTF-8 file's bytes); _Python where DuckDB
    could read them otherwise than Python's csv."""
    rows = cells = chars = 0
    tail = kind.newline  # the file's start is a line's
    for block in blocks:
        seen = tail + block
        crs = seen.count(kind.cr)
        lone_cr = crs and crs != seen.count(kind.crlf) + seen.endswith(kind.cr)
        if lone_cr or any(_holds(seen, text, kind) for text in differs):
            raise _Python
        tail = seen[-2:]
        rows += block.count(kind.newline)
        cells += block.count(delimiter)
        chars += kind.length(block)
    return rows, cells, chars


def _one(con, query: str, params: dict | None = None) -> tuple | None:
    """A query's first row, its result read whole: one left half read keeps the connection busy, and
    the next file's read_csv then fails ("unfinished result"), which sent every import of two or more
    files the Python way."""
    rows = con.execute(query, params).fetchall()
    return rows[0] if rows else None


def _header(con, index: int, shown: str, names: list[str], name: str | None = None, top: int = 1) -> _Staged:
    """The first row with a cell that is not blank is the header (importer._sheet); the table's first
    row is the file's row `top`, and `name` its sheet's."""
    table = f"staged_{index}"
    longest = " , ".join(f"max(length({n}))" for n in names)
    if max((n or 0) for n in _one(con, f"select {longest} from {table}")) > csv.field_size_limit():
        raise _Python
    # what importer._sheet keeps
    rows = f"(select rowid + {int(top)} as line, {', '.join(names)} from {table} where filled_)"
    # The header is near the top: looked for there first, so the file is not scanned for it.
    first = _one(con, f"select * from {rows} where line <= 1000 order by line limit 1")
    first = first or _one(con, f"select * from {rows} order by line limit 1")
    if first is None:
        raise _Python  # the file is empty: refused by the Python reader, in its words
    line, *cells = first
    header = [c.strip() if c is not None else "" for c in cells]
    sheet = importer.Sheet(shown, name, header, [], [], line)
    cols, codes = importer._columns(sheet, [])  # its problems are said by importer._parse_sheet
    below = _one(con, f"select exists (select 1 from {rows} where line > $line)", {"line": line})[0]
    return _Staged(shown, sheet, cols, below, names, rows, codes if "criterion" not in cols else {})


# --- the rows, parsed and checked -------------------------------------------------------------


def _parse(con, staged: list[_Staged], criteria, year, names, paths, result) -> tuple:
    """importer._parse_sheet for every staged file: its header's problems, its rows' (in the file's
    order) and its whole-file ones, then the rows that read as one table."""
    read = [i for i, s in enumerate(staged) if s.rows and ("criterion" in s.cols or s.codes)]
    found: dict[int, list[ImportProblem]] = {}
    table = None
    if read:
        _cells(con, staged, read)
        _numbers(con)
        if _maxima_unread(con, [i for i in read if staged[i].codes]):
            raise _Python  # a wide sheet's row of maxima with a problem: the Python reader says which
        _agency_types(con)
        _scheme_max(con, criteria, all("max_score" in staged[i].cols for i in read))
        text = sql.load("import/long_rows")
        con.execute(f"create temp table read_rows as {text}", sql.bind(text, {"year": year}))
        bad = sql.rows(
            con.execute(
                "select c.* from cells as c join read_rows as r using (file_index, line, sub) "
                "where not r.ok order by file_index, line, sub"
            )
        )
        if any(staged[r["file_index"]].codes for r in bad):
            raise _Python  # a wide row with a problem: the Python reader says what, column by column
        maxima = importer._maxima_lookup(criteria)
        for i in (i for i in read if not staged[i].codes):  # a wide sheet's rows have none (above)
            found[i] = _row_problems([r for r in bad if r["file_index"] == i], staged[i], year, maxima)
        table = _table(con)
    for i, s in enumerate(staged):
        result.notices += s.notices
        result.problems += _file_problems(s, year, found.get(i, []))
        result.sources.append(delta.Source.of(paths[i], names[i]))
    if table is None or table.num_rows == 0:
        return None, [], []
    files, lines, subs = table["file_index"], table["line"], table["sub"]  # read for a row with a problem only

    def origin(k: int) -> Where:
        s = staged[files[k].as_py()]
        return Where(s.shown, s.sheet.name, lines[k].as_py(), s.sheet.header[subs[k].as_py()] if s.codes else None)

    def named(k: int) -> dict[str, str]:
        s = staged[files[k].as_py()]
        columns = {c: s.sheet.header[i] for c, i in s.cols.items()}
        return columns | {"score": s.sheet.header[subs[k].as_py()]} if s.codes else columns

    origins, headers = _ByRow(origin), _ByRow(named)
    rows = table.select(list(contract.COLUMNS))  # as the Python reader types them; a cast loads pyarrow.compute (50 ms)
    return (rows if rows.schema.equals(_schema()) else rows.cast(_schema())), origins, headers


def _contract_columns() -> str:
    return ", ".join(f"cast({c} as integer) as {c}" if k == "integer" else c for c, k in contract.COLUMNS.items())


class _ByRow:
    """What importer._check_contract asks of a row by its index, worked out only for the rows with a
    problem: no list of every row's origin is held."""

    def __init__(self, of):
        self.of = of

    def __getitem__(self, k: int):
        return self.of(k)


def _file_problems(s: _Staged, year, rows: list[ImportProblem]) -> list[ImportProblem]:
    """importer._parse_sheet's problems, in its order: the sheet's own, and the rows' where it reads them."""
    problems: list[ImportProblem] = []
    sheet = importer.Sheet(s.shown, s.sheet.name, s.sheet.header, [[]] if s.rows else [], [], s.sheet.header_row)
    importer._parse_sheet(sheet, year, None, None, problems, lambda *_: problems.extend(rows), lambda *_: None)
    return problems


def _cells(con, staged: list[_Staged], read: list[int]) -> None:
    """The view `cells`: each file's data rows, its cells named as the SQL reads them; a wide sheet's
    row once per criterion-code column (sub), under the row of maxima if it has one."""
    selects = []
    for i in read:
        s = staged[i]
        picked = {"file_index": str(i), "line": "line", "sub": "0"}
        picked |= {raw: s.names[s.cols[c]] if c in s.cols else "null::varchar" for c, raw in _RAW.items()}
        rows = f"{s.filled} where line > {int(s.sheet.header_row)}"
        if s.codes:
            maxima_line = _wide_codes(con, s, i)
            picked |= {"sub": "sub", "category_raw": "null::varchar", "criterion_raw": "code", "max_raw": "max_raw"}
            picked["score_raw"] = (
                "case sub " + " ".join(f"when {c} then {s.names[c]}" for c in s.codes.values()) + " end"
            )
            picked["criterion_category_raw"] = "split_part(code, '.', 1)"
            rows = f"{s.filled} cross join codes_{i} where line > {int(maxima_line or s.sheet.header_row)}"
            has_max = maxima_line is not None
        else:
            criterion = s.names[s.cols["criterion"]]
            split = f"split_part(nullif(py_strip({criterion}), ''), '.', 1)"
            picked["criterion_category_raw"] = "null::varchar" if "category" in s.cols else split
            has_max = "max_score" in s.cols
        picked |= {"has_year": str("fiscal_year" in s.cols), "has_max": str(has_max)}
        selects.append("select " + ", ".join(f"{e} as {name}" for name, e in picked.items()) + f" from {rows}")
    con.execute(f"create temp view cells as {' union all '.join(selects)}")  # read twice, never held


def _wide_codes(con, s: _Staged, i: int) -> int | None:
    """The table codes_<i>: a wide sheet's criterion-code columns (sub, code) and the row of maxima's cell
    under each (max_raw); the row of maxima's line. That row is the first under the header, when its
    agency code is blank (importer._wide)."""
    line, *cells = _one(
        con, f"select * from {s.filled} where line > $line order by line limit 1", {"line": s.sheet.header_row}
    )
    at = s.cols.get("agency_code")
    maxima = at is None or importer._text(cells[at]) is None
    columns = list(s.codes.values())
    raws = [cells[c] if maxima else None for c in columns]
    _table_of(con, f"codes_{i}", sub=("integer", columns), code=("varchar", list(s.codes)), max_raw=("varchar", raws))
    return line if maxima else None


def _maxima_unread(con, wide: list[int]) -> bool:
    """Whether a wide sheet's row of maxima has a cell that is not a number above zero."""
    return any(
        _one(
            con,
            f"select count(*) from codes_{i} as k left join numbers as n on n.kind = 'number' and n.raw = k.max_raw "
            "where k.max_raw is null or n.failed or n.value is null or n.value <= 0",
        )[0]
        for i in wide
        if _one(con, f"select count(max_raw) from codes_{i}")[0]
    )


def _numbers(con) -> None:
    """The table `numbers`: each distinct number cell's value, read in SQL where it is plain, by
    importer.parse_number otherwise, and whether it reads."""
    text = sql.load("import/number_cells")
    con.execute(f"create temp table number_cells as {text}", sql.bind(text, {"max_points": contract.MAX_POINTS}))
    odd = con.execute("select kind, raw from number_cells where not plain").fetchall()
    kinds, raws, values, failed = [], [], [], []
    for kind, raw in odd:
        parse = importer.parse_integer if kind == "integer" else importer.parse_number
        try:
            value, bad = parse(raw), False
        except importer.Unreadable:
            value, bad = None, True
        kinds.append(kind), raws.append(raw), values.append(value), failed.append(bad)
    odd_numbers = {"kind": ("varchar", kinds), "raw": ("varchar", raws), "value": ("double", values)}
    _table_of(con, "odd_numbers", **odd_numbers, failed=("boolean", failed))
    con.execute(
        "create temp table numbers as select kind, raw, value, false as failed from number_cells where plain "
        "union all select kind, raw, value, failed from odd_numbers"
    )


def _table_of(con, name: str, **columns: tuple[str, list]) -> None:
    """A temporary table of Python lists, given to DuckDB as list parameters: registering an Arrow table
    makes DuckDB import pandas, which takes longer than staging a CSV of a year's rows."""
    picked = ", ".join(f"unnest(${c}::{kind}[]) as {c}" for c, (kind, _) in columns.items())
    con.execute(f"create temp table {name} as select {picked}", {c: values for c, (_, values) in columns.items()})


def _agency_types(con) -> None:
    """Each distinct agency type as importer._agency_type reads it (a Thai name or alias)."""
    raws = [r for (r,) in con.execute("select distinct type_raw from cells where type_raw is not null").fetchall()]
    _table_of(con, "agency_types", raw=("varchar", raws), value=("varchar", [importer._agency_type(r) for r in raws]))


def _scheme_max(con, criteria, unused: bool) -> None:
    """The scheme's maxima by year, for files without a max_score column."""
    rows = [] if unused else criteria
    _table_of(
        con,
        "scheme_max",
        scheme_year=("integer", [r.scheme_year for r in rows]),
        criterion=("varchar", [r.criterion for r in rows]),
        max_score=("double", [r.max_score for r in rows]),
    )


def _row_problems(rows: list[dict], s: _Staged, year, maxima) -> list[ImportProblem]:
    """The rows SQL found a problem in, read again by importer._long, which says what each is in its
    own words and order. Should it find none in a row, SQL and Python read the file otherwise: the
    whole import goes the Python way."""
    width = max(s.cols.values()) + 1
    sheet = importer.Sheet(s.shown, s.sheet.name, s.sheet.header, [], [], s.sheet.header_row)
    for row in rows:
        cells = [None] * width
        for column, at in s.cols.items():
            cells[at] = row[_RAW[column]]
        sheet.rows.append(cells)
        sheet.row_numbers.append(row["line"])
    problems: list[ImportProblem] = []
    out = importer._Rows()
    importer._long(sheet, s.cols, year, maxima, out, problems)
    if len(out.unparsed) != len(rows):
        raise _Python
    return problems


def _table(con) -> pa.Table:
    """The rows that read, in the files' order, with where each came from."""
    columns = _contract_columns()
    return con.sql(
        f"select {columns}, file_index, line, sub from read_rows where ok order by file_index, line, sub"
    ).to_arrow_table()
