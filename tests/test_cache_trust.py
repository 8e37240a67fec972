"""The kept cache never shows old numbers, is private, and fails plainly (issue 15: items 2, 12, 18).

Each test uses a cache folder of its own, so what it finds there is what its own runs made. Numbers
are worked out by hand from the rows written here (agency total % = 100 x sum(score) / sum(max_score),
criteria 1.1 and 1.2 of ten points and 7.1 of twenty, so forty points in all).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.data import db
from dashboard.views import sections
from tests.conftest import OPERATOR, ROOT, SCHEMA, agency_rows, cli, write_rows, write_tiny

# The tiny folder (conftest), by hand: 2564 A1 22/40 = 55 %, A2 12/30 = 40 %, P1 35/40 = 87.5 %;
# 2565 A1 26/40 = 65 %, P1 18/20 = 90 %, N1 16/40 = 40 %.
TINY_MEANS = (182.5 / 3, 65.0)


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
    assert _means(sections.summary(db.Store(data, OPERATOR), 2564, 2565, False, db.Filters())) == (50.0, 60.0)

    shutil.rmtree(data)  # as an archive unpacked again, or `cp -p`, would: same name, size and time
    new = _write_uncompressed(
        data / "scores.parquet", agency_rows(2564, "X1", 2, 2, 4) + agency_rows(2565, "X1", 10, 10, 20)
    )
    os.utime(new, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert (new.stat().st_size, new.stat().st_mtime_ns) == (seen.st_size, seen.st_mtime_ns)
    assert _means(sections.summary(db.Store(data, OPERATOR), 2564, 2565, False, db.Filters())) == (20.0, 100.0)


# --- item 12: the kept rows are the owner's alone ------------------------------------------------


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mode & 0o777 for p in [folder, *folder.rglob("*")]}


def test_the_cache_folder_and_files_are_readable_by_their_owner_only(tmp_path, own_cache):
    data = write_tiny(tmp_path / "data")
    old = os.umask(0o022)  # the usual umask: files 0644 and folders 0755 unless made private
    try:
        db.Store(data, OPERATOR)
    finally:
        os.umask(old)
    modes = _modes(own_cache)
    assert modes.pop(".") == 0o700
    assert modes and all(name.endswith(".duckdb") and mode == 0o600 for name, mode in modes.items()), modes


def test_the_default_cache_folder_is_made_private_when_it_was_not(tmp_path, monkeypatch):
    monkeypatch.delenv("PMQA_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    ours = tmp_path / "xdg" / "pmqa"
    ours.mkdir(parents=True)
    ours.chmod(0o755)  # as an earlier version left it
    db.Store(write_tiny(tmp_path / "data"), OPERATOR)
    assert ours.stat().st_mode & 0o777 == 0o700
    assert {mode for name, mode in _modes(ours).items() if name != "."} == {0o600}


# --- item 18: a full disk, a damaged file, builders at once, a folder that cannot be written ----


def _limit_file_size(limit: int):
    def apply():  # in the child: a write past `limit` fails with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("limit", [20_000, 1_000_000])  # the first write fails / the file is cut short
def test_a_full_disk_gives_one_line_and_leaves_nothing(tmp_path, own_cache, limit):
    data = write_tiny(tmp_path / "data")
    args = [sys.executable, "-m", "dashboard", "summary", "--base", "2564", "--compare", "2565", "--data", str(data)]
    done = subprocess.run(
        args, capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=_limit_file_size(limit)
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"error: cannot write the cache in {own_cache} (disk full?)"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert list(own_cache.iterdir()) == []  # no temporary file, no .wal, no half-made cache
    assert _means(_summary_json(data)) == TINY_MEANS  # with room again, the right numbers


def test_a_truncated_cache_file_is_made_again(tmp_path, own_cache):
    data = write_tiny(tmp_path / "data")
    first = db.Store(data, OPERATOR)
    assert first.years() == [2564, 2565]
    del first
    gc.collect()  # DuckDB keeps the file open while a connection to it lives
    (kept,) = own_cache.glob("*.duckdb")
    whole = kept.stat().st_size
    with open(kept, "r+b") as f:
        f.truncate(whole // 2)
    again = db.Store(data, OPERATOR)
    assert _means(sections.summary(again, 2564, 2565, False, db.Filters())) == TINY_MEANS
    assert kept.stat().st_size >= whole


def test_four_threads_opening_one_cold_cache_all_get_the_numbers(tmp_path, own_cache):
    data = write_tiny(tmp_path / "data")
    start = threading.Barrier(4)
    results, errors = [], []

    def open_and_ask():
        start.wait()
        try:
            results.append(_means(sections.summary(db.Store(data, OPERATOR), 2564, 2565, False, db.Filters())))
        except Exception as exc:  # noqa: BLE001 - a failure in a thread is reported by the test
            errors.append(repr(exc))

    threads = [threading.Thread(target=open_and_ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and results == [TINY_MEANS] * 4
    assert [p.name for p in own_cache.iterdir() if not p.name.endswith(".duckdb")] == []


def test_four_processes_opening_one_cold_cache_all_get_the_numbers(tmp_path, own_cache):
    data = write_tiny(tmp_path / "data")
    args = [sys.executable, "-m", "dashboard", "summary", "--base", "2564", "--compare", "2565", "--json"]
    running = [
        subprocess.Popen(
            [*args, "--data", str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in running]
    assert [p.returncode for p in running] == [0] * 4, [err for _, err in outputs]
    assert [_means(json.loads(out)) for out, _ in outputs] == [TINY_MEANS] * 4
    assert [p.name for p in own_cache.iterdir() if not p.name.endswith(".duckdb")] == []


@pytest.mark.parametrize("where", ["a_file", "a_file/cache"])
def test_a_cache_location_that_cannot_be_written_gives_one_line(tmp_path, monkeypatch, where):
    (tmp_path / "a_file").write_text("not a folder")
    monkeypatch.setenv("PMQA_CACHE", str(tmp_path / where))
    done = cli("summary", "--base", "2564", "--compare", "2565", "--data", write_tiny(tmp_path / "data"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: cannot write the cache in {tmp_path / where}"), done.stderr
    assert "PMQA_CACHE" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert (tmp_path / "a_file").read_text() == "not a folder"


# --- the first open of new data: its scheme's levels are kept without pandas -------------------


def test_the_first_open_keeps_the_schemes_levels_in_rank_order_without_pandas(tmp_path, own_cache):
    """pandas was imported only to hand the levels to DuckDB: about 90 MB of the first open's peak.
    The cut-offs are written out of order, so the ranks must come from the values. By hand (tiny
    folder): 2564 A1 55 %, A2 40 %, P1 87.5 %; 2565 A1 65 %, P1 90 %, N1 40 %; low from 40, mid from
    60, top from 85."""
    data = write_tiny(tmp_path / "data")
    cutoffs = {"top": 85, "low": 40, "mid": 60}
    doc = {
        "levels": [{"level": k, "label_th": k, "label_en": k} for k in cutoffs],
        "years": [{"fiscal_year": y, "cutoffs": cutoffs} for y in (2564, 2565)],
    }
    (data / "scoring_scheme.json").write_text(json.dumps(doc), encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from dashboard.data import access, db; "
        f"s = db.Store(Path({str(data)!r}), access.operator()); "
        "rows = s.records('level_share_by_year', db.Filters(), like_for_like=False); "
        "print('pandas' in sys.modules); "
        "print(sorted((r['fiscal_year'], r['level_rank'], r['level'] or '-', r['agencies']) for r in rows))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported, levels = done.stdout.splitlines()
    assert imported == "False"
    assert levels == repr(
        [
            (2564, 0, "-", 0),
            (2564, 1, "low", 2),
            (2564, 2, "mid", 0),
            (2564, 3, "top", 1),
            (2565, 0, "-", 0),
            (2565, 1, "low", 1),
            (2565, 2, "mid", 1),
            (2565, 3, "top", 1),
        ]
    )
