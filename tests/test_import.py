"""`import`: CSV (UTF-8 and TIS-620) and XLSX, long and wide, into Parquet that `validate` accepts;
every bad input refused with its place named, and the data folder byte-for-byte unchanged."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import openpyxl
import pytest

from dashboard.data import db, importer, validation
from dashboard.views import sections
from tests.conftest import OPERATOR, cli, folder_checksum, store_rows, write_tiny, write_tiny_store

LONG_HEADER = ["ปีงบประมาณ", "รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "สังกัด", "หมวด", "ประเด็น", "คะแนน", "คะแนนเต็ม"]
# 2566: X1 1.1 = 7.5/10, 7.1 = 15/20; X2 (a province) 1.1 = 9/10, 7.1 not assessed
LONG_ROWS = [
    ["๒๕๖๖", "X1", "กรมทดลอง", "ส่วนราชการ", "กระทรวงทดสอบ", "1", "1.1", "๗.๕", "10"],
    ["2566", "X1", "กรมทดลอง", "ส่วนราชการ", "กระทรวงทดสอบ", "7", "7.1", "15", "20"],
    ["2566", "X2", "จังหวัดทดลอง", "จังหวัด", "กลุ่มจังหวัดทดสอบ", "1", "1.1", "9", "10"],
    ["2566", "X2", "จังหวัดทดลอง", "จังหวัด", "กลุ่มจังหวัดทดสอบ", "7", "7.1", "-", "20"],
]


def write_csv(path, rows, header=LONG_HEADER, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_wide_xlsx(path, maxima_row=True):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ผล 2566"
    sheet.append(["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "สังกัด", "1.1.1", "7.1"])
    if maxima_row:
        sheet.append(["", "คะแนนเต็ม", "", "", 10, 40])
    sheet.append(["W1", "กรมกว้าง", "department", "กระทรวงทดสอบ", 8, 30])
    sheet.append(["W2", '=HYPERLINK("x")', "public_organization", "กระทรวงทดสอบ", "6", None])
    sheet.cell(sheet.max_row, 2).data_type = "s"  # a name that looks like a formula, stored as text
    book.create_sheet("notes")  # an empty sheet is skipped
    book.save(path)
    return path


@pytest.fixture
def folder(tmp_path):
    """A store holding the tiny data (2564 and 2565) as version 0."""
    return write_tiny_store(tmp_path / "store")


def imported(folder, *files, **kw):
    prepared = importer.prepare(list(files), folder, **kw)
    assert prepared.ok, [str(p) for p in prepared.problems]
    importer.write(prepared, folder)
    assert validation.validate(folder).ok
    return db.Store(folder, OPERATOR)


def test_long_csv_round_trip(folder, tmp_path):
    store = imported(folder, write_csv(tmp_path / "long.csv", LONG_ROWS))
    got = (
        sections.table(store, "agency", db.Filters(years=(2566,)), via="test")
        .set_index(["agency_code", "category"])
        .pct
    )
    assert got.to_dict() == {("X1", 1): 75.0, ("X1", 7): 75.0, ("X2", 1): 90.0}  # X2's 7.1 not assessed
    assert store.years() == [2564, 2565, 2566]  # the years already there are kept


def test_cp874_csv_round_trip(folder, tmp_path):
    path = write_csv(tmp_path / "thai.csv", LONG_ROWS, encoding="cp874")
    assert path.read_bytes().startswith("ปีงบ".encode("cp874"))
    store = imported(folder, path)
    names = set(sections.table(store, "agency", db.Filters(years=(2566,)), via="test").agency_name_th)
    assert names == {"กรมทดลอง", "จังหวัดทดลอง"}


def test_wide_xlsx_with_a_row_of_maxima(folder, tmp_path):
    store = imported(folder, write_wide_xlsx(tmp_path / "wide.xlsx"), year=2566)
    got = sections.table(store, "criterion", db.Filters(years=(2566,)), via="test")
    assert got[["agency_code", "criterion", "score", "max_score"]].fillna(-1).values.tolist() == [
        ["W1", "1.1.1", 8.0, 10.0],
        ["W1", "7.1", 30.0, 40.0],
        ["W2", "1.1.1", 6.0, 10.0],
        ["W2", "7.1", -1, 40.0],
    ]
    assert '=HYPERLINK("x")' in set(got.agency_name_th)  # stored as text, as given


def test_wide_xlsx_maxima_from_the_scheme(folder, tmp_path):
    # no row of maxima: the bundled illustrative scheme gives 1.1.1 = 10 and 7.1 = 40 (2565 scheme, as of 2566)
    store = imported(folder, write_wide_xlsx(tmp_path / "wide.xlsx", maxima_row=False), year=2566)
    got = sections.table(store, "criterion", db.Filters(years=(2566,), agencies=("W1",)), via="test")
    assert got.max_score.tolist() == [10.0, 40.0]


def test_a_new_user_imports_replaces_sees_history_and_restores(folder, tmp_path):
    source = write_csv(tmp_path / "long.csv", LONG_ROWS)
    first = cli("import", source, "--data", folder)
    assert first.returncode == 0, first.stderr
    assert "imported fiscal year(s) 2566: 2 agencies, 4 rows" in first.stdout and "store version 1" in first.stdout
    again = cli("import", source, "--data", folder)
    assert again.returncode == 1 and "fiscal year 2566 is already in the store; use --replace" in again.stderr
    corrected = [r[:7] + ["10" if r[6] == "1.1" and r[1] == "X1" else r[7]] + r[8:] for r in LONG_ROWS]
    replaced = cli("import", write_csv(tmp_path / "fixed.csv", corrected), "--data", folder, "--replace")
    assert replaced.returncode == 0 and "store version 2" in replaced.stdout

    history = json.loads(cli("history", "--data", folder, "--json").stdout)
    assert [(h["version"], h["operation"], h["years"]) for h in history] == [
        (2, "replace", [2566]),
        (1, "import", [2566]),
        (0, "import", [2564, 2565]),
    ]
    assert history[0]["rows"] == {"2566": 4} and history[0]["sources"][0]["name"] == "fixed.csv"
    assert history[0]["sources"][0]["sha256"] == hashlib.sha256((tmp_path / "fixed.csv").read_bytes()).hexdigest()
    assert history[0]["user"] and history[0]["tool"].startswith("pmqa ")

    def x1_pct(*version):
        out = cli(
            "export", "--out", tmp_path / f"x{len(version)}.csv", "--force", "--year", 2566, "--data", folder, *version
        )
        assert out.returncode == 0, out.stderr
        table = list(csv.DictReader(io.StringIO((tmp_path / f"x{len(version)}.csv").read_text("utf-8-sig"))))
        return {r["category"]: float(r["pct"]) for r in table if r["agency_code"] == "X1"}

    assert x1_pct() == {"1": 100.0, "7": 75.0}  # the corrected 10 of 10
    assert x1_pct("--version", "1") == {"1": 75.0, "7": 75.0}  # the first import, 7.5 of 10
    restored = cli("restore", "--data", folder, "--version", 1)
    assert restored.returncode == 0 and "current version 3" in restored.stdout
    assert x1_pct() == {"1": 75.0, "7": 75.0}
    assert store_rows(folder) == store_rows(folder, 1)
    text = cli("history", "--data", folder).stdout.splitlines()
    assert text[0].split()[:3] == ["3", text[0].split()[1], "restore"] and "restored version 1" in text[0]
    assert cli("validate", folder).returncode == 0


def test_an_unknown_version_is_one_clear_line(folder):
    result = cli("summary", "--base", 2564, "--compare", 2565, "--data", folder, "--version", 7)
    assert result.returncode == 1 and "no version 7; the store has versions 0–0" in result.stderr
    assert "Traceback" not in result.stderr
    plain = cli("summary", "--base", 2564, "--compare", 2565, "--version", 0)  # the bundled folder of exports
    assert plain.returncode == 1 and "not a store: it has no versions" in plain.stderr


def test_import_into_a_folder_of_exports_is_refused_and_says_how_to_make_a_store(tmp_path):
    exports = write_tiny(tmp_path / "exports")
    before = folder_checksum(exports)
    result = cli("import", write_csv(tmp_path / "long.csv", LONG_ROWS), "--data", exports)
    assert result.returncode == 1 and "is a folder of exports, not a store, and stays read-only" in result.stderr
    assert f"import {exports}/*.parquet --data NEW_FOLDER" in result.stderr
    assert folder_checksum(exports) == before
    made = cli("import", *sorted(exports.rglob("*.parquet")), "--data", tmp_path / "store")
    assert made.returncode == 0, made.stderr
    assert db.Store(tmp_path / "store", OPERATOR).years() == [2564, 2565]
    assert sections.summary(db.Store(tmp_path / "store", OPERATOR), 2564, 2565) == sections.summary(
        db.Store(exports, OPERATOR), 2564, 2565
    )


def with_row(index, **changes):
    rows = [list(r) for r in LONG_ROWS]
    for column, value in changes.items():
        rows[index][LONG_HEADER.index(column)] = value
    return rows


BAD = {
    "category outside 1-7": (with_row(0, หมวด="8", ประเด็น="8.1"), "row 2, column หมวด: category 8 is outside 1–7"),
    "criterion of another category": (
        with_row(0, ประเด็น="2.1"),
        "row 2, column ประเด็น: criterion 2.1 does not belong to its category",
    ),
    "negative score": (with_row(1, คะแนน="-3"), "row 3, column คะแนน: score -3.0 is negative"),
    "score above max": (with_row(1, คะแนน="25"), "row 3, column คะแนน: score 25.0 is above max_score"),
    "max_score zero": (with_row(1, คะแนนเต็ม="0"), "row 3, column คะแนนเต็ม: max_score 0.0 is not above zero"),
    "missing agency_code": (with_row(2, รหัสหน่วยงาน=""), "row 4, column รหัสหน่วยงาน: agency_code is empty"),
    "duplicate key": (
        LONG_ROWS + [LONG_ROWS[0]],
        "row 6, column ประเด็น: (fiscal_year, agency_code, criterion) occurs 2 times",
    ),
    "C.E. year": (with_row(0, ปีงบประมาณ="2023"), "row 2, column ปีงบประมาณ: fiscal_year 2023 is not a Buddhist Era"),
    "text in a number": (with_row(0, คะแนน="เจ็ด"), "row 2, column คะแนน: 'เจ็ด' is not a number"),
    "decimal comma": (with_row(0, คะแนน="7,5"), "row 2, column คะแนน: '7,5' is not a number"),
    "unknown agency type": (
        with_row(0, ประเภทหน่วยงาน="กระทรวง"),
        "row 2, column ประเภทหน่วยงาน: agency_type 'กระทรวง' is not one of",
    ),
}


def test_a_ce_year_without_maxima_is_named_as_a_ce_year_once(folder, tmp_path):
    """Issue 19, point 10: with the maxima from the scheme, 2022 was "no maximum for criterion 1.1 in
    2022" (the scheme has no 2022), once per criterion, never the fault: the year is C.E."""
    rows = [[r[0].replace("2566", "2022"), *r[1:-1]] for r in LONG_ROWS[1:3]]
    result = cli("import", write_csv(tmp_path / "ce.csv", rows, header=LONG_HEADER[:-1]), "--data", folder)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if "ce.csv" in line]
    assert problems == [
        f"ce.csv, row {n}, column ปีงบประมาณ: fiscal_year 2022 is not a Buddhist Era year (B.E. = C.E. + 543, e.g. 2565)"
        for n in (2, 3)
    ]


