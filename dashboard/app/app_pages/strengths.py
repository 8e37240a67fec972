"""Strengths and weaknesses: categories ranked per year, the criteria agencies still cannot meet,
and a close look at category 7 (Results)."""

import streamlit as st

from dashboard.app import ui
from dashboard.outputs import charts
from dashboard.views import sections

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("strengths.title"))
filters = ui.filters()

stats = ui.query("category_rank_by_year", filters)
if ui.nothing_to_show(stats):
    ui.stop()
ui.plot(ui.figure(("ranks", filters, lang), lambda: charts.rank_heatmap(stats, lang)))

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
FOCUS = list(range(0, 8))  # 0: categories 1-6 together; a chart click elsewhere opens one category
ui.start("focus_cat", FOCUS, 0)
focus = st.selectbox(
    ui.tr("strengths.focus"),
    FOCUS,
    key="focus_cat",
    format_func=ui.labels(FOCUS, lambda c: ui.category(c) if c else ui.tr("strengths.all_process")),
)
lowest = sections.lowest_criteria(ui.cached, ui.filters(categories=(focus,) if focus else ()), compare, threshold)
if focus == 7:
    st.info(ui.tr("strengths.results_below"), icon=":material/arrow_downward:")
elif not ui.nothing_to_show(lowest):
    key = ("lowest", filters, focus, compare, threshold, lang)
    ui.plot(ui.figure(key, lambda: charts.lowest_criteria(lowest, lang, threshold, ui.criterion_names())))
    st.dataframe(
        ui.named(
            lowest[
                ["criterion", "mean_pct", "median_pct", "share_below_pct", "agencies_assessed", "agencies_not_assessed"]
            ]
        ),
        hide_index=True,
        column_config=ui.columns(),
    )

st.header(ui.tr("strengths.results_title"))
results = ui.query("criterion_stats_by_year", ui.filters(categories=(7,)), threshold=threshold)
if not ui.nothing_to_show(results):
    key = ("items", filters, threshold, lang)
    ui.plot(ui.figure(key, lambda: charts.result_items(results, lang, ui.criterion_names())))
    if base is not None and base != compare:
        st.subheader(ui.tr("strengths.results_change", base=ui.year(base), compare=ui.year(compare)))
        st.caption(ui.tr("strengths.share_below_caption", threshold=threshold))
        st.dataframe(
            ui.named(sections.result_items(ui.cached, filters, base, compare, threshold)),
            hide_index=True,
            column_config=ui.columns(),
        )
