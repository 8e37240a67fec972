"""Named results built from the query layer: what the command line, pages and notebooks ask for.

Each function runs named queries through a Store and shapes the result; none computes a number
that the SQL did not.
"""

from __future__ import annotations

import pandas as pd

from dashboard.db import Filters, Store


def _number(value) -> float | None:
    """A JSON-safe number: NaN and NA (no agency had a value) become None."""
    return None if pd.isna(value) else float(value)


def summary(
    store: Store, base_year: int, compare_year: int, like_for_like: bool = False, filters: Filters | None = None
) -> dict:
    """The base year against the compare year: overall and per category, strongest and weakest."""
    store.require_years(base_year, compare_year)
    params = dict(base_year=base_year, compare_year=compare_year, like_for_like=like_for_like)
    overall = store.query("overall_mean_pct_by_year_pair", filters, **params).iloc[0]
    cats = store.query("category_mean_pct_by_year_pair", filters, **params)
    ranked = cats.dropna(subset=["strength_rank"])
    weakest = ranked.loc[ranked["weakness_rank"] == 1, "category"]
    return {
        "base_year": base_year,
        "compare_year": compare_year,
        "like_for_like": like_for_like,
        "agencies": {"base": int(overall["base_agencies"]), "compare": int(overall["compare_agencies"])},
        "overall": {k: _number(overall[k]) for k in ("base_mean_pct", "compare_mean_pct", "delta_pts")},
        "categories": [
            {
                "category": int(r.category),
                "base_mean_pct": _number(r.base_mean_pct),
                "compare_mean_pct": _number(r.compare_mean_pct),
                "delta_pts": _number(r.delta_pts),
                "base_agencies": int(r.base_agencies),
                "compare_agencies": int(r.compare_agencies),
            }
            for r in cats.itertuples()
        ],
        # The three strongest as a set, listed by category number (as the working group names them);
        # their order of strength is in the categories' means.
        "strongest": sorted(int(c) for c in ranked.loc[ranked["strength_rank"] <= 3, "category"]),
        "weakest": int(weakest.iloc[0]) if len(weakest) else None,
    }


EXPORT_QUERIES = {"agency": "pct_by_agency_category_year", "criterion": "score_by_agency_criterion_year"}


def table(store: Store, level: str, filters: Filters | None = None):
    """The agency- or criterion-level table after the filters: what export writes and Explore shows."""
    if filters and filters.years:
        store.require_years(*filters.years)
    return store.query(EXPORT_QUERIES[level], filters)
