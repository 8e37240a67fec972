"""The criteria workbench (issue 17; the Criteria page, `pmqa criteria`, the brief): per criterion of a
year, how many agencies meet it and whether it separates strong agencies from weak ones, with one flag
saying what the working group can do about it; and, for a criterion, the agencies below the threshold.

Every number comes from the four named queries (criterion_item_stats_by_year, category_alpha_by_year,
redundant_pairs_by_year, agencies_below_criterion); this module checks the request, names the
criteria and words each flag's reason.
"""

from __future__ import annotations

import math

from dashboard.data.contract import printable
from dashboard.data.db import Filters
from dashboard.errors import DataError
from dashboard.views import formatting
from dashboard.views.i18n import t
from dashboard.views.sections.common import criterion_names

# The cut points: the page shows them as options.
CUTS = {"saturated_share": 50, "redundant_r": 0.9, "hard_share": 30, "discrimination_cut": 0.3}
FLAGS = ("saturated", "redundant", "hard", "unclear", "none")  # the order the SQL tries them in


def _number(value) -> float | None:
    """A JSON-safe number: NULL and NaN become None."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _require_threshold(threshold) -> None:
    if not 0 <= threshold <= 100:
        raise DataError(f"the threshold is a percentage of the maximum score, from 0 to 100, not {threshold}")


def _require_years(data, year: int, base: int | None) -> None:
    data.require_years(year, *([] if base is None else [base]))


def _reason(item: dict, partners: list[tuple[str, float]], threshold, lang: str) -> str:
    """Why the criterion has its flag, in a sentence of `lang`."""
    flag, r = item["flag"], item["discrimination"]
    values = {
        "below": formatting.pct(item["below_share"]),
        "ceiling": formatting.pct(item["ceiling_share"]),
        "threshold": threshold,
        "r": "—" if r is None else f"{r:.2f}",
        "others": ", ".join(f"{code} (r {value:.2f})" for code, value in partners),
    }
    if item["assessed"] == 0:
        return t("criteria.reason.not_assessed", lang)
    if flag == "unclear" and r is None:  # too few agencies, or no variance: it could not be related to the rest
        return t("criteria.reason.unclear_no_r", lang, **values)
    return t(f"criteria.reason.{flag}", lang, **values)


def _partners(pairs: list[dict]) -> dict[str, list[tuple[str, float]]]:
    """Each criterion in a redundant pair -> the criteria it moves with, the closest first."""
    found: dict[str, list[tuple[str, float]]] = {}
    for p in pairs:
        found.setdefault(p["a"], []).append((p["b"], p["r"]))
        found.setdefault(p["b"], []).append((p["a"], p["r"]))
    return {code: sorted(with_, key=lambda x: (-x[1], x[0])) for code, with_ in found.items()}


def workbench(
    data, year: int, base: int | None, threshold: int, filters: Filters, lang: str, cuts: dict | None = None
) -> dict:
    """Every criterion of `year` under the filters with its item statistics, flag and reason (and
    its mean and share below in `base`, when given), each category's alpha and the redundant pairs."""
    _require_threshold(threshold)
    _require_years(data, year, base)
    cuts = CUTS | (cuts or {})
    items = data.records(
        "criterion_item_stats_by_year", filters, year=year, base_year=base, threshold=threshold, **cuts
    )
    alphas = data.records("category_alpha_by_year", filters, year=year)
    # The pairs come with the item statistics (each criterion's partners), not from a second query:
    # they are the costliest step, a self-join of the year's rows.
    pairs = sorted(
        (
            {"a": item["criterion"], "b": p["criterion"], "r": float(p["r"])}
            for item in items
            for p in item["partners"] or []
            if item["criterion"] < p["criterion"]
        ),
        key=lambda p: (p["a"], p["b"]),
    )
    names, partners = criterion_names(data, data.scheme, lang), _partners(pairs)
    criteria = []
    for item in items:
        row = {
            "criterion": item["criterion"],
            "category": int(item["category"]),
            "name": names.get(item["criterion"], ""),
            "assessed": int(item["assessed"]),
            **{k: _number(item[k]) for k in ("mean_pct", "below_share", "ceiling_share", "discrimination")},
            "flag": item["flag"],
            "base_mean_pct": _number(item["base_mean_pct"]),
            "delta_pts": _number(item["delta_pts"]),
        }
        row["reason"] = _reason(row, partners.get(row["criterion"], []), threshold, lang)
        criteria.append(row)
    return {
        "year": year,
        "threshold": threshold,
        "base": base,
        "cuts": cuts,
        "criteria": criteria,
        "categories": [
            {"category": int(a["category"]), "alpha": _number(a["alpha"]), "agencies": int(a["agencies"])}
            for a in alphas
        ],
        "redundant_pairs": pairs,
    }


def _require_criterion(data, year: int, criterion: str) -> None:
    """Refuse a criterion the year does not have (for this person), naming the ones it has."""
    have = [r["criterion"] for r in data.records("criterion_stats_by_year", Filters(years=(year,)), threshold=0)]
    if criterion not in have:
        raise DataError(f"no criterion {printable(criterion)!r} in fiscal year {year}; it has: {', '.join(have)}")


def agencies_below(data, year: int, criterion: str, threshold: int, base: int | None, filters: Filters) -> dict:
    """The agencies under the filters whose criterion % on `criterion` in `year` is below the
    threshold, the lowest first: criterion-level rows, so only for a role that may read them."""
    _require_threshold(threshold)
    _require_years(data, year, base)
    found = data.records(  # the query layer refuses it to a role that may not read agencies' criterion rows
        "agencies_below_criterion", filters, year=year, criterion=criterion, threshold=threshold, base_year=base
    )
    if not found:  # nobody below it, or no such criterion: only the second is an error
        _require_criterion(data, year, criterion)
    agencies = [
        {
            "agency_code": r["agency_code"],
            "agency_name": r["agency_name_th"],
            "agency_type": r["agency_type"],
            "agency_group": r["agency_group_th"],
            **{k: _number(r[k]) for k in ("score", "max_score", "pct", "base_pct", "total_pct")},
        }
        for r in found
    ]
    return {"criterion": criterion, "year": year, "threshold": threshold, "agencies": agencies}
