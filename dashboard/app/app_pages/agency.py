"""Agency drilldown: one agency against its peers, its path over the years, its rank, its criteria;
and the largest movers, each a link to its own drilldown."""

import functools

import streamlit as st

from dashboard.app import ui
from dashboard.data import access
from dashboard.outputs import charts
from dashboard.views import formatting as fmt
from dashboard.views import sections

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("agency.title"))

labels = ui.agency_labels(ui.filters(), search=True)
if not labels:
    ui.nothing_to_show(None)  # no agency has the filters' type and group: say so
    ui.stop()
wanted = st.session_state.get("agency")  # from the link (?agency=CODE), or chosen before
if wanted is not None and wanted not in labels:
    st.warning(ui.tr("agency.not_found", code=ui.escape(wanted)))
    del st.session_state["agency"]
chosen = st.selectbox(
    ui.tr("agency.search"),
    ui.agency_options(ui.filters(), [wanted] if wanted in labels else [], "agency"),
    index=None,
    key="agency",
    format_func=labels.get,
    placeholder=ui.tr("agency.search_placeholder"),
)
if chosen is None:
    st.info(ui.tr("agency.pick"), icon=":material/info:")
else:
    me = ui.query("agency_list", ui.filters(agencies=(chosen,))).iloc[0]
    st.subheader(ui.escape(labels[chosen]))
    st.caption(
        f"{ui.tr(f'type.{me.agency_type}')} · {ui.escape(me.agency_group_th)} · "
        + ui.tr("agency.years", first=ui.year(me.first_year), latest=ui.year(me.latest_year))
    )

    head = sections.agency_headline(ui.cached, chosen, me.agency_type, base, compare)
    if head["pct"] is None:
        st.info(ui.tr("agency.no_result", year=ui.year(compare)), icon=":material/info:")
    else:
        since = dict(base=ui.year(base))
        cols = st.columns(4)
        cols[0].metric(
            ui.tr("agency.total", year=ui.year(compare)),
            fmt.pct(head["pct"]),
            delta=fmt.pp(head["delta_pts"], lang),
            help=ui.tr("agency.since", **since),
        )
        # A scoped person is not shown a rank among too few agencies (dashboard/data/access.py).
        hidden = head["position"] is None
        rank_help = ui.tr("agency.rank_hidden", n=access.MIN_PEERS) if hidden else ui.tr("agency.since", **since)
        cols[1].metric(
            ui.tr("agency.rank", n=int(head["ranked_agencies"])),
            fmt.MISSING if hidden else f"{int(head['position'])}",
            delta=fmt.count_change(head["positions_gained"]),
            help=rank_help,
        )
        cols[2].metric(
            ui.tr("agency.percentile"),
            fmt.MISSING if hidden else f"{head['percentile']:.0f}",
            delta=fmt.count_change(head["percentile_change"]),
            help=rank_help,
        )
        cols[3].metric(ui.tr("agency.level", year=ui.year(compare)), head[f"level_{lang}"] or ui.tr("level.below"))

    years = list(range(int(me.latest_year), int(me.first_year) - 1, -1))
    ui.start("profile_year", years, compare if compare in years else years[0])  # starts from the pair
    year = st.selectbox(ui.tr("agency.profile_year"), years, key="profile_year", format_func=ui.labels(years, ui.year))
    peer_set = st.radio(
        ui.tr("agency.peers"),
        ui.PEERS,
        horizontal=True,
        key="peers",
        format_func=ui.labels(ui.PEERS, lambda p: ui.tr(f"peers.{p}")),
    )
    peers = ui.query("peer_pct_by_category", year=year, agency_code=chosen)
    if not ui.nothing_to_show(peers.dropna(subset=["agency_pct"]), "empty.agency_year", year=ui.year(year)):
        ui.plot(charts.agency_profile(peers, lang, peer_set, ui.cutoffs(year)))
        if not ui.store().access.scope.everything:  # why the peers' figures differ from an operator's
            st.caption(ui.tr("agency.peers_scoped", n=access.MIN_PEERS, q=access.MIN_QUARTILE_PEERS))
    path = ui.query("pct_by_agency_category_year", ui.filters(agencies=(chosen,)))
    if not ui.nothing_to_show(path, "empty.agency_filtered"):
        ui.plot(charts.agency_path(path, lang, ui.cutoffs(compare)))
    with st.expander(ui.tr("agency.criteria", year=ui.year(year))):
        if not ui.store().access.may("rows"):
            st.caption(ui.tr("access.no_rows"))
        else:
            crit = ui.query("score_by_agency_criterion_year", ui.filters(agencies=(chosen,), years=(year,)))
            st.dataframe(
                ui.named(crit[["category", "criterion", "score", "max_score", "pct"]]),
                hide_index=True,
                column_config=ui.columns(),
            )

st.header(ui.tr("movers.title", base=ui.year(base), compare=ui.year(compare)))
ui.comparability(base, compare)
ui.start("mover_cat", list(range(1, 8)), 1)  # a link's cat=0 (every category, on Strengths) means 1 here
mover_cat = st.selectbox(
    ui.tr("movers.category"), list(range(1, 8)), key="mover_cat", format_func=ui.labels(range(1, 8), ui.category)
)
if base is not None and base != compare:
    moves = sections.movers(ui.cached, ui.filters(), mover_cat, base, compare)
    names = ui.agency_labels(ui.filters())
    st.caption(ui.tr("movers.click"))
    for column, direction in zip(st.columns(2), ("rise", "fall"), strict=True):
        column.caption(ui.tr(f"movers.{direction}s"))
        shown = moves[direction]
        if shown.empty:
            column.info(ui.tr(f"movers.no_{direction}s"), icon=":material/info:")
            continue
        shown = shown.assign(agency=shown.agency_code.map(names), link=[ui.agency_link(c) for c in shown.agency_code])
        # The change first after the name: the column a reader looks for stays on screen.
        key = f"movers_{direction}"
        column.dataframe(  # a click on a row opens that agency above; the link opens it in a new tab
            shown[["agency", "delta_pts", "base_pct", "compare_pct", "link"]],
            hide_index=True,
            column_config=ui.columns(),
            key=key,
            on_select=functools.partial(ui.open_agency, key, shown.agency_code.tolist()),
            selection_mode="single-row",
        )
