"""A proposed scoring scheme and the candidate indicators that feed it (issue 18), read and checked
once, in the contract's style: one line naming the key, row or column at fault.

A proposal is a JSON object in the shape of one year of scoring_scheme.json, every key optional:

    {"name_th": "ข้อเสนอ ก", "name_en": "Proposal A", "cutoffs": {"advance": 60},
     "criteria": {"1.1.1": 10, "7.1": 40, "7.7": 20}, "sources": {"7.7": "digital_readiness"}}

- `cutoffs`: the levels named replace the year's cut-offs; the others keep theirs; together they
  must rise with the level;
- `criteria`: when given, the proposal's full list of criteria and their maxima: a criterion of the
  data left out is dropped, a kept one rescaled to its new maximum;
- `sources`: a criterion fed by a candidate indicator of the indicators file (every criterion the
  data does not have needs one).

An indicators file (CSV or XLSX, read with the importer's limits) has the columns agency_code,
fiscal_year, indicator and value, the value a share of the maximum from 0 to 100.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.data.contract import MAX_POINTS, printable
from dashboard.errors import DataError

if TYPE_CHECKING:
    from dashboard.data import importer

KEYS = ("name_th", "name_en", "cutoffs", "criteria", "sources")
MAX_BYTES = 1_000_000  # a proposal is a few dozen keys; anything larger is not one
# A scheme has a few dozen criteria and a working group a handful of candidates. Each new criterion
# and each candidate multiplies the rows the scenario's SQL makes by the agencies (and the other
# candidates): far more of either is a mistake or an attack on the server, refused before any query.
MAX_CRITERIA = 500
MAX_INDICATORS = 50
CODE = re.compile(r"[1-7](\.[0-9]+)+")
INDICATOR_COLUMNS = ("agency_code", "fiscal_year", "indicator", "value")


@dataclass(frozen=True)
class Proposal:
    """A proposal as its file says it; `scenario` completes it against a year of the data."""

    file: str  # the name it was given as, for the page and the brief
    name_th: str
    name_en: str
    cutoffs: tuple[tuple[str, float], ...] = ()
    criteria: tuple[tuple[str, float], ...] | None = None  # None: the year's criteria, as they are
    sources: tuple[tuple[str, str], ...] = ()

    def name(self, lang: str) -> str:
        return self.name_th if lang == "th" else self.name_en

    def as_json(self) -> dict:
        """The proposal in its file's shape: what the page saves and the brief quotes."""
        doc: dict = {"name_th": self.name_th, "name_en": self.name_en}
        if self.cutoffs:
            doc["cutoffs"] = dict(self.cutoffs)
        if self.criteria is not None:
            doc["criteria"] = dict(self.criteria)
        if self.sources:
            doc["sources"] = dict(self.sources)
        return doc


@dataclass(frozen=True)
class Indicators:
    """Candidate indicators' values: (agency_code, fiscal_year, indicator, value) rows, value 0–100."""

    file: str
    rows: tuple[tuple[str, int, str, float], ...]

    def names(self) -> set[str]:
        return {r[2] for r in self.rows}

    def of_year(self, year: int) -> dict[str, list]:
        """The year's values as the three lists the scenario queries take."""
        rows = [r for r in self.rows if r[1] == year]
        return {
            "indicator_agencies": [r[0] for r in rows],
            "indicator_names": [r[2] for r in rows],
            "indicator_values": [r[3] for r in rows],
        }


NO_INDICATORS = Indicators("", ())


def _refuse(file: str, key: str, message: str) -> DataError:
    return DataError(f"{printable(file)}: proposal key {printable(key)}: {message}")


def _maximum(value) -> bool:
    """A criterion's maximum: above zero and no larger than the contract allows a score (1e308 would
    overflow the sums into infinity, and every level would follow from nothing)."""
    number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return number and 0 < value <= MAX_POINTS


def _name(doc: dict, key: str, file: str, default: str) -> str:
    value = doc.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _refuse(file, key, "must be a non-empty text")
    return value.strip()


def _cutoffs(doc: dict, file: str) -> tuple[tuple[str, float], ...]:
    cutoffs = doc.get("cutoffs", {})
    if not isinstance(cutoffs, dict):
        raise _refuse(file, "cutoffs", "must be an object of level: minimum percentage")
    for level, value in cutoffs.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise _refuse(file, f"cutoffs.{level}", "must be a percentage from 0 to 100")
    return tuple((level, float(value)) for level, value in cutoffs.items())


def _criteria(doc: dict, file: str) -> tuple[tuple[str, float], ...] | None:
    if "criteria" not in doc:
        return None
    criteria = doc["criteria"]
    if not isinstance(criteria, dict) or not criteria:
        raise _refuse(file, "criteria", "must be an object of criterion: maximum, naming at least one")
    if len(criteria) > MAX_CRITERIA:
        raise _refuse(file, "criteria", f"names {len(criteria):,} criteria; a proposal has at most {MAX_CRITERIA}")
    for code, value in criteria.items():
        if not CODE.fullmatch(code):
            raise _refuse(file, f"criteria.{code}", "is not a criterion code such as 7.1 or 1.1.2")
        if not _maximum(value):
            raise _refuse(
                file,
                f"criteria.{code}",
                f"the maximum must be a number above zero, at most {MAX_POINTS:,}, not {value!r}",
            )
    return tuple((code, float(value)) for code, value in criteria.items())


