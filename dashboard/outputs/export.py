"""Writing a result table as CSV, XLSX or Parquet, safe to open in a spreadsheet.

Text that a spreadsheet would run as a formula stays text: XLSX cells are written as strings
(never formulas or links), and in CSV a text cell beginning with = + - @ tab or carriage return
gets a leading apostrophe (OWASP, CSV injection). CSV carries a byte-order mark so Excel reads
Thai as UTF-8. Every file is written beside its target and renamed into place.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.data.db import Filters
from dashboard.data.files import atomic_write
from dashboard.errors import DataError
from dashboard.outputs import workbook

FORMATS = (".csv", ".xlsx", ".parquet")
MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".parquet": "application/vnd.apache.parquet",
}


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
    return re.sub(r"[^\w]+", "-", str(text)).strip("-")[:40]


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


_LINE_FORMULA = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t])")


def escape_csv_cell(value):
    """Every line of a text cell that a spreadsheet could run as a formula starts with an apostrophe."""
    if not isinstance(value, str):
        return value
    if value.startswith("\r"):
        value = "'" + value
    return _LINE_FORMULA.sub("'", value)


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    safe = df.copy()
    for column in _text_columns(safe):
        safe[column] = safe[column].map(escape_csv_cell)
    # RFC 4180 line ends: the writer then quotes every cell holding a carriage return or a line feed.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _write_xlsx(df: pd.DataFrame, target, about: dict[str, str]) -> None:
    if len(df) > workbook.XLSX_MAX_ROWS:
        raise DataError(
            f"{len(df):,} rows do not fit one Excel sheet ({workbook.XLSX_MAX_ROWS:,}); use .csv or .parquet, or filter"
        )
    book = workbook.new_book(target)
    workbook.add_table(book, "data", df)
    workbook.add_pairs(book, "about", list(about.items()))
    book.close()


def _write_parquet(df: pd.DataFrame, target, about: dict[str, str]) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = (table.schema.metadata or {}) | {b"pmqa.export": json.dumps(about, ensure_ascii=False).encode()}
    pq.write_table(table.replace_schema_metadata(meta), target)


def to_bytes(df: pd.DataFrame, fmt: str, about: dict[str, str]) -> bytes:
    """The file's bytes: what a download button serves and what `write` puts on disk."""
    if fmt == ".csv":
        return to_csv_bytes(df)
    buffer = io.BytesIO()
    (_write_xlsx if fmt == ".xlsx" else _write_parquet)(df, buffer, about)
    return buffer.getvalue()


def write(df: pd.DataFrame, path: Path, about: dict[str, str]) -> None:
    """Write the table to path in the format its extension names; all or nothing."""
    data = to_bytes(df, check_target(path), about)
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