@pytest.mark.parametrize("rows,expected", BAD.values(), ids=BAD.keys())
def test_bad_rows_are_refused_with_their_place(folder, tmp_path, rows, expected):
    before = folder_checksum(folder)
    result = cli("import", write_csv(tmp_path / "bad.csv", rows), "--data", folder)
    assert result.returncode == 1
    assert f"bad.csv, {expected}" in result.stdout
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert folder_checksum(folder) == before


def test_thousands_separators_are_read_where_unambiguous(tmp_path):
    assert importer.parse_number("1,234.5") == 1234.5
    assert importer.parse_number("๑,๒๓๔") == 1234
    assert importer.parse_number(" – ") is None
    for ambiguous in ("1,5", "1.234,5", "12,34", "1 234"):
        with pytest.raises(ValueError):
            importer.parse_number(ambiguous)


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "the file is empty"),
        (",".join(LONG_HEADER).encode(), "the header has no rows under it"),
        ("ปีงบประมาณ,รหัสหน่วยงาน,ประเด็น,ประเด็น,คะแนน\n2566,X1,1.1,1.1,5\n".encode(), "duplicated column"),
        (b"a,b\n1,2\n", "no criterion column"),
        ("ปีงบประมาณ,ประเด็น,คะแนน,คะแนนเต็ม\n2566,1.1,5,10\n".encode(), "no agency_code column"),
    ],
    ids=["empty", "header-only", "duplicated-columns", "no-criteria", "no-agency-code"],
)
def test_malformed_files_are_refused(folder, tmp_path, content, expected):
    before = folder_checksum(folder)
    (tmp_path / "odd.csv").write_bytes(content)
    result = cli("import", tmp_path / "odd.csv", "--data", folder)
    assert result.returncode == 1
    assert expected in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert folder_checksum(folder) == before


