"""Tables as a reader of this language reads them: codes in words, criteria with their names, and
each column's label and format."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app import cache, language
from dashboard.app.language import category, tr, year
from dashboard.views import sections


def criterion_names() -> dict[str, str]:
    """Criterion and sub-item code -> name in the reader's language: the data's own names (optional
    columns criterion_name_th / _en) first, then the scoring scheme's; a criterion without a name of
    its own takes its sub-item's."""
    return cache.section(_names, language.code())


def _names(data, lang: str) -> dict[str, str]:
    return sections.criterion_names(data, data.scheme, lang)


def named(df: pd.DataFrame) -> pd.DataFrame:
    """A table of criteria with each one's name beside its code."""
    return sections.with_names(df, criterion_names())


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a reader of this language reads it: codes (agency types, kinds of change) in
    words, one group column in the reader's language (Thai where the data has no English name)."""
    out = df.copy()
    if "agency_type" in out:
        out["agency_type"] = out["agency_type"].map(lambda v: tr(f"type.{v}") if isinstance(v, str) else v)
    if "change" in out:
        out["change"] = out["change"].map(lambda v: tr(f"change.{v}"))
    if "before" in out and "change" in df:  # a changed type is a code too
        for side in ("before", "after"):
            is_type = df["change"] == "type"
            out.loc[is_type, side] = out.loc[is_type, side].map(lambda v: tr(f"type.{v}"))
    if "agency_group_th" in out and "agency_group_en" in out:
        english = out["agency_group_en"].where(out["agency_group_en"].notna(), out["agency_group_th"])
        out.insert(
            list(out.columns).index("agency_group_th"),
            "agency_group",
            english if language.code() == "en" else out["agency_group_th"],
        )
        out = out.drop(columns=["agency_group_th", "agency_group_en"])
    return out


def category_change(cats: pd.DataFrame, base: int, compare: int) -> dict:
    """The Overview's categories as a compact table (st.dataframe's arguments): each one's mean in
    both years, named by the years, and the change in points, in the categories' own order."""
    cc = st.column_config
    shown = cats.dropna(subset=["base_mean_pct", "compare_mean_pct"], how="all").sort_values("category")
    shown = shown.assign(category=shown["category"].map(category))  # the rows the chart draws
    config = {
        # widths that keep the three numbers on a phone's 390 px screen: the name gives way
        "category": cc.TextColumn(tr("col.category"), width=145),
        "base_mean_pct": cc.NumberColumn(year(base), format="%.1f%%", width=70),
        "compare_mean_pct": cc.NumberColumn(year(compare), format="%.1f%%", width=70),
        "delta_pts": cc.NumberColumn(tr("col.change_short"), format="%+.1f", width=70),
    }
    return dict(data=shown[list(config)], column_config=config, hide_index=True)


def fit(labels: dict[str, str] | None = None, **sizes) -> dict:
    """The column settings with some columns' widths set (pixels, or small/medium/large) and some
    labels replaced, for a table whose key columns must all be on screen at 1440 px: the grid sizes
    columns by their content and otherwise pushes the last ones past the right edge."""
    config = columns()
    config |= {c: config[c] | {"label": label} for c, label in (labels or {}).items()}
    return config | {c: config[c] | {"width": w} for c, w in sizes.items()}


def by_year(base: int, compare: int) -> dict[str, str]:
    """Short labels that name the years ("% 2564", "Below, 2565") for narrow base/compare columns,
    where "Compare year %" was cut to "Compare y" and read like its neighbour."""
    return {
        "base_pct": tr("col.pct_in", year=year(base)),
        "compare_pct": tr("col.pct_in", year=year(compare)),
        "base_share_below_pct": tr("col.below_in", year=year(base)),
        "compare_share_below_pct": tr("col.below_in", year=year(compare)),
        "delta_pts": tr("col.change_short"),
        "link": tr("col.open_text"),
    }


COUNTS = ("agencies", "criteria", "criterion_rows", "rows_not_assessed", "agencies_with_gaps")
TEXTS = ("change", "before", "after", "timestamp", "operation", "years", "sources", "user")


def columns() -> dict:
    """Column labels and formats for every table the pages show, in the reader's language."""
    cc = st.column_config

    def bar(key):
        return cc.ProgressColumn(tr(key), min_value=0, max_value=100, format="%.1f%%")

    def percent(key):
        return cc.NumberColumn(tr(f"col.{key}"), format="%.1f%%")

    return {
        "fiscal_year": cc.NumberColumn(tr("col.fiscal_year"), format="%d"),
        **{c: cc.TextColumn(tr(f"col.{c}")) for c in ("agency_code", "agency", "agency_name_th", "agency_name_en")},
        "agency_type": cc.TextColumn(tr("col.agency_type")),
        "agency_group_th": cc.TextColumn(tr("col.agency_group")),
        "agency_group": cc.TextColumn(tr("col.agency_group")),
        "category": cc.NumberColumn(tr("col.category"), format="%d"),
        "criterion": cc.TextColumn(tr("col.criterion")),
        "criterion_name": cc.TextColumn(tr("col.criterion_name"), width="large"),
        "score": cc.NumberColumn(tr("col.score"), format="%.1f"),
        "max_score": cc.NumberColumn(tr("col.max_score"), format="%.0f"),
        **{c: bar(f"col.{c}") for c in ("pct", "mean_pct", "median_pct", "share_below_pct")},
        "agencies_assessed": cc.NumberColumn(tr("col.agencies_assessed"), format="%d"),
        "agencies_not_assessed": cc.NumberColumn(tr("col.agencies_not_assessed"), format="%d"),
        **{c: percent(c) for c in ("base_pct", "compare_pct", "base_share_below_pct", "compare_share_below_pct")},
        "delta_pts": cc.NumberColumn(tr("col.delta_pts"), format="%+.1f"),
        "link": cc.LinkColumn(tr("col.open"), display_text=tr("col.open_text")),
        **{c: cc.NumberColumn(tr(f"col.{c}"), format="%d") for c in (*COUNTS, "agencies_joined", "agencies_left")},
        **{c: cc.TextColumn(tr(f"col.{c}")) for c in TEXTS},
        "version": cc.NumberColumn(tr("col.version"), format="%d"),
        "rows": cc.NumberColumn(tr("col.rows"), format="%d"),
        "base_max_score": cc.NumberColumn(tr("col.base_max_score"), format="%.1f"),
        "compare_max_score": cc.NumberColumn(tr("col.compare_max_score"), format="%.1f"),
        # the criteria workbench (issue 17)
        "agency_name": cc.TextColumn(tr("col.agency_name")),
        "assessed": cc.NumberColumn(tr("col.assessed"), format="%d"),
        **{c: bar(f"col.{c}") for c in ("below_share", "ceiling_share")},
        **{c: percent(c) for c in ("base_mean_pct", "total_pct")},
        **{c: cc.NumberColumn(tr(f"col.{c}"), format="%.2f") for c in ("discrimination", "alpha")},
        "flag": cc.TextColumn(tr("col.flag")),
        "reason": cc.TextColumn(tr("col.reason"), width="large"),
        # revision scenarios (issue 18)
        **{c: cc.TextColumn(tr(f"col.{c}")) for c in ("current_level", "proposed_level")},
        **{c: percent(c) for c in ("current_pct", "proposed_pct")},
    }
