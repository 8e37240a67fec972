"""The agency pickers: every agency the filters leave when they are few, a search when they are many."""

from __future__ import annotations

import streamlit as st

from dashboard.app import cache, language
from dashboard.app.language import tr
from dashboard.views import sections

# Up to this many agencies, a picker lists them all; beyond it, the picker lists what a search finds.
# A list of 8,000 labels would be sent to the browser on every rerun (most of a warm rerun's cost).
LIST_ALL_AGENCIES = 500
MATCHES_SHOWN = 50
MATCHES_LISTED = 10  # the drilldown's search lists this many matches to click, as a short list


def labels(filters: sections.Filters, search: bool = False) -> dict[str, str]:
    """Code -> label of the agencies the filters leave (agency_list's label columns): code and name in
    the reader's language, or (search) code, Thai and English name, so the search finds an agency by
    any of them. Kept as a plain dict: a page with 8,000 agencies copies no table to label them."""
    return cache.shared(sections.agency_labels, filters, "search_label" if search else f"label_{language.code()}")


def options(filters: sections.Filters, keep: list[str], key: str) -> list[str]:
    """The codes an agency picker offers: every agency the filters leave when they are few;
    otherwise a search box (code, Thai or English name) and the picker offers the agencies already
    chosen plus the search's first matches."""
    everyone = labels(filters, search=True)
    if len(everyone) <= LIST_ALL_AGENCIES:
        return list(everyone)
    search = st.text_input(
        tr("agency.find", n=f"{len(everyone):,}", shown=MATCHES_SHOWN),
        key=f"{key}_find",
        placeholder=tr("agency.search_placeholder"),
    )
    kept = [c for c in keep if c in everyone]
    return kept + [c for c in matches(everyone, search) if c not in kept][:MATCHES_SHOWN]


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
    search = st.text_input(
        tr("agency.search"), key="agency_find", placeholder=tr("agency.search_placeholder"), live=True
    )
    found = matches(everyone, search)
    if found:
        listed = found[:MATCHES_LISTED]
        st.radio(
            tr("agency.matches", n=f"{len(found):,}", shown=len(listed)),
            listed,
            index=None,
            key="agency_match",
            format_func=everyone.get,
            on_change=_picked,
        )
    elif search and search.strip():
        st.caption(tr("agency.no_match"))
    return st.session_state.get("agency")


def _picked() -> None:
    """A match clicked: it becomes the agency, and the search empties (its list goes away)."""
    st.session_state["agency"] = st.session_state["agency_match"]
    st.session_state["agency_find"] = ""
