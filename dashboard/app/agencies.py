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
    wanted = search.strip().casefold()
    found = [c for c, label in everyone.items() if wanted and wanted in label.casefold() and c not in kept]
    return kept + found[:MATCHES_SHOWN]
