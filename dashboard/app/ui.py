"""The Streamlit layer shared by the pages: caching, language, shared filters, empty states.

Caching is keyed on the data folder's fingerprint (files, sizes, modification times), so a rerun
reuses the loaded store and query results, and a changed folder is picked up without a restart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.app import signin
from dashboard.data import access, actions, contract, db
from dashboard.data import store as delta
from dashboard.errors import DataError
from dashboard.views import formatting as fmt
from dashboard.views import i18n, links, sections

TYPES = ("department", "province", "public_organization")


# --- data -----------------------------------------------------------------------------------


def data_dir() -> Path:
    return Path(os.environ.get("PMQA_DATA") or db.SAMPLE_DIR).resolve()


def data_version() -> int | None:
    """The store version `run --version N` asked for; None reads the latest."""
    value = os.environ.get("PMQA_VERSION")
    return int(value) if value else None


@st.cache_resource(max_entries=4, show_spinner=False)
def _open_store(folder: str, fingerprint: tuple) -> db.Store:
    # Shared by every session as nobody: only `.scoped(person)` shows a number. A fingerprint starts
    # with the version it reads.
    return db.Store(Path(folder), access.NOBODY, fingerprint[0])


def _reopen(key: tuple) -> db.Store:
    """The store a cache key names (Store.key): the data's version, as the person of the key sees it."""
    folder, fingerprint, person = key
    return _open_store(folder, fingerprint).scoped(person)


def store() -> db.Store:
    """The loaded data folder as the signed-in person may see it, or a clear message and a stopped
    page when it cannot be loaded. The entry file calls this once per run; the queries of that run
    reuse what it found."""
    folder = data_dir()
    try:
        with st.spinner(tr("loading")):
            loaded = _open_store(str(folder), db.fingerprint(folder, data_version())).scoped(signin.person())
    except DataError as exc:
        st.error(tr("error.data", folder=folder))
        st.code(str(exc), language=None)
        st.stop()
    st.session_state["_store"] = loaded
    return loaded


def _active() -> db.Store:
    """This run's store, without looking at the folder again for every query."""
    return st.session_state.get("_store") or store()


@st.cache_data(max_entries=512, show_spinner=False)
def _query(key: tuple, name: str, filters: db.Filters, params: tuple) -> pd.DataFrame:
    return _reopen(key).query(name, filters, **dict(params))


def query(name: str, filters: db.Filters | None = None, **params) -> pd.DataFrame:
    """A named query's result, cached per data-folder fingerprint, filters and parameters."""
    s = _active()
    return _query(s.key, name, filters or db.Filters(), tuple(sorted(params.items())))


@st.cache_data(max_entries=128, show_spinner=False)
def _window(key: tuple, name: str, rows: int, filters: db.Filters) -> tuple:
    return _reopen(key).window(name, rows, filters)


def window(name: str, rows: int, filters: db.Filters) -> tuple[pd.DataFrame, int, int]:
    """The first rows of a named query's result and its size (rows, agencies), cached like `query`."""
    s = _active()
    return _window(s.key, name, rows, filters)


@st.cache_data(max_entries=128, show_spinner=False)
def _summary(key: tuple, base: int, compare: int, like: bool, filters: db.Filters) -> dict:
    return sections.summary(_reopen(key), base, compare, like, filters)


def summary(base: int, compare: int, like_for_like: bool, filters: db.Filters) -> dict:
    s = _active()
    return _summary(s.key, base, compare, like_for_like, filters)


@st.cache_data(max_entries=8, show_spinner=False)
def _history(folder: str, fingerprint: tuple, person) -> list[dict]:
    return actions.history(Path(folder), person)  # kept per person: each one's right is checked once


def history() -> list[dict]:
    """The store's versions, newest first (empty for a folder of exports); for administrators."""
    s = _active()
    return _history(str(s.data_dir), s.fingerprint, s.access) if s.is_store else []


def operation(entry: dict) -> str:
    """What a version did, in the reader's language."""
    if entry["operation"] == "restore":
        return tr("op.restore", version=entry["restored_version"])
    if entry["operation"] in ("import", "replace"):
        return tr(f"op.{entry['operation']}")
    return tr("op.other", operation=entry["operation"])


def history_table() -> pd.DataFrame | None:
    """The versions as a table a person reads; None for a folder of exports, which has none."""
    if not _active().is_store:
        return None
    rows = [
        {
            "version": e["version"],
            "timestamp": e["timestamp"].replace("T", " ").removesuffix("+00:00"),
            "operation": contract.printable(operation(e)),
            "years": ", ".join(map(str, e["years"])),
            "rows": sum(e["rows"].values()) or None,
            "sources": contract.printable(", ".join(s["name"] for s in e["sources"])),  # names as given
            "user": e["user"] and contract.printable(e["user"]),
        }
        for e in history()
    ]
    return pd.DataFrame(rows, columns=["version", "timestamp", "operation", "years", "rows", "sources", "user"])


