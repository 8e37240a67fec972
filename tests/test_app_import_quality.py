"""The Import and Data quality pages, and the comparability warnings, in AppTest."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dashboard.data import db
from tests.conftest import OPERATOR, cli, folder_checksum, row, tiny_rows, write_rows, write_tiny_store
from tests.test_app import open_page, texts
from tests.test_import import LONG_HEADER, LONG_ROWS

pytestmark = pytest.mark.browser  # every test runs the app in AppTest


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([LONG_HEADER, *rows])
    return buffer.getvalue().encode("utf-8-sig")


def upload(at, name, content):
    at.get("file_uploader")[0].set_value((name, content, "text/csv"))
    return at.run()


def test_an_upload_with_errors_lists_every_problem(tiny_dir, monkeypatch):
    monkeypatch.delenv("PMQA_ALLOW_IMPORT", raising=False)
    before = folder_checksum(tiny_dir)
    at = open_page("import_data", tiny_dir, monkeypatch, lang="en")
    bad = [list(r) for r in LONG_ROWS]
    bad[0][7] = "เจ็ด"  # not a number
    bad[1][7] = "25"  # above the maximum of 20
    at = upload(at, "results.csv", csv_bytes(bad))
    assert not at.exception
    assert "2 problem(s)" in at.error[0].value
    problems = at.table[0].value
    assert problems[["Row", "Column"]].values.tolist() == [["2", "คะแนน"], ["3", "คะแนน"]]
    assert problems.File.tolist() == ["results.csv", "results.csv"]
    assert folder_checksum(tiny_dir) == before


def test_a_thai_page_lists_problems_in_thai_in_the_files_order_and_names_the_right_fault(tiny_dir, monkeypatch):
    """Issue 19, point 10: the problems were in English on the Thai page, the row rules' ones after
    the cells' (row 3 above row 2), cut off in a grid, and a C.E. year 2022 without a maximum column
    was reported as "no maximum for criterion 1.1 in 2022"."""
    monkeypatch.delenv("PMQA_ALLOW_IMPORT", raising=False)
    at = open_page("import_data", tiny_dir, monkeypatch)
    bad = [list(r) for r in LONG_ROWS]
    bad[0][7] = "25"  # above its maximum of 10: a row rule, checked after every cell is read
    bad[1][7] = "เจ็ด"  # not a number: found while the cells are read
    at = upload(at, "results.csv", csv_bytes(bad))
    problems = at.table[0].value
    assert list(problems.columns) == ["ไฟล์", "ชีต", "แถว", "คอลัมน์", "ปัญหา"]
    assert problems["แถว"].tolist() == ["2", "3"]
    # the row's key in words too: it ended "[key 2566/X1/1.1]" in English on the Thai page
    assert problems["ปัญหา"].iloc[0] == "คะแนน 25.0 สูงกว่าคะแนนเต็ม [ปี/หน่วยงาน/ประเด็น 2566/X1/1.1]"
    assert problems["ปัญหา"].iloc[1] == "'เจ็ด' ไม่ใช่ตัวเลข (เขียนเช่น 7.5 หรือ 1,234.5 ไม่รับจุลภาคเป็นจุดทศนิยม)"

    buffer = io.StringIO()  # no maximum column: the scheme gives each year's maxima, and 2022 has none
    csv.writer(buffer).writerows([LONG_HEADER[:-1], ["2022", *LONG_ROWS[1][1:-1]]])
    at = upload(at, "ce.csv", buffer.getvalue().encode("utf-8-sig"))
    said = at.table[0].value["ปัญหา"].tolist()
    assert said == ["ปีงบประมาณ 2022 ไม่ใช่ปีพุทธศักราช (พ.ศ. = ค.ศ. + 543 เช่น 2565)"]


def test_with_import_switched_off_nothing_is_written(tiny_dir, monkeypatch):
    monkeypatch.delenv("PMQA_ALLOW_IMPORT", raising=False)
    before = folder_checksum(tiny_dir)
    at = upload(open_page("import_data", tiny_dir, monkeypatch, lang="en"), "ok.csv", csv_bytes(LONG_ROWS))
    assert "Writing is switched off" in texts(at)
    assert at.success[0].value.startswith("Ready to import: fiscal year 2566, 2 agencies, 4 rows.")
    assert at.button[0].disabled
    assert folder_checksum(tiny_dir) == before


def test_with_import_allowed_the_year_is_written_as_a_new_version(tmp_path, monkeypatch):
    store_dir = write_tiny_store(tmp_path / "store")
    monkeypatch.setenv("PMQA_ALLOW_IMPORT", "1")
    at = upload(open_page("import_data", store_dir, monkeypatch, lang="en"), "ok.csv", csv_bytes(LONG_ROWS))
    assert "version 0 (the latest)" in texts(at)  # the sidebar's data source, before the import
    at.button[0].click().run()
    assert not at.exception
    assert any("as version 1" in s.value and "Fiscal year 2566: 4 rows" in s.value for s in at.success)
    assert "version 1 (the latest)" in texts(at)  # the sidebar shows the new version at once (issue 19, point 10)
    assert db.Store(store_dir, OPERATOR).years() == [2564, 2565, 2566]
    history = open_page("quality", store_dir, monkeypatch, lang="en").dataframe[-1].value
    assert history[["version", "operation", "years", "rows", "sources"]].values.tolist() == [
        [1, "import", "2566", 4, "ok.csv"],
        [0, "import", "2564, 2565", 18, "scores.parquet, export_2565.parquet"],
    ]


def test_a_folder_of_exports_is_never_written_even_with_import_allowed(tmp_path, monkeypatch):
    for year, rows in tiny_rows().items():
        write_rows(tmp_path / f"{year}.parquet", rows)
    before = folder_checksum(tmp_path)
    monkeypatch.setenv("PMQA_ALLOW_IMPORT", "1")
    at = upload(open_page("import_data", tmp_path, monkeypatch, lang="en"), "ok.csv", csv_bytes(LONG_ROWS))
    assert "a folder of exports, which stays read-only" in texts(at)
    assert at.button[0].disabled
    assert folder_checksum(tmp_path) == before


def test_the_data_source_names_the_store_version_read(tmp_path, monkeypatch):
    store_dir = write_tiny_store(tmp_path / "store")
    source = tmp_path / "more.csv"
    source.write_bytes(csv_bytes(LONG_ROWS))
    assert cli("import", source, "--data", store_dir).returncode == 0
    monkeypatch.setenv("PMQA_VERSION", "0")
    at = open_page("overview", store_dir, monkeypatch, lang="en")
    assert "Store: store · version 0 (the latest is 1) · years 2564 (2021), 2565 (2022)" in texts(at)
    monkeypatch.delenv("PMQA_VERSION")
    at = open_page("overview", store_dir, monkeypatch, lang="en")
    assert "version 1 (the latest) · years 2564 (2021), 2565 (2022), 2566 (2023)" in texts(at)


def test_data_quality_page_names_joiners_renames_and_gaps(tiny_dir, monkeypatch):
    at = open_page("quality", tiny_dir, monkeypatch, lang="en")
    assert not at.exception
    per_year = at.dataframe[0].value.set_index("fiscal_year")
    assert per_year.loc[2565, ["agencies", "agencies_joined", "agencies_left"]].tolist() == [3, 1, 1]  # N1 in, A2 out
    assert per_year.loc[2564, "rows_not_assessed"] == 1  # A2's 1.2
    renamed = at.dataframe[1].value
    assert renamed[["agency_code", "change", "before", "after"]].values.tolist() == [
        ["A1", "Renamed", "กรมเก่า", "กรมใหม่"]
    ]
    assert "The criteria and their maxima are the same in every year." in [s.value for s in at.success]


def test_a_comparison_across_changed_criteria_is_flagged(tmp_path, monkeypatch):
    rows = tiny_rows()
    rows[2565] = [r | {"max_score": 20.0} if r["criterion"] == "1.2" else r for r in rows[2565]]
    rows[2565].append(row(2565, "A1", "1.3", 5.0, 10.0))
    for year, part in rows.items():
        write_rows(tmp_path / f"{year}.parquet", part)
    at = open_page("overview", tmp_path, monkeypatch, lang="en")
    warning = [w.value for w in at.warning if "criteria changed" in w.value]
    assert warning and "(2: 1.2, 1.3)" in warning[0]
    assert "The criteria changed between the two years (2), so compare with care." in texts(at)
    quality = open_page("quality", tmp_path, monkeypatch, lang="en")
    changes = quality.dataframe[1].value
    assert changes[["criterion", "change"]].values.tolist() == [["1.2", "Maximum changed"], ["1.3", "Added"]]


def xlsx_bytes(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for r in rows:
            sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(at) -> str:
    """The page's one error line, as a person reads it (the page escapes Markdown with backslashes)."""
    assert not at.exception and len(at.error) == 1
    return at.error[0].value.replace("\\", "")


