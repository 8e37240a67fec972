"""Strengths and weaknesses: categories ranked per year, the criteria with the largest share of
agencies below a threshold, and a close look at category 7 (Results)."""

import streamlit as st

from dashboard.app import cache, language, link, notices, plots, sidebar, tables
from dashboard.app.language import category, labels, tr, year
from dashboard.app.threshold import threshold_slider
from dashboard.outputs import charts
from dashboard.views import narrative, sections

lang = language.code()
base, compare = sidebar.pair()
st.title(tr("strengths.title"))
filters = sidebar.filters()

stats = cache.section(sections.category_ranks, filters)
if notices.nothing_to_show(stats):
    link.stop()
plots.plot(cache.figure(("ranks", filters, lang), lambda: charts.rank_heatmap(stats, lang)))

threshold = threshold_slider("strengths.threshold_help")

st.header(tr("strengths.lowest_title", year=year(compare), threshold=threshold), anchor="lowest")
FOCUS = list(range(0, 8))  # 0: categories 1-6 together; a chart click elsewhere opens one category
link.start("focus_cat", FOCUS, 0)
focus = st.selectbox(
    tr("strengths.focus"),
    FOCUS,
    key="focus_cat",
    format_func=labels(FOCUS, lambda c: category(c) if c else tr("strengths.all_process")),
)
lowest = cache.section(
    sections.lowest_criteria, sidebar.filters(categories=(focus,) if focus else ()), compare, threshold
)
if focus == 7:
    st.info(tr("strengths.results_below"), icon=":material/arrow_downward:")
elif not notices.nothing_to_show(lowest):
    key = ("lowest", filters, focus, compare, threshold, lang)
    bars = cache.figure(key, lambda: charts.lowest_criteria(lowest, lang, threshold, tables.criterion_names()))
    link.open_criterion(plots.plot(bars, key="lowest_chart"), threshold=threshold)
    picked = st.dataframe(  # a click on a bar or a row opens the criterion's agencies on the Criteria page
        tables.named(
            lowest[
                ["criterion", "share_below_pct", "agencies_assessed", "agencies_not_assessed", "mean_pct", "median_pct"]
            ]
        ),  # the share below and the counts it is out of first, the averages after them
        hide_index=True,
        column_config=tables.fit(criterion_name=260, share_below_pct=130, mean_pct=120, median_pct=120),
        key="lowest_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    link.open_criterion(picked, lowest["criterion"].tolist(), threshold=threshold)
    st.caption(f"{narrative.lowest_note(lowest, threshold, lang)} {tr('strengths.click')}")

st.header(tr("strengths.results_title"), anchor="results")
results = cache.section(sections.result_stats, filters, threshold)
if not notices.nothing_to_show(results):
    key = ("items", filters, threshold, lang)
    plots.plot(cache.figure(key, lambda: charts.result_items(results, lang, tables.criterion_names())))
    if base is not None and base != compare:
        st.subheader(tr("strengths.results_change", base=year(base), compare=year(compare)))
        st.caption(tr("strengths.share_below_caption", threshold=threshold))
        st.dataframe(
            tables.named(cache.section(sections.result_items, filters, base, compare, threshold)),
            hide_index=True,
            column_config=tables.fit(tables.by_year(base, compare), criterion_name=240),
        )
