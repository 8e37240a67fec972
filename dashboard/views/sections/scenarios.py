"""Revision scenarios (issue 18; the Scenarios page, `pmqa whatif`, the brief): what a proposed scheme
would do to every agency's status level in a year, and what its candidate indicators measure.

The proposal and the indicators are checked against the year here (the levels it names, the
criteria the data has, the indicators the file has); every number then comes from the four
`*_under_proposal` named queries over the kept criterion rows.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from dashboard.data.contract import printable
from dashboard.data.db import Filters
from dashboard.data.proposal import NO_INDICATORS, Indicators, Proposal
from dashboard.errors import DataError
from dashboard.views import formatting as fmt
from dashboard.views.i18n import category_name, t
from dashboard.views.sections.common import criterion_names

if TYPE_CHECKING:  # the command line answers without pandas; the tables below load it when asked
    import pandas as pd

# The agencies that change level as the page shows them: the move first, so that it stays on screen
# at a laptop's width (the type and group are the longest, and last).
SCENARIO_COLUMNS = ["agency_code", "agency_name", "current_level", "proposed_level", "current_pct", "proposed_pct"]
SCENARIO_COLUMNS += ["agency_type", "agency_group"]
# A candidate indicator's figures (indicator_stats_under_proposal.sql), in the page's order
INDICATOR_COLUMNS = ["indicator", "agencies", "mean", "min", "q1", "median", "q3", "max"]
INDICATOR_COLUMNS += ["corr_category_7", "corr_total", "discrimination"]
LEVEL_COLUMNS = ["level", "current_agencies", "current_share_pct", "proposed_agencies", "proposed_share_pct"]


def _number(value) -> float | None:
    """A JSON-safe number, rounded where floating point adds noise: a score rescaled by max / max
    gives a change of -3.6e-14 where there is none, which would read "-0.0"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 9) + 0.0  # + 0.0 turns -0.0 into 0.0


def year_levels(data, year: int) -> list[dict]:
    """The year's levels in force (the scheme's latest year up to it), lowest first."""
    levels = data.scheme.levels
    in_force = levels[levels.scheme_year <= year]
    if in_force.empty:
        raise DataError(f"the scoring scheme has no cut-offs for fiscal year {year} or before")
    latest = in_force[in_force.scheme_year == in_force.scheme_year.max()].sort_values("level_rank")
    return [
        {"level": r.level, "level_rank": int(r.level_rank), "min_pct": float(r.min_pct)}
        | {"th": r.label_th, "en": r.label_en}
        for r in latest.itertuples()
    ]


def year_criteria(data, year: int, lang: str) -> list[dict]:
    """The year's criteria with their category, maximum and name: the scheme a proposal edits."""
    data.require_years(year)
    names = criterion_names(data, data.scheme, lang)
    return [
        {"criterion": r["criterion"], "category": int(r["category"]), "max_score": float(r["max_score"])}
        | {"name": names.get(r["criterion"], "")}
        for r in data.records("criterion_max_by_year", year=year)
    ]


def _cutoffs(proposal: Proposal, levels: list[dict]) -> list[dict]:
    """The year's cut-offs with the proposal's in their place; they must still rise with the level."""
    names = [lv["level"] for lv in levels]
    asked, file = dict(proposal.cutoffs), printable(proposal.file)
    for level in asked:
        if level not in names:
            raise DataError(f"{file}: proposal key cutoffs.{printable(level)}: not a level ({', '.join(names)})")
    merged = [
        {"level": lv["level"], "level_rank": lv["level_rank"], "min_pct": asked.get(lv["level"], lv["min_pct"])}
        for lv in levels
    ]
    for lower, upper in zip(merged, merged[1:], strict=False):
        if upper["min_pct"] <= lower["min_pct"]:
            raise DataError(
                f"{file}: proposal key cutoffs: cut-offs must rise with the level; "
                f"{upper['level']} {upper['min_pct']:g} is not above {lower['level']} {lower['min_pct']:g}"
            )
    return merged


