"""XLSX imports read by calamine and staged in DuckDB (dashboard/data/staged_xlsx.py) answer exactly as
the Python reader does: the same table, the same problems in the same order, the same refusals and
notices; what calamine would read otherwise goes the Python way. Files written here by xlsxwriter and
openpyxl, read again both ways."""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import importer, staged_xlsx
from tests.test_import import LONG_HEADER
from tests.test_staged_import import EXTRA, WIDE, outcome, python_way


@pytest.fixture
def no_python_way(monkeypatch):
    """The Python reader refuses to run: what is imported here was read by calamine and DuckDB."""

    def refuse(*a):
        raise AssertionError("read the Python way")

    monkeypatch.setattr(importer, "_read_all", refuse)


@pytest.fixture
def python_way_taken(monkeypatch):
    """How many times the Python reader ran."""
    called = []
    monkeypatch.setattr(importer, "_read_all", lambda *a, real=importer._read_all: called.append(1) or real(*a))
    return called


def write_xlsx(path: Path, rows: list[list], sheet: str = "ผล", at: tuple[int, int] = (0, 0), **options) -> Path:
    """The rows with xlsxwriter from the cell `at` (row, column), each value as its type: a number as
    a number, a text as text; None left out."""
    book = xlsxwriter.Workbook(str(path), options)
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(at[0] + r, at[1] + c, value)
    book.close()
    return path


# By hand: X1 1.1 = 7.5 of 10, 7.1 = 15 of 20; agency 10001 (a code typed as a number) 1.1 = 9 of 10,
# 7.1 not assessed. Numbers as numbers, the way Excel saves what is typed.
ROWS = [
    [2566, "X1", "กรมทดลอง", "ส่วนราชการ", "กระทรวงทดสอบ", 1, "1.1", 7.5, 10],
    [2566, "X1", "กรมทดลอง", "ส่วนราชการ", "กระทรวงทดสอบ", 7, "7.1", 15, 20],
    [2566, 10001, "จังหวัดทดลอง", "จังหวัด", "กลุ่มจังหวัดทดสอบ", 1, 1.1, 9, 10.0],
    [2566, 10001, "จังหวัดทดลอง", "จังหวัด", "กลุ่มจังหวัดทดสอบ", 7, "7.1", "-", 20],
]


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}], ids=["shared text", "inline text"])
def test_a_clean_xlsx_is_read_by_calamine_as_the_rows_it_holds(tmp_path, no_python_way, options):
    # two blank rows and a blank column before the table: its header is row 3, its rows 4-7
    path = write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS], at=(2, 1), **options)
    p = importer.prepare([path], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    got = [
        (r["agency_code"], r["agency_type"], r["category"], r["criterion"], r["score"], r["max_score"])
        for r in p.table.to_pylist()
    ]
    assert got == [
        ("X1", "department", 1, "1.1", 7.5, 10.0),
        ("X1", "department", 7, "7.1", 15.0, 20.0),
        ("10001", "province", 1, "1.1", 9.0, 10.0),
        ("10001", "province", 7, "7.1", None, 20.0),
    ]
    assert {r["fiscal_year"] for r in p.table.to_pylist()} == {2566}


def test_an_xlsx_is_staged_without_importing_pandas(tmp_path):
    """Arrow arrays made from the cells would import pandas (pyarrow asks it whether a list is its
    own): 0.2 s and 50 MB of an import. A fresh process, as the tests themselves import pandas; the
    Python way is barred there, so the file was staged."""
    path = write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS])
    store = tmp_path / "store"
    code = (
        "import sys; from pathlib import Path; from dashboard.data import importer; "
        "importer._read_all = lambda *a: sys.exit('read the Python way'); "
        f"p = importer.prepare([Path({str(path)!r})], Path({str(store)!r})); "
        "print(p.ok, p.table.num_rows, 'pandas' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "4", "False"]


def test_calamine_reads_the_sheet_before_pyarrow_is_loaded(tmp_path):
    """calamine's grid is the import's peak; pyarrow (about 40 MB with its NumPy parts) is needed only
    when the read rows become a table, so it is loaded after the grid is handed back: a national
    sheet's peak fell from 433 to 398 MB, under issue 20's 3x its 139 MB of XML. A fresh process, as the
    tests themselves load pyarrow."""
    path = write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS])
    store = tmp_path / "store"
    code = (
        "import sys; from pathlib import Path; from dashboard.data import importer, staged_xlsx; "
        "importer._read_all = lambda *a: sys.exit('read the Python way'); "
        "read = staged_xlsx._read; seen = []; "
        "staged_xlsx._read = lambda *a: seen.append('pyarrow' in sys.modules) or read(*a); "
        f"p = importer.prepare([Path({str(path)!r})], Path({str(store)!r})); "
        "print(p.ok, p.table.num_rows, seen)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "4", "[False]"]


def test_bad_cells_are_named_with_their_sheet_and_row(tmp_path, no_python_way):
    rows = [list(r) for r in ROWS]
    rows[1][7] = "abc"  # row 3 (the header is row 1): its score
    rows[2][0] = 2022  # row 4: a C.E. year
    rows[3][8] = 12345678  # row 5: a maximum out of range
    p = importer.prepare([write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *rows])], tmp_path)
    assert [(str(x.where), x.code, x.detail) for x in p.problems] == [
        ("x.xlsx, sheet ผล, row 3, column คะแนน", "not_a_number", "abc"),
        ("x.xlsx, sheet ผล, row 4, column ปีงบประมาณ", "year_not_be", "2022"),
        ("x.xlsx, sheet ผล, row 5, column คะแนนเต็ม", "out_of_range", "12345678"),
    ]
    assert p.table is None