def test_wrong_sheet_unreadable_workbook_and_unknown_type(folder, tmp_path):
    before = folder_checksum(folder)
    book = write_wide_xlsx(tmp_path / "wide.xlsx")
    wrong = cli("import", book, "--sheet", "2599", "--year", 2566, "--data", folder)
    assert wrong.returncode == 1 and "no sheet named '2599'; the sheets are ผล 2566, notes" in wrong.stderr
    (tmp_path / "fake.xlsx").write_bytes(b"not a zip")
    assert "not a readable XLSX file" in cli("import", tmp_path / "fake.xlsx", "--data", folder).stderr
    (tmp_path / "r.ods").write_bytes(b"x")
    assert "unsupported file type .ods" in cli("import", tmp_path / "r.ods", "--data", folder).stderr
    assert folder_checksum(folder) == before


# --- files that cannot be read as they are: one line naming the file, and the store untouched ---


def refused(folder, path, *args) -> str:
    before = folder_checksum(folder)
    result = cli("import", path, "--data", folder, *args)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert folder_checksum(folder) == before
    return result.stdout + result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig", "cp874"])
def test_text_with_a_byte_order_mark_or_thai_code_page_is_read(folder, tmp_path, encoding):
    store = imported(folder, write_csv(tmp_path / "t.csv", LONG_ROWS, encoding=encoding))
    assert store.years() == [2564, 2565, 2566]


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 4, "ปีงบประมาณ,รหัส\n".encode("utf-16-le"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
    ids=["binary", "utf-16-without-mark", "an-image"],
)
def test_bytes_that_are_not_text_are_refused(folder, tmp_path, content):
    (tmp_path / "odd.csv").write_bytes(content)
    assert "odd.csv: cannot be read as text: save it as CSV UTF-8" in refused(folder, tmp_path / "odd.csv")


