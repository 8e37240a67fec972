"""Bringing result spreadsheets (CSV, XLSX) or Parquet exports into the versioned store.

Three steps, each safe on its own:
1. `read_sheets`: a file's sheets as header + rows of raw cells, with their spreadsheet row numbers;
2. `prepare`: map headers (contract names or Thai aliases), read the long or the wide layout,
   parse numbers, then check every row with the same rules as `validate` (the rows are written to
   a scratch folder and validated there), naming file, sheet, row and column for each problem;
3. `write`: every year in ONE commit of the versioned store (delta.py); a replaced year
   stays in the history. Nothing is written while any problem stands.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from dashboard.data import contract, delta, scheme, validation
from dashboard.errors import DataError

if TYPE_CHECKING:  # pyarrow where the rows become a table: an XLSX's cells are read before, in less memory
    import pandas as pd
    import pyarrow as pa


def _openpyxl():
    """openpyxl, imported with the names the XLSX reader uses at the first workbook: with pandas it took
    half a second of every import, longer than staging a CSV of a year's rows (staged_import)."""
    global openpyxl, coordinate_to_tuple, get_column_letter, WorkSheetParser, _cast_number, Element, SubElement
    import openpyxl
    from openpyxl.utils import coordinate_to_tuple, get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser, _cast_number  # pinned openpyxl: its cell decoding
    from openpyxl.xml.functions import Element, SubElement

    return openpyxl


# Header text (folded: lower case, single spaces) -> contract column. Documented in data/README.md.
ALIASES = {name: name for name in contract.COLUMNS} | {
    "ปีงบประมาณ": "fiscal_year",
    "ปี": "fiscal_year",
    "ปี พ.ศ.": "fiscal_year",
    "รหัสหน่วยงาน": "agency_code",
    "รหัส": "agency_code",
    "ชื่อหน่วยงาน": "agency_name_th",
    "ชื่อหน่วยงาน (ไทย)": "agency_name_th",
    "หน่วยงาน": "agency_name_th",
    "ชื่อหน่วยงาน (อังกฤษ)": "agency_name_en",
    "ชื่อภาษาอังกฤษ": "agency_name_en",
    "ประเภทหน่วยงาน": "agency_type",
    "ประเภท": "agency_type",
    "กระทรวง/กลุ่มจังหวัด": "agency_group_th",
    "สังกัด": "agency_group_th",
    "กระทรวง": "agency_group_th",
    "กลุ่มจังหวัด": "agency_group_th",
    "สังกัด (อังกฤษ)": "agency_group_en",
    "กระทรวง/กลุ่มจังหวัด (อังกฤษ)": "agency_group_en",
    "หมวด": "category",
    "ประเด็น": "criterion",
    "เกณฑ์": "criterion",
    "รหัสเกณฑ์": "criterion",
    "คะแนน": "score",
    "คะแนนที่ได้": "score",
    "คะแนนเต็ม": "max_score",
}
TYPE_ALIASES = {t: t for t in contract.AGENCY_TYPES} | {
    "ส่วนราชการ": "department",
    "ส่วนราชการระดับกรม": "department",
    "กรม": "department",
    "จังหวัด": "province",
    "องค์การมหาชน": "public_organization",
    "public organisation": "public_organization",
    "public organization": "public_organization",
}
AGENCY_COLUMNS = (
    "agency_code",
    "agency_name_th",
    "agency_name_en",
    "agency_type",
    "agency_group_th",
    "agency_group_en",
)
CRITERION_CODE = re.compile(r"[0-9]+(\.[0-9]+)+")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
NOT_ASSESSED = {"", "-", "–", "—", "n/a", "na"}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"  # openpyxl's SHEET_MAIN_NS, as expat reports it
_MAIN_TAG = "{" + _MAIN  # and as openpyxl's parser expects them

# What one imported file may hold. Sizes a file declares are checked before it is read (a CSV's size;
# an XLSX's zip directory and sheet dimensions; a Parquet footer), and what is read is counted row by
# row, so no file, however made, can fill the memory of the machine or of the app's server: a file
# past a limit is refused with one line. Generous for real use: one year of the whole country is about
# 1 M rows in the long layout, and Excel's own sheet ends at 1,048,576 rows (about 800 MB of XML as
# openpyxl writes it). Documented in data/README.md; PMQA_IMPORT_<NAME> sets another value.
MAX_ROWS = 2_000_000  # rows of one file (all its sheets)
MAX_COLUMNS = 500
MAX_CELLS = 30_000_000  # rows × columns
MAX_TEXT = 500_000_000  # characters of text in the cells read (a value used again counts again)
MAX_BYTES = 1_000_000_000  # a file; an XLSX's parts unpacked; a Parquet file's columns unpacked
MAX_PART_BYTES = 20_000_000  # one part of an XLSX other than a sheet (strings, styles): read whole
MAX_PARTS = 10_000  # parts of an XLSX (a workbook has a few per sheet)
MAX_RATIO = 100  # how far an XLSX's part may inflate (Apache POI's zip-bomb check uses the same)


@dataclass(frozen=True, slots=True)  # one per row imported: slots keep it small
class Where:
    """A cell or row in the user's file: what a problem message points at."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        """Names from the user's file (its name, sheet, header) with invisible characters escaped."""
        parts = [
            self.file,
            f"sheet {self.sheet}" if self.sheet else "",
            f"row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
        ]
        return contract.printable(", ".join(p for p in parts if p))


@dataclass(frozen=True)
class ImportProblem:
    where: Where
    message: str
    code: str = ""  # contract.MESSAGES' key or one of the importer's own: the page words it in Thai
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Sheet:
    file: str
    name: str | None
    header: list[str]
    rows: list[list]
    row_numbers: list[int]  # the spreadsheet's own row number of each row
    header_row: int = 1


