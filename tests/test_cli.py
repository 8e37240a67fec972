"""The command line end to end, as a user runs it: separate processes, real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from dashboard.data import db, validation
from tests.conftest import HOSTILE, MINISTRY, cli, folder_checksum, tiny_rows, write_rows


def test_summary_json_has_exactly_the_documented_shape(tiny_dir):
    result = cli("summary", "--base", 2564, "--compare", 2565, "--json", data=tiny_dir)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert list(s) == [
        "base_year",
        "compare_year",
        "like_for_like",
        "agencies",
        "overall",
        "categories",
        "strongest",
        "weakest",
        "criteria_changed",
    ]
    assert s["agencies"] == {"base": 3, "compare": 3}
    assert s["criteria_changed"] == []  # the tiny folder measures the same criteria both years
    assert list(s["overall"]) == [
        "base_mean_pct",
        "compare_mean_pct",
        "delta_pts",
        "base_mean_points",
        "compare_mean_points",
        "points_change",
        "base_max_points",
        "compare_max_points",
    ]
    # points: 2564 A1 22, A2 12, P1 35; 2565 A1 26, P1 18, N1 16; each year out of 10 + 10 + 20
    assert (s["overall"]["base_mean_points"], s["overall"]["compare_mean_points"]) == (23.0, 20.0)
    assert (s["overall"]["points_change"], s["overall"]["compare_max_points"]) == (-3.0, 40.0)
    assert [c["category"] for c in s["categories"]] == [1, 2, 3, 4, 5, 6, 7]
    assert list(s["categories"][0]) == [
        "category",
        "base_mean_pct",
        "compare_mean_pct",
        "delta_pts",
        "base_agencies",
        "compare_agencies",
    ]
    assert s["overall"]["delta_pts"] == pytest.approx(65 - (55 + 40 + 87.5) / 3)
    assert s["categories"][2]["base_mean_pct"] is None


def test_summary_like_for_like_and_type_filter(tiny_dir):
    result = cli(
        "summary",
        "--base",
        2564,
        "--compare",
        2565,
        "--json",
        "--like-for-like",
        "--agency-type",
        "province",
        data=tiny_dir,
    )
    s = json.loads(result.stdout)
    assert s["like_for_like"] is True
    assert s["overall"] == {  # P1 only: 35 of 40, then 18 of 20 assessed (7.1 not assessed)
        "base_mean_pct": 87.5,
        "compare_mean_pct": 90.0,
        "delta_pts": 2.5,
        "base_mean_points": 35.0,
        "compare_mean_points": 18.0,
        "points_change": -17.0,
        "base_max_points": 40.0,
        "compare_max_points": 40.0,
    }


def test_summary_text_is_readable(tiny_dir):
    result = cli("summary", "--base", 2564, "--compare", 2565, data=tiny_dir)
    assert result.returncode == 0
    assert "fiscal 2565 (2022) against 2564 (2021)" in result.stdout
    assert "1 Leadership" in result.stdout and "Weakest in 2565: category 7" in result.stdout


def test_summary_on_the_sample_finds_what_the_working_group_found():
    result = cli("summary", "--base", 2564, "--compare", 2565, "--json")
    s = json.loads(result.stdout)
    assert s["strongest"] == [1, 4, 6]
    assert s["weakest"] == 7
    assert s["overall"]["delta_pts"] > 0
    assert "Synthetic sample" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["summary", "--base", 2564, "--compare", 2570], "no data for fiscal year 2570"),
        (["summary", "--base", 2564, "--compare", 2565, "--data", "/nonexistent/pmqa"], "no such folder"),
        (["export", "--out", "table.docx"], "unknown format .docx"),
        (["export", "--out", "/nonexistent/dir/t.csv"], "does not exist"),
        (["export", "--out", "OUT/t.csv", "--category", 9], "category 9 is outside 1–7"),
        (["export", "--out", "OUT/t.csv", "--year", 2500], "no data for fiscal year 2500"),
        (["summary", "--base", 2565, "--compare", 2565], "base and compare are the same year (2565)"),
        (
            ["summary", "--base", 2564, "--compare", 2565, "--group", "nowhere"],
            "no ministry or cluster named 'nowhere'",
        ),
        (["export", "--out", "OUT/t.csv", "--group", "nowhere"], "the data has: กระทรวงทดสอบ, กลุ่มจังหวัดทดสอบ"),
    ],
    ids=[
        "unknown-year",
        "missing-folder",
        "unknown-format",
        "missing-out-dir",
        "bad-category",
        "export-unknown-year",
        "same-year",
        "unknown-group",
        "unknown-group-listed",
    ],
)
def test_bad_requests_get_a_message_and_a_nonzero_exit(tiny_dir, tmp_path, args, message):
    args = [str(a).replace("OUT", str(tmp_path)) for a in args]
    before = folder_checksum(tiny_dir)
    result = cli(*args, data=tiny_dir)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert folder_checksum(tiny_dir) == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["summary", "--base", 2565, "--compare", 2564], "--base 2565 is later than --compare 2564"),
        (
            ["brief", "--base", 2565, "--compare", 2564, "--out", "OUT/b.xlsx"],
            "--base 2565 is later than --compare 2564",
        ),
        (["criteria", "--year", 2564, "--base", 2565], "--base 2565 is later than --year 2564"),
    ],
    ids=["summary", "brief", "criteria"],
)
def test_a_base_year_later_than_the_compare_year_is_refused(tiny_dir, tmp_path, args, message):
    """Issue 19, point 2: 2565 against 2564 would say results fell where they rose: one line, exit 1."""
    result = cli(*[str(a).replace("OUT", str(tmp_path)) for a in args], data=tiny_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"error: {message}: the base year is the earlier one\n"
    assert list(tmp_path.iterdir()) == []


def test_export_csv_is_excel_safe(tiny_dir, tmp_path):
    out = tmp_path / "agencies.csv"
    result = cli("export", "--out", out, "--year", 2565, data=tiny_dir)
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Thai as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "fiscal_year",
        "agency_code",
        "agency_name_th",
        "agency_name_en",
        "agency_type",
        "agency_group_th",
        "agency_group_en",
        "category",
        "score",
        "max_score",
        "pct",
    ]
    assert len(rows) == 5
    n1 = [r for r in rows if r["agency_code"] == "N1"]
    assert {r["agency_name_th"] for r in n1} == {"'" + HOSTILE}
    assert {r["agency_name_th"] for r in rows if r["agency_code"] == "A1"} == {"กรมใหม่"}
    assert "wrote 5 rows" in result.stdout


def test_export_xlsx_keeps_text_as_text(tiny_dir, tmp_path):
    out = tmp_path / "criteria.xlsx"
    result = cli("export", "--out", out, "--level", "criterion", "--category", 7, "--lang", "en", data=tiny_dir)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["Data"]
    # the headers in the reader's words (issue 19, point 11), read back to the columns' codes here
    codes = {"Year": "fiscal_year", "Code": "agency_code", "Name (Thai)": "agency_name_th", "Criterion": "criterion"}
    codes |= {"Points": "score", "Maximum": "max_score", "% of maximum": "pct"}
    header = [codes.get(c.value, c.value) for c in sheet[1]]
    assert "criterion" in header and "pct" in header
    rows = [dict(zip(header, [c for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 6  # 7.1 for 3 agencies in each year, the unassessed one included
    hostile = [r["agency_name_th"] for r in rows if r["agency_code"].value == "N1"][0]
    assert hostile.value == HOSTILE and hostile.data_type == "s"
    p1_2565 = [r for r in rows if r["agency_code"].value == "P1" and r["fiscal_year"].value == 2565][0]
    assert p1_2565["score"].value is None and p1_2565["max_score"].value == 20
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["Table"] == "By criterion" and about["Categories"].startswith("7 ")
    assert str(tiny_dir) not in about["Data"] and about["Data"].startswith(tiny_dir.name)  # no server path
    # a sheet a person can work with: header frozen, filter on, percentages formatted, no formula anywhere
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert p1_2565["pct"].number_format == '0.0"%"' or p1_2565["pct"].value is None
    a1_2565 = [r for r in rows if r["agency_code"].value == "A1" and r["fiscal_year"].value == 2565][0]
    assert a1_2565["pct"].number_format == '0.0"%"' and a1_2565["pct"].value == 60.0  # 12 of 20
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_export_parquet_round_trips(tiny_dir, tmp_path):
    out = tmp_path / "t.parquet"
    assert cli("export", "--out", out, "--agency-type", "province", data=tiny_dir).returncode == 0
    table = pq.read_table(out).to_pandas()
    assert list(table.agency_code.unique()) == ["P1"]
    assert table.pct.round(6).tolist() == [100.0, 75.0, 90.0]  # 2564 cat 1 and 7; 2565 cat 1


def test_export_that_matches_nothing_still_writes_a_header(tiny_dir, tmp_path):
    out = tmp_path / "none.csv"
    # the ministry's agencies are departments: no province in it
    result = cli("export", "--out", out, "--group", MINISTRY, "--agency-type", "province", data=tiny_dir)
    assert result.returncode == 0 and "no rows match the filters" in result.stdout
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "fiscal_year,agency_code,agency_name_th,agency_name_en,agency_type,agency_group_th,agency_group_en,category,score,max_score,pct"
    ]


def test_sample_refuses_a_folder_of_real_data(tiny_dir):
    before = folder_checksum(tiny_dir)
    result = cli("sample", "--out", tiny_dir, "--force")
    assert result.returncode == 1 and "not the synthetic sample" in result.stderr
    assert folder_checksum(tiny_dir) == before


def test_sample_refuses_a_folder_that_is_not_empty_without_force(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("sample", "--out", tmp_path)
    assert result.returncode == 1 and "is not empty; choose an empty folder or add --force" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert cli("sample", "--out", tmp_path, "--force").returncode == 0
    assert validation.validate(tmp_path).ok


def test_export_into_the_data_folder_is_refused_even_through_a_link(tiny_dir, tmp_path):
    before = folder_checksum(tiny_dir)
    inside = cli("export", "--out", tiny_dir / "2564" / "scores.parquet", data=tiny_dir)
    assert inside.returncode == 1 and "is inside the data folder" in inside.stderr
    (tmp_path / "link").symlink_to(tiny_dir)
    linked = cli("export", "--out", tmp_path / "link" / "new.parquet", data=tiny_dir)
    assert linked.returncode == 1 and "is inside the data folder" in linked.stderr
    assert folder_checksum(tiny_dir) == before


def test_csv_quotes_line_breaks_and_neutralises_every_line_that_could_be_a_formula(tmp_path):
    rows = tiny_rows()
    rows[2565] = [r | {"agency_name_th": "ชื่อ\r=HYPERLINK(1)"} if r["agency_code"] == "A1" else r for r in rows[2565]]
    for year, part in rows.items():
        write_rows(tmp_path / "data" / f"{year}.parquet", part)
    out = tmp_path / "out.csv"
    assert cli("export", "--out", out, "--year", 2565, data=tmp_path / "data").returncode == 0
    raw = out.read_bytes().decode("utf-8-sig")
    assert '"ชื่อ\r\'=HYPERLINK(1)"' in raw  # quoted (RFC 4180), and the second line starts with an apostrophe
    table = list(csv.DictReader(io.StringIO(raw, newline="")))
    # A1, N1: categories 1 and 7; P1: category 1 (its 7.1 was not assessed): the carriage return made no row
    assert [(r["agency_code"], r["category"]) for r in table] == [
        ("A1", "1"),
        ("A1", "7"),
        ("N1", "1"),
        ("N1", "7"),
        ("P1", "1"),
    ]
    assert {r["agency_name_th"] for r in table if r["agency_code"] == "A1"} == {"ชื่อ\r'=HYPERLINK(1)"}


def test_the_installed_command_works_from_any_folder(tmp_path):
    pmqa = Path(sys.executable).parent / "pmqa"
    assert pmqa.exists(), "make setup installs the project (pip install --editable .)"
    result = subprocess.run(
        [str(pmqa), "summary", "--base", "2564", "--compare", "2565", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["strongest"] == [1, 4, 6]  # the bundled sample, read from elsewhere
    module = cli("validate", db.SAMPLE_DIR, cwd=tmp_path)
    assert module.returncode == 0 and module.stdout.startswith("OK:")


def test_summary_warns_when_the_two_years_measure_different_criteria(tmp_path):
    """7.1 is out of 20 in 2564 and out of 25 in 2565: the pair is not measured alike."""
    rows = tiny_rows()
    write_rows(tmp_path / "2564.parquet", rows[2564])
    write_rows(
        tmp_path / "2565.parquet", [r | {"max_score": 25.0} if r["criterion"] == "7.1" else r for r in rows[2565]]
    )
    result = cli("summary", "--base", 2564, "--compare", 2565, data=tmp_path)
    assert result.returncode == 0
    assert "NOTE: the criteria differ between 2564 and 2565 (1 added, removed or rescored: 7.1)" in result.stderr
    assert "Caution: the criteria differ" in result.stdout
    assert json.loads(cli("summary", "--base", 2564, "--compare", 2565, "--json", data=tmp_path).stdout)[
        "criteria_changed"
    ] == ["7.1"]