def test_a_wide_xlsx_is_read_one_row_per_code_column(tmp_path, no_python_way):
    rows = [[float(c) if c.isdigit() else c for c in r] for r in WIDE]  # scores and years as numbers
    p = importer.prepare([write_xlsx(tmp_path / "x.xlsx", rows)], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    assert [(r["agency_code"], r["criterion"], r["score"], r["max_score"]) for r in p.table.to_pylist()] == [
        ("W1", "1.1.1", 8.0, 10.0),
        ("W1", "7.1", 30.0, 40.0),
        ("W2", "1.1.1", 6.0, 10.0),
        ("W2", "7.1", None, 40.0),
    ]


def test_a_hidden_sheet_is_left_out_with_the_python_ways_notice(tmp_path, no_python_way):
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    shown, draft = book.add_worksheet("ผล"), book.add_worksheet("ร่าง")
    for r, row in enumerate([LONG_HEADER, *ROWS]):
        shown.write_row(r, 0, row)
    draft.write_row(0, 0, ["DRAFT"])
    draft.hide()
    book.close()
    p = importer.prepare([tmp_path / "x.xlsx"], tmp_path)
    assert p.ok and p.table.num_rows == 4
    assert p.notices == ["x.xlsx: hidden sheet 'ร่าง' was left out"]


def _openpyxl_book(path: Path, last: list) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "ผล"
    for row in [LONG_HEADER, *ROWS[:-1], last]:
        book.active.append(row)
    book.save(path)
    return path


def _saved_as(path: Path, old: bytes, new: bytes) -> Path:
    """The file with its sheet's XML changed, as another program might have saved it."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(old, new, 1)
    changed = path.with_name("changed.xlsx")
    with zipfile.ZipFile(changed, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return changed


LAST = list(ROWS[-1])


def _hidden_row(path: Path) -> Path:
    book = openpyxl.load_workbook(_openpyxl_book(path, LAST))
    book.active.row_dimensions[3].hidden = True
    book.save(path)
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda p: _openpyxl_book(p, [*LAST[:8], "=5+2.5"]),  # a formula: refused as today
        lambda p: _openpyxl_book(p, [datetime.date(2023, 5, 1), *LAST[1:]]),  # a date
        lambda p: _openpyxl_book(p, [*LAST[:7], True, LAST[8]]),  # a boolean
        _hidden_row,  # left out with a notice
        lambda p: _saved_as(_openpyxl_book(p, LAST), b"<v>10001</v>", b"<v>10001.0</v>"),  # a float to openpyxl
        lambda p: _saved_as(_openpyxl_book(p, LAST), b"<v>10001</v>", b"<v>1.0001E4</v>"),
        lambda p: _openpyxl_book(p, [2566.5, *LAST[1:]]),  # '2566.5 is not a whole number', without quotes
        lambda p: _saved_as(_openpyxl_book(p, LAST), b"<v>20</v>", b"<v>0.00001</v>"),  # 1e-05 to Python
    ],
    ids=["formula", "date", "boolean", "hidden row", "1.0", "1E4", "not whole", "exponent"],
)
def test_what_calamine_reads_otherwise_goes_the_python_way(tmp_path, monkeypatch, python_way_taken, make):
    path = make(tmp_path / "x.xlsx")
    staged = outcome(path, tmp_path)
    assert python_way_taken
    assert staged == python_way(monkeypatch, path, tmp_path)


def test_a_number_not_whole_in_a_year_is_said_as_the_python_way_says_it(tmp_path):
    """By hand: openpyxl reads 2566.5 as a float, and parse_integer says so with its repr."""
    path = _openpyxl_book(tmp_path / "x.xlsx", [2566.5, *LAST[1:]])
    problems = importer.prepare([path], tmp_path).problems
    assert [(str(p.where), p.message) for p in problems] == [
        ("x.xlsx, sheet ผล, row 5, column ปีงบประมาณ", "2566.5 is not a whole number")
    ]


def test_a_sheet_past_a_limit_is_never_read_by_calamine(tmp_path, monkeypatch, python_way_taken):
    """Its rows counted from the XML before calamine builds its grid, whatever size the sheet declares:
    refused there, in its words."""
    monkeypatch.setenv("PMQA_IMPORT_MAX_CELLS", "30")  # 5 rows × 9 columns = 45
    monkeypatch.setattr(staged_xlsx, "_read", lambda *a: pytest.fail("calamine read a sheet past a limit"))
    written = write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS])
    path = _saved_as(written, b'<dimension ref="A1:I5"/>', b'<dimension ref="A1"/>')  # a size it does not hold
    assert outcome(path, tmp_path)[0] == "refused" and python_way_taken


CELLS = st.one_of(
    EXTRA,
    st.sampled_from([7, 7.5, 2566, 2566.5, 10001, -2.5, 0, 1000001, 1e-05, 3.0e20, True, None]),
    st.sampled_from([datetime.date(2023, 5, 1), "=1+1", " X1", "X1\n", "_x000D_"]),
)


@st.composite
def odd_xlsx(draw):
    """ROWS or WIDE with cells of every kind a sheet holds, written by one of three writers."""
    wide = draw(st.booleans())
    rows = [list(r) for r in (WIDE if wide else [LONG_HEADER, *ROWS])]
    for _ in range(draw(st.integers(0, 5))):
        r, c = draw(st.integers(1, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = draw(CELLS)
    writer = draw(st.sampled_from(["xlsxwriter", "constant_memory", "openpyxl"]))
    return writer, rows, draw(st.sampled_from([None, 2566, 2567]))


def _written(path: Path, writer: str, rows: list[list]) -> Path:
    if writer != "openpyxl":
        return write_xlsx(path, rows, constant_memory=writer == "constant_memory")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=odd_xlsx())
def test_calamine_and_python_read_any_xlsx_alike(monkeypatch, drawn):
    writer, rows, year = drawn
    with tempfile.TemporaryDirectory() as tmp:
        path = _written(Path(tmp) / "input.xlsx", writer, rows)
        assert outcome(path, Path(tmp), year=year) == python_way(monkeypatch, path, Path(tmp), year=year)


# --- Files made to be read otherwise by calamine: each goes the Python way before calamine reads it ---


def _edited(path: Path, changes: dict[str, tuple[bytes, bytes]], added: dict[str, bytes] | None = None) -> Path:
    """The file with parts changed (part: (old, new)) or added, as a hostile program might save it."""
    with zipfile.ZipFile(path) as src:
        parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    edited = path.with_name("edited.xlsx")
    with zipfile.ZipFile(edited, "w") as dst:
        for name, data in parts:
            if name in changes:
                old, new = changes[name]
                assert old in data, (name, old)
                data = data.replace(old, new, 1)
            dst.writestr(name, data)
        for name, data in (added or {}).items():
            dst.writestr(name, data)
    return edited


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "old, new",
    [
        (b'<c r="I5">', b'<c r="I100000000">'),  # a grid of 10^8 rows: calamine aborts the process
        (b'<c r="I5">', b'<c r="ZZZZ5">'),  # 475,254 columns
        (b'<c r="I5">', b'<c r="zzz5">'),  # calamine reads lower case too: 18,278 columns
        (b'<c r="I5">', b'<c s="0" r="I100000000">'),  # the reference not first
        (b'<c r="I5">', b"<c r='I100000000'>"),  # in single quotes
        (b'<c r="I5">', b'<c r="I5"\nr="I100000000">'),  # named twice
        (b'<c r="I5"><v>20</v></c>', b'<c r="I5"><v>20</v></c><c/><c/><c><v>1</v></c>'),  # placed by count
        (b'<c r="I5"><v>20</v></c>', b'<x:c xmlns:x="urn:x" r="I100000000"><v>20</v></x:c>'),  # by local name
    ],
    ids=["far row", "four letters", "lower case", "not first", "quoted", "twice", "no reference", "prefixed"],
)
def test_a_cell_placed_past_the_rows_never_reaches_calamine(tmp_path, monkeypatch, python_way_taken, old, new):
    """calamine makes a grid of every place from the first cell to the last, whatever the rows say: one
    cell named far away asks it for gigabytes, and Rust aborts the whole process (no exception to
    catch). The cells' references are bounded before calamine is called; the Python way refuses the
    file or reads it in its words."""
    read = []  # noted, not raised: the scan's own Unstaged, raised after calamine returns, would hide it
    monkeypatch.setattr(staged_xlsx, "_read", lambda *a: read.append(1))
    path = _edited(write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS]), {SHEET: (old, new)})
    assert outcome(path, tmp_path) == python_way(monkeypatch, path, tmp_path)
    assert python_way_taken and not read


CONTENT_TYPES, BOOK_RELS = "[Content_Types].xml", "xl/_rels/workbook.xml.rels"


def _strings_elsewhere(path: Path) -> Path:
    """The shared strings at xl/strings2.xml, as the content types and relationships say; at
    xl/sharedStrings.xml, which calamine reads by its name, others."""
    with zipfile.ZipFile(path) as src:
        strings = src.read("xl/sharedStrings.xml")
    changes = {
        CONTENT_TYPES: (b'PartName="/xl/sharedStrings.xml"', b'PartName="/xl/strings2.xml"'),
        BOOK_RELS: (b'Target="sharedStrings.xml"', b'Target="strings2.xml"'),
        "xl/sharedStrings.xml": (b"<t>X1</t>", b"<t>OTHER</t>"),
    }
    return _edited(path, changes, {"xl/strings2.xml": strings})


def _workbook_elsewhere(path: Path) -> Path:
    """The workbook at xl/book2.xml naming sheet2.xml; calamine reads xl/workbook.xml by its name, which
    names sheet1.xml, a sheet with another score."""
    with zipfile.ZipFile(path) as src:
        book, rels, sheet = src.read("xl/workbook.xml"), src.read(BOOK_RELS), src.read(SHEET)
    added = {
        "xl/book2.xml": book,
        "xl/_rels/book2.xml.rels": rels.replace(b"worksheets/sheet1.xml", b"worksheets/sheet2.xml"),
        "xl/worksheets/sheet2.xml": sheet,
    }
    changes = {
        "_rels/.rels": (b'Target="xl/workbook.xml"', b'Target="xl/book2.xml"'),
        CONTENT_TYPES: (b'PartName="/xl/workbook.xml"', b'PartName="/xl/book2.xml"'),
        SHEET: (b"<v>7.5</v>", b"<v>3.5</v>"),
    }
    return _edited(path, changes, added)


def _sheet_named_twice(path: Path) -> Path:
    """A second sheet part whose name differs only in case: calamine finds parts by their names in any
    case, the last one written."""
    with zipfile.ZipFile(path) as src:
        sheet = src.read(SHEET)
    return _edited(path, {}, {"xl/worksheets/SHEET1.xml": sheet.replace(b"<v>7.5</v>", b"<v>3.5</v>")})


@pytest.mark.parametrize("make", [_strings_elsewhere, _workbook_elsewhere, _sheet_named_twice])
def test_calamine_reads_the_parts_the_python_way_reads_or_none(tmp_path, monkeypatch, make):
    """calamine finds the workbook and its shared strings by their usual names, and any part by its name
    in any case; openpyxl by the package's content types and relationships. A file whose parts the two
    would find apart goes the Python way: the table is the one the Python way reads, X1's 1.1 scored 7.5."""
    path = make(write_xlsx(tmp_path / "x.xlsx", [LONG_HEADER, *ROWS]))
    staged = outcome(path, tmp_path)
    assert staged == python_way(monkeypatch, path, tmp_path)
    assert [(r["agency_code"], r["score"]) for r in staged[2][:1]] == [("X1", 7.5)]
