"""`import` under careless and hostile files: a criterion header it cannot read is named, never
dropped; a formula nobody calculated is refused, never read as 0; an agency code is kept exactly as
written; a file's name is shown escaped wherever it appears; and no file, however it is built, can
make `pmqa import` or the Import page exhaust the memory: each is refused with one line, before it is
read, with the store untouched."""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import subprocess
import sys
import zipfile

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from dashboard.data import db
from dashboard.views import sections
from tests.conftest import OPERATOR, ROOT, cli, folder_checksum, store_rows, write_tiny_store
from tests.test_app import open_page
from tests.test_import import LONG_HEADER, LONG_ROWS, write_csv

WIDE_HEADER = ["รหัสหน่วยงาน", "ชื่อหน่วยงาน", "ประเภทหน่วยงาน", "สังกัด", "1.1.1"]
MEMORY_CAP = 1_500_000_000  # bytes of address space for one `pmqa import`; each hostile file below took 6 GB or more


@pytest.fixture
def folder(tmp_path):
    """A store holding the tiny data (2564 and 2565) as version 0."""
    return write_tiny_store(tmp_path / "store")


def refused(folder, path, *args, env=None) -> str:
    """`pmqa import` in its own process, its memory capped: exit 1, one line, the store untouched."""
    before = folder_checksum(folder)
    result = capped_import(path, "--data", folder, *args, env=env)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, result.stderr[-2000:]
    assert folder_checksum(folder) == before
    return result.stdout + result.stderr


def capped_import(*args, env=None) -> subprocess.CompletedProcess:
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    # two malloc arenas: the cap then measures what the import holds, not how many threads reserved arenas
    environment = os.environ | {"MALLOC_ARENA_MAX": "2"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "import", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
        preexec_fn=cap,
    )


def one_error_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), out[-2000:]
    return lines[0]


# --- 4: a wide sheet's header that is not a criterion code is named, never dropped ---------------


