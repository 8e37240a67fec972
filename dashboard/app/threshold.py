"""The threshold (below what % of a criterion's maximum an agency counts as below) that Strengths,
the Criteria page and the Overview's brief share: one value, whichever of them set it last, so the
brief is made at the threshold the person was looking at."""

from __future__ import annotations

import streamlit as st

from dashboard.app.language import tr

KEY = "threshold"  # the slider's key on every page, and the link's parameter (views.links.PAGES)
KEPT = "_threshold"  # a plain key: Streamlit drops a widget's value on a page that does not draw it
DEFAULT = 50


def threshold_slider(help_key: str) -> int:
    """The threshold slider, starting from the link's value or the one last set on another page."""
    # Set through the state on every run, never left to the widget: a value another page's slider
    # left under the same key is not this slider's, which would otherwise start at 0.
    st.session_state[KEY] = st.session_state.get(KEY, st.session_state.get(KEPT, DEFAULT))
    value = st.slider(tr("strengths.threshold"), 0, 100, step=5, key=KEY, format="%d%%", help=tr(help_key))
    st.session_state[KEPT] = value
    return value