# --- language -------------------------------------------------------------------------------


def lang() -> str:
    value = st.session_state.get("lang") or i18n.DEFAULT
    return value if value in i18n.LANGUAGES else i18n.DEFAULT


def tr(key: str, **values) -> str:
    return i18n.t(key, lang(), **values)


def year(y: int) -> str:
    return i18n.year_label(y, lang())


def category(c: int) -> str:
    return f"{tr('category.short', n=int(c))} {i18n.category_name(c, lang())}"


def labels(options, label) -> Callable:
    """A widget's format_func as a lookup made now, in the current language: Streamlit (and
    AppTest) may call format functions outside the session, where the language is unknown."""
    table = {option: label(option) for option in options}
    return lambda option: table.get(option, str(option))


def group_name(row) -> str:
    """A ministry or cluster in the reader's language, falling back to Thai."""
    return row.agency_group_en if lang() == "en" and isinstance(row.agency_group_en, str) else row.agency_group_th


def agency_link(code: str) -> str:
    """A link to an agency's drilldown that keeps the language, the year pair and the shared filters."""
    shared = links.write(st.session_state, links.SHARED) | {"agency": code}
    return "agency?" + urlencode(shared, doseq=True)


# A resource, not data: the cached dict is handed out as it is, not copied on every rerun (a copy of
# 8,000 labels was most of a warm rerun). Callers only read it.
@st.cache_resource(max_entries=32, show_spinner=False)
def _agency_labels(key: tuple, filters: db.Filters, column: str) -> dict[str, str]:
    df = _reopen(key).query("agency_list", filters)
    return dict(zip(df["agency_code"].tolist(), df[column].tolist(), strict=True))  # lists: fast, rows are not


def agency_labels(filters: db.Filters, search: bool = False) -> dict[str, str]:
    """Code -> label of the agencies the filters leave (agency_list's label columns): code and name in
    the reader's language, or (search) code, Thai and English name, so the search finds an agency by
    any of them. Kept as a plain dict: a page with 8,000 agencies copies no table to label them."""
    s = _active()
    return _agency_labels(s.key, filters, "search_label" if search else f"label_{lang()}")


# Up to this many agencies, a picker lists them all; beyond it, the picker lists what a search finds.
# A list of 8,000 labels would be sent to the browser on every rerun (most of a warm rerun's cost).
LIST_ALL_AGENCIES = 500
MATCHES_SHOWN = 50


def agency_options(filters: db.Filters, keep: list[str], key: str) -> list[str]:
    """The codes an agency picker offers: every agency the filters leave when they are few;
    otherwise a search box (code, Thai or English name) and the picker offers the agencies already
    chosen plus the search's first matches."""
    everyone = agency_labels(filters, search=True)
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


def export_bytes(s: db.Store, level: str, filters: db.Filters, suffix: str, about: dict) -> bytes:
    """Every row of a table as a file, for a download: allowed by the person's role (the views
    refuse it otherwise) and written to the audit trail before a byte leaves, as `pmqa export` does. Takes the page's
    store: Streamlit runs a deferred download outside the session, where no one is signed in."""
    from dashboard.outputs import export

    table = sections.table(s, level, filters, via="app", format=suffix)  # refused or recorded there
    return export.to_bytes(table, suffix, about)


class _Cached:
    """The data the views read on a page: named queries through the page cache."""

    @staticmethod
    def query(name: str, filters: db.Filters | None = None, **params) -> pd.DataFrame:
        return query(name, filters, **params)


cached = _Cached()


# --- the sidebar ----------------------------------------------------------------------------


# --- the link ---------------------------------------------------------------------------------
# The address holds codes (dashboard.links). It is read into the widgets' state once, when a session
# opens, before any widget is drawn; after every run the state is written back as codes.

PEERS = ("group", "type", "all")


def read_language() -> None:
    """?lang=th|en, read before anything is drawn (the page titles are in it); or, after `go`,
    the shared choices it carried to the next page."""
    carried = st.session_state.pop("_carry", None)
    if carried:
        st.session_state.update({k: v for k, v in carried.items() if v is not None})
    elif "_link" not in st.session_state:
        state, _ = links.read({"lang": st.query_params.get_all("lang")}, links.SHARED, {"lang": i18n.LANGUAGES})
        st.session_state.update(state)


