"""What a page says about what it shows: the synthetic banner, the line naming its years and
filters, the comparability warning, and why a section is empty."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.app import cache, language, signin
from dashboard.app.language import tr, year
from dashboard.app.sidebar import group_names, pair
from dashboard.views import sections

# Pages that read every agency whatever the sidebar says: their context line says so.
UNFILTERED_PAGES = ("quality", "import_data")


def synthetic_banner(data) -> None:
    if data.synthetic:
        st.warning(tr("synthetic.banner"), icon=":material/science:")


def _clear_filters() -> None:
    for key in ("types", "groups"):
        st.session_state[key] = []


def context_line(page: str) -> None:
    """One line in the page body naming the years and filters the page shows (a screenshot keeps
    it), with a button that clears the filters; or, on a page that ignores them, saying so."""
    if page in UNFILTERED_PAGES:
        st.caption(tr("context.unfiltered"))
        return
    base, compare = pair()
    types = st.session_state.get("types") or []
    groups = st.session_state.get("groups") or []
    names = group_names()
    parts = [
        _table_years(compare) if page == "explore" else "",
        tr("context.years", base=year(base), compare=year(compare)) if base is not None and page != "explore" else "",
        tr("context.types", types=", ".join(tr(f"type.{t}") for t in types) if types else tr("filter.all")),
        tr("context.groups", groups=", ".join(names.get(g, g) for g in groups) if groups else tr("filter.all")),
    ]
    scope = cache.current().access.scope
    if not scope.everything:  # a screenshot of a scoped view says whose view it is
        parts.append(signin.describe_scope(scope))
    text, clear = st.columns([6, 1], vertical_alignment="center")
    text.caption(" · ".join(p for p in parts if p))
    if types or groups:
        clear.button(tr("context.clear"), on_click=_clear_filters, icon=":material/filter_alt_off:", key="clear")


def _table_years(compare: int | None) -> str:
    """Explore's table shows the years picked on the page (the compare year at first, as the page
    starts it), not the sidebar's pair: its context line names those."""
    chosen = st.session_state.get("years", [compare] if compare else [])
    if not chosen:
        return tr("context.every_year")
    return tr("context.table_years", years=", ".join(year(y) for y in sorted(chosen)))


def comparability(base: int | None, compare: int | None, changed: list[str] | None = None) -> None:
    """Warn, next to a comparison, when the criteria or their maxima differ between its two years
    (`changed`, when the page has them already)."""
    if base is None or compare is None or base == compare:
        return
    if changed is None:
        changed = cache.section(sections.criteria_changed, base, compare)
    if changed:
        text = sections.warning(changed, year(base), year(compare), language.code())
        st.warning(text, icon=":material/compare_arrows:")


def nothing_to_show(df: pd.DataFrame | None, key: str = "empty.filters", **values) -> bool:
    """True, with a message that says why, when a result is empty: never an empty chart without a word."""
    if df is None or len(df) == 0:
        st.info(tr(key, **values), icon=":material/info:")
        return True
    return False
