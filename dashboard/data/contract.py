"""The data contract: which columns a PMQA export has, and the checks an export must pass.

Structural checks (can the file be read, are the columns there with usable types) run here in
Python, file by file, because they decide whether DuckDB can read the file at all. The row rules run
as one SQL query (queries/validation/contract_problems.sql, run by validation.py) over every file
that passed, so a duplicate key is found across files too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# column -> kind; the kind decides which physical types are accepted. Every column must be present,
# even those whose values may be null, so that every file reads the same way.
COLUMNS: dict[str, str] = {
    "fiscal_year": "integer",
    "agency_code": "text",
    "agency_name_th": "text",
    "agency_name_en": "text",
    "agency_type": "text",
    "agency_group_th": "text",
    "agency_group_en": "text",
    "category": "integer",
    "criterion": "text",
    "score": "number",
    "max_score": "number",
}
# Columns a file may hold or leave out: a criterion's names, which replace the scoring scheme's.
OPTIONAL: dict[str, str] = {"criterion_name_th": "text", "criterion_name_en": "text"}
AGENCY_TYPES = ("department", "province", "public_organization")
CATEGORIES = tuple(range(1, 8))
# Names DuckDB gives the columns it adds when reading files: a file must not hold them itself.
RESERVED = ("filename", "file_row_number")
# No criterion is worth a million points: larger numbers are errors, and far larger ones overflow sums.
MAX_POINTS = 1_000_000
# Key-value metadata that marks a Parquet file as made by the sample generator.
SYNTHETIC_KEY = b"pmqa.synthetic"


@dataclass(frozen=True)
class Problem:
    """One reason a data folder does not meet the contract, named so a person can find it."""

    file: str
    column: str
    key: str
    message: str
    row: int | None = None  # 0-based row of the file, where the problem is a row's
    code: str = ""  # a MESSAGES key, so a page can say it in its reader's language
    detail: str = ""

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.file, f"column {self.column}" if self.column else "", self.key) if p)
        return printable(f"{where}: {self.message}")  # a file or column name may hold a terminal's escapes"


def printable(text: str) -> str:
    """Text from the data as a message may show it: invisible characters written as escapes."""
    return "".join(ch if ch.isprintable() and not ch.isspace() or ch == " " else repr(ch)[1:-1] for ch in str(text))


def unicode_name(name: str) -> str:
    """A file name as text that can be stored and written anywhere: the bytes of a name that is not
    UTF-8 (a TIS-620 name from a Windows zip), which Python holds as lone surrogates, as \\xNN."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no file system gave: its code point
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def printable_json(text: str) -> str:
    """JSON for a terminal: json.dumps(ensure_ascii=False) keeps Thai readable but escapes only C0
    controls, so DEL, C1 controls (\\x9b starts a terminal sequence) and invisible format characters are
    written as \\u escapes too; a JSON reader gets the same text back."""
    return "".join(ch if ch.isprintable() or ch in "\n " else json.dumps(ch)[1:-1] for ch in text)


def find_parquet_files(data_dir: Path) -> list[Path]:
    """Every Parquet file under the folder, recursively, in a stable order; hidden files skipped."""
    files = [
        p
        for p in data_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() == ".parquet"
        and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    ]
    return sorted(files)


def _type_ok(kind: str, dtype: pa.DataType) -> bool:
    import pyarrow as pa  # here, not at the top: reading cached data never needs it

    if pa.types.is_null(dtype):
        return True  # a column that is entirely null; the row rules decide whether that is allowed
    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    if kind == "integer":
        return pa.types.is_integer(dtype)
    if kind == "number":
        return pa.types.is_integer(dtype) or pa.types.is_floating(dtype) or pa.types.is_decimal(dtype)
    return pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype)


def check_schema(path: Path, shown: str) -> tuple[list[Problem], bool]:
    """Problems with one file's readability and columns, and whether it was marked synthetic."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file; all mean the same here
        return [Problem(shown, "", "", f"unreadable or corrupt Parquet file ({type(exc).__name__})")], False
    synthetic = (schema.metadata or {}).get(SYNTHETIC_KEY) == b"true"
    return check_arrow_schema(schema, shown), synthetic


def check_arrow_schema(schema: pa.Schema, shown: str) -> list[Problem]:
    """Every contract column once, with a usable type; other columns are ignored unless their name
    is one DuckDB adds when it reads files."""
    problems = [
        Problem(shown, name, "", f"the column name occurs {schema.names.count(name)} times")
        for name in sorted(set(schema.names))
        if schema.names.count(name) > 1
    ]
    problems += [Problem(shown, name, "", "reserved column name: rename or drop it") for name in RESERVED]
    problems = [p for p in problems if p.column in schema.names]
    for column, kind in COLUMNS.items():
        if column not in schema.names:
            problems.append(Problem(shown, column, "", "missing column"))
        elif schema.names.count(column) == 1 and not _type_ok(kind, schema.field(column).type):
            problems.append(Problem(shown, column, "", f"has type {schema.field(column).type}, expected {kind}"))
    for column, kind in OPTIONAL.items():
        if schema.names.count(column) == 1 and not _type_ok(kind, schema.field(column).type):
            problems.append(Problem(shown, column, "", f"has type {schema.field(column).type}, expected {kind}"))
    return problems


def is_synthetic(path: Path) -> bool:
    """Whether the sample generator made this file (read from its footer only)."""
    return check_schema(path, "")[1]


# Row-rule problem codes from queries/validation/contract_problems.sql, in words.
MESSAGES = {
    "year_missing": "fiscal_year is empty",
    "year_not_be": "fiscal_year {detail} is not a Buddhist Era year (B.E. = C.E. + 543, e.g. 2565)",
    "agency_code_missing": "agency_code is empty",
    "agency_code_untrimmed": "agency_code {detail!r} has a space, line break or control character at its start "
    "or end, or a control character inside: write the code alone",
    "agency_type_unknown": "agency_type {detail!r} is not one of " + ", ".join(AGENCY_TYPES),
    "category_out_of_range": "category {detail} is outside 1–7",
    "criterion_malformed": "criterion {detail!r} is not a dotted code such as 1.1 or 4.2.3 "
    "(positive numbers, no leading zeros)",
    "criterion_wrong_category": "criterion {detail} does not belong to its category",
    "max_score_not_positive": "max_score {detail} is not above zero",
    "score_negative": "score {detail} is negative",
    "number_not_finite": "{detail} is not a finite number",
    "number_too_large": "{detail} is larger than " + f"{MAX_POINTS:,}" + " points",
    "no_rows": "the data has no rows",
    "score_above_max": "score {detail} is above max_score",
    "duplicate_key": "(fiscal_year, agency_code, criterion) occurs {detail} times",
}