@dataclass
class Prepared:
    """Parsed, validated rows ready to write, or the problems that stop them."""

    table: pa.Table | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    total_problems: int = 0
    notices: list[str] = field(default_factory=list)  # what was left out on purpose (hidden sheets, rows)
    sources: list[delta.Source] = field(default_factory=list)
    based_on: int | None = None  # the store's version when the import was checked
    synthetic: bool = False  # read from the sample generator's Parquet files
    _counts: tuple | None = field(default=None, repr=False, compare=False)  # _counted's, for its table

    @property
    def ok(self) -> bool:
        return self.table is not None and not self.problems

    def problems_frame(self) -> pd.DataFrame:
        """The problems as a table: what the Import page lists."""
        import pandas as pd  # here: a command-line import never needs it

        def shown(text):  # names and headers from the user's file, invisible characters escaped
            return text and contract.printable(text)

        # In the order of the file: by file, sheet and row (a file's own problems first)
        ordered = sorted(self.problems, key=lambda p: (p.where.file, p.where.sheet or "", p.where.row or 0))
        return pd.DataFrame(
            [
                (
                    shown(p.where.file),
                    shown(p.where.sheet),
                    p.where.row,
                    shown(p.where.column),
                    shown(p.message),
                    p.code,
                    shown(p.detail),
                )
                for p in ordered
            ],
            columns=["file", "sheet", "row", "column", "problem", "code", "detail"],
        )

    def rows_per_year(self) -> dict[int, int]:
        """The rows the import holds, by fiscal year: what a written import reports."""
        return dict(self._counted()[0])

    def summary(self) -> dict:
        if self.table is None:
            return {"years": [], "agencies": 0, "rows": 0}
        per_year, agencies = self._counted()
        return {"years": sorted(per_year), "agencies": agencies, "rows": self.table.num_rows}

    def _counted(self) -> tuple[dict[int, int], int]:
        """Rows by year and agencies, counted by DuckDB (not as a year's 336,000 rows of Python values)
        once for the table: the import's door, its command or page and its write all ask."""
        if self.table is None:
            return {}, 0
        if self._counts is None or self._counts[0] is not self.table:
            import duckdb

            con = duckdb.connect()
            try:
                agencies = con.from_arrow(self.table).aggregate("count(distinct agency_code)").fetchall()[0][0]
            finally:
                con.close()
            self._counts = (self.table, delta.count_by_year(self.table), int(agencies))
        return self._counts[1], self._counts[2]


def _refused(where: Where, message: str, code: str = "", **values) -> DataError:
    """A problem that stops reading a file at once: one line naming the place; its code, the values its
    sentence names and the place's parts (as printable text) let a page say it in its reader's language."""
    place = {k: contract.printable(v) if isinstance(v, str) else v for k, v in asdict(where).items() if v}
    return DataError(str(ImportProblem(where, message)), code, place=place, **values)


# --- reading ----------------------------------------------------------------------------------


def _fold(text) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


def limit(name: str) -> int:
    """One of the limits above (MAX_ROWS, ...), or the value PMQA_IMPORT_<NAME> sets."""
    raw = os.environ.get(f"PMQA_IMPORT_{name}", "").strip()
    if not raw:
        return globals()[name]
    try:
        return int(raw)
    except ValueError:
        message = f"PMQA_IMPORT_{name}={raw!r} is not a whole number"
        raise DataError(message, "bad_limit", name=f"PMQA_IMPORT_{name}", value=contract.printable(raw)) from None


def _too_many(name: str, what: str, of: str = "one file") -> str:
    return f"the import reads at most {limit(name):,} {what} from {of} (PMQA_IMPORT_{name})"


def _over(where: Where, name: str, what: str, unit: str, code: str = "over_limit", **values) -> DataError:
    """A file past one of the limits; `unit` (rows, columns, cells, text, bytes, parts) and the limit
    for the page's sentence, `what` and `values["said"]` (what the file holds) for the English one."""
    said = values.pop("said", "")
    message = (f"{said}; " if said else "") + _too_many(name, what, values.pop("of", "one file"))
    return _refused(where, message, code, unit=unit, limit=f"{limit(name):,}", name=f"PMQA_IMPORT_{name}", **values)


def _check_bytes(
    where: Where, size: int, what: str, name: str = "MAX_BYTES", of: str = "one file", code: str = "file_over", **values
) -> None:
    if size > limit(name):
        raise _over(
            where, name, "bytes", "bytes", code, said=f"{what} {size:,} bytes", of=of, found=f"{size:,}", **values
        )


def _check_declared(where: Where, rows: int, columns: int, source: str) -> None:
    """A size the file states before its rows (an XLSX sheet's dimension, a Parquet footer), checked
    before a row is read."""
    for name, count, what in (("MAX_ROWS", rows, "rows"), ("MAX_COLUMNS", columns, "columns")):
        if count > limit(name):
            raise _over(
                where, name, what, what, "declares_over", said=f"{source} declares {count:,} {what}", found=f"{count:,}"
            )
    if rows * columns > limit("MAX_CELLS"):
        cells = f"{rows:,} × {columns:,}"
        raise _over(
            where, "MAX_CELLS", "cells", "cells", "declares_over", said=f"{source} declares {cells} cells", found=cells
        )


