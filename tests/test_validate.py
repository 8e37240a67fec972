"""One test per class of malformed export: `validate` names the file, the column and the key."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dashboard import db
from tests.conftest import cli, folder_checksum, row, tiny_rows, write_rows, write_tiny


def good_rows():
    return tiny_rows()[2564]


def problems(folder) -> list[str]:
    return [str(p) for p in db.validate(folder).problems]


def test_the_tiny_folder_is_valid(tiny_dir):
    result = cli("validate", tiny_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:") and "2 Parquet files" in result.stdout


def edited(change):
    rows = good_rows()
    change(rows)
    return rows


BAD_ROWS = {
    "category outside 1-7": (
        lambda rows: rows.__setitem__(0, rows[0] | {"category": 8, "criterion": "8.1"}),
        "column category, key 2564/A1/8.1 (row 1): category 8 is outside 1–7",
    ),
    "criterion of another category": (
        lambda rows: rows.__setitem__(1, rows[1] | {"criterion": "2.1"}),
        "column criterion, key 2564/A1/2.1 (row 2): criterion 2.1 does not belong to its category",
    ),
    "negative score": (
        lambda rows: rows.__setitem__(0, rows[0] | {"score": -1.0}),
        "column score, key 2564/A1/1.1 (row 1): score -1.0 is negative",
    ),
    "score above max": (
        lambda rows: rows.__setitem__(2, rows[2] | {"score": 25.0}),
        "column score, key 2564/A1/7.1 (row 3): score 25.0 is above max_score",
    ),
    "max_score not positive": (
        lambda rows: rows.__setitem__(3, rows[3] | {"max_score": 0.0}),
        "column max_score, key 2564/A2/1.1 (row 4): max_score 0.0 is not above zero",
    ),
    "missing agency_code": (
        lambda rows: rows.__setitem__(4, rows[4] | {"agency_code": None}),
        "column agency_code, key 2564/?/1.2 (row 5): agency_code is empty",
    ),
    "C.E. year": (
        lambda rows: rows.__setitem__(0, rows[0] | {"fiscal_year": 2021}),
        "column fiscal_year, key 2021/A1/1.1 (row 1): fiscal_year 2021 is not a Buddhist Era year",
    ),
    "unknown agency type": (
        lambda rows: rows.__setitem__(0, rows[0] | {"agency_type": "ministry"}),
        "column agency_type, key 2564/A1/1.1 (row 1): agency_type 'ministry' is not one of",
    ),
}


@pytest.mark.parametrize("change,expected", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_row_is_named(tmp_path, change, expected):
    write_rows(tmp_path / "bad.parquet", edited(change))
    before = folder_checksum(tmp_path)
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert f"bad.parquet, {expected}" in result.stdout
    assert "Traceback" not in result.stderr
    assert folder_checksum(tmp_path) == before


def test_missing_column(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "max_score"} for r in good_rows()]
    write_rows(tmp_path / "no_max.parquet", rows)
    assert problems(tmp_path) == ["no_max.parquet, column max_score: missing column"]


def test_wrong_column_type(tmp_path):
    rows = [r | {"score": str(r["score"])} for r in good_rows()]
    write_rows(tmp_path / "text_scores.parquet", rows, score=pa.string())
    assert problems(tmp_path) == ["text_scores.parquet, column score: has type string, expected number"]


def test_duplicate_key_across_files(tmp_path):
    write_rows(tmp_path / "a.parquet", good_rows())
    write_rows(tmp_path / "b.parquet", good_rows()[:1])
    found = problems(tmp_path)
    assert (
        "a.parquet, column criterion, key 2564/A1/1.1 (row 1): (fiscal_year, agency_code, criterion) occurs 2 times"
        in found
    )
    assert (
        "b.parquet, column criterion, key 2564/A1/1.1 (row 1): (fiscal_year, agency_code, criterion) occurs 2 times"
        in found
    )
    assert len(found) == 2


def test_corrupt_file(tmp_path):
    write_tiny(tmp_path)
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert "broken.parquet: unreadable or corrupt Parquet file" in result.stdout
    assert "Traceback" not in result.stderr


def test_no_parquet_file(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert "no Parquet file in this folder or below it" in result.stdout


def test_missing_folder(tmp_path):
    result = cli("validate", tmp_path / "nope")
    assert result.returncode == 1 and "no such folder" in result.stdout


def test_many_problems_are_capped_and_counted(tmp_path):
    rows = [row(2564, f"X{i}", "1.1", -1.0, 10.0) for i in range(db.MAX_PROBLEMS + 50)]
    write_rows(tmp_path / "many.parquet", rows)
    report = db.validate(tmp_path)
    assert report.total_problems == db.MAX_PROBLEMS + 50
    assert len(report.problems) == db.MAX_PROBLEMS


def test_store_refuses_an_invalid_folder(tmp_path):
    write_rows(tmp_path / "bad.parquet", edited(BAD_ROWS["negative score"][0]))
    with pytest.raises(db.DataError, match="does not meet the data contract"):
        db.Store(tmp_path)
    result = cli("summary", "--base", 2564, "--compare", 2565, data=tmp_path)
    assert result.returncode == 1 and "score -1.0 is negative" in result.stderr
    assert "Traceback" not in result.stderr
