"""The meeting pack's button, on the Overview and on the Scenarios page: choose a format and the
threshold, make the brief with progress, download it. One format is always chosen."""

from __future__ import annotations

import streamlit as st

from dashboard.app import link
from dashboard.app.language import tr
from dashboard.app.threshold import threshold_slider
from dashboard.errors import DataError
from dashboard.outputs import brief, pack
from dashboard.views import sections


def offer(data, base: int, compare: int, filters: sections.Filters, like: bool, lang: str, scenarios=()) -> None:
    """The brief of what is on screen, with the page's scenarios (Scenarios page) when it has any."""
    with st.expander(tr("brief.button"), icon=":material/picture_as_pdf:"):
        # The browser ignores a click on the chosen format (required), and a cleared value (which
        # only a script can send) falls back to the last one chosen.
        link.start("brief_fmt", list(pack.FORMATS), st.session_state.get("_brief_fmt", ".pdf"))
        fmt_choice = st.segmented_control(tr("brief.format"), list(pack.FORMATS), key="brief_fmt", required=True)
        st.session_state["_brief_fmt"] = fmt_choice
        # the brief's lowest criteria, result items and criteria to explain count agencies below the
        # threshold: the one the person set on Strengths or the Criteria page (or the link's)
        threshold = threshold_slider("brief.threshold_help")
        selection = brief.Selection(base, compare, filters, like, lang, threshold)
        chosen = (selection, fmt_choice, tuple(scenarios))
        if st.button(tr("brief.make"), key="brief_make", icon=":material/description:"):
            bar = st.progress(0.0)
            try:
                progress = lambda done, text: bar.progress(done, text)  # noqa: E731
                made = pack.to_bytes(data, selection, fmt_choice, progress, scenarios=tuple(scenarios))
                st.session_state["_brief"] = (selection, fmt_choice, made, tuple(scenarios))
            except DataError as exc:
                st.error(tr("brief.failed", error=exc))
        kept = st.session_state.get("_brief")
        if kept and (kept[0], kept[1], kept[3]) == chosen:  # only the brief of what is on screen
            synthetic = "_synthetic" if data.synthetic else ""
            st.download_button(
                tr("brief.download", fmt=fmt_choice[1:].upper()),
                data=kept[2],
                file_name=f"pmqa_brief_{base}_{compare}_{lang}{synthetic}{fmt_choice}",
                mime=pack.MIME[fmt_choice],
                key="brief_download",
                on_click="ignore",
            )
