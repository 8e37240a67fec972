"""Charts on a page: built once per data version (cache.figure), drawn full width, clickable."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.app import cache, language
from dashboard.app.language import tr
from dashboard.outputs import charts
from dashboard.views import sections


def cutoffs(fiscal_year: int | None) -> list[tuple[str, float]]:
    """The level cut-offs in force in a year, in the reader's language (reference lines on charts)."""
    return sections.cutoffs(cache.current().scheme, fiscal_year, language.code())


def plot(fig, key: str | None = None, on_select: Callable | str = "rerun"):
    """A chart, and its values as a table under it; with a key, a click on a point reruns the page
    with the point selected (after `on_select`, when it is a callback)."""
    if key is None:
        drawn = st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    else:
        drawn = st.plotly_chart(
            fig, width="stretch", config={"displaylogo": False}, key=key, on_select=on_select, selection_mode="points"
        )
    described(fig)
    return drawn


def described(fig) -> None:
    """The chart's text alternative: a screen reader reads an HTML table (st.table), not a drawing;
    folded away, named after the chart, so the page reads as before for the eye."""
    with st.expander(tr("chart.as_table", title=fig.layout.title.text or "")):
        st.table(charts.as_table(fig))
