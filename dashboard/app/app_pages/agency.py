"""Agency drilldown: one agency against its peers, its path over the years, its rank, its criteria;
and the largest movers, each a link to its own drilldown."""

import functools

import streamlit as st

from dashboard.app import agencies, cache, cards, language, link, notices, plots, sidebar, tables
from dashboard.app.language import category, escape, labels, tr, year
from dashboard.outputs import charts
from dashboard.views import formatting as fmt
from dashboard.views import sections

lang = language.code()
base, compare = sidebar.pair()
st.title(tr("agency.title"))

names = agencies.labels(sidebar.filters(), search=True)
if not names:
    notices.nothing_to_show(None)  # no agency has the filters' type and group: say so
    link.stop()
wanted = st.session_state.get("agency")  # from the link (?agency=CODE), or chosen before
if wanted is not None and wanted not in names:
    st.warning(tr("agency.not_found", code=escape(wanted)))
    del st.session_state["agency"]
chosen = agencies.pick(sidebar.filters())
if chosen is None:
    st.info(tr("agency.pick"), icon=":material/info:")
else:
    me = cache.section(sections.agency, sidebar.filters(), chosen)
    st.subheader(escape(names[chosen]), anchor="agency")  # where a mover's click brings the view
    kind = me["agency_type"]
    st.caption(
        f"{tr(f'type.{kind}')} · {escape(me['agency_group_th'])} · "
        + tr("agency.years", first=year(me["first_year"]), latest=year(me["latest_year"]))
    )

    head = cache.section(sections.agency_headline, chosen, me["agency_type"], base, compare)
    if head["pct"] is None:
        st.info(tr("agency.no_result", year=year(compare)), icon=":material/info:")
    else:
        since = dict(base=year(base))
        cards.style()
        cols = [cards.row("agency_cards")] * 4  # two to a line on a phone, not four under each other
        cols[0].metric(
            tr("agency.total", year=year(compare)),
            fmt.pct(head["pct"]),
            delta=fmt.pp(head["delta_pts"], lang),
            help=tr("agency.since", **since),
        )
        # A scoped person is not shown a rank among too few agencies (dashboard/data/access.py).
        hidden = head["position"] is None
        rank_help = tr("agency.rank_hidden", n=sections.MIN_PEERS) if hidden else tr("agency.since", **since)
        cols[1].metric(
            tr("agency.rank", n=int(head["ranked_agencies"])),
            fmt.MISSING if hidden else f"{int(head['position'])}",
            delta=fmt.count_change(head["positions_gained"]),
            help=f"{tr('agency.rank_of', n=int(head['ranked_agencies']))} {rank_help}",
        )
        cols[2].metric(
            tr("agency.percentile"),
            fmt.MISSING if hidden else f"{head['percentile']:.0f}",
            delta=fmt.count_change(head["percentile_change"]),
            help=rank_help,
        )
        cols[3].metric(tr("agency.level", year=year(compare)), head[f"level_{lang}"] or tr("level.below"))

    years = list(range(int(me["latest_year"]), int(me["first_year"]) - 1, -1))
    link.start("profile_year", years, compare if compare in years else years[0])  # starts from the pair
    chosen_year = st.selectbox(tr("agency.profile_year"), years, key="profile_year", format_func=labels(years, year))
    peer_set = st.radio(
        tr("agency.peers"),
        link.PEERS,
        horizontal=True,
        key="peers",
        format_func=labels(link.PEERS, lambda p: tr(f"peers.{p}")),
    )
    profile = cache.section(sections.profile, sidebar.filters(), chosen, chosen_year)
    peers = profile["peers"]
    if not notices.nothing_to_show(peers.dropna(subset=["agency_pct"]), "empty.agency_year", year=year(chosen_year)):
        profile_chart = charts.agency_profile(peers, lang, peer_set, plots.cutoffs(chosen_year))
        link.open_category(plots.plot(profile_chart, key="profile"))  # a category's criteria, on Strengths
        st.caption(tr("agency.profile_click"))
        if not cache.current().access.scope.everything:  # why the peers' figures differ from an operator's
            st.caption(tr("agency.peers_scoped", n=sections.MIN_PEERS, q=sections.MIN_QUARTILE_PEERS))
    if not notices.nothing_to_show(profile["path"], "empty.agency_filtered"):
        plots.plot(charts.agency_path(profile["path"], lang, plots.cutoffs(compare)))
    with st.expander(tr("agency.criteria", year=year(chosen_year))):
        if profile["criteria"] is None:  # criterion-level rows are for analysts
            st.caption(tr("access.no_rows"))
        else:
            st.dataframe(
                tables.named(profile["criteria"][["category", "criterion", "score", "max_score", "pct"]]),
                hide_index=True,
                column_config=tables.columns(),
            )

st.header(tr("movers.title", base=year(base), compare=year(compare)))
notices.comparability(base, compare)
link.start("mover_cat", list(range(1, 8)), 1)  # a link's cat=0 (every category, on Strengths) means 1 here
mover_cat = st.selectbox(
    tr("movers.category"), list(range(1, 8)), key="mover_cat", format_func=labels(range(1, 8), category)
)
if base is not None and base != compare:
    moves = cache.section(sections.movers, sidebar.filters(), mover_cat, base, compare)
    shown_names = agencies.labels(sidebar.filters())
    st.caption(tr("movers.click"))
    for column, direction in zip(st.columns(2), ("rise", "fall"), strict=True):
        column.caption(tr(f"movers.{direction}s"))
        shown = moves[direction]
        if shown.empty:
            column.info(tr(f"movers.no_{direction}s"), icon=":material/info:")
            continue
        shown = shown.assign(
            agency=shown.agency_code.map(shown_names), link=[link.to_agency(c) for c in shown.agency_code]
        )
        # The change first after the name: the column a reader looks for stays on screen.
        key = f"movers_{direction}"
        column.dataframe(  # a click on a row opens that agency above; the link opens it in a new tab
            shown[["agency", "delta_pts", "base_pct", "compare_pct", "link"]],
            hide_index=True,  # half the page's width: the name gives way so the link stays on screen
            column_config=tables.fit(
                tables.by_year(base, compare), agency=115, delta_pts=65, base_pct=100, compare_pct=100, link=50
            ),
            key=key,
            on_select=functools.partial(link.open_agency, key, shown.agency_code.tolist()),
            selection_mode="single-row",
        )
