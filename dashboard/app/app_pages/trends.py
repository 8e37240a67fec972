"""Category trends: every year, each category's mean and spread, and who was counted."""

import streamlit as st

from dashboard.app import cache, language, link, notices, plots, sidebar
from dashboard.app.language import tr, year
from dashboard.outputs import charts
from dashboard.views import formatting as fmt
from dashboard.views import sections

lang = language.code()
base, compare = sidebar.pair()
st.title(tr("trends.title"))
like = st.toggle(tr("like_for_like"), key="trend_like", help=tr("trends.like_help"))
filters = sidebar.filters()

shown = cache.section(sections.trends, filters, base, compare)
stats = shown["stats"]
if notices.nothing_to_show(stats):
    link.stop()
if stats.fiscal_year.nunique() < 2:
    st.info(tr("empty.one_year"), icon=":material/info:")

if (change := shown["change"]) is not None:  # both years of the pair have results
    notices.comparability(base, compare)
    years = dict(base=year(base), compare=year(compare))
    cols = st.columns(3)
    cols[0].metric(tr("trends.change_all", **years), fmt.pp(change["all_agencies_pts"], lang))
    cols[1].metric(
        tr("trends.change_lfl", **years), fmt.pp(change["like_for_like_pts"], lang), help=tr("like_for_like.help")
    )
    cols[2].metric(
        tr("trends.change_composition", joined=int(change["agencies_joined"]), left=int(change["agencies_left"])),
        fmt.pp(change["composition_pts"], lang),
        help=tr("trends.composition_help"),
    )

chosen = (filters, lang)  # what the charts below depend on, besides the data version
trend = cache.figure(
    ("trend", *chosen, like, compare),
    lambda: charts.category_trend_lines(
        stats, lang, like_for_like=like, overall=shown["overall"], cutoffs=plots.cutoffs(compare)
    ),
)
link.open_category(plots.plot(trend, key="trend"))
if like:
    st.caption(tr("trends.lfl_caption", n=int(stats.like_for_like_agencies.max())))
plots.plot(cache.figure(("spread", *chosen), lambda: charts.category_spread(stats, lang)))
plots.plot(cache.figure(("counts", *chosen), lambda: charts.agency_counts(shown["counts"], lang)))
