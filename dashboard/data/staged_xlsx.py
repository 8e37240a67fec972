"""An XLSX sheet read by calamine (a Rust reader) into the text table staged_import parses in SQL.

importer.py reads an XLSX with expat and openpyxl's cell decoding, about 30 µs a cell: 40 s for one
year of the whole country. Here python-calamine reads the chosen sheet and its cells become text as
the Python way would print them (a number saved as "3" is 3, as "1.5" is 1.5), handed a batch of
rows at a time to staged_import, which stages them like a CSV's rows; from there both kinds of file
are parsed alike. The batches are NumPy columns of Python strings, which DuckDB reads as they are:
making Arrow arrays of them would import pandas (pyarrow asks it whether a list is its own), 0.2 s
and 50 MB of an import.

The file is first checked and opened as the Python way does (importer._check_package, _open_book:
its sheets, their states, the sheet's declared size, its date styles and shared strings), and the
sheet's XML is scanned as bytes, without parsing it, for what calamine reads otherwise or what the
Python way refuses or leaves out. Any of these sends the file the Python way (`Unstaged`), which then
says what it says today:
- a package whose workbook, shared strings or sheet calamine would find in other parts than openpyxl
  (it finds them by their usual names, in any case, not by the content types and relationships);
- more than one sheet to read, a sheet that is not a worksheet, a sheet past a limit (counted from
  its rows and cells as saved, before calamine builds its grid, which holds every cell of the range),
  a cell calamine could place outside the rows and columns counted (named past its row, or not
  named where this scan looks: its grid would be as large as the name says, and a failed Rust
  allocation ends the process);
- a formula (its saved value may be a placeholder), a hidden row, a cell that is not a number, a
  shared string or inline text (a boolean, an error, a date), a date style (openpyxl's or calamine's);
- a number saved in a form openpyxl reads otherwise (1.0 is a float to openpyxl, an int here; 1E3,
  a space, a word), one Python would print with an exponent, or one past 2**53;
- text calamine reads otherwise: an escape such as _x000D_, white space at either end of a text saved
  without xml:space, a namespace prefix, a DOCTYPE, a comment or a CDATA section; a row whose cells
  name another row, rows out of order or unnumbered (calamine places a cell by its reference, the
  Python way by its row).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import posixpath
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dashboard.data import importer
from dashboard.errors import DataError

_BATCH = 16_384  # rows converted at a time: the sheet's cells are held once, by calamine
_BIGGEST_EXACT = 2**53  # a whole number past it is not the one saved
_INLINE_MARKUP = len('<c r="A1" t="inlineStr"><is><t></t></is></c>')  # bytes around an inline text at least

# What a sheet's rows may hold for calamine to read them as the Python way does (module docstring)
_OTHER_TYPE = re.compile(rb' t="(?!s"|n"|inlineStr")')
_FORMULA = re.compile(rb"<f[\s>/]")
_STYLE = re.compile(rb' s="(?![0-9]+")')
_NUMBER = re.compile(rb"<v>(?![+-]?(?:[0-9]{1,300}|[0-9]{0,300}\.[0-9]{0,300}[1-9])</v>)")  # whole: no dot
_TRIMMED = re.compile(rb"<t>(?:\s|[^<]*\s</t>)")  # calamine trims a text saved without xml:space
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Za-z]{2,})')  # calamine reads a column's letters in either case
# An attribute quoted or spaced otherwise than name="value", which the patterns below would miss, or a
# reference not a cell's first attribute; white space other than one space (a line break calamine and
# expat may also read otherwise)
_UNPLACED = (b" =", b"= ", b"='", b'" r="', b"\t", b"\n", b"\r")
_PREFIXED_TAG = re.compile(rb"</?[A-Za-z_][\w.-]*:")  # calamine takes <x:c> for a cell, as <c>
_UNNAMED_CELL = re.compile(rb'<c(?! r=")')  # a cell without its reference, or with another attribute first
_REFUSED_BYTES = (b"hidden", b"_x", b"x005F_", b"<![")  # a hidden row, an escape, a CDATA section
_PREFIXED = re.compile(rb":(?:v>|t>|f>|f |is>)")


class Unstaged(Exception):
    """This file is read the Python way (see the module's docstring)."""


@dataclass
class Staged:
    """The sheet staged: its name, the spreadsheet row of the first row handed on, and the columns
    (by index from A) where a number is not whole, which the Python way names otherwise in a message
    of an integer column (2566.5 rather than '2566.5')."""

    name: str
    first_line: int
    fractions: set[int] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)


@dataclass
class _Extent:
    """What the scan of a sheet's XML found."""

    rows: int = 0  # <row> elements
    last_row: int = 0
    width: int = 26  # columns: A–Z unless a two- or three-letter reference says more
    shared: int = 0  # cells of shared strings
    inline: int = 0  # cells of inline text
    xml: int = 0  # the rows' XML, bytes


