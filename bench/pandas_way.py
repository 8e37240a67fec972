"""The pandas way: what an analyst would write instead of this product, plainly and fairly.

Every Parquet file of the folder read into one DataFrame, filtered and grouped in pandas, for the
same numbers as `pmqa summary`: each category's mean agency percentage in two years, the overall
mean of agency totals, and the strongest and weakest categories. It prints them as JSON.

    python -m bench.pandas_way DIR BASE COMPARE
"""

from __future__ import annotations

import glob
import json
import sys

import pandas as pd


def summary(folder: str, base: int, compare: int) -> dict:
    files = sorted(glob.glob(f"{folder}/**/*.parquet", recursive=True))
    df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    df = df[df["fiscal_year"].isin([base, compare]) & df["score"].notna()]
    by_category = df.groupby(["fiscal_year", "agency_code", "category"])[["score", "max_score"]].sum()
    by_category["pct"] = 100 * by_category["score"] / by_category["max_score"]
    means = by_category.groupby(["fiscal_year", "category"])["pct"].agg(["mean", "count"])
    totals = df.groupby(["fiscal_year", "agency_code"])[["score", "max_score"]].sum()
    overall = (100 * totals["score"] / totals["max_score"]).groupby("fiscal_year").mean()
    categories = []
    for category in range(1, 8):
        b = means.loc[(base, category)] if (base, category) in means.index else None
        c = means.loc[(compare, category)] if (compare, category) in means.index else None
        categories.append(
            {
                "category": category,
                "base_mean_pct": None if b is None else float(b["mean"]),
                "compare_mean_pct": None if c is None else float(c["mean"]),
                "base_agencies": 0 if b is None else int(b["count"]),
                "compare_agencies": 0 if c is None else int(c["count"]),
            }
        )
    ranked = sorted((c for c in categories if c["compare_mean_pct"] is not None), key=lambda c: -c["compare_mean_pct"])
    return {
        "overall": {"base_mean_pct": float(overall[base]), "compare_mean_pct": float(overall[compare])},
        "categories": categories,
        "strongest": sorted(c["category"] for c in ranked[:3]),
        "weakest": ranked[-1]["category"],
    }


if __name__ == "__main__":
    print(json.dumps(summary(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