def test_wide_headers_that_are_not_criterion_codes_are_each_named_where_they_are(folder, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "ผล"
    sheet.append([*WIDE_HEADER, "７.1", "7.1.", "ข้อ 7.1", "7,1", "หมายเหตุ"])  # F..I look like codes; J does not
    sheet.append(["W1", "กรมกว้าง", "department", "กระทรวงทดสอบ", 8, 30, 31, 32, 33, "ดี"])
    book.save(tmp_path / "wide.xlsx")
    out = refused(folder, tmp_path / "wide.xlsx", "--year", 2566)
    for column, header in [("F", "'７.1'"), ("G", "'7.1.'"), ("H", "'ข้อ 7.1'"), ("I", "'7,1'")]:
        assert f"wide.xlsx, sheet ผล, row 1, column {column}: header {header} is not a criterion code" in out
    assert "หมายเหตุ" not in out  # a note column without a digit is not a criterion: still ignored


def test_in_a_csv_the_column_is_named_by_its_number(folder, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [["W1", "กรมกว้าง", "department", "ก", 8, 30]], [*WIDE_HEADER, "7,1"])
    out = refused(folder, path, "--year", 2566)
    assert "wide.csv, row 1, column 6: header '7,1' is not a criterion code such as 7.1 or 1.1.1" in out


def test_codes_and_known_columns_still_import_with_a_note_column_ignored(folder, tmp_path):
    rows = [["W1", "กรมกว้าง", "department", "ก", 8, 30, "ดี"]]
    path = write_csv(tmp_path / "wide.csv", rows, [*WIDE_HEADER, "๗.๑", "หมายเหตุ"])  # Thai digits are read
    assert cli("import", path, "--year", 2566, "--data", folder).returncode == 0
    got = sections.table(db.Store(folder, OPERATOR), "criterion", db.Filters(years=(2566,)), via="test")
    assert sorted(zip(got.criterion, got.score, strict=True)) == [("1.1.1", 8.0), ("7.1", 30.0)]


# --- 5: a formula saved without a calculated value is refused, not read as 0 ---------------------


def xlsxwriter_book(path, score_formula: dict):
    """The long layout's first row with its score a formula, as xlsxwriter writes one."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("ผล")
    sheet.write_row(0, 0, LONG_HEADER)
    sheet.write_row(1, 0, LONG_ROWS[0][:7])
    sheet.write_formula(1, 7, "=5+2.5", None, *score_formula.values())
    sheet.write_number(1, 8, 10)
    book.close()
    return path


def test_a_formula_xlsxwriter_saved_without_a_value_is_refused_not_read_as_zero(folder, tmp_path):
    path = xlsxwriter_book(tmp_path / "formula.xlsx", {})  # xlsxwriter saves 0 in place of a result
    out = refused(folder, path)
    assert "formula.xlsx, sheet ผล, row 2, column H2: a formula without a calculated value" in out
    assert "open and save the file in Excel" in out


def test_a_formula_with_a_value_keeps_it_and_a_zero_excel_calculated_is_a_zero(folder, tmp_path):
    given = xlsxwriter_book(tmp_path / "given.xlsx", {"value": 7.5})  # the writing program gave the result
    assert cli("import", given, "--data", folder).returncode == 0
    assert ("X1", "1.1", 7.5) in [(r[1], r[8], r[9]) for r in store_rows(folder)]
    # Excel calculates on opening and saves without asking for it again: its 0 is a result
    zero = xlsxwriter_book(tmp_path / "zero.xlsx", {"value": 0})
    with zipfile.ZipFile(zero) as src, zipfile.ZipFile(tmp_path / "excel.xlsx", "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item).replace(b' fullCalcOnLoad="1"', b""))
    assert cli("import", tmp_path / "excel.xlsx", "--data", folder, "--replace").returncode == 0
    assert ("X1", "1.1", 0.0) in [(r[1], r[8], r[9]) for r in store_rows(folder)]


# --- 7: an agency code is refused with a space at its start or end, never trimmed ----------------


@pytest.mark.parametrize("code,shown", [("X1 ", "'X1 '"), (" X1", "' X1'"), ("X1\t", "'X1\\t'")])
def test_an_agency_code_with_a_space_or_tab_at_an_end_is_refused_not_trimmed(folder, tmp_path, code, shown):
    rows = [list(r) for r in LONG_ROWS]
    rows[1][1] = code
    out = refused(folder, write_csv(tmp_path / "codes.csv", rows))
    assert f"codes.csv, row 3, column รหัสหน่วยงาน: agency_code {shown} has a space" in out


# --- 13: file names are shown with their control characters escaped ------------------------------

HOSTILE_NAME = "r\x1b[2J\x9bsults\n.csv"  # clears a terminal (ESC, and C1's one-byte CSI), then a line break
ESCAPED_NAME = "r\\x1b[2J\\x9bsults\\n.csv"


@pytest.mark.browser  # the app in AppTest
def test_a_file_name_with_control_characters_is_stored_as_given_and_shown_escaped(folder, tmp_path, monkeypatch):
    source = write_csv(tmp_path / HOSTILE_NAME, LONG_ROWS)
    assert cli("import", source, "--data", folder).returncode == 0
    text = cli("history", "--data", folder)
    assert ESCAPED_NAME in text.stdout and not re.search(r"[\x1b\x9b]", text.stdout)
    assert len(text.stdout.splitlines()) == 2  # a line per version: the name's line break stays in its line
    as_json = cli("history", "--data", folder, "--json").stdout
    assert not re.search(r"[\x1b\x9b]", as_json)
    assert json.loads(as_json)[0]["sources"][0]["name"] == HOSTILE_NAME  # the record keeps the name itself

    history = open_page("quality", folder, monkeypatch, lang="en").dataframe[-1].value
    assert history.sources.tolist()[0] == ESCAPED_NAME


def test_a_file_name_that_is_not_utf8_imports_and_is_recorded_escaped(folder, tmp_path):
    """A Thai name in TIS-620 (a Windows zip unpacked here): its bytes are no UTF-8, so Python holds
    them as lone surrogates, which the audit line and the store's record must still be able to write."""
    raw = os.fsencode(tmp_path) + b"/" + "ผล2569.csv".encode("tis-620")
    with open(raw, "w", encoding="utf-8") as out:
        out.write(",".join(LONG_HEADER) + "\n" + "\n".join(",".join(map(str, r)) for r in LONG_ROWS) + "\n")
    env = os.environ | {"PMQA_AUDIT_DIR": str(tmp_path / "audit")}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", raw, "--data", str(folder)], capture_output=True, env=env
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr[-2000:]
    shown = "\\xbc\\xc52569.csv"  # the name's first two bytes, 0xBC 0xC5 (ผ, ล in TIS-620), escaped
    assert shown in cli("history", "--data", folder).stdout
    [line] = [json.loads(x) for x in (tmp_path / "audit" / "audit.jsonl").read_text("utf-8").splitlines()]
    assert line["event"] == "import" and line["files"] == [shown]


def test_validate_and_summary_show_a_data_files_name_escaped(tmp_path):
    data = tmp_path / "exports"
    data.mkdir()
    (data / "bad\x1b[5m.parquet").write_bytes(b"not parquet")  # a name that would start blinking text
    for command in (["validate", data], ["summary", "--base", 2564, "--compare", 2565, "--data", data]):
        out = cli(*command)
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert "bad\\x1b[5m.parquet: unreadable or corrupt Parquet file" in out.stdout + out.stderr
        assert "\x1b" not in out.stdout + out.stderr


def test_import_messages_show_a_file_name_escaped(folder, tmp_path):
    rows = [list(r) for r in LONG_ROWS]
    rows[0][7] = "เจ็ด"
    out = refused(folder, write_csv(tmp_path / HOSTILE_NAME, rows))
    assert f"{ESCAPED_NAME}, row 2, column คะแนน: 'เจ็ด' is not a number" in out
    assert not re.search(r"[\x1b\x9b]", out)


# --- 15: no file can exhaust the memory ------------------------------------------------------------


def test_a_sheet_declaring_a_cell_at_xfd1048576_is_refused_before_it_is_read(folder, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(LONG_HEADER)
    book.active["XFD1048576"] = 1  # the last cell Excel has: 17 billion cells declared in 5 KB
    book.save(tmp_path / "vast.xlsx")
    assert (tmp_path / "vast.xlsx").stat().st_size < 10_000
    line = one_error_line(refused(folder, tmp_path / "vast.xlsx"))
    assert line == (
        "error: vast.xlsx, sheet Sheet: its dimension A1:XFD1048576 declares 16,384 columns; "
        "the import reads at most 500 columns from one file (PMQA_IMPORT_MAX_COLUMNS)"
    )


def test_a_zip_bomb_of_repeated_rows_is_refused_before_it_is_unpacked(folder, tmp_path):
    """80 MB of sheet XML packed into a few hundred KB (6 million cells): it unpacks hundreds of times
    its size, where real sheets unpack 10 to 25 times."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(write_csv_free_book(tmp_path / "plain.xlsx")) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
                continue
            packed = zipfile.ZipInfo(item.filename)
            packed.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(packed, "w") as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                sheet.write(b"<sheetData>")
                row = b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"
                for _ in range(600):
                    sheet.write(row * 1000)
                sheet.write(b"</sheetData></worksheet>")
    packed = next(i for i in zipfile.ZipFile(path).infolist() if i.filename.endswith("sheet1.xml"))
    assert packed.file_size > 80_000_000 and path.stat().st_size < 1_000_000
    line = one_error_line(refused(folder, path))
    assert re.fullmatch(
        r"error: bomb.xlsx: its part xl/worksheets/sheet1.xml unpacks to [0-9,]+ times its packed size "
        r"\(at most 100, PMQA_IMPORT_MAX_RATIO\): a damaged file, or one made to fill the memory",
        line,
    )


def write_csv_free_book(path):
    book = openpyxl.Workbook()
    book.active.append(LONG_HEADER)
    book.save(path)
    return path


def test_a_parquet_file_of_ten_million_rows_is_refused_from_its_footer(folder, tmp_path):
    n = 10_000_000
    text = {c: pa.repeat(pa.scalar(v), n) for c, v in [("agency_code", "X1"), ("criterion", "1.1")]}
    table = pa.table({"fiscal_year": np.full(n, 2566, np.int32), **text, "score": np.full(n, 5.0)})
    pq.write_table(table, tmp_path / "rows.parquet", compression="zstd")
    assert (tmp_path / "rows.parquet").stat().st_size < 1_000_000
    line = one_error_line(refused(folder, tmp_path / "rows.parquet"))
    assert line == (
        "error: rows.parquet: its footer declares 10,000,000 rows; "
        "the import reads at most 2,000,000 rows from one file (PMQA_IMPORT_MAX_ROWS)"
    )


def test_a_csv_larger_than_the_limit_is_refused_before_it_is_read(folder, tmp_path):
    """The limit lowered to 20 MB, so a 60 MB file shows it (1,000,000,000 bytes by default)."""
    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.write(",".join(LONG_HEADER).encode() + b"\n")
        f.write(b"2566,X1,a,department,b,1,1.1,5,10\n" * 1_800_000)
    line = one_error_line(refused(folder, path, env={"PMQA_IMPORT_MAX_BYTES": "20000000"}))
    assert line == (
        f"error: big.csv: the file is {path.stat().st_size:,} bytes; "
        "the import reads at most 20,000,000 bytes from one file (PMQA_IMPORT_MAX_BYTES)"
    )


@pytest.mark.parametrize("kind", ["pipe", "folder"])
def test_a_pipe_or_a_folder_is_refused_as_not_a_file_without_being_opened(folder, tmp_path, kind):
    """A named pipe was said to be "no such file" (it exists), and opening one waits for a writer: the
    import would hang, so it is refused unopened, in words that fit."""
    path = tmp_path / "scores.csv"
    os.mkfifo(path) if kind == "pipe" else path.mkdir()
    line = one_error_line(refused(folder, path))
    assert line == "error: scores.csv: not a file (a folder, a pipe or a device)"


def test_rows_are_counted_as_they_are_read_and_a_file_past_the_limit_is_refused(folder, tmp_path):
    path = write_csv(tmp_path / "long.csv", LONG_ROWS)  # a header and 4 rows: the 4th row of the file passes 3
    line = one_error_line(refused(folder, path, env={"PMQA_IMPORT_MAX_ROWS": "3"}))
    assert line == "error: long.csv, row 4: the import reads at most 3 rows from one file (PMQA_IMPORT_MAX_ROWS)"


@contextlib.contextmanager
def memory_cap(extra: int):
    """This process may grow by `extra` bytes of address space at most while the block runs."""
    with open("/proc/self/status") as status:
        now = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (now + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.browser  # the app in AppTest
def test_the_import_page_refuses_the_same_file_and_stays_up(tmp_path, monkeypatch):
    folder = write_tiny_store(tmp_path / "store")
    book = openpyxl.Workbook()
    book.active.append(LONG_HEADER)
    book.active["XFD1048576"] = 1
    book.save(tmp_path / "vast.xlsx")
    before = folder_checksum(folder)
    at = open_page("import_data", folder, monkeypatch, lang="en")
    at.get("file_uploader")[0].set_value(("vast.xlsx", (tmp_path / "vast.xlsx").read_bytes(), "application/zip"))
    with memory_cap(1_500_000_000):  # the server's memory: a page that read the file would fail here
        at.run()
    assert not at.exception
    assert "declares 16,384 columns" in at.error[0].value and "at most 500 columns" in at.error[0].value
    assert folder_checksum(folder) == before