def stage(path: Path, shown: str, sheet: str | None, take) -> Staged:
    """The chosen sheet's cells as text, one column per sheet column from A (c0, c1, …), handed to
    `take` a batch of rows at a time, in order: a dict of NumPy object arrays of str."""
    try:
        importer._check_package(path, shown)
        book = importer._open_book(path, shown)
    except DataError:
        raise Unstaged from None
    try:
        staged = _choose(book, shown, sheet)
        _found_alike(book._archive)
        ws = book[staged.name]
        _declared(ws, shown)
        part, dates = ws._worksheet_path, book._date_formats | book._timedelta_formats
        longest = _longest_shared(book, ws)
    finally:
        book.close()
    _bounded(_extent(path, part), longest)  # before calamine holds every cell of the range
    # calamine reads without Python's lock: the sheet is looked through meanwhile, on the other core
    with ThreadPoolExecutor(1) as pool:
        alike = pool.submit(_alike, path, part, dates)
        try:
            return _read(path, staged, take)
        finally:
            alike.result()  # Unstaged, if calamine could read the sheet otherwise
            _give_back()


def _give_back() -> None:
    """calamine's grid handed back to the system: freed, it stays with the C allocator, and the SQL that
    follows would take its memory on top (glibc only; elsewhere nothing is done)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _choose(book, shown: str, sheet: str | None) -> Staged:
    """The one sheet the Python way would read (importer._read_book), with its notices."""
    if sheet is not None:
        if sheet not in book.sheetnames or not hasattr(book[sheet], "_get_source"):
            raise Unstaged
        return Staged(sheet, 1)
    notices, visible = [], []
    for name in book.sheetnames:
        ws = book[name]
        if not hasattr(ws, "_get_source"):  # a chart sheet
            raise Unstaged
        if ws.sheet_state != "visible":
            notices.append(f"{importer.Where(shown)}: hidden sheet {name!r} was left out")
        else:
            visible.append(name)
    if len(visible) != 1:  # none (refused there), or several: read and named one by one there
        raise Unstaged
    return Staged(visible[0], 1, notices=notices)


def _declared(ws, shown: str) -> None:
    """The sheet's dimension against the limits, as importer._read_book checks it."""
    if ws.max_row and ws.max_column:
        rows, columns = ws.max_row - ws.min_row + 1, ws.max_column - ws.min_column + 1
        try:
            importer._check_declared(importer.Where(shown, ws.title), rows, columns, "its dimension")
        except DataError:
            raise Unstaged from None


def _found_alike(archive: zipfile.ZipFile) -> None:
    """Whether calamine finds the workbook, its shared strings and its sheets in the parts openpyxl reads.
    openpyxl finds them by the content types and relationships; calamine finds the workbook and the
    shared strings by their usual names in the folder _rels/.rels names, a sheet by its relationship's
    target as written (openpyxl resolves ./ and ../), and any part by its name in any case (of two
    alike, the last written). A file made so the two read other parts goes the Python way."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS

    folded = [name.replace("\\", "/").lower() for name in archive.namelist()]
    if len(set(folded)) != len(folded):
        raise Unstaged
    manifest = Manifest.from_tree(_xml(archive, ARC_CONTENT_TYPES))
    book = _find_workbook_part(manifest).PartName[1:]
    documents = [r.Target for r in _relationships(archive, "_rels/.rels") if r.Type.endswith("/officeDocument")]
    folder = documents[-1][: documents[-1].rfind("/") + 1].removeprefix("/") if documents else None
    strings = manifest.find(SHARED_STRINGS)
    theirs = f"{folder}sharedStrings.xml".lower()
    if folder is None or book.lower() != f"{folder}workbook.xml".lower():
        raise Unstaged
    if (strings.PartName[1:].lower() if strings else None) != (theirs if theirs in folded else None):
        raise Unstaged
    rels = _relationships(archive, get_rels_path(book))
    if len({r.Id for r in rels}) != len(rels):
        raise Unstaged
    for r in rels:
        relative = not r.Target.startswith("/")
        if r.TargetMode == "External" or relative and posixpath.normpath(folder + r.Target) != folder + r.Target:
            raise Unstaged


def _xml(archive: zipfile.ZipFile, name: str):
    from openpyxl.xml.functions import fromstring

    try:
        return fromstring(archive.read(name))  # each at most MAX_PART_BYTES: importer._check_part
    except Exception:  # missing or not XML: calamine and openpyxl each fail in their own way
        raise Unstaged from None


def _relationships(archive: zipfile.ZipFile, name: str) -> list:
    from openpyxl.packaging.relationship import RelationshipList

    try:
        rels = list(RelationshipList.from_tree(_xml(archive, name)))
    except TypeError:  # a relationship without its type or target
        raise Unstaged from None
    if not all(r.Type and r.Target and r.Id for r in rels):
        raise Unstaged
    return rels


def _longest_shared(book, ws) -> int:
    """The longest shared string's length, after their part's bytes are checked for what calamine reads
    otherwise: an escape (_x000D_ is a carriage return to calamine, kept as written by openpyxl, which
    takes x005F_ out), white space at either end."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    part = Manifest.from_tree(fromstring(book._archive.read(ARC_CONTENT_TYPES))).find(SHARED_STRINGS)
    if part is not None:
        raw = book._archive.read(part.PartName[1:])  # at most MAX_PART_BYTES: importer._check_part
        if b"_x" in raw or b"x005F_" in raw or _TRIMMED.search(raw):
            raise Unstaged
    strings = ws._shared_strings
    return max((len(s) for s in strings), default=0)


