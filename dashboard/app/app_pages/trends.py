"""Category trends: every year, each category's mean and spread, and who was counted."""

import streamlit as st

from dashboard.app import ui
from dashboard.outputs import charts
from dashboard.views import formatting as fmt

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("trends.title"))
like = st.toggle(ui.tr("like_for_like"), key="trend_like", help=ui.tr("trends.like_help"))
filters = ui.filters()

stats = ui.query("pct_stats_by_category_year", filters)
if ui.nothing_to_show(stats):
    ui.stop()
if stats.fiscal_year.nunique() < 2:
    st.info(ui.tr("empty.one_year"), icon=":material/info:")

if base in stats.fiscal_year.values and compare in stats.fiscal_year.values and base != compare:
    ui.comparability(base, compare)
    change = ui.query("change_decomposition_by_year_pair", filters, base_year=base, compare_year=compare).iloc[0]
    years = dict(base=ui.year(base), compare=ui.year(compare))
    cols = st.columns(3)
    cols[0].metric(ui.tr("trends.change_all", **years), fmt.pp(change.all_agencies_pts, lang))
    cols[1].metric(ui.tr("trends.change_lfl", **years), fmt.pp(change.like_for_like_pts, lang))
    cols[2].metric(
        ui.tr("trends.change_composition", joined=int(change.agencies_joined), left=int(change.agencies_left)),
        fmt.pp(change.composition_pts, lang),
        help=ui.tr("trends.composition_help"),
    )

shown = (filters, lang)  # what the charts below depend on, besides the data version
trend = ui.figure(
    ("trend", *shown, like, compare),
    lambda: charts.category_trend_lines(
        stats, lang, like_for_like=like, overall=ui.query("overall_stats_by_year", filters), cutoffs=ui.cutoffs(compare)
    ),
)
ui.open_category(ui.plot(trend, key="trend"))
if like:
    st.caption(ui.tr("trends.lfl_caption", n=int(stats.like_for_like_agencies.max())))
ui.plot(ui.figure(("spread", *shown), lambda: charts.category_spread(stats, lang)))
counts = ui.figure(
    ("counts", *shown), lambda: charts.agency_counts(ui.query("agency_count_by_type_year", filters), lang)
)
ui.plot(counts)
