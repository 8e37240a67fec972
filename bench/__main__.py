"""`make bench`: speed and memory of the query layer at the scale the project is heading for.

The target is ten years of criterion-level results for about 8,000 agencies on a 2-core machine.
Times are reported as ratios against a baseline run in this same process (the bundled sample),
never as absolute thresholds, so the numbers mean the same on any machine:

    python -m bench [--agencies 8000] [--years 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import db, metrics, sample


def peak_rss_mb() -> float:
    """The process's peak resident memory, DuckDB's included (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def write_large(folder: Path, agencies: int, years: int, seed: int = 1) -> int:
    """Vectorised synthetic data in the contract's columns: one file per year, like real exports."""
    rng = np.random.default_rng(seed)
    crit = sample.criteria()
    cats = np.array([c for c, _, _ in crit], dtype=np.int8)
    codes = np.array([code for _, code, _ in crit])
    maxima = np.array([m for _, _, m in crit])
    ability = rng.normal(0, 9, agencies)
    types = np.array(["department", "province", "public_organization"])[np.arange(agencies) % 3]
    groups = np.array([f"กลุ่ม {i % 80:02d}" for i in range(agencies)])
    names = np.array([f"อปท. {i:05d}" for i in range(agencies)])
    rows = 0
    for y in range(years):
        year = 2566 - years + y
        pct = 60 + y + ability[:, None] + rng.normal(0, 8, (agencies, len(crit)))
        score = np.clip(np.round(pct / 100 * maxima * 2) / 2, 0, maxima)
        score[rng.random(score.shape) < 0.015] = np.nan
        n = agencies * len(crit)
        table = pa.table(
            {
                "fiscal_year": np.full(n, year, dtype=np.int32),
                "agency_code": np.repeat([f"L{i:05d}" for i in range(agencies)], len(crit)),
                "agency_name_th": np.repeat(names, len(crit)),
                "agency_name_en": pa.nulls(n, pa.string()),
                "agency_type": np.repeat(types, len(crit)),
                "agency_group_th": np.repeat(groups, len(crit)),
                "agency_group_en": pa.nulls(n, pa.string()),
                "category": np.tile(cats, agencies),
                "criterion": np.tile(codes, agencies),
                "score": pa.array(score.ravel(), from_pandas=True),
                "max_score": np.tile(maxima, agencies),
            }
        )
        pq.write_table(table, folder / f"scores_{year}.parquet")
        rows += n
    return rows


def timed(func, repeat: int) -> float:
    """Median seconds of `repeat` runs after one warm-up."""
    func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def workload(store: db.Store) -> dict:
    """What a page asks for, query by query."""
    years = store.years()
    base, compare = years[-2], years[-1]
    return {
        "summary (Overview)": lambda: metrics.summary(store, base, compare),
        "category stats (Trends)": lambda: store.query("pct_stats_by_category_year", db.Filters()),
        "criterion stats (Strengths)": lambda: store.query(
            "criterion_stats_by_year", db.Filters(years=(compare,)), threshold=50
        ),
        "movers (Agency)": lambda: store.query(
            "pct_change_by_agency_category", db.Filters(categories=(7,)), base_year=base, compare_year=compare
        ),
        "agency table (Explore)": lambda: metrics.table(store, "agency", db.Filters(years=(compare,))),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--agencies", type=int, default=8000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    baseline = db.Store(db.SAMPLE_DIR)
    base_load = time.perf_counter() - start
    base_rows = int(baseline.query("fiscal_years").criterion_rows.sum())
    base_times = {name: timed(f, args.repeat) for name, f in workload(baseline).items()}
    rss_before = peak_rss_mb()

    with tempfile.TemporaryDirectory() as tmp:
        rows = write_large(Path(tmp), args.agencies, args.years)
        start = time.perf_counter()
        large = db.Store(Path(tmp))
        load = time.perf_counter() - start
        times = {name: timed(f, args.repeat) for name, f in workload(large).items()}
    rss_after = peak_rss_mb()

    print(
        f"baseline: bundled sample, {base_rows:,} rows; large: {args.agencies:,} agencies x {args.years} years, "
        f"{rows:,} rows ({rows / base_rows:.0f}x the rows)\n"
    )
    print(f"{'step':<30} {'baseline ms':>12} {'large ms':>10} {'ratio':>7}")
    print(f"{'open + validate + load':<30} {base_load * 1e3:12.0f} {load * 1e3:10.0f} {load / base_load:7.1f}")
    for name in times:
        print(
            f"{name:<30} {base_times[name] * 1e3:12.1f} {times[name] * 1e3:10.1f} {times[name] / base_times[name]:7.1f}"
        )
    print(
        f"\npeak memory: {rss_before:,.0f} MB after the baseline, {rss_after:,.0f} MB after the large run "
        f"({rss_after / rss_before:.1f}x)"
    )


if __name__ == "__main__":
    main()
