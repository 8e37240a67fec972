"""Excel sheets a person can read: typed cells, number formats, widths, a frozen header row and an
autofilter, and text that never becomes a formula. Used by `export`, the Explore download and the
XLSX brief.
"""

from __future__ import annotations

import io
import math

import pandas as pd
import xlsxwriter

from dashboard.views import formatting as fmt

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


def new_book(target) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(target, OPTIONS)


def add_table(book: xlsxwriter.Workbook, name: str, df: pd.DataFrame, headers: dict[str, str] | None = None) -> None:
    """One table on a sheet of its own: a bold header row (in the reader's words when `headers`
    names the columns), frozen, with an autofilter; numbers typed and formatted; widths that fit."""
    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(f"{len(df):,} rows do not fit one Excel sheet ({XLSX_MAX_ROWS:,})")
    sheet = book.add_worksheet(name[:31])
    head = book.add_format({"bold": True, "bg_color": "#E8EDF3", "text_wrap": True, "valign": "top"})
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


def add_pairs(book: xlsxwriter.Workbook, name: str, pairs: list[tuple[str, str]]) -> None:
    """A sheet of label: value lines (the filters, the about sheet), as text."""
    sheet = book.add_worksheet(name[:31])
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for r, (label, value) in enumerate(pairs):
        sheet.write_string(r, 0, str(label), bold)
        sheet.write_string(r, 1, str(value), wrap)
    sheet.set_column(0, 0, max((len(str(p[0])) for p in pairs), default=10) + 2)
    sheet.set_column(1, 1, 90)


def to_bytes(fill) -> bytes:
    """A workbook made by `fill(book)`, as bytes."""
    buffer = io.BytesIO()
    book = new_book(buffer)
    fill(book)
    book.close()
    return buffer.getvalue()