class _Budget:
    """What has been taken from one file so far, counted row by row as it is read: the file is refused
    at the first limit passed, so a file that declares no size (a CSV), or a false one, is stopped too."""

    def __init__(self):
        self.rows = self.cells = self.text = 0
        self.limits = {name: limit(name) for name in ("MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "MAX_TEXT")}

    def column(self, where: Where, column: int) -> None:
        if column > self.limits["MAX_COLUMNS"]:
            raise _over(where, "MAX_COLUMNS", "columns", "columns")

    def take(self, where: Where, values: list) -> None:
        self.column(where, len(values))
        self.rows += 1
        self.cells += len(values)
        self.text += sum(len(v) for v in values if isinstance(v, str))  # a shared string counts each time
        for name, count, what in (
            ("MAX_ROWS", self.rows, "rows"),
            ("MAX_CELLS", self.cells, "cells"),
            ("MAX_TEXT", self.text, "characters of text"),
        ):
            if count > self.limits[name]:
                raise _over(where, name, what, name.removeprefix("MAX_").lower())


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as bytes, in the encodings that write them as one byte each, a byte no other
# character uses: looked for in the file's bytes, a third of the time of the regular expression
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ONE_BYTE_CONTROL = ("utf-8", "utf-8-sig", "cp874")
_NOT_TEXT = "cannot be read as text: save it as CSV UTF-8 (or import the .xlsx)"


def _encoding(path: Path, shown: str) -> str:
    """By its byte-order mark (UTF-8, -16, -32), else UTF-8, else the Thai Windows code page
    (TIS-620/cp874); a file that is none of these, or holds control bytes, is refused."""
    with open(path, "rb") as f:
        head = f.read(4)
    marked = next((name for bom, name in _BOMS if head.startswith(bom)), None)
    for encoding in [marked] if marked else ["utf-8", "cp874"]:
        if _decodes(path, encoding, shown):
            return encoding
    raise _refused(Where(shown), _NOT_TEXT, "not_text")


def _decodes(path: Path, encoding: str, shown: str) -> bool:
    """Whether the whole file decodes, a block at a time: a large file is never held whole."""
    decoder = codecs.getincrementaldecoder(encoding)()
    as_bytes = encoding in _ONE_BYTE_CONTROL
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                text = decoder.decode(block)
                if _has_control(block, text, as_bytes):
                    raise _refused(Where(shown), _NOT_TEXT, "not_text")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_control(block: bytes, text: str, as_bytes: bool) -> bool:
    if as_bytes:
        return len(block.translate(None, _CONTROL_BYTES)) != len(block)
    return _CONTROL.search(text) is not None


def _sheet(file: str, name: str | None, numbered_rows: list[tuple[int, list]]) -> Sheet:
    """Header = the first non-empty row; data = the non-empty rows below it."""
    filled = [(n, r) for n, r in numbered_rows if any(_fold(c) for c in r)]
    if not filled:
        raise _refused(Where(file, name), "the file is empty", "empty")
    (header_row, header), body = filled[0], filled[1:]
    return Sheet(
        file,
        name,
        [str(h).strip() if h is not None else "" for h in header],
        [r for _, r in body],
        [n for n, _ in body],
        header_row,
    )


def sniff_dialect(path: Path, encoding: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect from the file's first 4 KB, csv.excel where the sniffer cannot say: the one
    choice both ways of reading a CSV (here and staged_import.py) make, so they read a file alike."""
    with open(path, encoding=encoding, newline="") as f:
        sample = f.read(4096)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_csv(path: Path, shown: str) -> list[Sheet]:
    """Streamed: decoded once to choose the encoding, then parsed row by row, each row counted."""
    encoding = _encoding(path, shown)
    dialect = sniff_dialect(path, encoding)
    budget, rows = _Budget(), []
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f, dialect)
        try:
            for number, row in enumerate(reader, start=1):
                budget.take(Where(shown, row=number), row)
                rows.append((number, row))
        except csv.Error as exc:  # a field over the reader's limit, a stray quote: name the line
            raise _refused(Where(shown, row=reader.line_num), f"not a readable CSV row ({exc})", "csv_row") from None
    return [_sheet(shown, None, rows)]


# --- XLSX: the zip checked before it is unpacked, then each sheet streamed ---

_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_RATIO_FROM = 1_000_000  # a smaller part costs little however far it inflates
_SHEET_HEAD = 4_000_000  # openpyxl keeps what precedes a sheet's rows (its columns: 16,384 at most, < 1 MB)
EXCEL_CELL_CHARS = 32_767  # Excel's own limit on one cell's text
_RECALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad\s*=\s*[\"'](?:1|true)[\"']")
_FORMULA = "a formula without a calculated value"


def _zip_parts(path: Path) -> int:
    """How many parts a zip's end record says it holds, read before zipfile lists them (each costs
    memory); 0xFFFF means more, in a ZIP64 record. 0 where there is none: zipfile then refuses the file."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 65_557))  # the end record and the longest comment it may carry
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    return int.from_bytes(tail[at + 10 : at + 12], "little") if at >= 0 else 0


def _check_package(path: Path, shown: str) -> bool:
    """An XLSX's zip directory, checked before any part is unpacked: how many parts, how large they
    unpack (zipfile never unpacks a part past the size the directory states) and how far they
    inflate. Returns whether the program that wrote the file asked for it to be calculated when
    opened (xlsxwriter, openpyxl): its formulas' saved values are then placeholders, not results."""
    where = Where(shown)
    if _zip_parts(path) > limit("MAX_PARTS"):
        raise _over(where, "MAX_PARTS", "zip parts", "parts", said="too many zip parts")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            _check_bytes(where, sum(p.file_size for p in parts), "unpacks to", code="unpacks_over")
            for part in parts:
                _check_part(package, part, where)
            workbook = next((p for p in parts if p.filename.lower() == "xl/workbook.xml"), None)
            return bool(workbook and _RECALC.search(package.read(workbook)))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _refused(where, f"not a readable XLSX file ({type(exc).__name__})", "not_xlsx") from None


def _check_part(package: zipfile.ZipFile, part: zipfile.ZipInfo, where: Where) -> None:
    name = contract.printable(part.filename)
    sheet = _WORKSHEET.fullmatch(part.filename)
    if not sheet:  # openpyxl reads these whole when it opens the workbook
        what, of = f"its part {name} unpacks to", "a part other than a sheet"
        _check_bytes(where, part.file_size, what, "MAX_PART_BYTES", of, "part_over", part=name)
    ratio = part.file_size / max(part.compress_size, 1)
    if part.file_size > _RATIO_FROM and ratio > limit("MAX_RATIO"):
        raise _refused(
            where,
            f"its part {name} unpacks to {ratio:,.0f} times its packed size (at most {limit('MAX_RATIO')}, "
            "PMQA_IMPORT_MAX_RATIO): a damaged file, or one made to fill the memory",
            "ratio",
            part=name,
            ratio=f"{ratio:,.0f}",
            limit=f"{limit('MAX_RATIO'):,}",
        )
    if sheet and part.file_size > _SHEET_HEAD:
        with package.open(part) as src:
            if b"sheetData" not in src.read(_SHEET_HEAD):
                raise _refused(
                    where,
                    f"its part {name} holds more than {_SHEET_HEAD:,} bytes before its rows",
                    "sheet_head",
                    part=name,
                    limit=f"{_SHEET_HEAD:,}",
                )


def _open_book(path: Path, shown: str):
    """The workbook's sheet list, shared strings and styles; no sheet's rows are read yet."""
    try:
        return _openpyxl().load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise _refused(Where(shown), f"not a readable XLSX file ({type(exc).__name__})", "not_xlsx") from None


def read_xlsx(path: Path, shown: str, sheet: str | None, notices: list[str]) -> list[Sheet]:
    """Every visible sheet (or the one named), without hidden rows; each left-out part is a notice."""
    placeholders = _check_package(path, shown)
    book = _open_book(path, shown)
    try:
        return _read_book(book, shown, sheet, notices, placeholders)
    finally:
        book.close()


def _read_book(book, shown: str, sheet: str | None, notices: list[str], placeholders: bool) -> list[Sheet]:
    if sheet is not None and sheet not in book.sheetnames:
        names = ", ".join(map(contract.printable, book.sheetnames))
        message = f"no sheet named {sheet!r}; the sheets are {names}"
        raise _refused(Where(shown), message, "no_sheet", sheet=contract.printable(sheet), sheets=names)
    sheets, budget = [], _Budget()
    for name in [sheet] if sheet is not None else book.sheetnames:
        ws = book[name]
        if ws.sheet_state != "visible" and sheet is None:
            notices.append(f"{Where(shown)}: hidden sheet {name!r} was left out")
            continue
        where = Where(shown, name)
        if ws.max_row and ws.max_column:
            rows, columns = ws.max_row - ws.min_row + 1, ws.max_column - ws.min_column + 1
            _check_declared(where, rows, columns, f"its dimension {ws.calculate_dimension()}")
        stream = _SheetRows(ws, where, budget, placeholders)
        try:
            rows = list(stream)
        except DataError:
            raise
        except Exception as exc:  # expat, or openpyxl decoding a cell: a damaged sheet
            raise _refused(Where(shown), f"not a readable XLSX file ({type(exc).__name__})", "not_xlsx") from None
        if stream.hidden:
            listed = ", ".join(map(str, stream.hidden[:10])) + (" …" if len(stream.hidden) > 10 else "")
            notices.append(f"{where}: {len(stream.hidden)} hidden row(s) were left out ({listed})")
        if sheet is None and not any(any(_fold(c) for c in r) for _, r in rows):
            continue  # an empty extra sheet in a workbook is not an error
        sheets.append(_sheet(shown, name, rows))
    if not sheets:
        raise _refused(Where(shown), "the workbook has no data", "no_data")
    return sheets


class _SheetRows:
    """A sheet's rows as saved, streamed from its XML by expat a block at a time: memory holds one row,
    and a row or cell past the limits is refused as it begins. Each cell's value is decoded by openpyxl's
    own parser (shared strings, numbers, dates, booleans, inline text). Hidden rows are left out (their
    numbers kept in `hidden`); a formula Excel never calculated is refused."""

    def __init__(self, ws, where: Where, budget: _Budget, placeholders: bool):
        book = ws.parent
        self.strings, self.dates = ws._shared_strings, book._date_formats
        self.decode = WorkSheetParser(
            None, self.strings, True, book.epoch, self.dates, book._timedelta_formats
        ).parse_cell
        self.ws, self.where, self.budget, self.placeholders = ws, where, budget, placeholders
        self.stack: list[str] = []
        self.ready: list[tuple[int, list]] = []
        self.hidden: list[int] = []
        self.number = 0  # the current row's number
        self.row: list | None = None  # its cells: (column, value), None outside a row or in a hidden one
        self.cell: dict | None = None
        self.text: list | None = None  # where character data goes
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.done = False

    def __iter__(self):
        with self.ws._get_source() as src:
            while not self.done:
                block = src.read(1 << 16)
                self.parser.Parse(block, not block)
                yield from self.ready
                self.ready.clear()
                if not block:
                    break

    def _doctype(self, *_):
        raise ValueError("a document type declaration")  # never in a workbook; entities could expand

    def _start(self, name: str, attrs: dict) -> None:
        tag = name.removeprefix(_MAIN)
        self.stack.append(tag)
        if len(self.stack) > 32:
            raise ValueError("XML nested too deep")
        parent = self.stack[-2] if len(self.stack) > 1 else None
        if tag == "row" and parent == "sheetData":
            self._row(attrs)
        elif tag == "c" and parent == "row" and self.row is not None:
            self._cell(attrs)
        elif self.cell is not None:
            if tag == "f":
                self.cell["formula"] = True
            elif tag == "v" and parent == "c":
                self.text = self.cell["v"]
            elif tag == "t" and parent in ("is", "r") and "is" in self.stack:
                self.text = self.cell["is"]

    def _row(self, attrs: dict) -> None:
        self.number = int(float(attrs["r"])) if "r" in attrs else self.number + 1
        self.column = 0
        hidden = attrs.get("hidden", "").lower() in ("1", "true")
        if hidden:
            self.hidden.append(self.number)
        self.row = None if hidden else []

    def _cell(self, attrs: dict) -> None:
        self.column = coordinate_to_tuple(attrs["r"])[1] if "r" in attrs else self.column + 1
        most = self.budget.limits["MAX_COLUMNS"]
        if self.column > most or len(self.row) >= most:  # far out, or many cells naming one place
            raise _over(Where(self.where.file, self.where.sheet, self.number), "MAX_COLUMNS", "columns", "columns")
        self.cell = {"attrs": attrs, "v": [], "is": [], "formula": False, "chars": 0}

    def _chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)
            self.cell["chars"] += len(data)
            if self.cell["chars"] > EXCEL_CELL_CHARS:
                raise _refused(
                    self._here(),
                    f"a cell of more than {EXCEL_CELL_CHARS:,} characters (Excel's limit)",
                    "long_cell",
                    limit=f"{EXCEL_CELL_CHARS:,}",
                )

    def _end(self, name: str) -> None:
        tag = self.stack.pop()
        if tag in ("v", "t"):
            self.text = None
        elif tag == "c" and self.cell is not None:
            self._cell_end()
        elif tag == "row" and self.row is not None:
            values = [None] * max((c for c, _ in self.row), default=0)
            for column, value in self.row:
                values[column - 1] = value
            self.budget.take(Where(self.where.file, self.where.sheet, self.number), values)
            self.ready.append((self.number, values))
            self.row = None
        elif tag == "sheetData":
            self.done = True

    def _cell_end(self) -> None:
        cell, self.cell = self.cell, None
        value = self._value(cell)
        if cell["formula"] and value is None:
            raise _refused(self._here(), f"{_FORMULA}: open and save the file in Excel", "formula")
        if cell["formula"] and self.placeholders and type(value) in (int, float) and value == 0:
            raise _refused(
                self._here(),
                f"{_FORMULA} (the 0 saved with it stands in for one: the program that wrote the file "
                "left the calculating to Excel): open and save the file in Excel",
                "formula",
            )
        self.row.append((self.column, value))

    def _value(self, cell: dict):
        """A shared string or a plain number directly (most cells: a sheet reads three times faster);
        any other kind (a date, a boolean, inline text, an error) as openpyxl's parser decodes it."""
        kind, text = cell["attrs"].get("t", "n"), "".join(cell["v"]) or None
        if text is not None and not cell["is"]:
            if kind == "s":
                return self.strings[int(text)]
            if kind == "n" and int(cell["attrs"].get("s", 0)) not in self.dates:
                return _cast_number(text)
        element = Element(_MAIN_TAG + "c", {k: v for k, v in cell["attrs"].items() if k in ("t", "s")})
        element.set("r", self._coordinate())
        if text is not None:
            SubElement(element, _MAIN_TAG + "v").text = text
        if cell["is"]:
            SubElement(SubElement(element, _MAIN_TAG + "is"), _MAIN_TAG + "t").text = "".join(cell["is"])
        return self.decode(element)["value"]

    def _coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.number}"

    def _here(self) -> Where:
        return Where(self.where.file, self.where.sheet, self.number, self._coordinate())


