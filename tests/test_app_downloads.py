"""Explore's downloads (issue 20): a large XLSX is made on the page with a progress bar, then
offered; CSV and Parquet, a second's work, are written on click. The file is reopened with openpyxl;
the expected rows are the tiny folder's (tests/conftest.py): 2565 has A1, P1 and N1 on 1.1, 1.2 and
7.1, nine criterion rows, P1's 7.1 not assessed."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dashboard.app import files
from tests.test_app import open_page

pytestmark = pytest.mark.browser  # runs the app in AppTest


def test_a_large_xlsx_is_made_with_its_progress_then_offered(tiny_dir, monkeypatch):
    monkeypatch.setattr(files, "MADE_FIRST_ROWS", 5)  # nine rows count as a large table here
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    at.radio(key="level").set_value("criterion").run()
    assert sorted(b.label for b in at.get("download_button")) == ["Download CSV", "Download PARQUET"]
    make = next(b for b in at.button if b.label == "Make the XLSX file")
    make.click().run()
    assert not at.exception
    offered = sorted(b.label for b in at.get("download_button"))
    assert offered == ["Download CSV", "Download PARQUET", "Download XLSX"]
    book = openpyxl.load_workbook(io.BytesIO(at.session_state["made_export"][1]))
    data = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(data) == 9 and sum(1 for r in data if r[0] is not None) == 9

    at.multiselect(key="cats").set_value([1]).run()  # six rows of another view: its file is not made yet
    assert "Make the XLSX file" in [b.label for b in at.button]


def test_a_small_xlsx_is_written_on_click(tiny_dir, monkeypatch):
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    at.radio(key="level").set_value("criterion").run()
    assert len(at.get("download_button")) == 3
    assert "Make the XLSX file" not in [b.label for b in at.button]


def test_a_file_made_in_one_language_is_made_again_in_the_other(tiny_dir, monkeypatch):
    """The made file's headers and about sheet are in the language it was made in: switched to Thai,
    the page offers to make the Thai file, not the English one under the Thai button (found by a probe)."""
    monkeypatch.setattr(files, "MADE_FIRST_ROWS", 5)
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    at.radio(key="level").set_value("criterion").run()
    next(b for b in at.button if b.label == "Make the XLSX file").click().run()
    assert "Download XLSX" in [b.label for b in at.get("download_button")]
    at.query_params["lang"] = "th"
    at.session_state["lang"] = "th"
    at.run()
    assert "สร้างไฟล์ XLSX" in [b.label for b in at.button]
    assert "ดาวน์โหลด XLSX" not in [b.label for b in at.get("download_button")]


def test_a_table_longer_than_a_sheet_is_refused_before_a_row_is_written(tiny_dir, monkeypatch):
    from dashboard.outputs import workbook

    monkeypatch.setattr(files, "MADE_FIRST_ROWS", 5)
    monkeypatch.setattr(workbook, "XLSX_MAX_ROWS", 8)  # nine rows: one more than a sheet holds here
    at = open_page("explore", tiny_dir, monkeypatch, lang="en")
    at.radio(key="level").set_value("criterion").run()
    xlsx = next(b for b in at.button if b.label == "Download XLSX")
    assert xlsx.disabled and "do not fit one Excel sheet" in xlsx.help
    assert "Make the XLSX file" not in [b.label for b in at.button]
