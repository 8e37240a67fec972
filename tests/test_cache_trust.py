"""The kept cache never shows old numbers (issue 15: item 2).

Each test uses a cache folder of its own, so what it finds there is what its own runs made. Numbers
are worked out by hand from the rows written here (agency total % = 100 x sum(score) / sum(max_score),
criteria 1.1 and 1.2 of ten points and 7.1 of twenty, so forty points in all).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SCHEMA, agency_rows, cli, write_rows

from dashboard.data import db
from dashboard.views import sections


def _means(summary: dict) -> tuple[float, float]:
    return summary["overall"]["base_mean_pct"], summary["overall"]["compare_mean_pct"]


def _summary_json(data: Path) -> dict:
    done = cli("summary", "--base", "2564", "--compare", "2565", "--json", "--data", data)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder that does not exist yet, for this test and the processes it starts."""
    where = tmp_path / "cache"
    monkeypatch.setenv("PMQA_CACHE", str(where))
    return where


# --- item 2: the cache key identifies the data, not only its path and version ------------------


def test_a_store_made_again_at_the_same_path_shows_its_own_numbers(tmp_path, own_cache):
    first = write_rows(
        tmp_path / "first.parquet",
        agency_rows(2564, "X1", 5, 5, 10)  # 20/40 = 50 %
        + agency_rows(2564, "Y1", 10, 10, 20)  # 100 %
        + agency_rows(2565, "X1", 6, 6, 12)  # 24/40 = 60 %
        + agency_rows(2565, "Y1", 8, 8, 16),  # 32/40 = 80 %
    )
    second = write_rows(
        tmp_path / "second.parquet",
        agency_rows(2564, "X1", 2, 2, 4)  # 8/40 = 20 %
        + agency_rows(2565, "X1", 10, 10, 20),  # 100 %
    )
    store_dir = tmp_path / "S"
    assert cli("import", first, "--data", store_dir).returncode == 0
    before = _summary_json(store_dir)
    assert before["agencies"] == {"base": 2, "compare": 2} and _means(before) == (75.0, 70.0)

    shutil.rmtree(store_dir)  # the same path, the same version 0, other rows
    assert cli("import", second, "--data", store_dir).returncode == 0
    after = _summary_json(store_dir)
    assert after["agencies"] == {"base": 1, "compare": 1} and _means(after) == (20.0, 100.0)


def _write_uncompressed(path: Path, rows: list[dict]) -> Path:
    # Uncompressed, the two versions below come out the same size: only identity can tell them apart.
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(list(SCHEMA.items()))), path, compression="none")
    return path


def test_a_folder_written_anew_with_the_same_sizes_and_times_shows_its_own_numbers(tmp_path, own_cache):
    data = tmp_path / "exports"
    old = _write_uncompressed(
        data / "scores.parquet", agency_rows(2564, "X1", 5, 5, 10) + agency_rows(2565, "X1", 6, 6, 12)
    )
    seen = old.stat()
    assert _means(sections.summary(db.Store(data), 2564, 2565, False, db.Filters())) == (50.0, 60.0)

    shutil.rmtree(data)  # as an archive unpacked again, or `cp -p`, would: same name, size and time
    new = _write_uncompressed(
        data / "scores.parquet", agency_rows(2564, "X1", 2, 2, 4) + agency_rows(2565, "X1", 10, 10, 20)
    )
    os.utime(new, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert (new.stat().st_size, new.stat().st_mtime_ns) == (seen.st_size, seen.st_mtime_ns)
    assert _means(sections.summary(db.Store(data), 2564, 2565, False, db.Filters())) == (20.0, 100.0)
