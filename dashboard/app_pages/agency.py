"""Agency drilldown: one agency against its peers, its path over the years, its rank, its criteria;
and the largest movers, each a link to its own drilldown."""

import pandas as pd
import streamlit as st

from dashboard import charts, ui

PEERS = ["group", "type", "all"]
MOVERS = 10  # rises and falls shown
lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("agency.title"))

labels = ui.agency_labels(ui.filters(), search=True)
if not labels:
    ui.nothing_to_show(None)  # no agency has the filters' type and group: say so
    st.stop()
# The agency is kept in the link as ?agency=CODE (a short, language-free link, unlike a bound selectbox).
wanted = st.query_params.get("agency")
codes = ui.agency_options(ui.filters(), [wanted] if wanted else [], "agency")
chosen = st.selectbox(
    ui.tr("agency.search"),
    codes,
    index=codes.index(wanted) if wanted in codes else None,
    format_func=labels.get,
    placeholder=ui.tr("agency.search_placeholder"),
)
if wanted and wanted not in labels:
    st.warning(ui.tr("agency.not_found", code=ui.escape(wanted)))
if chosen is None:
    st.info(ui.tr("agency.pick"), icon=":material/info:")
else:
    st.query_params["agency"] = chosen
    me = ui.query("agency_list", ui.filters(agencies=(chosen,))).iloc[0]
    st.subheader(ui.escape(labels[chosen]))
    st.caption(
        f"{ui.tr(f'type.{me.agency_type}')} · {ui.escape(me.agency_group_th)} · "
        + ui.tr("agency.years", first=ui.year(me.first_year), latest=ui.year(me.latest_year))
    )

    ranks = ui.query("rank_by_agency_year", ui.filters(agency_types=(me.agency_type,)), agency_code=chosen)
    if len(ranks):
        last = ranks.iloc[-1]
        cols = st.columns(4)
        cols[0].metric(
            ui.tr("agency.total", year=ui.year(last.fiscal_year)),
            ui.pct(last.pct),
            delta=ui.points(last.pct_change_pts),
        )
        cols[1].metric(
            ui.tr("agency.rank", n=int(last.ranked_agencies)),
            f"{int(last.position)}",
            delta=None if pd.isna(last.positions_gained) else int(last.positions_gained),
        )
        cols[2].metric(
            ui.tr("agency.percentile"),
            f"{last.percentile:.0f}",
            delta=None if pd.isna(last.percentile_change) else f"{last.percentile_change:+.0f}",
        )
        level = ui.query("agency_level_by_year", ui.filters(agencies=(chosen,), years=(int(last.fiscal_year),)))
        reached = level.iloc[0][f"level_label_{lang}"] if len(level) else None
        cols[3].metric(
            ui.tr("agency.level", year=ui.year(last.fiscal_year)),
            reached if isinstance(reached, str) else ui.tr("level.below"),
        )

    years = sorted(ranks.fiscal_year.tolist()) or [compare]
    year = st.selectbox(
        ui.tr("agency.profile_year"), years[::-1], key="profile_year", format_func=ui.labels(years, ui.year)
    )
    peer_set = st.radio(
        ui.tr("agency.peers"),
        PEERS,
        horizontal=True,
        key="peers",
        format_func=ui.labels(PEERS, lambda p: ui.tr(f"peers.{p}")),
        bind="query-params",
    )
    peers = ui.query("peer_pct_by_category", year=year, agency_code=chosen)
    if not ui.nothing_to_show(peers.dropna(subset=["agency_pct"]), "empty.agency_year", year=ui.year(year)):
        ui.plot(charts.agency_profile(peers, lang, peer_set))
    path = ui.query("pct_by_agency_category_year", ui.filters(agencies=(chosen,)))
    if not ui.nothing_to_show(path, "empty.agency_filtered"):
        ui.plot(charts.agency_path(path, lang))
    crit = ui.query("score_by_agency_criterion_year", ui.filters(agencies=(chosen,), years=(year,)))
    with st.expander(ui.tr("agency.criteria", year=ui.year(year))):
        st.dataframe(
            crit[["category", "criterion", "score", "max_score", "pct"]], hide_index=True, column_config=ui.columns()
        )

st.header(ui.tr("movers.title", base=ui.year(base), compare=ui.year(compare)))
ui.comparability(base, compare)
mover_cat = st.selectbox(
    ui.tr("movers.category"),
    list(range(1, 8)),
    key="mover_cat",
    format_func=ui.labels(range(1, 8), ui.category),
    bind="query-params",
)
moves = ui.query(
    "movers_by_category", ui.filters(categories=(mover_cat,)), base_year=base, compare_year=compare, top=MOVERS
)
if base != compare and not ui.nothing_to_show(moves, "empty.movers"):
    names = ui.agency_labels(ui.filters())
    moves = moves.assign(agency=moves.agency_code.map(names), link=[ui.agency_link(c) for c in moves.agency_code])
    shown = ["agency", "base_pct", "compare_pct", "delta_pts", "link"]
    for column, direction in zip(st.columns(2), ("rise", "fall"), strict=True):
        column.caption(ui.tr(f"movers.{direction}s"))
        column.dataframe(moves[moves.direction == direction][shown], hide_index=True, column_config=ui.columns())
