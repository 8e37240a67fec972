"""Exports written by DuckDB from streamed rows (issue 20): the CSV escaping done in SQL, the XLSX
rows written in batches, the Parquet metadata, and the stream's door (role, scope, audit). Every file
is reopened with its own reader; the expected values are worked out by hand."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import subprocess
import sys

import duckdb
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data import access, audit, db, sql
from dashboard.errors import DataError
from dashboard.outputs import export, workbook
from dashboard.views import sections
from tests.conftest import CLUSTER

ABOUT = {"source": "tiny, files abc", "level": "agency", "filters": "{}", "synthetic": "no"}


def csv_text(values: list[str | None]) -> list[str | None]:
    con = duckdb.connect()
    con.execute(sql.load("macros/csv_text"))
    return [
        r[0]
        for r in con.execute(
            "select csv_text(v) from unnest($v) with ordinality t(v, i) order by i", {"v": values}
        ).fetchall()
    ]


def the_rule(value: str) -> str:
    """The spreadsheet-safe rule as the Python writer applied it before (OWASP, CSV injection): the
    oracle the SQL macro is held to."""
    if value.startswith("\r"):
        value = "'" + value
    return re.sub(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t])", "'", value)


def test_csv_text_neutralises_every_line_that_could_be_a_formula():
    cells = ["=1+2", "+7", "-3", "@SUM(A1)", "\tx", "\r=x", "ok\n=HYPERLINK(1)\r+2", "a=b", "ไทย", "", None]
    assert csv_text(cells) == [
        "'=1+2",
        "'+7",
        "'-3",
        "'@SUM(A1)",
        "'\tx",
        "'\r'=x",  # the carriage return first, then the line after it
        "ok\n'=HYPERLINK(1)\r'+2",
        "a=b",
        "ไทย",
        None,  # an empty text is an empty field, as a missing one is
        None,
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="=+-@\t\r\n'a ก,\"", max_size=12), min_size=1, max_size=20))
def test_csv_text_is_the_python_rule_for_any_text(values):
    assert csv_text(values) == [the_rule(v) or None for v in values]


def test_a_csv_export_is_the_same_bytes_as_before():
    df = pd.DataFrame({"name": ["=A1", 'say "hi", then\r\n-go', None], "pct": [50.0, 2.5, None], "n": [1, 2, 3]})
    data = export.to_bytes(df, ".csv", ABOUT)
    assert data == (b'\xef\xbb\xbfname,pct,n\r\n\'=A1,50.0,1\r\n"say ""hi"", then\r\n\'-go",2.5,2\r\n,,3\r\n')
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[2] == ['say "hi", then\r\n\'-go', "2.5", "2"]


HOSTILE = [
    "=1+2",
    "a & b < c > d",
    "  spaces kept  ",
    "line\r\nbreak",
    "bell\x07",
    "_x0041_ stays",
    "ไทย",
    "",
    None,
    "@x",
]


def test_an_xlsx_streamed_in_many_batches_holds_every_row_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "STREAM_ROWS", 3)  # 10 rows: four batches
    df = pd.DataFrame(
        {
            "agency_name_th": HOSTILE,
            "pct": [12.5, None, 100.0, 0.1, float("inf"), 1e20, 3.0, 4.0, 5.0, 66.66666666666667],
            "fiscal_year": list(range(2560, 2570)),
        }
    )
    out = tmp_path / "t.xlsx"
    assert export.write(df, out, ABOUT) == 10
    book = openpyxl.load_workbook(out)
    sheet = book["data"]
    assert [c.value for c in sheet[1]] == ["agency_name_th", "pct", "fiscal_year"]
    rows = list(sheet.iter_rows(min_row=2))
    texts = [r[0].value for r in rows]
    assert texts == [
        "=1+2",
        "a & b < c > d",
        "  spaces kept  ",
        # Characters XML cannot hold, and a literal _xHHHH_, as Excel's escapes: Excel shows
        # "line\r\nbreak", "bell\x07" and "_x0041_ stays". openpyxl reads a shared string's escaped
        # underscore (_x005F_) as Excel does, and leaves the other escapes as written.
        "line_x000D_\nbreak",
        "bell_x0007_",
        "_x0041_ stays",
        "ไทย",
        None,
        None,
        "@x",
    ]
    assert all(r[0].data_type == "s" for r in rows if r[0].value is not None)  # text, never a formula
    assert [r[1].value for r in rows] == [12.5, None, 100.0, 0.1, None, 1e20, 3.0, 4.0, 5.0, 66.66666666666667]
    assert [r[2].value for r in rows] == list(range(2560, 2570))
    assert rows[0][1].number_format == '0.0"%"' and rows[0][2].number_format == "0"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C11"
    # "  spaces kept  ": 15 characters + 2, then 2 more; xlsxwriter adds a fraction for the cell padding
    assert int(sheet.column_dimensions["A"].width) == 19
    assert {r[0].value: r[1].value for r in book["about"].iter_rows()} == ABOUT


def test_an_xlsx_shares_its_repeated_texts_and_writes_the_rest_in_line(tmp_path, monkeypatch):
    """Texts are shared strings, each written once however often it repeats; past the table's cap, and
    for a text xlsxwriter would write unescaped as a rich string, the cell holds its text. Every cell
    reads back as written."""
    import zipfile

    monkeypatch.setattr(workbook, "STREAM_ROWS", 2)
    monkeypatch.setattr(workbook._TextCells, "MAX_SHARED", 3)
    names = ["กรม ก", "กรม ก", "<r><t>rich</t></r>", "กรม ข", "x & y", "z", "z", None, "", "กรม ก"]
    df = pd.DataFrame({"agency_name_th": names, "type": ["department"] * 10})
    out = tmp_path / "t.xlsx"
    assert export.write(df, out, ABOUT) == 10
    sheet = openpyxl.load_workbook(out)["data"]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [n or None for n in names]
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == ["department"] * 10
    shared = zipfile.ZipFile(out).read("xl/sharedStrings.xml").decode()
    # the first three texts met are shared: กรม ก (3 uses), department (10), กรม ข (1); the rich-looking
    # text, and x & y and z after the cap, are in line
    assert re.search(r'count="14" uniqueCount="3"', shared), shared[:300]
    assert shared.count("<si>") == 3 and "rich" not in shared


def test_an_xlsx_tells_its_progress_after_every_batch(tmp_path, monkeypatch):
    """What a page's progress bar reads: 10 rows in batches of 4 are 4, 8 and 10 rows written."""
    monkeypatch.setattr(workbook, "STREAM_ROWS", 4)
    told = []
    df = pd.DataFrame({"fiscal_year": list(range(2560, 2570))})
    assert export.write(df, tmp_path / "t.xlsx", ABOUT, progress=told.append) == 10
    assert told == [4, 8, 10]


