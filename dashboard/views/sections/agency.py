"""The agency drilldown: one agency's record, headline, profile among its peers, path and criteria;
and the largest movers of a category (also the brief's)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dashboard.data.access import MIN_PEERS, MIN_QUARTILE_PEERS
from dashboard.data.db import Filters
from dashboard.views.sections.common import minus, value

if TYPE_CHECKING:
    pass

MOVERS = 10  # rises and falls listed
__all__ = ["MIN_PEERS", "MIN_QUARTILE_PEERS", "MOVERS", "agency", "agency_headline", "movers", "profile"]


def agency(data, filters: Filters, code: str) -> dict:
    """The agency's type, group and first and latest year with a result."""
    return data.query("agency_list", replace(filters, agencies=(code,))).iloc[0].to_dict()


def agency_headline(data, code: str, agency_type: str, base: int, compare: int) -> dict:
    """One agency's total, rank among agencies of its type, percentile and level in the compare year,
    each with its change since the base year (None where a year has no result)."""
    ranks = data.query("rank_by_agency_year", Filters(agency_types=(agency_type,)), agency_code=code)
    by_year = {int(r.fiscal_year): r for _, r in ranks.iterrows()}
    now, then = by_year.get(compare), by_year.get(base)
    levels = data.query("agency_level_by_year", Filters(agencies=(code,), years=(compare,)))
    return {
        "year": compare,
        "base_year": base,
        "pct": value(now, "pct"),
        "delta_pts": minus(value(now, "pct"), value(then, "pct")),
        "position": value(now, "position"),
        "ranked_agencies": value(now, "ranked_agencies"),
        # A rank that went from 5th to 2nd gained 3 places.
        "positions_gained": minus(value(then, "position"), value(now, "position")),
        "percentile": value(now, "percentile"),
        "percentile_change": minus(value(now, "percentile"), value(then, "percentile")),
        "level_th": levels.iloc[0]["level_label_th"] if len(levels) else None,
        "level_en": levels.iloc[0]["level_label_en"] if len(levels) else None,
    }


def profile(data, filters: Filters, code: str, year: int) -> dict:
    """The agency among its peers in `year`, its path over every year, and (for a role that reads
    criterion-level rows; None otherwise) its criteria in `year`."""
    mine = replace(filters, agencies=(code,))
    rows = data.access.may("rows")
    return {
        "peers": data.query("peer_pct_by_category", year=year, agency_code=code),
        "path": data.query("pct_by_agency_category_year", mine),
        "criteria": data.query("score_by_agency_criterion_year", replace(mine, years=(year,))) if rows else None,
    }


def movers(data, filters: Filters, category: int, base: int, compare: int, top: int = MOVERS) -> dict:
    """The largest rises (largest first) and falls (largest fall first) in one category's
    percentage between the two years; only positive changes are rises and negative ones falls."""
    moves = data.query(
        "movers_by_category",
        Filters(agency_types=filters.agency_types, groups=filters.groups, categories=(category,)),
        base_year=base,
        compare_year=compare,
        top=top,
    )
    rises = moves[moves.direction == "rise"].sort_values(["delta_pts", "agency_code"], ascending=[False, True])
    falls = moves[moves.direction == "fall"].sort_values(["delta_pts", "agency_code"], ascending=[True, True])
    return {"rise": rises.reset_index(drop=True), "fall": falls.reset_index(drop=True)}
