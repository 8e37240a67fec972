"""The Overview (and the command line's `summary`, the brief's key numbers): a year pair in numbers."""

from __future__ import annotations

from dataclasses import replace

from dashboard.data.db import Filters, Store
from dashboard.errors import DataError
from dashboard.views.sections.compare import criteria_changed

OVERALL = (
    "base_mean_pct",
    "compare_mean_pct",
    "delta_pts",
    "base_mean_points",
    "compare_mean_points",
    "points_change",
    "base_max_points",
    "compare_max_points",
)


def _number(value) -> float | None:
    """A JSON-safe number: NULL and NaN (no agency had a value) become None."""
    return None if value is None or value != value else float(value)


def summary(
    store: Store, base_year: int, compare_year: int, like_for_like: bool = False, filters: Filters | None = None
) -> dict:
    """The base year against the compare year: overall and per category, strongest and weakest.
    Plain rows, no DataFrame: the command line answers without loading pandas."""
    store.require_years(base_year, compare_year)
    if base_year == compare_year:
        raise DataError(f"base and compare are the same year ({base_year}): choose two different years")
    params = dict(base_year=base_year, compare_year=compare_year, like_for_like=like_for_like)
    overall = store.records("overall_mean_pct_by_year_pair", filters, **params)[0]
    cats = store.records("category_mean_pct_by_year_pair", filters, **params)
    ranked = [c for c in cats if c["strength_rank"] is not None]
    weakest = [int(c["category"]) for c in ranked if c["weakness_rank"] == 1]
    return {
        "base_year": base_year,
        "compare_year": compare_year,
        "like_for_like": like_for_like,
        "agencies": {"base": int(overall["base_agencies"]), "compare": int(overall["compare_agencies"])},
        "overall": {k: _number(overall[k]) for k in OVERALL},
        "categories": [
            {
                "category": int(c["category"]),
                "base_mean_pct": _number(c["base_mean_pct"]),
                "compare_mean_pct": _number(c["compare_mean_pct"]),
                "delta_pts": _number(c["delta_pts"]),
                "base_agencies": int(c["base_agencies"]),
                "compare_agencies": int(c["compare_agencies"]),
            }
            for c in cats
        ],
        # The three strongest as a set, listed by category number (as the working group names them);
        # their order of strength is in the categories' means.
        "strongest": sorted(int(c["category"]) for c in ranked if c["strength_rank"] <= 3),
        "weakest": weakest[0] if weakest else None,
        # Criteria added, removed or rescored between the years: the pair is not measured alike.
        "criteria_changed": criteria_changed(store, base_year, compare_year),
    }


def overview(store: Store, base: int, compare: int, like_for_like: bool, filters: Filters) -> dict:
    """The Overview page's numbers, each queried once: the summary, its categories as the table
    the chart draws, and the agencies' shares of each status level in both years."""
    found = summary(store, base, compare, like_for_like, filters)
    levels = store.query("level_share_by_year", replace(filters, years=(base, compare)), like_for_like=like_for_like)
    return {"summary": found, "categories": categories(found), "levels": levels}


def categories(found: dict):
    """A summary's seven categories as the table the category chart draws (no query of its own)."""
    import pandas as pd

    columns = ["category", "base_mean_pct", "compare_mean_pct", "delta_pts", "base_agencies", "compare_agencies"]
    return pd.DataFrame(found["categories"], columns=columns)