def test_a_table_too_long_for_a_sheet_is_refused_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "XLSX_MAX_ROWS", 5)
    monkeypatch.setattr(workbook, "STREAM_ROWS", 2)
    with pytest.raises(DataError, match="more than 5 rows do not fit one Excel sheet; use .csv or .parquet"):
        export.write(pd.DataFrame({"n": range(7)}), tmp_path / "t.xlsx", ABOUT)
    assert list(tmp_path.iterdir()) == []


def test_a_parquet_export_keeps_what_it_holds_in_its_metadata(tmp_path):
    about = ABOUT | {"source": "it's ไทย"}
    out = tmp_path / "t.parquet"
    assert export.write(pd.DataFrame({"a": [1, 2], "b": ["x", None]}), out, about) == 2
    table = pq.read_table(out)
    assert json.loads(table.schema.metadata[b"pmqa.export"]) == about
    assert table.to_pydict() == {"a": [1, 2], "b": ["x", None]}


def test_the_rows_are_the_scope_and_pass_the_export_door(tiny, tmp_path, monkeypatch):
    """An XLSX is written from the rows on a connection of the export's own, which sees the scope only."""
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    analyst = tiny.scoped(access.Access("a@example.go.th", "analyst", access.Scope(groups=(CLUSTER,))))
    with sections.rows(analyst, "criterion", via="test", out="t.xlsx") as rows:
        count = export.write(rows, tmp_path / "t.xlsx", ABOUT)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["data"]
    at = [c.value for c in sheet[1]].index("agency_code")
    codes = [r[at].value for r in sheet.iter_rows(min_row=2)]
    assert count == 6 and codes == ["P1"] * 6  # the cluster's one province
    [line] = audit.read(tmp_path / audit.FILE)
    assert (line["event"], line["who"], line["level"]) == ("export", "a@example.go.th", "criterion")
    viewer = tiny.scoped(access.Access("v@example.go.th", "viewer", access.EVERYTHING))
    with pytest.raises(access.AccessDenied, match="export"), sections.rows(viewer, "agency", via="test"):
        pass