def read_link(page: str, s: db.Store) -> None:
    """The rest of the link, on a session's first run: each value checked against what the data
    holds; what cannot be shown is kept to be said on the page (`link_notices`)."""
    st.session_state["_page"] = page
    if "_link" in st.session_state:
        return
    years = s.years()
    valid = {
        "lang": i18n.LANGUAGES,
        "base": years,
        "compare": years,
        "years": years,
        "types": TYPES,
        "groups": set(query("group_list")["agency_group_th"]),
        "cats": range(1, 8),
        "cat": range(0, 8),  # 0: every category (Strengths' default)
        "level": list(sections.EXPORT_QUERIES),
        "peers": PEERS,
        "threshold": range(0, 101, 5),
    }
    if page == "explore":  # the drilldown names its own unknown agency
        valid["agency"] = set(agency_labels(db.Filters()))
    raw = {name: st.query_params.get_all(name) for name in st.query_params}
    state, rejected = links.read(raw, links.spec(page), valid)
    state.pop("lang", None)  # read_language set it, and its widget is drawn already
    st.session_state.update(state)
    st.session_state["_link"] = (page, rejected)


def link_notices(page: str) -> None:
    """Say, on the page the link opened, which of its values do not exist in the data."""
    opened, rejected = st.session_state.get("_link", (None, []))
    if opened == page and rejected:
        shown = ", ".join(f"{name}={escape(value)}" for name, value in rejected)
        st.warning(tr("link.rejected", values=shown), icon=":material/link_off:")


def write_link() -> None:
    """The view on screen as a link of codes, written at the end of every run."""
    st.query_params.from_dict(links.write(st.session_state, links.spec(st.session_state.get("_page", ""))))


def stop() -> None:
    """End the page here (an empty state said why), with the link still naming the view."""
    write_link()
    st.stop()


