"""`make bench` works: the pandas way gives the query layer's numbers, and the benchmark writes its
tables. Only at a tiny scale, and no timing is asserted (speed is measured by `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys

from bench import pandas_way
from dashboard.views import sections
from tests.conftest import ROOT


def test_the_pandas_way_gives_the_same_numbers_as_the_query_layer(tiny, tiny_dir):
    theirs = pandas_way.summary(str(tiny_dir), 2564, 2565)
    ours = sections.summary(tiny, 2564, 2565)
    # worked by hand (conftest): 2565 category 1: A1 70, P1 90, N1 40 -> mean 66.67; overall 2564: A1 55,
    # A2 40, P1 87.5 -> 60.83
    assert round(theirs["categories"][0]["compare_mean_pct"], 2) == 66.67
    assert round(theirs["overall"]["base_mean_pct"], 2) == 60.83
    for mine, other in zip(ours["categories"], theirs["categories"], strict=True):
        for key in ("base_mean_pct", "compare_mean_pct", "base_agencies", "compare_agencies"):
            assert (mine[key] is None and other[key] is None) or abs(mine[key] - other[key]) < 1e-9, key
    assert (ours["strongest"], ours["weakest"]) == (theirs["strongest"], theirs["weakest"])


def test_the_benchmark_runs_and_writes_its_three_tables(tmp_path):
    out = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "T", "--repeat", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## 1. `pmqa summary`", "## 2. Named queries", "## 3. Page reruns", "## 4. The meeting pack"):
        assert heading in text
    assert "| T |" in text and " cores, " in text  # the machine is named
    assert "first open (validate, keep aggregates; target < 3 s, 500 MB)" in text
    assert "| explore |" in text and "| reopen unchanged data |" in text
    assert "| PDF |" in text and "| PPTX |" in text and "| XLSX |" in text
    # the brief as the command line and as the app make it, the second of a session with its target
    assert "`pmqa brief` (target < 5 s)" in text and "in the app, again (target < 3 s)" in text
    # the scenarios page (issue 18) is timed with a proposal in its link
    assert "| scenarios |" in text
    # the exports against DuckDB's COPY of the same rows, each with its ratios and their targets
    assert "## 5. `pmqa export`" in text
    for row in ("| T | CSV |", "| T | PARQUET |", "| T | XLSX |"):
        assert row in text
    assert "(1.5x)" in text and "(8x)" in text and "(2x)" in text
    # the app's XLSX download, made with a progress bar, and what the server keeps after it
    assert "| T | 3,360 |" in text and "kept (target < 100 MB) | CSV kept |" in text


def test_the_benchmark_times_an_import_against_duckdbs_read_csv_and_calamine(tmp_path):
    """`--only import` runs section 6 alone: one year of scale T (40 agencies × the sample's 42 criteria)
    as a CSV, imported as a whole process and read by DuckDB's read_csv, and as an XLSX, imported and
    read by python-calamine, each with the ratios' targets."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scales", "T", "--repeat", "1", "--only", "import"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ | {"PMQA_CACHE": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "## 6. `pmqa import` of a CSV" in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("| T |")]
    assert [r.split(" | ")[1:3] for r in rows] == [["CSV", "1,680"], ["XLSX", "1,680"]]
    assert all(r.count("(3x)") == 2 for r in rows)
