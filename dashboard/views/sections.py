"""The views: what each section of a page, the command line and the brief shows, as data.

One function per section. Each takes the data (anything with `query(name, filters, **params)`:
a db.Store, or the pages' cached source) and the selection, runs named queries and shapes their
rows: no Streamlit, no number the SQL did not compute, one rule for each choice (what "lowest"
means, how movers are ordered), so every screen and file says the same thing. The pages, the
command line, the notebook and the brief all call these.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from dashboard.data.db import Filters, Store
from dashboard.errors import DataError

if TYPE_CHECKING:  # the command line's `summary` runs without pandas
    import pandas as pd

LOWEST_CRITERIA = 10  # the criteria listed as "most agencies cannot meet"
MOVERS = 10  # rises and falls listed


class Data(Protocol):
    """A db.Store, or the pages' cached source."""

    def query(self, name: str, filters: Filters | None = None, **params) -> pd.DataFrame: ...


def _value(row: pd.Series | None, column: str):
    if row is None:
        return None
    value = row[column]
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _minus(a, b):
    return None if a is None or b is None else a - b


def agency_headline(data: Data, code: str, agency_type: str, base: int, compare: int) -> dict:
    """One agency's total, rank among agencies of its type, percentile and level in the compare year,
    each with its change since the base year (None where a year has no result)."""
    ranks = data.query("rank_by_agency_year", Filters(agency_types=(agency_type,)), agency_code=code)
    by_year = {int(r.fiscal_year): r for _, r in ranks.iterrows()}
    now, then = by_year.get(compare), by_year.get(base)
    levels = data.query("agency_level_by_year", Filters(agencies=(code,), years=(compare,)))
    return {
        "year": compare,
        "base_year": base,
        "pct": _value(now, "pct"),
        "delta_pts": _minus(_value(now, "pct"), _value(then, "pct")),
        "position": _value(now, "position"),
        "ranked_agencies": _value(now, "ranked_agencies"),
        # A rank that went from 5th to 2nd gained 3 places.
        "positions_gained": _minus(_value(then, "position"), _value(now, "position")),
        "percentile": _value(now, "percentile"),
        "percentile_change": _minus(_value(now, "percentile"), _value(then, "percentile")),
        "level_th": levels.iloc[0]["level_label_th"] if len(levels) else None,
        "level_en": levels.iloc[0]["level_label_en"] if len(levels) else None,
    }


def cutoffs(scheme, year: int | None, lang: str) -> list[tuple[str, float]]:
    """The status levels' cut-offs in force in a year (the scheme's latest year up to it), named in
    `lang`: the reference lines on charts of percentages."""
    levels = scheme.levels
    in_force = levels[levels.scheme_year <= year] if year is not None else levels.head(0)
    if in_force.empty:
        return []
    latest = in_force[in_force.scheme_year == in_force.scheme_year.max()].sort_values("min_pct")
    return [(r[f"label_{lang}"], float(r.min_pct)) for _, r in latest.iterrows()]


def criterion_names(data: Data, scheme, lang: str) -> dict[str, str]:
    """Criterion and sub-item code -> name in `lang`: the data's own names (optional columns
    criterion_name_th / _en) first, then the scoring scheme's; a criterion without a name of its
    own takes its sub-item's."""
    codes = set(scheme.criteria["criterion"]) | set(scheme.names)
    names = {code: scheme.criterion_name(code, lang) for code in codes}
    for row in data.query("criterion_names").itertuples():
        # The data's name is the authority on what its criterion measures, even in the other language.
        own = getattr(row, f"criterion_name_{lang}")
        names[row.criterion] = own if isinstance(own, str) else row.criterion_name_th or row.criterion_name_en
    return {code: name for code, name in names.items() if name}


def with_names(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A table of criteria with each one's name (from `criterion_names`) beside its code."""
    out = frame.copy()
    out.insert(
        list(frame.columns).index("criterion") + 1, "criterion_name", [names.get(c, "") for c in frame["criterion"]]
    )
    return out


def movers(data: Data, filters: Filters, category: int, base: int, compare: int, top: int = MOVERS) -> dict:
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


def lowest_criteria(data: Data, filters: Filters, year: int, threshold: int, n: int = LOWEST_CRITERIA) -> pd.DataFrame:
    """Categories 1–6's criteria that most agencies cannot meet in `year`: the largest share of
    assessed agencies below the threshold first; ties go to more agencies not assessed, then code."""
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


def result_items(data: Data, filters: Filters, base: int, compare: int, threshold: int) -> pd.DataFrame:
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
        "overall": {
            k: _number(overall[k])
            for k in (
                "base_mean_pct",
                "compare_mean_pct",
                "delta_pts",
                "base_mean_points",
                "compare_mean_points",
                "points_change",
                "base_max_points",
                "compare_max_points",
            )
        },
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


def table(store: Store, level: str, filters: Filters | None = None, *, via: str, **details):
    """The agency- or criterion-level table after the filters, every row: what export and the
    downloads write, for a person whose role allows exports, recorded in the audit trail (`via` and
    `details`: where from, and the file) before a row is read."""
    from dashboard.data import actions  # only exports need the audit trail: `pmqa summary` stays light

    filters = filters or Filters()
    if filters.years:
        store.require_years(*filters.years)
    actions.permit("export", store.access, via, level=level, filters=filters, data=store.version_label, **details)
    return store.query(EXPORT_QUERIES[level], filters)