def start(key: str, options: list, default) -> None:
    """A widget's starting value through the session state (never also as its `default`, which
    Streamlit warns about): a link's value when it is still an option, else `default`."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


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
    """Base and compare year in the sidebar; by default the latest two years in the data."""
    if not years:
        return None, None
    options = sorted(years, reverse=True)
    label = labels(options, year)  # B.E., with C.E. beside it in English
    start("compare", options, options[0])
    start("base", options, options[min(1, len(options) - 1)])
    compare = st.sidebar.selectbox(tr("filter.compare_year"), options, key="compare", format_func=label)
    base = st.sidebar.selectbox(tr("filter.base_year"), options, key="base", format_func=label)
    return base, compare


def pair() -> tuple[int | None, int | None]:
    """The base and compare year chosen in the sidebar."""
    return st.session_state.get("base"), st.session_state.get("compare")


def filters(**extra) -> db.Filters:
    """The sidebar's agency types and groups, plus (or replaced by) a page's own filters."""
    shared = db.Filters(
        agency_types=tuple(st.session_state.get("types") or ()), groups=tuple(st.session_state.get("groups") or ())
    )
    return replace(shared, **extra)


def shared_filters() -> None:
    """Agency types and groups, in the sidebar on every page and in the link."""
    types = st.sidebar.multiselect(
        tr("filter.types"),
        TYPES,
        key="types",
        format_func=labels(TYPES, lambda v: tr(f"type.{v}")),
        placeholder=tr("filter.all"),
    )
    groups_df = query("group_list")
    if types:  # offer the groups of the chosen types, and keep any group already chosen
        chosen = set(st.session_state.get("groups") or ())
        of_type = groups_df["agency_types"].str.split(",").map(lambda ts: bool(set(ts) & set(types)))
        groups_df = groups_df[of_type | groups_df["agency_group_th"].isin(chosen)]
    names = {r.agency_group_th: group_name(r) for r in groups_df.itertuples()}
    st.sidebar.multiselect(
        tr("filter.groups"),
        list(names),
        key="groups",
        format_func=lambda g: names.get(g, g),
        placeholder=tr("filter.all"),
    )


# Pages that read every agency whatever the sidebar says: their context line says so.
UNFILTERED_PAGES = ("quality", "import_data")


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
    names = {r.agency_group_th: group_name(r) for r in query("group_list").itertuples()}
    parts = [
        tr("context.years", base=year(base), compare=year(compare)) if base is not None else "",
        tr("context.types", types=", ".join(tr(f"type.{t}") for t in types) if types else tr("filter.all")),
        tr("context.groups", groups=", ".join(names.get(g, g) for g in groups) if groups else tr("filter.all")),
    ]
    scope = _active().access.scope
    if not scope.everything:  # a screenshot of a scoped view says whose view it is
        parts.append(signin.describe_scope(scope))
    text, clear = st.columns([6, 1], vertical_alignment="center")
    text.caption(" · ".join(p for p in parts if p))
    if types or groups:
        clear.button(tr("context.clear"), on_click=_clear_filters, icon=":material/filter_alt_off:", key="clear")


@st.cache_data(max_entries=8, show_spinner=False)
def _latest_version(folder: str, fingerprint: tuple) -> int | None:
    return delta.version_of(Path(folder))


def data_source(s: db.Store) -> None:
    """Where the numbers come from: folder or store version, files, years, rows, last change."""
    years = query("fiscal_years")
    values = dict(
        folder=s.data_dir.name,
        files=len(s.files),
        years=", ".join(year(y) for y in years["fiscal_year"]),
        rows=f"{int(years['criterion_rows'].sum()):,}",
    )
    with st.sidebar.expander(tr("source.title")):
        if s.is_store:
            st.caption(
                tr("source.store", version=s.version, latest=_latest_version(str(s.data_dir), s.fingerprint), **values)
            )
        else:
            changed = datetime.fromtimestamp(max(p.stat().st_mtime for p in s.files)).strftime("%Y-%m-%d %H:%M")
            st.caption(tr("source.body", changed=changed, **values))
        st.caption(tr("source.scheme_illustrative") if s.scheme.illustrative else tr("source.scheme"))


def comparability(base: int | None, compare: int | None) -> int:
    """Warn, next to a comparison, when the criteria or their maxima differ between its two years;
    returns how many criteria changed (0 when the years measure the same things)."""
    if base is None or compare is None or base == compare:
        return 0
    changes = query("criterion_changes_between_years", base_year=base, compare_year=compare)
    if len(changes):
        shown = ", ".join(changes.criterion.head(8)) + (" …" if len(changes) > 8 else "")
        st.warning(
            tr("compare.warning", base=year(base), compare=year(compare), n=len(changes), criteria=shown),
            icon=":material/compare_arrows:",
        )
    return len(changes)


def synthetic_banner(s: db.Store) -> None:
    if s.synthetic:
        st.warning(tr("synthetic.banner"), icon=":material/science:")


# --- on the page ----------------------------------------------------------------------------


def nothing_to_show(df: pd.DataFrame, key: str = "empty.filters", **values) -> bool:
    """True, with a message that says why, when a result is empty: never an empty chart without a word."""
    if df is None or len(df) == 0:
        st.info(tr(key, **values), icon=":material/info:")
        return True
    return False


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(store_key: tuple, key: tuple, _build: Callable):
    return _build()


def figure(key: tuple, build: Callable):
    """A chart built once per data version and `key` (everything the chart shows: its name, the
    filters, years, language), then reused: building a Plotly figure is most of a warm rerun.
    Kept as a resource, not copied; nothing changes a figure after it is built."""
    s = _active()
    return _figure(s.key, key, build)


def plot(fig, key: str | None = None):
    """A chart; with a key, a click on a point reruns the page with the point selected."""
    if key is None:
        return st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
    return st.plotly_chart(
        fig, width="stretch", config={"displaylogo": False}, key=key, on_select="rerun", selection_mode="points"
    )


def go(page: str, **choices) -> None:
    """Open another page with the shared choices (language, years, filters) and the given ones.
    Streamlit forgets the sidebar's widget values when a script switches page, so they are
    carried in a plain key and set again before the next page draws a widget."""
    shared = {p.key: st.session_state.get(p.key) for p in links.SHARED.values()}
    st.session_state["_carry"] = shared | choices
    st.switch_page(page)


def open_category(event) -> None:
    """Clicked a category's point on a chart: open Strengths for that category."""
    points = event.selection.points if event else []
    chosen = [p.get("customdata") for p in points if p.get("customdata") is not None]
    if chosen:
        value = chosen[0][0] if isinstance(chosen[0], list) else chosen[0]
        go("app_pages/strengths.py", focus_cat=int(value))


def open_agency(key: str, codes: list[str]) -> None:
    """A callback for a table of agencies: the row clicked becomes the drilldown's agency."""
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["agency"] = codes[rows[0]]


def criterion_names() -> dict[str, str]:
    """Criterion and sub-item code -> name in the reader's language: the data's own names (optional
    columns criterion_name_th / _en) first, then the scoring scheme's; a criterion without a name of
    its own takes its sub-item's."""
    return sections.criterion_names(cached, _active().scheme, lang())


def named(df: pd.DataFrame) -> pd.DataFrame:
    """A table of criteria with each one's name beside its code."""
    return sections.with_names(df, criterion_names())