def test_a_file_refused_whole_is_said_in_thai(tiny_dir, monkeypatch):
    """Issue 19, point 10: a refusal of the whole file (unreadable, too large, not text) was the
    command line's English on the Thai page."""
    monkeypatch.delenv("PMQA_ALLOW_IMPORT", raising=False)
    at = open_page("import_data", tiny_dir, monkeypatch)
    noise = bytes(range(256)) * 8  # 2,048 bytes that are no zip
    assert refusal(upload(at, "noise.xlsx", noise)) == (
        "noise.xlsx: ไม่ใช่ไฟล์ XLSX ที่อ่านได้ (ไฟล์เสียหาย หรือไม่ใช่ไฟล์ Excel): เปิดและบันทึกใหม่ใน Excel"
    )
    assert refusal(upload(at, "noise.csv", noise)) == (
        "noise.csv: อ่านไฟล์นี้เป็นข้อความไม่ได้: บันทึกเป็น CSV UTF-8 (หรือนำเข้าไฟล์ .xlsx)"
    )
    monkeypatch.setenv("PMQA_IMPORT_MAX_BYTES", "1000")
    big = csv_bytes(LONG_ROWS * 3)  # 3 + 12 rows × 50-odd bytes: over 1,000
    assert refusal(upload(at, "big.csv", big)) == (
        f"big.csv: ไฟล์มีขนาด {len(big):,} ไบต์ เกินขีดจำกัด: การนำเข้าอ่านได้ไม่เกิน 1,000 ไบต์ต่อไฟล์ (PMQA_IMPORT_MAX_BYTES)"
    )
    at = open_page("import_data", tiny_dir, monkeypatch, lang="en")  # English keeps the command line's words
    assert refusal(upload(at, "big.csv", big)) == (
        f"big.csv: the file is {len(big):,} bytes; the import reads at most 1,000 bytes from one file"
        " (PMQA_IMPORT_MAX_BYTES)"
    )


