"""The sidebar every page shares: the language, the year pair, the agency types and groups, and
where the numbers come from."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import streamlit as st

from dashboard.app import cache
from dashboard.app.language import group_name, labels, tr, year
from dashboard.app.link import start
from dashboard.views import i18n, sections


def language_switch() -> None:
    start("lang", list(i18n.LANGUAGES), i18n.DEFAULT)
    st.sidebar.segmented_control(
        "ภาษา / Language",
        options=list(i18n.LANGUAGES),
        key="lang",
        format_func=lambda code: {"th": "ไทย", "en": "English"}[code],
        required=True,
    )


def year_pair(years: list[int]) -> tuple[int | None, int | None]:
    """Base, then compare year in the sidebar; by default the latest two years in the data. The base
    is never later than the compare year: its list stops at the compare year, and a compare year
    moved before the base takes the base to the year before it."""
    if not years:
        return None, None
    options = sorted(years, reverse=True)
    label = labels(options, year)  # B.E., with C.E. beside it in English
    start("compare", options, options[0])
    bases = [y for y in options if y <= st.session_state["compare"]]  # the compare widget set it already
    start("base", bases, bases[min(1, len(bases) - 1)])
    base = st.sidebar.selectbox(tr("filter.base_year"), bases, key="base", format_func=label)
    compare = st.sidebar.selectbox(tr("filter.compare_year"), options, key="compare", format_func=label)
    return base, compare


def pair() -> tuple[int | None, int | None]:
    """The base and compare year chosen in the sidebar."""
    return st.session_state.get("base"), st.session_state.get("compare")


def filters(**extra) -> sections.Filters:
    """The sidebar's agency types and groups, plus (or replaced by) a page's own filters."""
    shared = sections.Filters(
        agency_types=tuple(st.session_state.get("types") or ()), groups=tuple(st.session_state.get("groups") or ())
    )
    return replace(shared, **extra)


def group_names(chosen_types=()) -> dict[str, str]:
    """Ministry or cluster (its Thai name, the code in the link) -> its name in the reader's
    language; with types, only the groups of those types and any group already chosen."""
    groups = cache.section(sections.groups)
    if chosen_types:
        chosen = set(st.session_state.get("groups") or ())
        of_type = groups["agency_types"].str.split(",").map(lambda ts: bool(set(ts) & set(chosen_types)))
        groups = groups[of_type | groups["agency_group_th"].isin(chosen)]
    return {r.agency_group_th: group_name(r) for r in groups.itertuples()}


def shared_filters() -> None:
    """Agency types and groups, in the sidebar on every page and in the link."""
    types = st.sidebar.multiselect(
        tr("filter.types"),
        sections.AGENCY_TYPES,
        key="types",
        format_func=labels(sections.AGENCY_TYPES, lambda v: tr(f"type.{v}")),
        placeholder=tr("filter.all"),
    )
    names = group_names(types)
    st.sidebar.multiselect(
        tr("filter.groups"),
        list(names),
        key="groups",
        format_func=lambda g: names.get(g, g),
        placeholder=tr("filter.all"),
    )


def data_source(data) -> None:
    """Where the numbers come from: folder or store version, files, years, rows, last change."""
    source = cache.section(sections.data_source)
    values = dict(
        folder=data.data_dir.name,
        files=len(data.files),
        years=", ".join(year(y) for y in source["years"]),
        rows=f"{source['rows']:,}",
    )
    with st.sidebar.expander(tr("source.title")):
        if data.is_store:
            # Versions count from 0 (a store's first import): "version 0 of 0" read as nothing there
            kept = "source.version_latest" if data.version == source["latest"] else "source.version_of"
            shown = tr(kept, version=data.version, latest=source["latest"])
            st.caption(tr("source.store", version=shown, **values))
        else:
            changed = datetime.fromtimestamp(max(p.stat().st_mtime for p in data.files)).strftime("%Y-%m-%d %H:%M")
            st.caption(tr("source.body", changed=changed, **values))
        st.caption(tr("source.scheme_illustrative") if data.scheme.illustrative else tr("source.scheme"))