def _sources(doc: dict, file: str, criteria) -> tuple[tuple[str, str], ...]:
    sources = doc.get("sources", {})
    if not isinstance(sources, dict):
        raise _refuse(file, "sources", "must be an object of criterion: indicator")
    named = None if criteria is None else {code for code, _ in criteria}
    for code, indicator in sources.items():
        if not isinstance(indicator, str) or not indicator.strip():
            raise _refuse(file, f"sources.{code}", "must name an indicator of the indicators file")
        if named is not None and code not in named:
            raise _refuse(file, f"sources.{code}", "is not one of the proposal's criteria")
        if named is None:
            raise _refuse(file, f"sources.{code}", "a source feeds a criterion of `criteria`, which is missing")
    return tuple((code, indicator.strip()) for code, indicator in sources.items())


class _Twice(Exception):
    """A key given twice in one object: JSON would keep the last silently."""


def _once(pairs: list[tuple[str, object]]) -> dict:
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise _Twice(key)
        found[key] = value
    return found


def parse(text: bytes | str, file: str) -> Proposal:
    """A proposal from its file's bytes, or a DataError naming the first key at fault."""
    if len(text) > MAX_BYTES:
        raise DataError(f"{printable(file)}: a proposal is at most {MAX_BYTES:,} bytes")
    try:
        doc = json.loads(text, object_pairs_hook=_once)
    except _Twice as exc:
        raise _refuse(file, str(exc), "is given twice; a proposal names each key once") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"{printable(file)}: not a JSON proposal ({type(exc).__name__}: {exc})") from None
    if not isinstance(doc, dict):
        raise _refuse(file, "(top)", "the file must hold a JSON object")
    for key in doc:
        if key not in KEYS:
            raise _refuse(file, key, f"is not a key of a proposal ({', '.join(KEYS)})")
    stem = Path(file).stem or "proposal"
    criteria = _criteria(doc, file)
    return Proposal(
        file=file,
        name_th=_name(doc, "name_th", file, stem),
        name_en=_name(doc, "name_en", file, stem),
        cutoffs=_cutoffs(doc, file),
        criteria=criteria,
        sources=_sources(doc, file, criteria),
    )


def read(path: Path, shown: str | None = None) -> Proposal:
    path = Path(path)
    shown = shown or path.name
    try:
        if not path.is_file():  # a folder, a device or a pipe: /dev/zero never ends, a pipe may never start
            raise DataError(f"{printable(shown)}: not a file; a proposal is a JSON file")
        with path.open("rb") as f:
            text = f.read(MAX_BYTES + 1)  # never more, whatever the file says its size is
        return parse(text, shown)
    except OSError as exc:
        raise DataError(f"{printable(shown)}: cannot read the proposal ({exc.strerror})") from None


# --- the indicators file --------------------------------------------------------------------------


def _columns(sheet: importer.Sheet) -> dict[str, int]:
    from dashboard.data import importer

    header = [h.strip().lower() for h in sheet.header]
    missing = [c for c in INDICATOR_COLUMNS if c not in header]
    if missing:
        where = importer.Where(sheet.file, sheet.name, sheet.header_row)
        needs = ", ".join(INDICATOR_COLUMNS)
        raise DataError(f"{where}: an indicators file needs the columns {needs}; missing {', '.join(missing)}")
    return {c: header.index(c) for c in INDICATOR_COLUMNS}


def _indicator_row(sheet, at: dict[str, int], row: list, number: int):
    """One row's (agency, year, indicator, value), None for a row without a value (not assessed)."""
    from dashboard.data import importer

    def cell(column):
        i = at[column]
        return row[i] if i < len(row) else None

    def fault(column, message):
        return DataError(f"{importer.Where(sheet.file, sheet.name, number, column)}: {message}")

    code, indicator = cell("agency_code"), cell("indicator")
    code = "" if code is None else str(code)
    if not code or code != code.strip():
        raise fault("agency_code", "an agency code, with no space at either end")
    if indicator is None or not str(indicator).strip():
        raise fault("indicator", "the indicator's name is missing")
    try:
        year, value = importer.parse_integer(cell("fiscal_year")), importer.parse_number(cell("value"))
    except ValueError as exc:
        raise fault("fiscal_year" if "whole" in str(exc) else "value", str(exc)) from None
    if year is None or not 2400 <= year <= 2800:
        raise fault("fiscal_year", "a B.E. fiscal year such as 2565")
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise fault("value", f"{value:.10g} is not a share of the maximum from 0 to 100")
    return code, year, str(indicator).strip(), value


def read_indicators(path: Path, shown: str | None = None) -> Indicators:
    """The indicators file's rows, or a DataError naming the first row at fault (a value outside
    0–100, a duplicate agency, year and indicator, a missing column). An empty value is not assessed."""
    # the importer (pandas, openpyxl) only where a file is read: every `pmqa` command imports this module
    from dashboard.data import importer

    shown = shown or Path(path).name
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataError(f"{printable(shown)}: an indicators file is .csv or .xlsx, not {printable(suffix) or '(none)'}")
    rows, seen = [], {}
    for sheet in importer.read_sheets(Path(path), shown=shown):
        at = _columns(sheet)
        for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
            found = _indicator_row(sheet, at, row, number)
            if found is None:
                continue
            key = found[:3]
            if key in seen:
                where = importer.Where(sheet.file, sheet.name, number)
                agency, indicator = printable(key[0]), printable(key[2])
                raise DataError(
                    f"{where}: {agency} has a second value of {indicator} in {key[1]} (first on row {seen[key]})"
                )
            seen[key] = number
            rows.append(found)
    names = {r[2] for r in rows}
    if len(names) > MAX_INDICATORS:
        raise DataError(
            f"{printable(shown)}: {len(names):,} different indicators; an indicators file holds at most "
            f"{MAX_INDICATORS} candidates (column indicator)"
        )
    return Indicators(shown, tuple(rows))