def test_a_field_longer_than_the_reader_allows_is_refused_with_its_line(folder, tmp_path):
    rows = with_row(1, ชื่อหน่วยงาน="ก" * 200_000)
    out = refused(folder, write_csv(tmp_path / "long_field.csv", rows))
    assert "long_field.csv, row 3: not a readable CSV row (field larger than field limit" in out


@pytest.mark.parametrize(
    "column,value",
    [("คะแนน", "9" * 400), ("คะแนนเต็ม", "1" + "0" * 30), ("ปีงบประมาณ", "9" * 25), ("หมวด", "99999999999")],
)
def test_numbers_out_of_range_are_refused(folder, tmp_path, column, value):
    out = refused(folder, write_csv(tmp_path / "big.csv", with_row(0, **{column: value})))
    assert f"big.csv, row 2, column {column}: " in out and "is out of range (at most 1,000,000)" in out


def test_a_workbook_with_corrupt_xml_is_refused(folder, tmp_path):
    import zipfile

    good = write_wide_xlsx(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else data)
    assert "bad.xlsx: not a readable XLSX file" in refused(folder, tmp_path / "bad.xlsx", "--year", 2566)


def test_a_formula_without_a_calculated_value_is_refused(folder, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(LONG_HEADER)
    book.active.append(LONG_ROWS[0][:7] + ["=5+2.5", "10"])  # saved by a program that does not calculate
    book.save(tmp_path / "formula.xlsx")
    out = refused(folder, tmp_path / "formula.xlsx")
    assert "formula.xlsx, sheet Sheet, row 2, column H2: a formula without a calculated value" in out
    assert "open and save the file in Excel" in out


def test_hidden_sheets_and_rows_are_left_out_with_a_notice(folder, tmp_path):
    book = openpyxl.Workbook()
    shown = book.active
    shown.title = "ผล"
    for r in [LONG_HEADER, *LONG_ROWS]:
        shown.append(r)
    shown.row_dimensions[3].hidden = True  # X1's 7.1, hidden by whoever prepared the sheet
    hidden = book.create_sheet("ร่าง")
    for r in [LONG_HEADER, *with_row(0, รหัสหน่วยงาน="DRAFT")]:
        hidden.append(r)
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "hidden.xlsx")
    result = cli("import", tmp_path / "hidden.xlsx", "--data", folder)
    assert result.returncode == 0, result.stderr
    assert "note: hidden.xlsx: hidden sheet 'ร่าง' was left out" in result.stderr
    assert "note: hidden.xlsx, sheet ผล: 1 hidden row(s) were left out (3)" in result.stderr
    got = sections.table(db.Store(folder, OPERATOR), "criterion", db.Filters(years=(2566,)), via="test")
    assert sorted(zip(got.agency_code, got.criterion, strict=True)) == [("X1", "1.1"), ("X2", "1.1"), ("X2", "7.1")]


@pytest.mark.parametrize("maximum", [0, None], ids=["zero", "missing"])
def test_a_row_of_maxima_with_a_zero_or_missing_maximum_is_refused(folder, tmp_path, maximum):
    book = openpyxl.Workbook()
    book.active.append(["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "สังกัด", "1.1.1", "7.1"])
    book.active.append(["", "คะแนนเต็ม", "", "", 10, maximum])
    book.active.append(["W1", "กรมกว้าง", "department", "กระทรวงทดสอบ", 8, 30])
    book.save(tmp_path / "maxima.xlsx")
    out = refused(folder, tmp_path / "maxima.xlsx", "--year", 2566)
    assert "maxima.xlsx, sheet Sheet, row 2, column 7.1: the row of maxima has no maximum above zero for 7.1" in out