def cutoffs(fiscal_year: int | None) -> list[tuple[str, float]]:
    """The level cut-offs in force in a year, in the reader's language (reference lines on charts)."""
    return sections.cutoffs(_active().scheme, fiscal_year, lang())


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """A table as a reader of this language reads it: codes (agency types, kinds of change) in
    words, one group column in the reader's language (Thai where the data has no English name)."""
    out = df.copy()
    if "agency_type" in out:
        out["agency_type"] = out["agency_type"].map(lambda v: tr(f"type.{v}") if isinstance(v, str) else v)
    if "change" in out:
        out["change"] = out["change"].map(lambda v: tr(f"change.{v}"))
    if "before" in out and "change" in df:  # a changed type is a code too
        for side in ("before", "after"):
            is_type = df["change"] == "type"
            out.loc[is_type, side] = out.loc[is_type, side].map(lambda v: tr(f"type.{v}"))
    if "agency_group_th" in out and "agency_group_en" in out:
        english = out["agency_group_en"].where(out["agency_group_en"].notna(), out["agency_group_th"])
        out.insert(
            list(out.columns).index("agency_group_th"),
            "agency_group",
            english if lang() == "en" else out["agency_group_th"],
        )
        out = out.drop(columns=["agency_group_th", "agency_group_en"])
    return out


def escape(text: str) -> str:
    """Text from the data shown through Markdown: no character in a name can become markup."""
    return fmt.markdown_text(text)


def columns() -> dict:
    """Column labels and formats for every table the pages show, in the reader's language."""
    cc = st.column_config

    def bar(key):
        return cc.ProgressColumn(tr(key), min_value=0, max_value=100, format="%.1f%%")

    return {
        "fiscal_year": cc.NumberColumn(tr("col.fiscal_year"), format="%d"),
        "agency_code": cc.TextColumn(tr("col.agency_code")),
        "agency": cc.TextColumn(tr("col.agency")),
        "agency_name_th": cc.TextColumn(tr("col.agency_name_th")),
        "agency_name_en": cc.TextColumn(tr("col.agency_name_en")),
        "agency_type": cc.TextColumn(tr("col.agency_type")),
        "agency_group_th": cc.TextColumn(tr("col.agency_group")),
        "agency_group": cc.TextColumn(tr("col.agency_group")),
        "category": cc.NumberColumn(tr("col.category"), format="%d"),
        "criterion": cc.TextColumn(tr("col.criterion")),
        "criterion_name": cc.TextColumn(tr("col.criterion_name"), width="large"),
        "score": cc.NumberColumn(tr("col.score"), format="%.1f"),
        "max_score": cc.NumberColumn(tr("col.max_score"), format="%.0f"),
        "pct": bar("col.pct"),
        "mean_pct": bar("col.mean_pct"),
        "median_pct": bar("col.median_pct"),
        "share_below_pct": bar("col.share_below_pct"),
        "agencies_assessed": cc.NumberColumn(tr("col.agencies_assessed"), format="%d"),
        "agencies_not_assessed": cc.NumberColumn(tr("col.agencies_not_assessed"), format="%d"),
        "base_pct": cc.NumberColumn(tr("col.base_pct"), format="%.1f%%"),
        "compare_pct": cc.NumberColumn(tr("col.compare_pct"), format="%.1f%%"),
        "delta_pts": cc.NumberColumn(tr("col.delta_pts"), format="%+.1f"),
        "base_share_below_pct": cc.NumberColumn(tr("col.base_share_below_pct"), format="%.1f%%"),
        "compare_share_below_pct": cc.NumberColumn(tr("col.compare_share_below_pct"), format="%.1f%%"),
        "link": cc.LinkColumn(tr("col.open"), display_text=tr("col.open_text")),
        **{
            c: cc.NumberColumn(tr(f"col.{c}"), format="%d")
            for c in (
                "agencies",
                "criteria",
                "criterion_rows",
                "rows_not_assessed",
                "agencies_with_gaps",
                "agencies_joined",
                "agencies_left",
            )
        },
        **{c: cc.TextColumn(tr(f"col.{c}")) for c in ("change", "before", "after")},
        **{c: cc.TextColumn(tr(f"col.{c}")) for c in ("timestamp", "operation", "years", "sources", "user")},
        "version": cc.NumberColumn(tr("col.version"), format="%d"),
        "rows": cc.NumberColumn(tr("col.rows"), format="%d"),
        "base_max_score": cc.NumberColumn(tr("col.base_max_score"), format="%.1f"),
        "compare_max_score": cc.NumberColumn(tr("col.compare_max_score"), format="%.1f"),
    }
