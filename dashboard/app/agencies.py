"""The agency pickers: every agency the filters leave when they are few, a search when they are many."""

from __future__ import annotations

import streamlit as st

from dashboard.app import cache, language
from dashboard.app.language import tr
from dashboard.views import sections

# Up to this many agencies, a picker lists them all; beyond it, the picker lists what a search finds.
# A list of 8,000 labels would be sent to the browser on every rerun (most of a warm rerun's cost).
LIST_ALL_AGENCIES = 500
MATCHES_LISTED = 10  # a search lists this many matches to click, as a short list


def labels(filters: sections.Filters, search: bool = False) -> dict[str, str]:
    """Code -> label of the agencies the filters leave (agency_list's label columns): code and name in
    the reader's language, or (search) code, Thai and English name, so the search finds an agency by
    any of them. Kept as a plain dict: a page with 8,000 agencies copies no table to label them."""
    return cache.shared(sections.agency_labels, filters, "search_label" if search else f"label_{language.code()}")


def pick_many(filters: sections.Filters, key: str = "agencies") -> list[str]:
    """Explore's agencies (none chosen: all of them), in one box: a list to type into when the
    agencies are few; when they are many, the drilldown's search box, each match clicked adding an
    agency, and the chosen ones as pills under it (a click on one lets it go). The choice is kept in
    the plain key `key`, which the link sets too."""
    everyone = labels(filters, search=True)
    named = labels(filters)
    if len(everyone) <= LIST_ALL_AGENCIES:
        return st.multiselect(
            tr("explore.agencies"), list(everyone), key=key, format_func=named.get, placeholder=tr("filter.all")
        )
    chosen = [c for c in st.session_state.get(key) or [] if c in everyone]
    _search(everyone, key, _added, "agency.matches_add")
    if not chosen:
        st.caption(tr("agency.chosen_none"))
        return chosen
    st.session_state[f"{key}_chosen"] = chosen  # the pills show the choice as it is now
    st.pills(
        tr("agency.chosen", n=f"{len(chosen):,}"),
        chosen,
        selection_mode="multi",
        key=f"{key}_chosen",
        format_func=named.get,
        on_change=_let_go,
        args=(key,),
    )
    return chosen


def matches(everyone: dict[str, str], search: str | None) -> list[str]:
    """The codes whose search label (code, Thai and English name) holds the text, in any case; a
    code typed in full comes first."""
    wanted = (search or "").strip().casefold()
    if not wanted:
        return []
    found = [c for c, label in everyone.items() if wanted in label.casefold()]
    return sorted(found, key=lambda c: c.casefold() != wanted)


def pick(filters: sections.Filters) -> str | None:
    """The drilldown's agency, in one box: a list to type into when the agencies are few; when they
    are many, a search box whose first matches are listed under it to click (a second box holding
    only what the first found answered "No results" to anyone who typed into it). The agency is
    kept in the plain key `agency`, which the link and the movers' rows set too."""
    everyone = labels(filters, search=True)
    if len(everyone) <= LIST_ALL_AGENCIES:
        return st.selectbox(
            tr("agency.search"),
            list(everyone),
            index=None,
            key="agency",
            format_func=everyone.get,
            placeholder=tr("agency.search_placeholder"),
        )
    _search(everyone, "agency", _picked, "agency.matches")
    return st.session_state.get("agency")


def _search(everyone: dict[str, str], key: str, on_pick, said: str) -> None:
    """One search box (code, Thai or English name) whose first matches are listed under it, to click
    (`said`: what a click does); `on_pick(key)` takes the match clicked."""
    search = st.text_input(
        tr("agency.search"), key=f"{key}_find", placeholder=tr("agency.search_placeholder"), live=True
    )
    found = matches(everyone, search)
    if found:
        listed = found[:MATCHES_LISTED]
        st.radio(
            tr(said, n=f"{len(found):,}", shown=len(listed)),
            listed,
            index=None,
            key=f"{key}_match",
            format_func=everyone.get,
            on_change=on_pick,
            args=(key,),
        )
    elif search and search.strip():
        st.caption(tr("agency.no_match"))


def _picked(key: str) -> None:
    """A match clicked: it becomes the agency, and the search empties (its list goes away)."""
    st.session_state[key] = st.session_state[f"{key}_match"]
    st.session_state[f"{key}_find"] = ""


def _added(key: str) -> None:
    """A match clicked in a picker of several: it joins the choice, and the search empties."""
    chosen = st.session_state.get(key) or []
    match = st.session_state[f"{key}_match"]
    st.session_state[key] = chosen if match in chosen else [*chosen, match]
    st.session_state[f"{key}_find"] = ""


def _let_go(key: str) -> None:
    """A chosen agency's pill clicked: the choice keeps the pills still selected."""
    st.session_state[key] = list(st.session_state[f"{key}_chosen"] or [])