def _blocks(path: Path, part: str):
    with zipfile.ZipFile(path) as package, package.open(part) as src:
        yield from _sheet_data(src)


def _extent(path: Path, part: str) -> _Extent:
    """How many rows the sheet holds, how far they reach and what text they may hold."""
    extent = _Extent()
    for block in _blocks(path, part):
        numbers = [int(n) for n in _ROW_NUMBER.findall(block)]
        if not numbers or len(numbers) != block.count(b"<row") or numbers != sorted(set(numbers)):
            raise Unstaged  # rows unnumbered or out of order: calamine orders them, the Python way not
        if numbers[0] <= extent.last_row or not _placed(block, numbers[-1]):
            raise Unstaged
        extent.rows += len(numbers)
        extent.last_row = numbers[-1]
        extent.width = max([extent.width, *(_column(c) for c in set(_WIDE_CELL.findall(block)))])
        extent.shared += block.count(b't="s"')
        extent.inline += block.count(b't="inlineStr"')
        extent.xml += len(block)
    return extent


def _placed(block: bytes, last: int) -> bool:
    """Whether every cell of the block is named, as calamine finds its name, within the block's rows.
    calamine places a cell by its reference (without one, after the cell before it) in a grid from the
    first place to the last, whatever the rows say: one cell named far away asks for gigabytes, and a
    Rust allocation that fails aborts the whole process. So this is known before calamine is called."""
    if any(b in block for b in _UNPLACED) or (b":" in block and _PREFIXED_TAG.search(block)):
        return False
    return not (_UNNAMED_CELL.search(block) or _past(last).search(block))


@functools.lru_cache(maxsize=64)
def _past(last: int) -> re.Pattern:
    """A cell's reference to a row after `last`: more digits than it, or as many and greater."""
    digits = str(last)
    greater = [b"[0-9]{%d,}" % (len(digits) + 1)]  # a leading 0 is taken for more too: never written
    for i, d in enumerate(digits):
        if d != "9":
            greater.append(b"%s[%d-9][0-9]{%d}" % (digits[:i].encode(), int(d) + 1, len(digits) - i - 1))
    return re.compile(rb'<c r="[A-Za-z]+(?:' + b"|".join(greater) + rb')"')


def _alike(path: Path, part: str, dates: set[int]) -> None:
    """Whether calamine reads every cell of the sheet as the Python way does (module docstring)."""
    used = re.compile(rb' s="(?:' + b"|".join(str(d).encode() for d in sorted(dates)) + rb')"') if dates else None
    rows = re.compile(  # a row with at most MAX_COLUMNS cells, each named by its row's number
        rb'<row r="([0-9]+)"[^>/]*(?:/>|>(?:<c r="[A-Z]{1,3}\1"[^>/]*(?:/>|>[^<]*(?:<(?!/c>)[^<]*)*</c>)){0,%d}</row>)'
        % importer.limit("MAX_COLUMNS")
    )
    patterns = [p for p in (_PREFIXED, _OTHER_TYPE, _FORMULA, _STYLE, _NUMBER, _TRIMMED, used) if p is not None]
    for block in _blocks(path, part):
        if any(b in block for b in _REFUSED_BYTES) or block.count(b"=") != block.count(b'="'):
            raise Unstaged
        if block.count(b't="inlineStr"') != block.count(b"<is>") or len(rows.findall(block)) != block.count(b"<row"):
            raise Unstaged
        if any(p.search(block) for p in patterns):
            raise Unstaged


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _sheet_data(src):
    """The sheet's <sheetData> content in blocks that end where a row begins."""
    head, tail = b"", b""
    while b"<sheetData>" not in head:
        block = src.read(1 << 20)
        if not block or len(head) > importer._SHEET_HEAD:
            raise Unstaged  # no rows, or a prefixed or empty <sheetData/>: the Python way reads it
        head += block
    if b"<!" in head[: head.index(b"<sheetData>")]:
        raise Unstaged  # a DOCTYPE: refused there
    tail = head[head.index(b"<sheetData>") + len(b"<sheetData>") :]
    while True:
        block = src.read(1 << 20)
        text = tail + block
        end = text.find(b"</sheetData>")
        if end >= 0:
            if text[:end]:
                yield text[:end]
            return
        if not block:
            raise Unstaged
        cut = text.rfind(b"<row")
        if cut > 0:
            yield text[:cut]
            text = text[cut:]
        tail = text


