"""Named results built from the query layer: what the command line, pages and notebooks ask for.

Each function runs named queries through a Store and shapes the result; none computes a number
that the SQL did not.
"""

from __future__ import annotations

from dashboard.db import Filters, Store
from dashboard.errors import DataError


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
        "overall": {k: _number(overall[k]) for k in ("base_mean_pct", "compare_mean_pct", "delta_pts")},
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
        "criteria_changed": [
            c["criterion"]
            for c in store.records("criterion_changes_between_years", base_year=base_year, compare_year=compare_year)
        ],
    }


EXPORT_QUERIES = {"agency": "pct_by_agency_category_year", "criterion": "score_by_agency_criterion_year"}


def table(store: Store, level: str, filters: Filters | None = None):
    """The agency- or criterion-level table after the filters: what export writes and Explore shows."""
    if filters and filters.years:
        store.require_years(*filters.years)
    return store.query(EXPORT_QUERIES[level], filters)
