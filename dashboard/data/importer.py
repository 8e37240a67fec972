"""Bringing result spreadsheets (CSV, XLSX) or Parquet exports into the versioned store.

Three steps, each safe on its own:
1. `read_sheets`: a file's sheets as header + rows of raw cells, with their spreadsheet row numbers;
2. `prepare`: map headers (contract names or Thai aliases), read the long or the wide layout,
   parse numbers, then check every row with the same rules as `validate` (the rows are written to
   a scratch folder and validated there), naming file, sheet, row and column for each problem;
3. `write`: every year in ONE commit of the versioned store (dashboard/store.py); a replaced year
   stays in the history. Nothing is written while any problem stands.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.data import contract, db, scheme, store
from dashboard.errors import DataError

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


@dataclass(frozen=True)
class Where:
    """A cell or row in the user's file: what a problem message points at."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [
            self.file,
            f"sheet {self.sheet}" if self.sheet else "",
            f"row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
        ]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class ImportProblem:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Sheet:
    file: str
    name: str | None
    header: list[str]
    rows: list[list]
    row_numbers: list[int]  # the spreadsheet's own row number of each row


@dataclass
class Prepared:
    """Parsed, validated rows ready to write, or the problems that stop them."""

    table: pa.Table | None = None
    problems: list[ImportProblem] = field(default_factory=list)
    total_problems: int = 0
    notices: list[str] = field(default_factory=list)  # what was left out on purpose (hidden sheets, rows)
    sources: list[store.Source] = field(default_factory=list)
    based_on: int | None = None  # the store's version when the import was checked
    synthetic: bool = False  # read from the sample generator's Parquet files

    @property
    def ok(self) -> bool:
        return self.table is not None and not self.problems

    def problems_frame(self) -> pd.DataFrame:
        """The problems as a table: what the Import page lists."""
        return pd.DataFrame(
            [(p.where.file, p.where.sheet, p.where.row, p.where.column, p.message) for p in self.problems],
            columns=["file", "sheet", "row", "column", "problem"],
        )

    def summary(self) -> dict:
        if self.table is None:
            return {"years": [], "agencies": 0, "rows": 0}
        return {
            "years": sorted(set(self.table["fiscal_year"].to_pylist())),
            "agencies": len(set(self.table["agency_code"].to_pylist())),
            "rows": self.table.num_rows,
        }


def _refused(where: Where, message: str) -> DataError:
    """A problem that stops reading a file at once: one line naming the place."""
    return DataError(str(ImportProblem(where, message)))


# --- reading ----------------------------------------------------------------------------------


