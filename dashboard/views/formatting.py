"""Numbers as a reader sees them, in Thai or English: one place for units, signs and rounding.

Pure functions (no Streamlit): the pages, the command line and the brief format the same way.
Three kinds of number, never confused in a meeting:
- a percentage of the maximum score, or a share of agencies: "63.6%";
- a change of either, in percentage points: "+2.2 จุด" / "+2.2 pts" (never คะแนน);
- score points, with their maximum: "313.2 / 500", changes "+10.7 คะแนน" / "+10.7 points".
"""

from __future__ import annotations

import math

from dashboard.views.i18n import t

MISSING = "—"


def _missing(value) -> bool:
    """None, NaN, or pandas' NA (recognised without importing pandas)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def signed(value: float, digits: int = 1) -> str:
    """+2.2, −0.4, +0.0: rounded first, so a tiny fall never prints as "-0.0"."""
    return f"{round(value, digits) + 0.0:+.{digits}f}"


def pct(value, digits: int = 1) -> str:
    """A percentage of the maximum, or a share of agencies: 63.6%."""
    return MISSING if _missing(value) else f"{value:.{digits}f}%"


def pp(change, lang: str) -> str | None:
    """A change of a percentage in percentage points: +2.2 จุด / +2.2 pts (None when unknown)."""
    return None if _missing(change) else f"{signed(change)} {t('unit.pp', lang)}"


def score(value, max_score=None) -> str:
    """Score points with the maximum they are out of: 313.2 / 500."""
    if _missing(value):
        return MISSING
    return f"{value:,.1f}" if _missing(max_score) else f"{value:,.1f} / {max_score:,.0f}"


def score_change(change, lang: str) -> str | None:
    """A change of score points: +10.7 คะแนน / +10.7 points (None when unknown)."""
    return None if _missing(change) else f"{signed(change)} {t('unit.score', lang)}"


def count(value) -> str:
    return MISSING if _missing(value) else f"{int(value):,}"


def count_change(change) -> str | None:
    return None if _missing(change) else f"{int(change):+,}"


# Changes in points that are not named `_pts`: of score points, of percentile points. Other `_change`
# columns take their own kind (agencies_change counts agencies).
POINT_CHANGES = ("points_change", "percentile_change")
CORRELATIONS = (
    "discrimination",
    "alpha",
    "r",
    "corr_category_7",
    "corr_total",
)  # from -1 to 1: two decimals say what one cannot


def column_kind(column: str) -> str:
    """What a table column holds, from its name: pct (a percentage or share), pts (a change in
    points), year, count, r (a correlation or alpha) or score. Files and briefs format a column by its kind."""
    if column in CORRELATIONS:
        return "r"
    if column.endswith("_pts") or column in POINT_CHANGES:
        return "pts"
    if column.endswith("pct"):
        return "pct"
    if column in ("fiscal_year", "category", "year") or column.endswith("_year"):
        return "year"
    if column.startswith("agencies") or column.endswith("_agencies") or column in ("rows", "criteria", "version"):
        return "count"
    return "score"


def cell(column: str, value) -> tuple[str, bool]:
    """A table cell as text, and whether it is a number (to align right)."""
    if _missing(value):
        return MISSING, True
    if isinstance(value, str):
        return value, False
    kind = column_kind(column)
    if kind == "pct":
        return pct(value), True
    if kind == "pts":
        return signed(value), True
    if kind == "year":
        return str(int(value)), True
    if kind == "count":
        return count(value), True
    if kind == "r":
        return f"{value:.2f}", True
    return f"{value:,.1f}", True


def markdown_text(text) -> str:
    """Text from the data or a sign-in token shown through Markdown: no character can become markup."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$:=@" else ch for ch in str(text))


def scope_text(scope, lang: str) -> str:
    """Which agencies a person's numbers cover (dashboard.data.access.Scope), in words: the pages'
    context line, the sidebar and the brief say it the same way."""
    if scope.everything:
        return t("scope.all", lang)
    if scope.is_empty:
        return t("scope.nothing", lang)
    parts = []
    if scope.agency_types is not None:
        parts.append(t("context.types", lang, types=", ".join(t(f"type.{x}", lang) for x in scope.agency_types)))
    if scope.groups is not None:
        parts.append(t("context.groups", lang, groups=", ".join(scope.groups)))
    if scope.agencies is not None:
        parts.append(t("scope.agencies", lang, agencies=", ".join(scope.agencies)))
    return t("scope.limited", lang, parts=" · ".join(parts))
