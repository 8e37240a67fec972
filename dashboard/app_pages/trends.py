"""Category trends: every year, each category's mean and spread, and who was counted."""

import streamlit as st

from dashboard import charts, ui

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("trends.title"))
like = st.toggle(ui.tr("like_for_like"), key="trend_like", help=ui.tr("trends.like_help"), bind="query-params")
filters = ui.filters()

stats = ui.query("pct_stats_by_category_year", filters)
if ui.nothing_to_show(stats):
    st.stop()
if stats.fiscal_year.nunique() < 2:
    st.info(ui.tr("empty.one_year"), icon=":material/info:")

overall = ui.query("overall_stats_by_year", filters).set_index("fiscal_year")
if base in overall.index and compare in overall.index and base != compare:
    ui.comparability(base, compare)
    change = overall.loc[compare] - overall.loc[base]
    cols = st.columns(3)
    cols[0].metric(ui.tr("trends.change_all", base=ui.year(base), compare=ui.year(compare)), ui.points(change.mean_pct))
    cols[1].metric(
        ui.tr("trends.change_lfl", base=ui.year(base), compare=ui.year(compare)),
        ui.points(change.like_for_like_mean_pct),
    )
    cols[2].metric(
        ui.tr("trends.change_composition"),
        ui.points(change.mean_pct - change.like_for_like_mean_pct),
        help=ui.tr("trends.composition_help"),
    )

ui.plot(charts.category_trend_lines(stats, lang, like_for_like=like))
if like:
    st.caption(ui.tr("trends.lfl_caption", n=int(stats.like_for_like_agencies.max())))
ui.plot(charts.category_spread(stats, lang))
ui.plot(charts.agency_counts(ui.query("agency_count_by_type_year", filters), lang))