def _fold(text) -> str:
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(raw: bytes, shown: str) -> str:
    """By its byte-order mark (UTF-8, -16, -32), else UTF-8, else the Thai Windows code page
    (TIS-620/cp874); a file that is none of these, or holds control bytes, is refused."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    try:
        text = raw.decode(encoding) if encoding else _utf8_or_thai(raw)
    except UnicodeDecodeError:
        text = None
    if text is None or re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise _refused(Where(shown), "cannot be read as text: save it as CSV UTF-8 (or import the .xlsx)")
    return text


def _utf8_or_thai(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp874")


def _sheet(file: str, name: str | None, numbered_rows: list[tuple[int, list]]) -> Sheet:
    """Header = the first non-empty row; data = the non-empty rows below it."""
    filled = [(n, r) for n, r in numbered_rows if any(_fold(c) for c in r)]
    if not filled:
        raise _refused(Where(file, name), "the file is empty")
    (_, header), body = filled[0], filled[1:]
    return Sheet(
        file,
        name,
        [str(h).strip() if h is not None else "" for h in header],
        [r for _, r in body],
        [n for n, _ in body],
    )


def read_csv(path: Path, shown: str) -> list[Sheet]:
    raw = path.read_bytes()
    if not raw.strip():
        raise _refused(Where(shown), "the file is empty")
    text = _decode(raw, shown)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field over the reader's limit, a stray quote: name the line
        raise _refused(Where(shown, row=reader.line_num), f"not a readable CSV row ({exc})") from None
    return [_sheet(shown, None, list(enumerate(rows, start=1)))]


def read_xlsx(path: Path, shown: str, sheet: str | None, notices: list[str]) -> list[Sheet]:
    """Every visible sheet (or the one named), without hidden rows; each left-out part is a notice.
    The workbook is read twice, values and formulas, to find formulas Excel never calculated."""
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise _refused(Where(shown), f"not a readable XLSX file ({type(exc).__name__})") from None
    if sheet is not None and sheet not in values.sheetnames:
        raise _refused(Where(shown), f"no sheet named {sheet!r}; the sheets are " + ", ".join(values.sheetnames))
    sheets = []
    for name in [sheet] if sheet is not None else values.sheetnames:
        if values[name].sheet_state != "visible" and sheet is None:
            notices.append(f"{shown}: hidden sheet {name!r} was left out")
            continue
        rows = _visible_rows(values[name], formulas[name], Where(shown, name), notices)
        if sheet is None and not any(any(_fold(c) for c in r) for _, r in rows):
            continue  # an empty extra sheet in a workbook is not an error
        sheets.append(_sheet(shown, name, rows))
    if not sheets:
        raise _refused(Where(shown), "the workbook has no data")
    return sheets


def _visible_rows(values, formulas, where: Where, notices: list[str]) -> list[tuple[int, list]]:
    rows, hidden = [], []
    for number, (row, raw) in enumerate(zip(values.iter_rows(), formulas.iter_rows(), strict=True), start=1):
        if values.row_dimensions[number].hidden:
            hidden.append(number)
            continue
        for cell, source in zip(row, raw, strict=True):
            if source.data_type == "f" and cell.value is None:
                at = Where(where.file, where.sheet, number, source.coordinate)
                raise _refused(at, "a formula without a calculated value: open and save the file in Excel")
        rows.append((number, [cell.value for cell in row]))
    if hidden:
        shown = ", ".join(map(str, hidden[:10])) + (" …" if len(hidden) > 10 else "")
        notices.append(f"{where}: {len(hidden)} hidden row(s) were left out ({shown})")
    return rows


def read_parquet(path: Path, shown: str) -> list[Sheet]:
    """A Parquet export (the contract's columns) read like a sheet, so every row meets the same checks:
    this is how a folder of exports becomes a store."""
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _refused(Where(shown), f"not a readable Parquet file ({type(exc).__name__})") from None
    header = [str(name) for name in table.column_names]
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    rows = [list(r) for r in zip(*columns, strict=True)]
    return [Sheet(shown, None, header, rows, list(range(1, len(rows) + 1)))]


def sheet_names(path: Path) -> list[str]:
    """The sheets of an XLSX file (none for CSV), for the Import page's sheet choice."""
    if Path(path).suffix.lower() != ".xlsx":
        return []
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # the same file is refused with its reason by read_sheets
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
        raise DataError(f"{shown}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise DataError(f"{shown}: a CSV file has no sheets (--sheet is for XLSX)")
        return read_csv(path, shown)
    if suffix == ".parquet":
        if sheet is not None:
            raise DataError(f"{shown}: a Parquet file has no sheets (--sheet is for XLSX)")
        return read_parquet(path, shown)
    if suffix == ".xlsx":
        return read_xlsx(path, shown, sheet, notices if notices is not None else [])
    raise DataError(f"{shown}: unsupported file type {suffix or '(none)'}; import .csv, .xlsx or .parquet")


# --- parsing ----------------------------------------------------------------------------------


def parse_number(value) -> float | None:
    """A cell as a number; None where not assessed (empty or a dash). Thai digits are read; a comma
    is a thousands separator only in its unambiguous form (1,234 or 1,234.5); anything else raises."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return None if value != value else _bounded(float(value), value)
    text = str(value).translate(THAI_DIGITS).replace("\u00a0", " ").strip()
    if text.lower() in NOT_ASSESSED:
        return None
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text):
        return _bounded(float(text), value)
    if re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
        return _bounded(float(text.replace(",", "")), value)
    raise ValueError(f"{str(value)!r} is not a number (write 7.5 or 1,234.5; a decimal comma is not accepted)")


def _bounded(number: float, value) -> float:
    if not math.isfinite(number) or abs(number) > contract.MAX_POINTS:
        raise ValueError(f"{str(value)[:40]!r} is out of range (at most {contract.MAX_POINTS:,})")
    return number


def parse_integer(value) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _agency_type(value) -> str | None:
    text = _text(value)
    return TYPE_ALIASES.get(_fold(text), text) if text else None


def _columns(sheet: Sheet, problems: list[ImportProblem]) -> tuple[dict[str, int], dict[str, int]]:
    """Contract columns and criterion-code columns by position; duplicated columns are problems."""
    mapped, codes, seen = {}, {}, {}
    for i, title in enumerate(sheet.header):
        name = ALIASES.get(_fold(title))
        code = title.strip() if CRITERION_CODE.fullmatch(title.strip().translate(THAI_DIGITS)) else None
        key = name or code
        if key is None:
            continue
        if key in seen:
            problems.append(
                ImportProblem(
                    Where(sheet.file, sheet.name, column=title),
                    f"duplicated column: {title!r} and {sheet.header[seen[key]]!r} are both {key}",
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

    records: list[dict] = field(default_factory=list)
    origins: list[Where] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # contract column -> the user's header
    unparsed: set[int] = field(default_factory=set)  # records with a cell that could not be read

    def add(self, record: dict, origin: Where, parsed: bool, headers: dict[str, str]) -> None:
        if not parsed:
            self.unparsed.add(len(self.records))
        self.records.append(record)
        self.origins.append(origin)
        self.headers.append(headers)

    def parsed(self) -> tuple[list[dict], list[Where], list[dict[str, str]]]:
        keep = [i for i in range(len(self.records)) if i not in self.unparsed]
        return [self.records[i] for i in keep], [self.origins[i] for i in keep], [self.headers[i] for i in keep]


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _parse_cell(parser, value, where: Where, problems: list[ImportProblem]):
    try:
        return parser(value)
    except ValueError as exc:
        problems.append(ImportProblem(where, str(exc)))
        return None


def _agency_fields(sheet, row, number, cols, year, problems) -> dict:
    fields = {c: _text(_cell(row, cols.get(c))) for c in AGENCY_COLUMNS}
    fields["agency_type"] = _agency_type(_cell(row, cols.get("agency_type")))
    if "fiscal_year" in cols:
        where = Where(sheet.file, sheet.name, number, sheet.header[cols["fiscal_year"]])
        fields["fiscal_year"] = _parse_cell(parse_integer, _cell(row, cols["fiscal_year"]), where, problems)
        if year is not None and fields["fiscal_year"] not in (None, year):
            problems.append(ImportProblem(where, f"fiscal_year {fields['fiscal_year']} differs from --year {year}"))
    else:
        fields["fiscal_year"] = year
    return fields


def _long(sheet: Sheet, cols: dict[str, int], year: int | None, maxima, out: _Rows, problems) -> None:
    headers = {column: sheet.header[i] for column, i in cols.items()}
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
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
    sheet_max = {}
    if rows and not _text(_cell(rows[0][0], cols.get("agency_code"))):  # a row of maxima under the header
        first, number = rows.pop(0)
        for code, i in codes.items():
            where = Where(sheet.file, sheet.name, number, sheet.header[i])
            sheet_max[code] = _parse_cell(parse_number, _cell(first, i), where, problems)
            if sheet_max[code] is None or sheet_max[code] <= 0:
                problems.append(ImportProblem(where, f"the row of maxima has no maximum above zero for {code}"))
    for row, number in rows:
        before = len(problems)
        agency = _agency_fields(sheet, row, number, cols, year, problems)
        for code, i in codes.items():
            where = Where(sheet.file, sheet.name, number, sheet.header[i])
            score = _parse_cell(parse_number, _cell(row, i), where, problems)
            mx = sheet_max.get(code) or maxima(agency["fiscal_year"], code, where, problems)
            record = agency | {"category": int(code.split(".")[0]), "criterion": code, "score": score, "max_score": mx}
            out.add(record, where, len(problems) == before, headers | {"score": sheet.header[i]})


def _maxima_lookup(criteria):
    """Criterion maxima from the scoring scheme, as of each year (the latest scheme year not after it)."""
    by_year: dict[int, dict[str, float]] = {}
    for r in criteria.itertuples():
        by_year.setdefault(int(r.scheme_year), {})[r.criterion] = float(r.max_score)

    def lookup(year, code, where, problems):
        years = [y for y in by_year if year is not None and y <= year]
        found = by_year[max(years)].get(code) if years else None
        if found is None and code:
            problems.append(
                ImportProblem(
                    where,
                    f"no maximum for criterion {code} in {year}: add a max_score "
                    "column, a row of maxima under the header, or the scheme",
                )
            )
        return found

    return lookup


def prepare(
    paths: list[Path], data_dir: Path, year: int | None = None, sheet: str | None = None, shown: list[str] | None = None
) -> Prepared:
    """Read, parse and validate every file; the result either holds a table or the problems."""
    result = Prepared(based_on=store.version_of(data_dir))
    out = _Rows()
    maxima = _maxima_lookup(scheme.load(data_dir).criteria)
    for i, path in enumerate(paths):
        name = shown[i] if shown else Path(path).name
        sheets = read_sheets(path, sheet, name, result.notices)
        if Path(path).suffix.lower() == ".parquet" and contract.is_synthetic(Path(path)):
            result.synthetic = True
        result.sources.append(store.Source.of(path, name))
        for s in sheets:
            cols, codes = _columns(s, result.problems)
            if not s.rows:
                result.problems.append(ImportProblem(Where(s.file, s.name), "the header has no rows under it"))
            elif "criterion" in cols:
                _long(s, cols, year, maxima, out, result.problems)
            elif codes:
                _wide(s, cols, codes, year, maxima, out, result.problems)
            else:
                result.problems.append(
                    ImportProblem(
                        Where(s.file, s.name),
                        "no criterion column (long layout) and no criterion-code columns such as 1.1.1 (wide layout)",
                    )
                )
            if "agency_code" not in cols and s.rows:
                result.problems.append(ImportProblem(Where(s.file, s.name), "no agency_code column"))
            if "fiscal_year" not in cols and year is None and s.rows:
                result.problems.append(
                    ImportProblem(Where(s.file, s.name), "no fiscal_year column: give the year with --year")
                )
    records, origins, headers = out.parsed()
    if records:  # the contract's rules on every row that could be read, so all problems show at once
        table = _to_table(records)
        _check_contract(table, origins, headers, result)
        if not result.problems:
            result.table = table
    elif not result.problems:
        result.problems.append(ImportProblem(Where(", ".join(shown or [p.name for p in paths])), "no data rows"))
    result.total_problems = max(result.total_problems, len(result.problems))
    return result


def _to_table(records: list[dict]) -> pa.Table:
    types = {"integer": pa.int32(), "number": pa.float64(), "text": pa.string()}
    schema = pa.schema([(c, types[k]) for c, k in contract.COLUMNS.items()])
    return pa.Table.from_pylist([{c: r.get(c) for c in contract.COLUMNS} for r in records], schema=schema)


def _check_contract(table: pa.Table, origins: list[Where], headers: list[dict], result: Prepared) -> None:
    """The same rules as `validate`, on a scratch copy; each problem mapped back to its source row."""
    with tempfile.TemporaryDirectory() as scratch:
        pq.write_table(table, Path(scratch) / "import.parquet")
        report = db.validate(Path(scratch))
    for p in report.problems:
        if p.row is None:
            result.problems.append(ImportProblem(Where("import"), p.message))
            continue
        where, named = origins[p.row], headers[p.row]
        column = named.get(p.column, p.column) if p.column else where.column
        key = p.key.split(" (row")[0]
        result.problems.append(ImportProblem(Where(where.file, where.sheet, where.row, column), f"{p.message} [{key}]"))
    result.total_problems = len(result.problems) - len(report.problems) + report.total_problems


# --- writing ----------------------------------------------------------------------------------


def write(prepared: Prepared, location: Path, replace: bool = False) -> list[str]:
    """Commit every year of the import to the store in one version. Returns what was done, line by line."""
    if not prepared.ok:
        raise DataError("nothing was written: the import has problems")
    version, per_year = store.write_years(
        location, prepared.table, prepared.sources, replace, prepared.based_on, prepared.synthetic
    )
    return [f"{year}: {rows:,} rows" for year, rows in sorted(per_year.items())] + [f"store version {version}"]
