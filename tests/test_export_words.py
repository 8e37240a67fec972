"""Exports a person reads (issue 19, point 11): the XLSX in the reader's language (headers, agency
types in words, each criterion's name, the about sheet), the codes kept in CSV and Parquet for
programs, file names that keep Thai whole, and Explore's context line naming the table's years.
The tiny folder's rows are in tests/conftest.py's docstring."""

from __future__ import annotations

import csv

import openpyxl
import pyarrow.parquet as pq
import pytest

from dashboard.data.db import Filters
from dashboard.outputs import export
from tests.conftest import CLUSTER, cli
from tests.test_app import open_page


def test_a_file_name_keeps_thai_whole():
    """Python's \\w takes Thai vowels and tone marks for punctuation: กลุ่มจังหวัด became กล-มจ-งหว-ด."""
    stem = export.file_stem(Filters(years=(2565,), groups=(CLUSTER, "กระทรวง ก/ข")), "agency", True)
    assert stem == "pmqa_agency_2565_กลุ่มจังหวัดทดสอบ+กระทรวง-ก-ข_synthetic"


@pytest.mark.parametrize(
    "lang,header,words,about",
    [
        (
            "th",
            ["ปี", "รหัส", "ชื่อ (ไทย)", "ชื่อ (อังกฤษ)", "ประเภท", "กระทรวงหรือกลุ่มจังหวัด (ไทย)"],
            ("ส่วนราชการระดับกรม", "จังหวัด", "องค์การมหาชน"),
            ("ตาราง", "รายประเด็น"),
        ),
        (
            "en",
            ["Year", "Code", "Name (Thai)", "Name (English)", "Type", "Ministry or cluster (Thai)"],
            ("Department", "Province", "Public organisation"),
            ("Table", "By criterion"),
        ),
    ],
)
def test_the_xlsx_reads_in_the_language_asked_for(tiny_dir, tmp_path, lang, header, words, about):
    out = tmp_path / "criteria.xlsx"
    done = cli("export", "--out", out, "--level", "criterion", "--category", 1, "--lang", lang, data=tiny_dir)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    data, about_sheet = book.worksheets
    first = [c.value for c in data[1]]
    assert first[:6] == header  # never fiscal_year, agency_type
    rows = [[c.value for c in r] for r in data.iter_rows(min_row=2)]
    assert len(rows) == 12  # 1.1 and 1.2 for 3 agencies in each year (A2's unassessed 1.2 a row too)
    types = {r[1]: r[4] for r in rows}
    assert (types["A1"], types["P1"], types["N1"]) == words
    named = {r[8]: r[9] for r in rows}  # each criterion's name beside its code
    assert set(named) == {"1.1", "1.2"} and all(isinstance(n, str) and n for n in named.values())
    assert rows[0][:3] == [2564, "A1", "กรมใหม่"]  # the order of the table: year, agency, criterion
    pairs = {r[0].value: r[1].value for r in about_sheet.iter_rows()}
    assert pairs[about[0]] == about[1]


def test_csv_and_parquet_keep_the_codes(tiny_dir, tmp_path):
    for name in ("t.csv", "t.parquet"):
        done = cli("export", "--out", tmp_path / name, "--lang", "th", data=tiny_dir)
        assert done.returncode == 0, done.stderr
    with open(tmp_path / "t.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:5] == ["fiscal_year", "agency_code", "agency_name_th", "agency_name_en", "agency_type"]
    assert {r["agency_type"] for r in rows} == {"department", "province", "public_organization"}
    table = pq.read_table(tmp_path / "t.parquet")
    assert table.column_names[4] == "agency_type" and "department" in table.column("agency_type").to_pylist()


@pytest.mark.browser  # AppTest runs the app
def test_explores_context_line_names_the_tables_years(monkeypatch):
    """The page's table shows the compare year only at first; its line said "2564 → 2565"."""
    at = open_page("explore")
    captions = [c.value for c in at.caption]
    assert "ตารางนี้: ปี 2565" in " ".join(captions)
    assert not any("2564 → 2565" in c for c in captions)
    at.multiselect(key="years").set_value([2563, 2565]).run()
    assert "ตารางนี้: ปี 2563, 2565" in " ".join(c.value for c in at.caption)


@pytest.mark.browser  # AppTest runs the app
@pytest.mark.parametrize("page", ["quality", "explore"])
def test_an_empty_cell_is_a_dash_not_none(tiny_dir, monkeypatch, page):
    """Issue 19, point 9: Data quality and Explore showed "None" in empty cells (the grid's default):
    each of their grids is given the dash every other number shows when missing."""
    at = open_page(page, tiny_dir, monkeypatch, years="2564")  # 2564: A2's unassessed 1.2, an empty cell
    grids = at.dataframe
    assert grids and all(grid.proto.placeholder == "—" for grid in grids)
