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


# Plotly's toolbar (zoom, pan, a PNG) off: on a phone a tap showed it over the chart's title and
# legend, and the charts have fixed ranges and a table of their values; the brief gives images.
CONFIG = {"displaylogo": False, "displayModeBar": False}


def plot(fig, key: str | None = None, on_select: Callable | str = "rerun"):
    """A chart under its title, and its values as a table under it; with a key, a click on a point
    reruns the page with the point selected (after `on_select`, when it is a callback). The title is
    the page's heading, which wraps on a phone (Plotly's ran off the screen)."""
    if fig.layout.title.text:
        st.markdown(f"#### {fig.layout.title.text}")
    shown = _untitled(fig)
    if key is None:
        drawn = st.plotly_chart(shown, width="stretch", config=CONFIG)
    else:
        drawn = st.plotly_chart(
            shown, width="stretch", config=CONFIG, key=key, on_select=on_select, selection_mode="points"
        )
    described(fig)
    return drawn


def _untitled(fig):
    """The figure as the page draws it, without its title: made once per figure cache.figure keeps
    (a copy costs 15-20 ms, on every rerun otherwise), kept on the figure, which nothing else changes."""
    if getattr(fig, "_pmqa_untitled", None) is None:
        fig._pmqa_untitled = charts.untitled(fig)
    return fig._pmqa_untitled


def described(fig) -> None:
    """The chart's text alternative: a screen reader reads an HTML table (st.table), not a drawing;
    folded away, named after the chart, so the page reads as before for the eye."""
    with st.expander(tr("chart.as_table", title=fig.layout.title.text or "")):
        st.table(charts.as_table(fig))
