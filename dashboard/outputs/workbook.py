"""Excel sheets a person can read: typed cells, number formats, widths, a frozen header row and an
autofilter, and text that never becomes a formula. Used by `export`, the Explore download and the
XLSX brief.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from dashboard.data import sql
from dashboard.errors import DataError
from dashboard.views import formatting as fmt

if TYPE_CHECKING:  # a table of a DataFrame needs pandas; an export's streamed rows never do (90 MB)
    import pandas as pd

XLSX_MAX_ROWS = 1_048_575  # one sheet's rows, below its header
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
# Number formats by the kind a column's name tells: percentages are 0-100 values, not fractions.
NUMBER_FORMATS = {
    "pct": '0.0"%"',
    "pts": "+0.0;-0.0;0.0",
    "count": "#,##0",
    "score": "#,##0.0",
    "year": "0",
    "r": "0.00",
}
HEAD = {"bold": True, "bg_color": "#E8EDF3", "text_wrap": True, "valign": "top"}


# A streamed sheet's batch: its rows' XML is made by DuckDB and appended, about 2 MB at a time. Smaller
# batches made the national export (672,000 rows) both leaner and faster: 50,000 rows a batch peaked
# at 468 MB in 2.2 s, 16,384 at 358 MB, 4,096 at 306 MB in 1.9 s (the batch's strings stay in the
# processor's cache; make bench, section 5).
STREAM_ROWS = 4_096
# The SQL that writes a streamed sheet's cells (queries/macros/): made on the writer's connection.
CELL_MACROS = ("xlsx_text_cell", "xlsx_number_cell")
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "U")


def new_book(target, streamed_in: str | None = None) -> xlsxwriter.Workbook:
    """A workbook; `streamed_in` (a folder) makes it constant-memory, for `add_rows`: each sheet's
    rows go to a file in that folder as they come, instead of staying in memory until it closes."""
    if streamed_in is None:
        return xlsxwriter.Workbook(target, OPTIONS)
    return xlsxwriter.Workbook(target, OPTIONS | {"in_memory": False, "constant_memory": True, "tmpdir": streamed_in})


def add_table(book: xlsxwriter.Workbook, name: str, df: pd.DataFrame, headers: dict[str, str] | None = None) -> None:
    """One table on a sheet of its own: a bold header row (in the reader's words when `headers`
    names the columns), frozen, with an autofilter; numbers typed and formatted; widths that fit."""
    import pandas as pd

    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(df):,} rows do not fit one Excel sheet ({XLSX_MAX_ROWS:,})")
    sheet = book.add_worksheet(name[:31])
    head = book.add_format(HEAD)
    formats = {k: book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
    labels = [(headers or {}).get(c, c) for c in df.columns]
    sheet.write_row(0, 0, labels, head)
    widths = [min(max(len(str(label)), 8), 40) for label in labels]
    for c, column in enumerate(df.columns):
        numeric = pd.api.types.is_numeric_dtype(df[column]) and not pd.api.types.is_bool_dtype(df[column])
        cell_format = formats[fmt.column_kind(column)] if numeric else None
        for r, value in enumerate(df[column].tolist(), start=1):
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
                widths[c] = min(max(widths[c], len(value) + 2), 60)
            else:
                sheet.write_number(r, c, float(value), cell_format)
        sheet.set_column(c, c, widths[c] + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(df), 1), max(len(df.columns) - 1, 0))
    print_setup(sheet, len(df) + 1, len(df.columns))


def add_rows(
    book: xlsxwriter.Workbook,
    name: str,
    rows,
    labels: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Every row of `rows` (a DuckDB relation whose connection has the cell macros: a kept file's has)
    on a sheet of its own, laid out as `add_table` lays out a DataFrame (`labels`: the header row in
    the reader's words), streamed into a constant-memory book (`new_book(..., streamed_in=...)`);
    the rows written, told to `progress` after each batch (a page's progress bar). Raises DataError
    past one sheet's rows.

    xlsxwriter's cell-by-cell writing costs ~3 µs a cell, half a minute for a national table, so
    DuckDB writes each number's cell XML (queries/macros/xlsx_number_cell.sql), each text is a shared
    string (_TextCells), and the batches' rows are appended to the sheet's row file, where xlsxwriter
    keeps written rows in this mode.
    That file, the cell formats' numbers and the sheet's extent are xlsxwriter's own (pinned in
    requirements.txt); a test opens the result with openpyxl."""
    columns, types = rows.columns, [str(t) for t in rows.types]
    sheet = book.add_worksheet(name[:31])
    head = book.add_format(HEAD)
    formats = {k: book.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()}
    numeric = [t.startswith(_NUMBER_TYPES) or t == "BOOLEAN" for t in types]
    # A number's cell XML comes from DuckDB; a text comes as it is, for the shared strings (_TextCells)
    cells = [
        _cell_sql(c, t, formats[fmt.column_kind(c)]) if n else f"{_quoted(c)}::varchar"
        for c, t, n in zip(columns, types, numeric, strict=True)
    ]
    lengths = [f"length({_quoted(c)})" for c, n in zip(columns, numeric, strict=True) if not n]
    labels = labels or columns
    sheet.row_data_fh.write(_header_xml(labels, head._get_xf_index()))
    widths = [min(max(len(str(c)), 8), 40) for c in labels]
    text_columns = [i for i, n in enumerate(numeric) if not n]
    # a row's start, its end and the join's empty separator as columns: Python strings given to
    # pyarrow's compute functions become scalars, and making one asks pandas (90 MB and 0.3 s)
    ends = ["'<row>'", "'</row>'", "''"]
    batches = rows.project(", ".join(cells + lengths + ends)).to_arrow_reader(STREAM_ROWS)
    with contextlib.closing(_TextCells(book)) as texts:
        count = _append(sheet, batches, texts, text_columns, widths, progress)
    sheet.row_data_fh.flush()
    sheet._check_dimensions(0, 0)  # the extent xlsxwriter writes (<dimension>) and needs to write any row
    sheet._check_dimensions(count, len(columns) - 1)
    _finish(sheet, widths, count, len(columns))
    return count


