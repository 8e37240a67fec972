"""CSV imports staged in DuckDB (dashboard/data/staged_import.py) answer exactly as the Python reader
does: the same table, the same problems in the same order with the same codes and details, the same
refusals; files DuckDB would read otherwise go the Python way."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import importer, staged_import
from dashboard.errors import DataError
from tests.conftest import ROOT
from tests.test_import import LONG_HEADER, LONG_ROWS, write_csv
from tests.test_import_property import corrupted


def outcome(path: Path, data_dir: Path, **kw):
    """What an import of the file says: its problems in order and its table, or its refusal."""
    try:
        p = importer.prepare([path], data_dir, **kw)
    except DataError as exc:
        return ("refused", str(exc), exc.code)
    problems = [(str(x.where), x.message, x.code, x.detail) for x in p.problems]
    return (problems, p.total_problems, p.table.to_pylist() if p.table is not None else None)


def python_way(monkeypatch, path: Path, data_dir: Path, **kw):
    with monkeypatch.context() as m:
        m.setattr(staged_import, "read", lambda *a: None)
        return outcome(path, data_dir, **kw)


@pytest.fixture
def no_python_way(monkeypatch):
    """The Python reader refuses to run: what is imported here was read by DuckDB."""

    def refuse(*a):
        raise AssertionError("read the Python way")

    monkeypatch.setattr(importer, "_read_all", refuse)


def test_a_clean_csv_is_read_by_duckdb_as_the_rows_it_holds(tmp_path, no_python_way):
    path = write_csv(tmp_path / "x.csv", LONG_ROWS)
    p = importer.prepare([path], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    rows = p.table.to_pylist()
    # LONG_ROWS by hand: Thai digits read, Thai type names mapped, '-' not assessed
    assert [(r["fiscal_year"], r["agency_code"], r["agency_type"], r["criterion"], r["score"]) for r in rows] == [
        (2566, "X1", "department", "1.1", 7.5),
        (2566, "X1", "department", "7.1", 15.0),
        (2566, "X2", "province", "1.1", 9.0),
        (2566, "X2", "province", "7.1", None),
    ]
    assert rows[0]["max_score"] == 10.0 and rows[0]["category"] == 1 and rows[0]["agency_group_th"] == "กระทรวงทดสอบ"


def test_bad_cells_are_named_by_duckdb_in_the_python_readers_words(tmp_path, no_python_way):
    rows = [list(r) for r in LONG_ROWS]
    rows[1][7] = "abc"  # row 3 (the header is row 1): its score
    rows[2][0] = "2022"  # row 4: a C.E. year
    rows[3][7] = "1,5"  # row 5: a decimal comma
    p = importer.prepare([write_csv(tmp_path / "x.csv", rows)], tmp_path)
    assert [(str(x.where), x.code, x.detail) for x in p.problems] == [
        ("x.csv, row 3, column คะแนน", "not_a_number", "abc"),
        ("x.csv, row 4, column ปีงบประมาณ", "year_not_be", "2022"),
        ("x.csv, row 5, column คะแนน", "not_a_number", "1,5"),
    ]
    assert p.problems[0].message.startswith("'abc' is not a number")
    assert p.table is None


def test_a_row_of_white_space_only_is_skipped_and_the_next_keeps_its_number(tmp_path, no_python_way):
    """A row whose cells hold only white space Python's strip() knows (an ideographic space, a no-break
    space, a tab) is no row, as in the Python reader; the rows after it keep their lines in the file."""
    rows = [list(LONG_ROWS[0]), ["\u3000", " ", "\xa0", "\t"] + [""] * (len(LONG_HEADER) - 4), list(LONG_ROWS[1])]
    rows[2][7] = "abc"  # row 4: the header is row 1, the blank row 3
    p = importer.prepare([write_csv(tmp_path / "x.csv", rows)], tmp_path)
    assert [(str(x.where), x.code) for x in p.problems] == [("x.csv, row 4, column คะแนน", "not_a_number")]


def test_without_a_max_score_column_the_scheme_gives_the_maxima(tmp_path, no_python_way):
    header = LONG_HEADER[:-1]
    rows = [r[:-1] for r in LONG_ROWS] + [["2566", "X3", "ก", "กรม", "ก", "1", "1.9", "1"]]
    p = importer.prepare([write_csv(tmp_path / "x.csv", rows, header=header)], tmp_path)
    # 2566 takes the bundled scheme's 2565: 7.1 is worth 40; it has no 1.1 nor 1.9 (its codes are 1.1.1 ...)
    assert [(str(x.where), x.code, x.detail) for x in p.problems] == [
        ("x.csv, row 2", "no_maximum", "1.1 (2566)"),
        ("x.csv, row 4", "no_maximum", "1.1 (2566)"),
        ("x.csv, row 6", "no_maximum", "1.9 (2566)"),
    ]


WIDE = [
    ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "สังกัด", "ปีงบประมาณ", "1.1.1", "7.1"],
    ["", "คะแนนเต็ม", "", "", "", "10", "40"],  # a row of maxima under the header
    ["W1", "กรมกว้าง", "department", "กระทรวงทดสอบ", "2566", "8", "30"],
    ["W2", "กรมสอง", "public_organization", "กระทรวงทดสอบ", "2566", "6", ""],
]


def test_a_wide_csv_is_read_by_duckdb_one_row_per_code_column(tmp_path, no_python_way):
    path = write_csv(tmp_path / "x.csv", WIDE[1:], header=WIDE[0])
    p = importer.prepare([path], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    # by hand: each agency's row once per code column, in the file's order, the maxima from the row of maxima
    assert [
        (r["agency_code"], r["criterion"], r["category"], r["score"], r["max_score"]) for r in p.table.to_pylist()
    ] == [
        ("W1", "1.1.1", 1, 8.0, 10.0),
        ("W1", "7.1", 7, 30.0, 40.0),
        ("W2", "1.1.1", 1, 6.0, 10.0),
        ("W2", "7.1", 7, None, 40.0),
    ]


def test_a_wide_csvs_contract_problem_names_its_code_column(tmp_path, no_python_way):
    rows = [list(r) for r in WIDE]
    rows[2][5] = "12"  # row 3: W1's 1.1.1 above its maximum of 10
    p = importer.prepare([write_csv(tmp_path / "x.csv", rows[1:], header=rows[0])], tmp_path)
    assert [(str(x.where), x.code) for x in p.problems] == [("x.csv, row 3, column 1.1.1", "score_above_max")]


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n\n",  # an empty line
        'x," y"\n',  # a quote after a space
        "x\ry\n",  # a lone carriage return
    ],
)
def test_text_duckdb_reads_otherwise_goes_the_python_way(tmp_path, monkeypatch, text):
    path = write_csv(tmp_path / "x.csv", LONG_ROWS, encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    called = []
    monkeypatch.setattr(importer, "_read_all", lambda *a, real=importer._read_all: called.append(1) or real(*a))
    importer.prepare([path], tmp_path)
    assert called


EXTRA = st.sampled_from(
    [
        "",
        " ",
        "\u00a0๗\u00a0",
        "+3",
        "1,234.5",
        "1e3",
        "0x10",
        "5.",
        "1000001",
        "999999.5",
        "n/A",
        "—",
        "X1 ",
        " X1",
        "\u200bX1",
        "องค์การมหาชน",
        "Public Organisation",
        "1.1.",
        "๑.๑",
        '"',
        "a\tb",
    ]
)


def test_a_row_starting_with_a_hash_is_a_row(tmp_path, no_python_way):
    """DuckDB's sniffer took a row whose code starts with # for a comment and dropped it (a short row,
    as a row without its optional last cell is, made the rows line up that way): the import then held
    three rows of four, with no word said (found by a probe)."""
    path = tmp_path / "x.csv"
    path.write_text(
        "agency_code,criterion,score,fiscal_year,agency_name_th,agency_type,agency_group_th,agency_name_en\n"
        "D001,1.1.1,7,2565,ก,department,ข,Dept A\n"
        "D001,1.1.2,6,2565,ก,department,ข\n"
        "#D2,1.1.1,5,2565,ค,department,ข\n"
        "D003,1.1.1,5,2565,ง,department,ข,Dept C\n",
        encoding="utf-8",
    )
    p = importer.prepare([path], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    assert [(r["agency_code"], r["criterion"]) for r in p.table.to_pylist()] == [
        ("D001", "1.1.1"),
        ("D001", "1.1.2"),
        ("#D2", "1.1.1"),
        ("D003", "1.1.1"),
    ]


def test_a_csv_past_the_text_limit_is_refused_however_it_is_read(tmp_path, monkeypatch):
    """The staged way only bounds the text (the file's characters); a file that could pass the limit
    goes the Python way, which counts the cells' text and refuses it in its words."""
    path = write_csv(tmp_path / "x.csv", LONG_ROWS)
    monkeypatch.setenv("PMQA_IMPORT_MAX_TEXT", "60")  # the Thai names alone are longer
    got = outcome(path, tmp_path)
    assert got[0] == "refused" and "characters of text" in got[1]
    assert got == python_way(monkeypatch, path, tmp_path)


def test_the_text_limit_counts_characters_not_bytes(tmp_path, no_python_way, monkeypatch):
    """A file under the limit in characters but over it in bytes (Thai is three bytes a character in
    UTF-8) is still staged: the bound is not a byte count."""
    path = write_csv(tmp_path / "x.csv", LONG_ROWS)
    characters = len(path.read_bytes().decode("utf-8"))  # its line ends as they are
    assert path.stat().st_size > characters + 100
    monkeypatch.setenv("PMQA_IMPORT_MAX_TEXT", str(characters + 1))
    assert importer.prepare([path], tmp_path).ok


def test_two_csvs_are_both_read_by_duckdb(tmp_path, no_python_way):
    """A query's result left half read kept the connection busy, so the second file's staging failed
    and every import of two or more files went the Python way."""
    first = write_csv(tmp_path / "a.csv", LONG_ROWS[:2])
    second = write_csv(tmp_path / "b.csv", LONG_ROWS[2:])
    p = importer.prepare([first, second], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    assert [(r["agency_code"], r["criterion"]) for r in p.table.to_pylist()] == [
        ("X1", "1.1"),
        ("X1", "7.1"),
        ("X2", "1.1"),
        ("X2", "7.1"),
    ]


def test_a_thai_code_page_csv_whose_start_reads_as_utf8_is_read_in_its_code_page(tmp_path, no_python_way):
    """DuckDB starts reading a file whose start reads as UTF-8 before Python has checked it whole: a
    TIS-620 (cp874) file with Thai only after 400 rows of ASCII (18 KB) is still read in its code page, its
    Thai name whole, by DuckDB from the UTF-8 copy."""
    ascii_rows = [["2566", f"A{i:03}", "Agency", "department", "Ministry", "1", "1.1", "5", "10"] for i in range(400)]
    thai = ["2566", "T1", "กรมทดลอง", "ส่วนราชการ", "กระทรวงทดสอบ", "1", "1.1", "7", "10"]
    header = ["fiscal_year", "agency_code", "agency_name_th", "agency_type", "agency_group_th", "category"]
    header += ["criterion", "score", "max_score"]
    path = write_csv(tmp_path / "late.csv", [*ascii_rows, thai], header, encoding="cp874")
    assert path.read_bytes()[:16_000].isascii() and "ก".encode("cp874") in path.read_bytes()
    p = importer.prepare([path], tmp_path)
    assert p.ok, [str(x) for x in p.problems]
    rows = p.table.to_pylist()
    assert (
        len(rows) == 401 and rows[-1]["agency_name_th"] == "กรมทดลอง" and rows[-1]["agency_group_th"] == "กระทรวงทดสอบ"
    )


@st.composite
def odd_csv(draw):
    """A corrupted sheet (test_import_property) with cells of the kinds the staged reader treats apart."""
    rows = [list(LONG_HEADER)] + [list(r) for r in LONG_ROWS]
    for _ in range(draw(st.integers(1, 6))):
        r, c = draw(st.integers(1, len(rows) - 1)), draw(st.integers(0, len(LONG_HEADER) - 1))
        rows[r][c] = draw(EXTRA)
    if draw(st.booleans()):  # leave out a column, as a file may
        gone = draw(st.integers(0, len(LONG_HEADER) - 1))
        rows = [r[:gone] + r[gone + 1 :] for r in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"]))).writerows(rows)
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp874", "utf-16"])), "replace")


@st.composite
def odd_wide_csv(draw):
    """The wide sheet above, with or without its row of maxima, and cells of those kinds."""
    rows = [list(r) for r in WIDE]
    if draw(st.booleans()):
        rows.pop(1)
    for _ in range(draw(st.integers(0, 5))):
        r, c = draw(st.integers(1, len(rows) - 1)), draw(st.integers(0, len(WIDE[0]) - 1))
        rows[r][c] = draw(EXTRA)
    if draw(st.booleans()):  # a code the scheme has (1.1.1 is worth 4 in its 2565)
        rows[0][6] = draw(st.sampled_from(["7.1", "๗.๑", "1.1.2", "2.1", "1.1.1"]))
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "cp874"])), "replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(corrupted(), odd_csv(), odd_wide_csv()), year=st.sampled_from([None, 2566, 2567]))
def test_duckdb_and_python_read_any_csv_alike(monkeypatch, content, year):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.csv"
        path.write_bytes(content)
        assert outcome(path, Path(tmp), year=year) == python_way(monkeypatch, path, Path(tmp), year=year)


def test_a_csv_is_imported_without_importing_pandas_or_openpyxl(tmp_path):
    """Their imports took half a second of every import, longer than staging a year's rows; a CSV needs
    neither, to be checked or written (a fresh process: the tests themselves import both)."""
    path = write_csv(tmp_path / "x.csv", LONG_ROWS)
    code = (
        "import sys; from pathlib import Path; from dashboard.data import importer; "
        f"p = importer.prepare([Path({str(path)!r})], Path({str(tmp_path / 'store')!r})); "
        f"importer.write(p, Path({str(tmp_path / 'store')!r})); "
        "print([m for m in ('pandas', 'openpyxl') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