def _criteria(data, year: int, proposal: Proposal, indicators: Indicators) -> list[dict]:
    """The proposal's full list of criteria for the queries: {criterion, category, max_score, source}."""
    have = {r["criterion"]: int(r["category"]) for r in data.records("criterion_max_by_year", year=year)}
    if proposal.criteria is None:
        return [{"criterion": c, "category": cat, "max_score": None, "source": None} for c, cat in sorted(have.items())]
    sources, names = dict(proposal.sources), indicators.names()
    file = printable(proposal.file)
    criteria = []
    for code, maximum in proposal.criteria:
        source = sources.get(code)
        if source is None and code not in have:
            raise DataError(
                f"{file}: proposal key criteria.{code}: fiscal year {year} has no such criterion; "
                f"a new one names its candidate indicator in sources.{code}"
            )
        if source is not None and source not in names:
            where = (
                f"in the indicators file {printable(indicators.file)}"
                if indicators.file
                else "given: no indicators file"
            )
            raise DataError(f"{file}: proposal key sources.{code}: indicator {printable(source)!r} is not {where}")
        category = int(code.split(".")[0])
        criteria.append({"criterion": code, "category": category, "max_score": maximum, "source": source})
    return criteria


def params(data, year: int, proposal: Proposal, indicators: Indicators = NO_INDICATORS) -> dict:
    """The proposal completed against `year`: the named parameters of the scenario queries."""
    data.require_years(year)
    levels = year_levels(data, year)
    return {
        "year": year,
        "criteria": _criteria(data, year, proposal, indicators),
        "cutoffs": _cutoffs(proposal, levels),
        **indicators.of_year(year),
    }