def test_missing_and_mismatched_columns_are_said_in_thai(tiny_dir, monkeypatch):
    """Issue 19, point 10: a missing column, or a sheet whose columns do not match the other's, was
    listed in English on the Thai page; a file's own problem (no row) turned the rows into "2.0"."""
    monkeypatch.delenv("PMQA_ALLOW_IMPORT", raising=False)
    at = open_page("import_data", tiny_dir, monkeypatch)
    no_code = [r[:1] + r[2:] for r in [LONG_HEADER, *LONG_ROWS]]  # รหัสหน่วยงาน left out
    buffer = io.StringIO()
    csv.writer(buffer).writerows(no_code)
    problems = upload(at, "no_code.csv", buffer.getvalue().encode()).table[0].value
    assert problems.iloc[0].tolist() == ["no_code.csv", "", "", "", "ไม่มีคอลัมน์รหัสหน่วยงาน (agency_code)"]
    assert problems["แถว"].tolist()[1:] == ["2", "3", "4", "5"]  # each row's empty code, below the file's own

    scores = [r[:6] + [r[7]] for r in [LONG_HEADER, *LONG_ROWS]]  # sheet b: no ประเด็น column, no maximum
    book = xlsx_bytes(("a", [LONG_HEADER, *LONG_ROWS]), ("b", scores))
    problems = upload(at, "two.xlsx", book).table[0].value
    assert problems.values.tolist() == [
        [
            "two.xlsx",
            "b",
            "",
            "",
            "ไม่มีคอลัมน์ประเด็น (criterion) แบบตารางแนวยาว และไม่มีคอลัมน์รหัสประเด็น เช่น 1.1.1 แบบตารางแนวกว้าง",
        ]
    ]
