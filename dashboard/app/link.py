"""The link: every choice on screen as codes in the address, read when a session opens and written
back after every run; and moving between pages with the shared choices.

The address holds codes (dashboard.views.links). It is read into the widgets' state once, when a
session opens, before any widget is drawn; after every run the state is written back as codes.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard.app import agencies, cache, scroll
from dashboard.app.language import escape, tr, year
from dashboard.views import i18n, links, sections

PEERS = ("group", "type", "all")  # whom the drilldown sets an agency against


def read_language() -> None:
    """?lang=th|en, read before anything is drawn (the page titles are in it); or, after `go`,
    the shared choices it carried to the next page."""
    carried = st.session_state.pop("_carry", None)
    if carried:
        st.session_state.update({k: v for k, v in carried.items() if v is not None})
    elif "_link" not in st.session_state:
        state, _ = links.read({"lang": st.query_params.get_all("lang")}, links.SHARED, {"lang": i18n.LANGUAGES})
        st.session_state.update(state)


def read(page: str, years: list[int]) -> None:
    """The rest of the link, on a session's first run: each value checked against what the data
    holds; what cannot be shown is kept to be said on the page (`notices`)."""
    st.session_state["_page"] = page
    if "_link" in st.session_state:
        return
    valid = {
        "lang": i18n.LANGUAGES,
        "base": years,
        "compare": years,
        "years": years,
        "types": sections.AGENCY_TYPES,
        "groups": set(cache.section(sections.groups)["agency_group_th"]),
        "cats": range(1, 8),
        "cat": range(0, 8),  # 0: every category (Strengths' default)
        "level": list(sections.EXPORT_QUERIES),
        "peers": PEERS,
        "threshold": range(0, 101, 5),
        "flag": sections.FLAGS,
    }
    if page == "explore":  # the drilldown names its own unknown agency
        valid["agency"] = set(agencies.labels(sections.Filters()))
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    state, rejected = links.read(raw, links.spec(page), valid)
    state.pop("lang", None)  # read_language set it, and its widget is drawn already
    reversed_pair = links.order_years(state)
    st.session_state.update(state)
    st.session_state["_link"] = (page, rejected, reversed_pair)


def notices(page: str) -> None:
    """Say, on the page the link opened, which of its values do not exist in the data, and that a
    base year later than the compare year was read the other way round."""
    opened, rejected, reversed_pair = st.session_state.get("_link", (None, [], None))
    if opened != page:
        return
    if rejected:
        shown = ", ".join(f"{name}={escape(value)}" for name, value in rejected)
        st.warning(tr("link.rejected", values=shown), icon=":material/link_off:")
    if reversed_pair:
        base, compare = reversed_pair
        text = tr("link.reversed", base=base, compare=compare, earlier=year(compare), later=year(base))
        st.warning(text, icon=":material/swap_horiz:")


def write() -> None:
    """The view on screen as a link of codes, written at the end of every run."""
    st.query_params.from_dict(links.write(st.session_state, links.spec(st.session_state.get("_page", ""))))


def stop() -> None:
    """End the page here (an empty state said why), with the link still naming the view."""
    write()
    st.stop()


def start(key: str, options: list, default) -> None:
    """A widget's starting value through the session state (never also as its `default`, which
    Streamlit warns about): a link's value when it is still an option, else `default`."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def to_agency(code: str) -> str:
    """A link to an agency's drilldown that keeps the language, the year pair and the shared filters."""
    shared = links.write(st.session_state, links.SHARED) | {"agency": code}
    return "agency?" + urlencode(shared, doseq=True)


def go(page: str, anchor: str | None = None, **choices) -> None:
    """Open another page with the shared choices (language, years, filters) and the given ones,
    at the heading with `anchor` (the section the click asked for, not the top of the page).
    Streamlit forgets the sidebar's widget values when a script switches page, so they are
    carried in a plain key and set again before the next page draws a widget."""
    shared = {p.key: st.session_state.get(p.key) for p in links.SHARED.values()}
    st.session_state["_carry"] = shared | choices
    if anchor:
        scroll.request(anchor)
    st.switch_page(page)


def open_category(event) -> None:
    """Clicked a category's point on a chart: open Strengths for that category, at its section
    (category 7's result items, or the lowest criteria of categories 1-6)."""
    points = event.selection.points if event else []
    chosen = [p.get("customdata") for p in points if p.get("customdata") is not None]
    if chosen:
        value = int(chosen[0][0] if isinstance(chosen[0], list) else chosen[0])
        go("app_pages/strengths.py", "results" if value == 7 else "lowest", focus_cat=value)


def open_agency(key: str, codes: list[str]) -> None:
    """A callback for a table of agencies: the row clicked becomes the drilldown's agency, and the
    view goes up to it (the tables are below it)."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["agency"] = codes[rows[0]]
        scroll.request("agency")


def _chosen(selection, codes: list[str] | None) -> str | None:
    """The code a selection names: the row of a table of `codes`, or a chart's point (its
    customdata, or the first item of it)."""
    if codes is not None:
        return codes[selection.rows[0]] if selection.rows else None
    named = [p.get("customdata") for p in selection.points if p.get("customdata") is not None]
    if not named:
        return None
    return str(named[0][0] if isinstance(named[0], list) else named[0])


def choose(key: str, target: str, codes: list[str] | None = None) -> None:
    """A callback for a table of `codes` (a row clicked) or a chart (a point clicked): what it names
    becomes `target`'s value; a selection cleared clears it."""
    code = _chosen(st.session_state[key].selection, codes)
    if code is None:
        st.session_state.pop(target, None)
    else:
        st.session_state[target] = code


def open_criterion(event, codes: list[str] | None = None, **choices) -> None:
    """Clicked a criterion (a chart's point, or a row of a table of `codes`): open the Criteria page
    at its agencies below the threshold, with the page's other `choices` (the threshold)."""
    code = _chosen(event.selection, codes) if event else None
    if code is not None:
        go("app_pages/criteria.py", "below", criterion=code, **choices)
