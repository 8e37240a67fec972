"""Strengths and weaknesses: categories ranked per year, the criteria agencies still cannot meet,
and a close look at category 7 (Results)."""

import streamlit as st

from dashboard import charts, ui

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("strengths.title"))
filters = ui.filters()

stats = ui.query("category_rank_by_year", filters)
if ui.nothing_to_show(stats):
    ui.stop()
ui.plot(charts.rank_heatmap(stats, lang))

st.session_state.setdefault("threshold", 50)
threshold = st.slider(
    ui.tr("strengths.threshold"),
    0,
    100,
    step=5,
    key="threshold",
    format="%d%%",
    help=ui.tr("strengths.threshold_help"),
)

st.header(ui.tr("strengths.lowest_title", year=ui.year(compare)))
process = ui.query(
    "criterion_stats_by_year", ui.filters(years=(compare,), categories=(1, 2, 3, 4, 5, 6)), threshold=threshold
)
if not ui.nothing_to_show(process):
    lowest = process.nlargest(10, ["share_below_pct", "agencies_not_assessed"])
    ui.plot(charts.lowest_criteria(lowest, lang, threshold))
    st.dataframe(
        lowest[
            ["criterion", "mean_pct", "median_pct", "share_below_pct", "agencies_assessed", "agencies_not_assessed"]
        ],
        hide_index=True,
        column_config=ui.columns(),
    )

st.header(ui.tr("strengths.results_title"))
results = ui.query("criterion_stats_by_year", ui.filters(categories=(7,)), threshold=threshold)
if not ui.nothing_to_show(results):
    ui.plot(charts.result_items(results, lang))
    share = results.pivot(index="criterion", columns="fiscal_year", values="share_below_pct")
    share.columns = [ui.year(y) for y in share.columns]
    st.caption(ui.tr("strengths.share_below_caption", threshold=threshold))
    st.dataframe(share, column_config={c: st.column_config.NumberColumn(format="%.1f%%") for c in share.columns})