# --- Parquet ---


def read_parquet(path: Path, shown: str) -> list[Sheet]:
    """A Parquet export (the contract's columns) read like a sheet, so every row meets the same checks:
    this is how a folder of exports becomes a store. The footer's rows, columns and column-data size
    are checked before a page is read; then the columns the import uses are read a batch at a time,
    text columns as dictionaries so a repeated value is held once."""
    import pyarrow.parquet as pq

    where = Where(shown)
    try:
        file = pq.ParquetFile(path)
        meta, schema = file.metadata, file.schema_arrow
        _check_declared(where, meta.num_rows, meta.num_columns, "its footer")
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        _check_bytes(where, size, "its columns unpack to", code="unpacks_over")
        header = [str(name) for name in schema.names]
        wanted = [n for n in header if header.count(n) == 1 and (_fold(n) in ALIASES or _is_code(n))]
        texts = [f.name for f in schema if f.name in wanted and _is_text(f.type)]
        batches = pq.ParquetFile(path, read_dictionary=texts).iter_batches(65_536, columns=wanted)
        return [Sheet(shown, None, header, *_parquet_rows(batches, header, where))]
    except DataError:
        raise
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _refused(where, f"not a readable Parquet file ({type(exc).__name__})", "not_parquet") from None


def _is_text(dtype: pa.DataType) -> bool:
    import pyarrow as pa

    return pa.types.is_string(dtype) or pa.types.is_large_string(dtype)


