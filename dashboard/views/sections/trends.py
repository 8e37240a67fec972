"""Category trends: every year's category means and spread, the overall mean, who was counted, and
what a year pair's change is made of."""

from __future__ import annotations

from dashboard.data.db import Filters


def category_stats(data, filters: Filters):
    """Every year's mean, quartiles and rank of each category."""
    return data.query("pct_stats_by_category_year", filters)


def trends(data, filters: Filters, base: int | None, compare: int | None) -> dict:
    """Each category's statistics per year, the overall mean per year, the agencies counted per type
    and year, and (when both years of the pair have results) the pair's change split into like-for-like
    and composition."""
    stats = category_stats(data, filters)
    years = set(stats.fiscal_year)
    change = None
    if base in years and compare in years and base != compare:
        found = data.query("change_decomposition_by_year_pair", filters, base_year=base, compare_year=compare)
        change = found.iloc[0].to_dict()
    return {
        "stats": stats,
        "overall": data.query("overall_stats_by_year", filters),
        "counts": data.query("agency_count_by_type_year", filters),
        "change": change,
    }