def _append(sheet, batches, texts: _TextCells, text_columns: list[int], widths: list[int], progress) -> int:
    """Each batch's rows appended to the sheet's row file: a row's cells joined between its start and
    end (the batch's last three columns), the text columns' widths widened to their longest text."""
    count = 0
    for batch in batches:
        count += batch.num_rows
        if count > XLSX_MAX_ROWS:
            raise DataError(
                f"more than {XLSX_MAX_ROWS:,} rows do not fit one Excel sheet; use .csv or .parquet, or filter"
            )
        columns = batch.num_columns - 3 - len(text_columns)
        row = [texts.cells(batch.column(i)) if i in text_columns else batch.column(i) for i in range(columns)]
        sheet.row_data_fh.flush()  # the text file's own writes first, then the bytes behind it
        start, end, empty = (batch.column(batch.num_columns - k) for k in (3, 2, 1))
        sheet.row_data_fh.buffer.write(_utf8(pc.binary_join_element_wise(start, *row, end, empty)))
        for k, c in enumerate(text_columns, start=columns):
            longest = pc.max(batch.column(k)).as_py()
            if longest is not None:
                widths[c] = min(max(widths[c], longest + 2), 60)
        if progress is not None:
            progress(count)
    return count


class _TextCells:
    """A streamed sheet's text cells as references to the book's shared strings: a table repeats its
    texts (an agency's name on each of its 42 rows, a criterion's name on each of 8,000), and written
    in line each time they were two thirds of a national table's XML, which is most of its writing
    and zipping. The strings go into xlsxwriter's own table (written at close, escaped as it escapes
    any string); at most MAX_SHARED of them, so a table of texts that never repeat cannot fill the
    memory: past that, and for a text xlsxwriter would take for a rich string ("<r>…</r>", written
    unescaped), the cell holds its text in line (queries/macros/xlsx_text_cell.sql), as before."""

    MAX_SHARED = 200_000

    def __init__(self, book: xlsxwriter.Workbook):
        self.table, self.con = book.str_table, None

    def cells(self, column: pa.Array) -> pa.Array:
        encoded = pc.dictionary_encode(column)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        words = encoded.dictionary.to_pylist()
        uses = np.bincount(_integers(encoded.indices.drop_null()), minlength=len(words))
        xml, in_line = [], []
        for k, word in enumerate(words):
            if word == "":
                xml.append("<c/>")
            elif word in self.table.string_table or (
                self.table.unique_count < self.MAX_SHARED and not (word.startswith("<r>") and word.endswith("</r>"))
            ):
                xml.append(f'<c t="s"><v>{self.table._get_shared_string_index(word)}</v></c>')
                self.table.count += int(uses[k]) - 1  # each cell is a use: the count the file states
            else:
                xml.append(None)
                in_line.append(k)
        if in_line:
            made = (
                self._cells_con()
                .execute("select list_transform($w, lambda w: xlsx_text_cell(w))", {"w": [words[k] for k in in_line]})
                .fetchone()[0]
            )
            for k, cell in zip(in_line, made, strict=True):
                xml[k] = cell
        return pc.take(_strings([*xml, "<c/>"]), _indices_or(encoded.indices, len(xml)))  # an empty cell: <c/>

    def close(self) -> None:
        if self.con is not None:
            self.con.close()

    def _cells_con(self):
        """A connection of its own for the texts written in line (rare: past MAX_SHARED, or a text
        that looks rich), made at the first: the rows stream from another, which may be the store's."""
        if self.con is None:
            import duckdb

            self.con = duckdb.connect()
            make_cell_macros(self.con)
        return self.con


