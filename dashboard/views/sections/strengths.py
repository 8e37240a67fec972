"""Strengths and weaknesses (and the brief's tables): categories ranked per year, the criteria with
the largest share of agencies below a threshold, and category 7's result items."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dashboard.data.db import Filters

if TYPE_CHECKING:
    import pandas as pd

LOWEST_CRITERIA = 10  # how many criteria the "largest share below" list holds


def category_ranks(data, filters: Filters) -> pd.DataFrame:
    """Each category's mean and rank in each year."""
    return data.query("category_rank_by_year", filters)


def lowest_criteria(data, filters: Filters, year: int, threshold: int, n: int = LOWEST_CRITERIA) -> pd.DataFrame:
    """Categories 1–6's criteria with the largest share of assessed agencies below the threshold in
    `year` (not necessarily most of them: narrative.lowest_note says where it is); ties go to more
    agencies not assessed, then code."""
    process_categories = tuple(c for c in (filters.categories or range(1, 7)) if c <= 6)
    process = data.query(
        "criterion_stats_by_year",
        Filters(
            years=(year,),
            agency_types=filters.agency_types,
            groups=filters.groups,
            agencies=filters.agencies,
            categories=process_categories or (1, 2, 3, 4, 5, 6),
        ),
        threshold=threshold,
    )
    if not process_categories:  # only category 7 was asked for: it has no process criteria
        return process.head(0)
    order = process.sort_values(
        ["share_below_pct", "agencies_not_assessed", "criterion"], ascending=[False, False, True], na_position="last"
    )
    return order.head(n).reset_index(drop=True)


def result_stats(data, filters: Filters, threshold: int) -> pd.DataFrame:
    """Category 7's result items in every year: mean, median and share below the threshold."""
    return data.query("criterion_stats_by_year", replace(filters, categories=(7,)), threshold=threshold)


def result_items(data, filters: Filters, base: int, compare: int, threshold: int) -> pd.DataFrame:
    """Category 7's result items: each one's mean percentage and share of agencies below the
    threshold in the base and the compare year, and the change between them in points."""
    stats = data.query(
        "criterion_stats_by_year",
        Filters(years=(base, compare), agency_types=filters.agency_types, groups=filters.groups, categories=(7,)),
        threshold=threshold,
    )
    import pandas as pd

    columns = ["criterion", "base_pct", "compare_pct", "delta_pts", "base_share_below_pct", "compare_share_below_pct"]
    if stats.empty:
        return pd.DataFrame(columns=columns)
    wide = stats.pivot(index="criterion", columns="fiscal_year", values=["mean_pct", "share_below_pct"])

    def column(values: str, year: int) -> pd.Series:
        return wide[(values, year)] if (values, year) in wide.columns else pd.Series(float("nan"), index=wide.index)

    table = pd.DataFrame(
        {
            "base_pct": column("mean_pct", base),
            "compare_pct": column("mean_pct", compare),
            "base_share_below_pct": column("share_below_pct", base),
            "compare_share_below_pct": column("share_below_pct", compare),
        }
    )
    table["delta_pts"] = table.compare_pct - table.base_pct
    return table.reset_index()[columns]