def _parquet_rows(batches, header: list[str], where: Where) -> tuple[list[list], list[int]]:
    budget, rows = _Budget(), []
    for batch in batches:
        at = [header.index(name) for name in batch.schema.names]
        columns = [_values(column) for column in batch.columns]
        for k in range(batch.num_rows):
            row = [None] * len(header)  # the columns the import does not use stay unread
            for i, values in zip(at, columns, strict=True):
                row[i] = values[k]
            budget.take(Where(where.file, row=len(rows) + 1), row)
            rows.append(row)
    return rows, list(range(1, len(rows) + 1))


def _values(column: pa.Array) -> list:
    """A column as Python values; a dictionary column's repeated values are one object, not copies."""
    import pyarrow as pa

    if not pa.types.is_dictionary(column.type):
        return column.to_pylist()
    values = column.dictionary.to_pylist()
    return [None if i is None else values[i] for i in column.indices.to_pylist()]


def sheet_names(path: Path) -> list[str]:
    """The sheets of an XLSX file (none for CSV), for the Import page's sheet choice."""
    if Path(path).suffix.lower() != ".xlsx":
        return []
    try:
        _check_package(path, Path(path).name)
        book = _open_book(path, Path(path).name)
    except DataError:  # the same file is refused with its reason by read_sheets
        return []
    names = list(book.sheetnames)
    book.close()
    return names