def _bounded(extent: _Extent, longest: int) -> None:
    """The sheet within the limits however its cells read (rows, the grid calamine builds, text), so a
    sheet the Python way would refuse is never read into memory here."""
    inline_text = max(extent.xml - _INLINE_MARKUP * extent.inline, 0)
    if (
        extent.rows == 0
        or max(extent.rows, extent.last_row) > importer.limit("MAX_ROWS")
        or extent.width > importer.limit("MAX_COLUMNS")
        or extent.last_row * extent.width > importer.limit("MAX_CELLS")
        or extent.shared * longest + inline_text > importer.limit("MAX_TEXT")
    ):
        raise Unstaged


def _read(path: Path, staged: Staged, take) -> Staged:
    """calamine's reading of the sheet, converted a batch of rows at a time."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            sheet = book.get_sheet_by_name(staged.name)
            if sheet.end is None:
                raise Unstaged
            last_row, last_column = sheet.end
            rows = sheet.iter_rows()
            count = _hand_on(rows, last_column + 1, staged, take)
    except (CalamineError, ValueError, OverflowError):
        raise Unstaged from None
    staged.first_line = last_row + 2 - count  # iter_rows starts at row 1 or at the range's first
    return staged


def _hand_on(rows, width: int, staged: Staged, take) -> int:
    """The rows to `take` in batches of text columns; how many rows there were."""
    count, text, batch = 0, _Text(), []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            take(_texts(batch, width, staged, text))
            count, batch = count + len(batch), []
    if batch:
        take(_texts(batch, width, staged, text))
        count += len(batch)
    return count


class _Text:
    """The characters of text read so far, counted as importer._Budget counts them."""

    def __init__(self):
        self.chars = 0


def _texts(batch: list[list], width: int, staged: Staged, text: _Text) -> dict[str, np.ndarray]:
    """A batch of rows as text columns; a row shorter than the sheet (iter_rows from the range's first
    column) is padded on the left."""
    lead = width - len(batch[0])
    columns = [np.full(len(batch), None, dtype=object)] * lead
    for i, values in enumerate(zip(*batch, strict=True)):
        columns.append(_column_text(values, lead + i, staged, text))
    if text.chars > importer.limit("MAX_TEXT"):
        raise Unstaged
    return {f"c{i}": column for i, column in enumerate(columns)}


def _column_text(values: tuple, at: int, staged: Staged, text: _Text) -> np.ndarray:
    if set(map(type, values)) == {str}:  # all text: most columns
        if max(map(len, values)) > importer.EXCEL_CELL_CHARS:
            raise Unstaged  # refused there if saved inline
        text.chars += sum(map(len, values))
        return np.array(values, dtype=object)
    # A column of numbers holds few distinct ones (scores, maxima): each is written as text once.
    # (A boolean, equal to 1 and 0 here, never comes: the scan sent a sheet with one away.)
    known: dict = {}

    def learn(v) -> str:
        known[v] = _cell_text(v, at, staged, text)
        return known[v]

    texts = np.array([known[v] if v in known else learn(v) for v in values], dtype=object)
    text.chars += sum(len(v) for v in values if type(v) is str)  # a text met again counts again
    return texts


def _cell_text(v, at: int, staged: Staged, text: _Text) -> str:
    if type(v) is str:
        _check_text(v)
        return v
    if type(v) is float:
        return _number(v, at, staged)
    raise Unstaged  # a date or a time: calamine reads a date style as openpyxl may not


def _check_text(v: str) -> None:
    if len(v) > importer.EXCEL_CELL_CHARS:
        raise Unstaged  # refused there if saved inline


def _number(v: float, at: int, staged: Staged) -> str:
    """A number as openpyxl's reading of it prints: an int where it was saved without a dot (the scan
    sent any other form away), else Python's float."""
    if not math.isfinite(v) or abs(v) >= _BIGGEST_EXACT:
        raise Unstaged
    if v.is_integer():
        return str(int(v))
    staged.fractions.add(at)
    shown = repr(v)
    if "e" in shown:  # 1e-05 is a number to Python, not to importer.parse_number's reading of text
        raise Unstaged
    return shown