def _notices(data, year: int, proposal: Proposal, asked: dict) -> list[dict]:
    """What the person should know about their files: values for agencies the data (or their view
    of it) does not have are left out; a source with no value in the year feeds nobody."""
    notes, unknown = [], []
    if asked["indicator_agencies"]:  # the agency list is long at national scale: read only when needed
        known = {r["agency_code"] for r in data.records("agency_list")}
        unknown = sorted({a for a in asked["indicator_agencies"] if a not in known})
    if unknown:
        shown = ", ".join(printable(a) for a in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        notes.append({"notice": "unknown_agencies", "count": len(unknown), "agencies": shown})
    for code, source in proposal.sources:
        if source not in asked["indicator_names"]:
            notes.append({"notice": "no_values", "criterion": code, "indicator": printable(source), "year": year})
    return notes


def scenario(data, year: int, proposal: Proposal, indicators: Indicators, filters: Filters, lang: str) -> dict:
    """What the proposal would do in `year` under the filters: agencies per level now and proposed,
    the agencies that change level (for a role that may read agencies' rows; None otherwise), each
    category's mean now and proposed, and each candidate indicator's figures."""
    asked = params(data, year, proposal, indicators)
    levels = {lv["level"]: lv for lv in year_levels(data, year)}
    counts = data.records("level_counts_under_proposal", filters, **asked)
    return {
        "year": year,
        "proposal": {"file": proposal.file, "name": proposal.name(lang), **proposal.as_json()},
        "indicators_file": indicators.file or None,
        "levels": [
            {
                "level": r["level"],
                "label": levels[r["level"]][lang] if r["level"] in levels else None,
                "current": int(r["current"]),
                "proposed": int(r["proposed"]),
            }
            for r in counts
        ],
        "changes": _changes(data, filters, asked, levels, lang) if data.access.may("rows") else None,
        "categories": [
            {
                "category": int(r["category"]),
                **{k: _number(r[k]) for k in ("current_mean_pct", "proposed_mean_pct", "delta_pts")},
            }
            for r in data.records("category_mean_under_proposal", filters, **asked)
        ],
        "indicators": [
            {"indicator": r["indicator"], "agencies": int(r["agencies"])}
            | {k: _number(r[k]) for k in ("mean", "min", "q1", "median", "q3", "max")}
            | {k: _number(r[k]) for k in ("corr_category_7", "corr_total", "discrimination")}
            for r in (
                data.records("indicator_stats_under_proposal", filters, **asked) if asked["indicator_names"] else []
            )
        ],
        "notices": _notices(data, year, proposal, asked),
    }


def _changes(data, filters: Filters, asked: dict, levels: dict, lang: str) -> list[dict]:
    """The agencies whose level the proposal changes, the furthest move first."""
    rows = data.records("level_changes_under_proposal", filters, **asked)
    name = "agency_name_th" if lang == "th" else "agency_name_en"
    return [
        {
            "agency_code": r["agency_code"],
            "agency_name": r[name] or r["agency_name_th"],
            "agency_type": r["agency_type"],
            "agency_group": r["agency_group_th"],
            "current_level": r["current_level"],
            "proposed_level": r["proposed_level"],
            "current_pct": _number(r["current_pct"]),
            "proposed_pct": _number(r["proposed_pct"]),
        }
        for r in rows
    ]


def proposal_text(data, year: int, proposal: Proposal, lang: str) -> str:
    """What the proposal changes against the year's scheme, in a sentence or three of `lang`."""
    now = {lv["level"]: lv for lv in year_levels(data, year)}
    parts = [
        t(
            "scenarios.text.cutoff",
            lang,
            level=now[level][lang],
            proposed=f"{value:g}",
            now=f"{now[level]['min_pct']:g}",
        )
        for level, value in proposal.cutoffs
        if level in now and value != now[level]["min_pct"]
    ]
    if proposal.criteria is not None:
        have = {c["criterion"]: c["max_score"] for c in year_criteria(data, year, lang)}
        asked, sources = dict(proposal.criteria), dict(proposal.sources)
        dropped = [code for code in have if code not in asked]
        if dropped:
            parts.append(t("scenarios.text.dropped", lang, codes=", ".join(dropped)))
        for code, top in asked.items():
            if code in sources:
                parts.append(t("scenarios.text.fed", lang, code=code, top=f"{top:g}", source=printable(sources[code])))
            elif have.get(code) != top:
                parts.append(t("scenarios.text.rescaled", lang, code=code, now=f"{have[code]:g}", top=f"{top:g}"))
    return "; ".join(parts) if parts else t("scenarios.text.same", lang)


# --- a scenario's tables, as the page and the brief show them ------------------------------------------


def level_table(found: dict, lang: str) -> pd.DataFrame:
    """Agencies per level (named; below every cut-off too), now and proposed, each with its share of
    the agencies counted (LEVEL_COLUMNS)."""
    import pandas as pd

    total = sum(lv["current"] for lv in found["levels"]) or 1
    below = t("level.below", lang)
    rows = [
        [lv["label"] or below, lv["current"], 100 * lv["current"] / total, lv["proposed"], 100 * lv["proposed"] / total]
        for lv in found["levels"]
    ]
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def levels_side_by_side(results: dict[str, dict], lang: str) -> pd.DataFrame:
    """Several proposals' levels in one table: the level, now, then each proposal (keyed by its name),
    a count with its share in each cell ("12 (4.7%)")."""
    import pandas as pd

    tables = {name: level_table(found, lang) for name, found in results.items()}
    first = next(iter(tables.values()))

    def cells(counts, shares) -> list[str]:
        return [f"{c:,} ({fmt.pct(p)})" for c, p in zip(counts, shares, strict=True)]

    side = {t("scenarios.col.level", lang): first["level"]}
    side[t("scenarios.now", lang)] = cells(first["current_agencies"], first["current_share_pct"])
    for name, table in tables.items():
        side[name] = cells(table["proposed_agencies"], table["proposed_share_pct"])
    return pd.DataFrame(side)


def categories_side_by_side(results: dict[str, dict], lang: str) -> pd.DataFrame:
    """Each category's mean % now and under each proposal (keyed by its name), with the change in points."""
    import pandas as pd

    first = next(iter(results.values()))["categories"]
    named = [f"{t('category.short', lang, n=c['category'])} {category_name(c['category'], lang)}" for c in first]
    side = {t("scenarios.col.category", lang): named}
    side[t("scenarios.now", lang)] = [c["current_mean_pct"] for c in first]
    for name, found in results.items():
        side[name] = [c["proposed_mean_pct"] for c in found["categories"]]
        side[f"{name} ± {t('scenarios.pts', lang)}"] = [c["delta_pts"] for c in found["categories"]]
    return pd.DataFrame(side)


def changes_table(found: dict, lang: str) -> pd.DataFrame:
    """The agencies that change level (SCENARIO_COLUMNS), with the levels named; none proposed (a
    criterion the agency lost) shows as missing."""
    import pandas as pd

    names = {lv["level"]: lv["label"] or t("level.below", lang) for lv in found["levels"]}
    moved = [c | {k: names.get(c[k]) for k in ("current_level", "proposed_level")} for c in found["changes"] or []]
    return pd.DataFrame(moved, columns=SCENARIO_COLUMNS)


def indicators_table(found: dict, lang: str) -> pd.DataFrame:
    """The candidate indicators as the page shows them: every figure of each, headed in the reader's
    language (the brief picks its columns from the same rows)."""
    import pandas as pd

    columns = [t(f"scenarios.ind.{c}", lang) for c in INDICATOR_COLUMNS]
    return pd.DataFrame([[i[c] for c in INDICATOR_COLUMNS] for i in found["indicators"]], columns=columns)