# pyarrow asks pandas about a list given to pa.array() and about an array's to_numpy(), importing it
# (about 90 MB and 0.3 s of an export that has no other use for it): these two build from buffers.
def _integers(column: pa.Array) -> np.ndarray:
    """An integer array without nulls as NumPy, over its own buffer."""
    values = np.frombuffer(column.buffers()[1], dtype=np.dtype(f"int{column.type.bit_width}"))
    return values[column.offset : column.offset + len(column)]


def _indices_or(indices: pa.Array, missing: int) -> pa.Array:
    """A dictionary's indices with `missing` where the value is null (pc.fill_null makes a scalar of
    it, which asks pandas too)."""
    values = _integers(indices)  # a null's slot holds any number
    if indices.null_count:
        bits = np.frombuffer(indices.buffers()[0], dtype=np.uint8)
        valid = np.unpackbits(bits, bitorder="little")[indices.offset : indices.offset + len(indices)]
        values = np.where(valid.astype(bool), values, missing)
    values = values.astype(np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _strings(texts: list[str]) -> pa.Array:
    """Python strings as an Arrow string array (as the batch's own columns are, for the row's join)."""
    encoded = [text.encode() for text in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.large_string(), len(encoded), buffers).cast(pa.string())


def _utf8(column) -> pa.Buffer:
    """A batch's strings end to end, as Arrow holds them (one buffer of UTF-8 behind the offsets):
    written as they are, without a Python string made of each row (~3 s of a national table)."""
    if not pa.types.is_large_string(column.type):
        column = column.cast(pa.large_string())  # one layout to read: 64-bit offsets
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset : column.offset + len(column) + 1]
    return column.buffers()[2][int(offsets[0]) : int(offsets[-1])]


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _cell_sql(column: str, kind: str, number_format) -> str:
    value = f"{_quoted(column)}::integer" if kind == "BOOLEAN" else _quoted(column)  # True as 1, as before
    style = 0 if kind == "BOOLEAN" else number_format._get_xf_index()  # numbered as xlsxwriter numbers its own
    return f"xlsx_number_cell({value}, {style})"


def _header_xml(labels: list[str], style: int) -> str:
    cells = "".join(f'<c s="{style}" t="inlineStr"><is><t>{escape(str(label))}</t></is></c>' for label in labels)
    return f"<row>{cells}</row>"


def _finish(sheet, widths: list[int], rows: int, columns: int) -> None:
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), max(columns - 1, 0))
    print_setup(sheet, rows + 1, columns)


def print_setup(sheet, rows: int, columns: int, landscape: bool = True, header: bool = True) -> None:
    """A sheet prints on A4, one page wide (as many pages down as it needs), the header row on every
    page: left to Excel's defaults a wide sheet printed over tens of pages, a column or two on each."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.print_area(0, 0, max(rows - 1, 0), max(columns - 1, 0))
    if header:
        sheet.repeat_rows(0)


def make_cell_macros(con) -> None:
    for name in CELL_MACROS:
        con.execute(sql.load(f"macros/{name}"))


def add_pairs(book: xlsxwriter.Workbook, name: str, pairs: list[tuple[str, str]]) -> None:
    """A sheet of label: value lines (the filters, the about sheet), as text."""
    sheet = book.add_worksheet(name[:31])
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for r, (label, value) in enumerate(pairs):
        sheet.write_string(r, 0, str(label), bold)
        sheet.write_string(r, 1, str(value), wrap)
    sheet.set_column(0, 0, min(max((len(str(p[0])) for p in pairs), default=10) + 2, 40))
    sheet.set_column(1, 1, 90)
    print_setup(sheet, len(pairs), 2, header=False)


def to_bytes(fill) -> bytes:
    """A workbook made by `fill(book)`, as bytes."""
    buffer = io.BytesIO()
    book = new_book(buffer)
    fill(book)
    book.close()
    return buffer.getvalue()