def read_sheets(
    path: Path, sheet: str | None = None, shown: str | None = None, notices: list[str] | None = None
) -> list[Sheet]:
    path = Path(path)
    shown = shown or path.name
    if not path.is_file():
        if path.exists():  # a folder, a pipe or a device: never opened, since a pipe's read may wait forever
            raise _refused(Where(shown), "not a file (a folder, a pipe or a device)", "not_file")
        raise _refused(Where(shown), "no such file", "no_file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        shown_suffix = contract.printable(suffix) or "(none)"
        message = f"unsupported file type {shown_suffix}; import .csv, .xlsx or .parquet"
        raise _refused(Where(shown), message, "unsupported", suffix=shown_suffix)
    if sheet is not None and suffix != ".xlsx":
        kind = "a CSV" if suffix == ".csv" else "a Parquet"
        raise _refused(Where(shown), f"{kind} file has no sheets (--sheet is for XLSX)", "no_sheets")
    _check_bytes(Where(shown), path.stat().st_size, "the file is")  # before a byte is read
    if suffix == ".csv":
        return read_csv(path, shown)
    if suffix == ".parquet":
        return read_parquet(path, shown)
    return read_xlsx(path, shown, sheet, notices if notices is not None else [])


# --- parsing ----------------------------------------------------------------------------------


class Unreadable(ValueError):
    """A cell that is not the number it should be; its code and the cell's text let a page say so in
    its reader's language."""

    def __init__(self, message: str, code: str, detail: str):
        super().__init__(message)
        self.code, self.detail = code, detail


def parse_number(value) -> float | None:
    """A cell as a number; None where not assessed (empty or a dash). Thai digits are read; a comma
    is a thousands separator only in its unambiguous form (1,234 or 1,234.5); anything else raises."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Unreadable(f"{value!r} is not a number", "not_a_number", str(value))
    if isinstance(value, int | float):
        return None if value != value else _bounded(float(value), value)
    text = str(value).translate(THAI_DIGITS).replace("\u00a0", " ").strip()
    if text.lower() in NOT_ASSESSED:
        return None
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
        return _bounded(float(text), value)
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return _bounded(float(text.replace(",", "")), value)
    message = f"{str(value)!r} is not a number (write 7.5 or 1,234.5; a decimal comma is not accepted)"
    raise Unreadable(message, "not_a_number", str(value)[:40])


def _bounded(number: float, value) -> float:
    if not math.isfinite(number) or abs(number) > contract.MAX_POINTS:
        message = f"{str(value)[:40]!r} is out of range (at most {contract.MAX_POINTS:,})"
        raise Unreadable(message, "out_of_range", str(value)[:40])
    return number


def parse_integer(value) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise Unreadable(f"{value!r} is not a whole number", "not_whole", str(value))
    return int(number)


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _exact(value) -> str | None:
    """An agency code as written, never trimmed: the contract refuses a stray space or line break
    rather than remove it, so "X001 " can never count as X001 here and as another agency elsewhere."""
    text = None if value is None else str(value)
    return text if text and text.strip() else None


def _agency_type(value) -> str | None:
    text = _text(value)
    return TYPE_ALIASES.get(_fold(text), text) if text else None


def _is_code(title: str) -> bool:
    return CRITERION_CODE.fullmatch(title.strip().translate(THAI_DIGITS)) is not None


def _unknown_codes(sheet: Sheet) -> list[ImportProblem]:
    """A wide sheet's headers that hold a digit but are neither a known column nor a criterion code
    (a full-width digit, a trailing dot, a word before the code, a decimal comma): each named where it
    is, since leaving one out would silently drop a criterion's scores."""
    return [
        ImportProblem(
            Where(sheet.file, sheet.name, sheet.header_row, get_column_letter(i + 1) if sheet.name else str(i + 1)),
            f"header {title!r} is not a criterion code such as 7.1 or 1.1.1, nor a known column: "
            "write the code alone, or remove the column",
            "unknown_header",
            title,
        )
        for i, title in enumerate(sheet.header)
        if any(ch.isdigit() for ch in title) and _fold(title) not in ALIASES and not _is_code(title)
    ]


def _columns(sheet: Sheet, problems: list[ImportProblem]) -> tuple[dict[str, int], dict[str, int]]:
    """Contract columns and criterion-code columns by position; duplicated columns are problems."""
    mapped, codes, seen = {}, {}, {}
    for i, title in enumerate(sheet.header):
        name = ALIASES.get(_fold(title))
        code = title.strip() if _is_code(title) else None
        key = name or code
        if key is None:
            continue
        if key in seen:
            problems.append(
                ImportProblem(
                    Where(sheet.file, sheet.name, column=title),
                    f"duplicated column: {title!r} and {sheet.header[seen[key]]!r} are both {key}",
                    "duplicated_column",
                    f"{title!r}, {sheet.header[seen[key]]!r} ({key})",
                )
            )
            continue
        seen[key] = i
        if name:
            mapped[name] = i
        else:
            codes[code.translate(THAI_DIGITS)] = i
    return mapped, codes


@dataclass
class _Rows:
    """Rows in the contract's columns, with where each came from."""

    records: list[tuple] = field(default_factory=list)  # in contract.COLUMNS' order: a fifth of a dict's memory
    origins: list[Where] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # contract column -> the user's header
    unparsed: set[int] = field(default_factory=set)  # records with a cell that could not be read

    def add(self, record: dict, origin: Where, parsed: bool, headers: dict[str, str]) -> None:
        if not parsed:
            self.unparsed.add(len(self.records))
        self.records.append(tuple(record.get(c) for c in contract.COLUMNS))
        self.origins.append(origin)
        self.headers.append(headers)

    def parsed(self) -> tuple[list[tuple], list[Where], list[dict[str, str]]]:
        keep = [i for i in range(len(self.records)) if i not in self.unparsed]
        return [self.records[i] for i in keep], [self.origins[i] for i in keep], [self.headers[i] for i in keep]


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _parse_cell(parser, value, where: Where, problems: list[ImportProblem]):
    try:
        return parser(value)
    except ValueError as exc:
        problems.append(ImportProblem(where, str(exc), getattr(exc, "code", ""), getattr(exc, "detail", "")))
        return None


def _agency_fields(sheet, row, number, cols, year, problems) -> dict:
    fields = {c: _text(_cell(row, cols.get(c))) for c in AGENCY_COLUMNS}
    fields["agency_code"] = _exact(_cell(row, cols.get("agency_code")))
    fields["agency_type"] = _agency_type(_cell(row, cols.get("agency_type")))
    if "fiscal_year" in cols:
        where = Where(sheet.file, sheet.name, number, sheet.header[cols["fiscal_year"]])
        fields["fiscal_year"] = _parse_cell(parse_integer, _cell(row, cols["fiscal_year"]), where, problems)
        found = fields["fiscal_year"]
        if found is not None and not _buddhist(found):  # 2022 is C.E.: said so, not as a missing maximum
            message = contract.MESSAGES["year_not_be"].format(detail=found)
            problems.append(ImportProblem(where, message, "year_not_be", str(found)))
        if year is not None and fields["fiscal_year"] not in (None, year):
            message = f"fiscal_year {fields['fiscal_year']} differs from --year {year}"
            problems.append(ImportProblem(where, message, "year_differs", f"{fields['fiscal_year']} ≠ {year}"))
    else:
        fields["fiscal_year"] = year
    return fields


def _long(sheet: Sheet, cols: dict[str, int], year: int | None, maxima, out: _Rows, problems) -> None:
    headers = {column: sheet.header[i] for column, i in cols.items()}
    for k, number in enumerate(sheet.row_numbers):
        row, sheet.rows[k] = sheet.rows[k], None  # each row's cells let go once parsed: a file is read once
        before = len(problems)
        record = _agency_fields(sheet, row, number, cols, year, problems)
        record["criterion"] = _text(_cell(row, cols["criterion"]))
        for column, parser in (("category", parse_integer), ("score", parse_number), ("max_score", parse_number)):
            if column in cols:
                where = Where(sheet.file, sheet.name, number, sheet.header[cols[column]])
                record[column] = _parse_cell(parser, _cell(row, cols[column]), where, problems)
        if "category" not in cols and record["criterion"]:
            record["category"] = _parse_cell(
                parse_integer,
                record["criterion"].split(".")[0],
                Where(sheet.file, sheet.name, number, "criterion"),
                problems,
            )
        if "max_score" not in cols:
            record["max_score"] = maxima(
                record.get("fiscal_year"), record["criterion"], Where(sheet.file, sheet.name, number), problems
            )
        out.add(record, Where(sheet.file, sheet.name, number), len(problems) == before, headers)


def _wide(sheet: Sheet, cols: dict[str, int], codes: dict[str, int], year: int | None, maxima, out, problems):
    rows = list(zip(sheet.rows, sheet.row_numbers, strict=True))
    headers = {column: sheet.header[i] for column, i in cols.items()}
    named = {code: headers | {"score": sheet.header[i]} for code, i in codes.items()}  # one per column, not cell
    sheet_max = {}
    if rows and not _text(_cell(rows[0][0], cols.get("agency_code"))):  # a row of maxima under the header
        first, number = rows.pop(0)
        for code, i in codes.items():
            where = Where(sheet.file, sheet.name, number, sheet.header[i])
            sheet_max[code] = _parse_cell(parse_number, _cell(first, i), where, problems)
            if sheet_max[code] is None or sheet_max[code] <= 0:
                message = f"the row of maxima has no maximum above zero for {code}"
                problems.append(ImportProblem(where, message, "maxima_row", code))
    for row, number in rows:
        before = len(problems)
        agency = _agency_fields(sheet, row, number, cols, year, problems)
        for code, i in codes.items():
            where = Where(sheet.file, sheet.name, number, sheet.header[i])
            score = _parse_cell(parse_number, _cell(row, i), where, problems)
            mx = sheet_max.get(code) or maxima(agency["fiscal_year"], code, where, problems)
            record = agency | {"category": int(code.split(".")[0]), "criterion": code, "score": score, "max_score": mx}
            out.add(record, where, len(problems) == before, named[code])


def _buddhist(year: int) -> bool:
    """A fiscal year in the Buddhist Era, as the contract's rule reads it (2400–2800)."""
    return 2400 <= year <= 2800


def _maxima_lookup(criteria):
    """Criterion maxima from the scoring scheme, as of each year (the latest scheme year not after it)."""
    by_year: dict[int, dict[str, float]] = {}
    for r in criteria.itertuples():
        by_year.setdefault(int(r.scheme_year), {})[r.criterion] = float(r.max_score)

    def lookup(year, code, where, problems):
        if year is None or not _buddhist(year):  # the year itself is the fault, reported with its row
            return None
        years = [y for y in by_year if y <= year]
        found = by_year[max(years)].get(code) if years else None
        if found is None and code:
            problems.append(
                ImportProblem(
                    where,
                    f"no maximum for criterion {code} in {year}: add a max_score "
                    "column, a row of maxima under the header, or the scheme",
                    "no_maximum",
                    f"{code} ({year})",
                )
            )
        return found

    return lookup


def prepare(
    paths: list[Path], data_dir: Path, year: int | None = None, sheet: str | None = None, shown: list[str] | None = None
) -> Prepared:
    """Read, parse and validate every file; the result either holds a table or the problems."""
    from dashboard.data import staged_import  # CSV files read by DuckDB; it uses this module's parsers

    result = Prepared(based_on=delta.version_of(data_dir))
    staged = staged_import.read(paths, data_dir, year, sheet, shown, result)
    table, origins, headers = staged or _read_all(paths, data_dir, year, sheet, shown, result)
    if table is not None:  # the contract's rules on every row that could be read, so all problems show at once
        _check_contract(table, origins, headers, result)
        if not result.problems:
            result.table = table
    elif not result.problems:
        result.problems.append(
            ImportProblem(Where(", ".join(shown or [p.name for p in paths])), "no data rows", "no_data")
        )
    result.total_problems = max(result.total_problems, len(result.problems))
    return result


def _read_all(paths, data_dir, year, sheet, shown, result: Prepared) -> tuple[pa.Table | None, list, list]:
    """Every file's rows as one table, with where each row came from. The cells and records read on
    the way are let go on return, before the table is validated: they take ten times its memory."""
    out = _Rows()
    maxima = _maxima_lookup(scheme.load(data_dir).criteria)
    for i, path in enumerate(paths):
        name = shown[i] if shown else Path(path).name
        for read in read_sheets(path, sheet, name, result.notices):
            _parse_sheet(read, year, maxima, out, result.problems)
        if Path(path).suffix.lower() == ".parquet" and contract.is_synthetic(Path(path)):
            result.synthetic = True
        result.sources.append(delta.Source.of(path, name))
    records, origins, headers = out.parsed()
    return (_to_table(records) if records else None), origins, headers


def _parse_sheet(
    s: Sheet, year: int | None, maxima, out: _Rows, problems: list[ImportProblem], read_long=_long, read_wide=_wide
) -> None:
    """A sheet's rows into `out` in the contract's columns (its cells are let go once a file is parsed,
    before the table is built). staged_import passes its own `read_long` and `read_wide`, so a sheet's
    own problems are said here alone."""
    cols, codes = _columns(s, problems)
    if "criterion" not in cols:  # the wide layout, or no layout: no criterion column may go unread
        problems += _unknown_codes(s)
    if not s.rows:
        problems.append(ImportProblem(Where(s.file, s.name), "the header has no rows under it", "no_rows_under_header"))
    elif "criterion" in cols:
        read_long(s, cols, year, maxima, out, problems)
    elif codes:
        read_wide(s, cols, codes, year, maxima, out, problems)
    else:
        problems.append(
            ImportProblem(
                Where(s.file, s.name),
                "no criterion column (long layout) and no criterion-code columns such as 1.1.1 (wide layout)",
                "no_layout",
            )
        )
    if "agency_code" not in cols and s.rows:
        problems.append(ImportProblem(Where(s.file, s.name), "no agency_code column", "no_agency_code_column"))
    if "fiscal_year" not in cols and year is None and s.rows:
        message = "no fiscal_year column: give the year with --year"
        problems.append(ImportProblem(Where(s.file, s.name), message, "no_year_column"))


def _to_table(records: list[tuple]) -> pa.Table:
    """Column by column: never a second copy of every row."""
    import pyarrow as pa

    types = {"integer": pa.int32(), "number": pa.float64(), "text": pa.string()}
    return pa.table(
        {c: pa.array([r[i] for r in records], types[k]) for i, (c, k) in enumerate(contract.COLUMNS.items())}
    )


def _check_contract(table: pa.Table, origins: list[Where], headers: list[dict], result: Prepared) -> None:
    """The same rules as `validate`, over the rows where they are (a scratch Parquet copy to check
    cost a tenth of a second at 336,000 rows); each problem mapped back to its source row."""
    report = validation.check_rows(table, Path("import"))
    add_contract_problems(report, origins, headers, result)


def add_contract_problems(report: validation.Validation, origins, headers, result: Prepared) -> None:
    """The contract's problems with a table of the import's rows, each mapped back to its source row."""
    for p in report.problems:
        if p.row is None:
            result.problems.append(ImportProblem(Where("import"), p.message, p.code, p.detail))
            continue
        where, named = origins[p.row], headers[p.row]
        column = named.get(p.column, p.column) if p.column else where.column
        key = p.key.split(" (row")[0]
        result.problems.append(
            ImportProblem(Where(where.file, where.sheet, where.row, column), f"{p.message} [{key}]", p.code, p.detail)
        )
    result.total_problems = len(result.problems) - len(report.problems) + report.total_problems


# --- writing ----------------------------------------------------------------------------------


def write(prepared: Prepared, location: Path, replace: bool = False) -> list[str]:
    """Commit every year of the import to the store in one version. Returns what was done, line by line."""
    if not prepared.ok:
        raise DataError("nothing was written: the import has problems")
    version, per_year = delta.write_years(
        location,
        prepared.table,
        prepared.sources,
        replace,
        prepared.based_on,
        prepared.synthetic,
        prepared.rows_per_year(),
    )
    return [f"{year}: {rows:,} rows" for year, rows in sorted(per_year.items())] + [f"store version {version}"]