def test_the_command_line_starts_without_pandas_or_xlsxwriter():
    """A CSV or Parquet export, `summary` and `whatif` never load pandas (about a second of every
    command's start); only an XLSX or a brief does. A views module that imports it at its top fails here."""
    loaded = "import sys; import dashboard.cli; print(sorted({'pandas', 'xlsxwriter'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", loaded], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_xlsx_export_is_written_without_pandas(tiny_dir, tmp_path):
    """An XLSX export's rows stream from DuckDB to the sheet, and its criterion names come from the
    scheme's rows: pandas (about 90 MB and 0.3 s) is never loaded. pyarrow loads it by itself for a
    list made an array, an array made NumPy, or a Python string given to a compute function. A fresh
    process, as the tests themselves import pandas. The tiny folder's 2565: three agencies, three criteria each."""
    out = tmp_path / "t.xlsx"
    code = (
        "import sys; from dashboard import cli; "
        f"code = cli.main(['export', '--data', {str(tiny_dir)!r}, '--level', 'criterion', '--year', '2565', "
        f"'--out', {str(out)!r}]); print(code, 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["0", "False"]
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.max_row == 1 + 9


def test_a_copy_is_made_on_a_connection_that_may_write_its_target_folder_only(tiny, tmp_path):
    """The store's own connection touches no file; an export's COPY runs on a connection of its own
    that reads the kept file and may write the target's folder only: a file elsewhere, even beside
    that folder, is refused, and a copy of an existing file's rows is made."""
    with pytest.raises(duckdb.PermissionException):
        tiny._con.cursor().execute(f"copy (select 1) to '{tmp_path / 'out.csv'}'")
    (tmp_path / "out").mkdir()
    (tmp_path / "secret.csv").write_text("a\n1\n", encoding="utf-8")
    peek = f"(select count(*) from read_csv('{tmp_path / 'secret.csv'}')) as n"
    with pytest.raises(duckdb.PermissionException):
        tiny.copy_to("score_by_agency_criterion_year", None, lambda _: peek, "format csv", tmp_path / "out" / "x.csv")
    assert list((tmp_path / "out").iterdir()) == []
    # the tiny data's criterion rows: 2564 and 2565, three agencies with three criteria each
    count = tiny.copy_to(
        "score_by_agency_criterion_year", None, lambda _: "*", "format csv", tmp_path / "out" / "x.csv"
    )
    assert count == 18 and len((tmp_path / "out" / "x.csv").read_text(encoding="utf-8").splitlines()) == 19


def test_a_copy_is_the_scope_and_passes_the_export_door(tiny, tmp_path, monkeypatch):
    """DuckDB's COPY from the kept file, as `pmqa export` and the app's CSV and Parquet downloads make
    it: the analyst's cluster holds one province, P1, with six criterion rows in the tiny data; the
    export is recorded before it is made."""
    monkeypatch.setenv("PMQA_AUDIT_DIR", str(tmp_path))
    analyst = tiny.scoped(access.Access("a@example.go.th", "analyst", access.Scope(groups=(CLUSTER,))))
    out = tmp_path / "t.csv"
    copied = functools.partial(sections.copied, analyst, "criterion", None, via="test", out="t.csv")
    assert export.write_copied(copied, out, ABOUT) == 6
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(table) == 6 and {r["agency_code"] for r in table} == {"P1"}
    [line] = audit.read(tmp_path / audit.FILE)
    assert (line["event"], line["who"], line["level"]) == ("export", "a@example.go.th", "criterion")
    agencies = functools.partial(sections.copied, analyst, "agency", None, via="test")
    read = pq.read_table(io.BytesIO(export.copied_bytes(agencies, ".parquet", ABOUT)))
    assert set(read.column("agency_code").to_pylist()) == {"P1"}
    assert json.loads(read.schema.metadata[b"pmqa.export"]) == ABOUT
    viewer = tiny.scoped(access.Access("v@example.go.th", "viewer", access.EVERYTHING))
    with pytest.raises(access.AccessDenied, match="export"):
        export.write_copied(functools.partial(sections.copied, viewer, "agency", None, via="test"), out, ABOUT)
    assert len(list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))) == 6  # as it was


def test_a_copy_that_fails_keeps_the_file_it_would_have_replaced(tiny, tmp_path):
    """A COPY DuckDB refuses (here a column the rows do not have) leaves the earlier file as it was and
    nothing beside it."""
    out = tmp_path / "t.csv"
    out.write_text("the earlier export\n", encoding="utf-8")

    def copied(select, options, to):
        return tiny.copy_to("score_by_agency_criterion_year", None, lambda _: "no_such_column", options, to)

    with pytest.raises(duckdb.BinderException):
        export.write_copied(copied, out, ABOUT)
    assert out.read_text(encoding="utf-8") == "the earlier export\n"
    assert list(tmp_path.iterdir()) == [out]


def test_an_export_of_a_store_whose_kept_file_was_pruned_makes_it_again(tiny_dir, tmp_path):
    """A store keeps reading its kept file after another process prunes it from the cache (the open
    file outlives its name); an export, which opens the file anew, finds it made again: the tiny
    data's 18 criterion rows, not an error."""
    store = db.Store(tiny_dir, access.operator())
    store.kept_path.unlink()
    assert store.years() == [2564, 2565]  # the store itself still reads it
    count = store.copy_to("score_by_agency_criterion_year", None, lambda _: "*", "format csv", tmp_path / "x.csv")
    assert count == 18 and store.kept_path.exists()
