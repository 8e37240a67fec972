"""Overview, for executives: one year against another, in numbers, one chart and a few sentences."""

import streamlit as st

from dashboard.app import briefs, cache, cards, language, link, notices, plots, sidebar, tables
from dashboard.app.language import tr, year
from dashboard.outputs import charts
from dashboard.views import formatting as fmt
from dashboard.views import narrative, sections

lang = language.code()
base, compare = sidebar.pair()
st.title(tr("overview.title"))
like = st.toggle(tr("like_for_like"), key="like", help=tr("like_for_like.help"))
filters = sidebar.filters()
data = cache.current()

if base is None or base == compare:
    st.info(tr("empty.one_year" if len(data.years()) < 2 else "empty.same_year"), icon=":material/info:")
    link.stop()

shown = cache.section(sections.overview, base, compare, like, filters)
summary, levels = shown["summary"], shown["levels"]
if summary["agencies"]["compare"] == 0 and summary["agencies"]["base"] == 0:
    notices.nothing_to_show(None)
    link.stop()

notices.comparability(base, compare, summary["criteria_changed"])
st.markdown(f"**{narrative.summary_text(summary, lang)}**")

overall, agencies = summary["overall"], summary["agencies"]
cards.style()
cols = [cards.row("key_numbers")] * 3
cols[0].metric(
    tr("kpi.agencies", year=year(compare)),
    fmt.count(agencies["compare"]),
    delta=fmt.count_change(agencies["compare"] - agencies["base"]),
    delta_color="off",
)
cols[1].metric(
    tr("kpi.mean_pct", year=year(compare)),
    fmt.pct(overall["compare_mean_pct"]),
    delta=fmt.pp(overall["delta_pts"], lang),
)
cols[2].metric(
    tr("kpi.mean_points", year=year(compare)),
    fmt.score(overall["compare_mean_points"], overall["compare_max_points"]),
    delta=fmt.score_change(overall["points_change"], lang),
)

now = levels[levels.fiscal_year == compare]
for col, level in zip([cards.row("level_cards")] * len(now), now.itertuples(), strict=True):
    label = getattr(level, f"label_{lang}") if level.level_rank else tr("level.below")
    col.metric(
        tr("kpi.level_share", level=label),
        fmt.pct(level.share_pct),
        delta=fmt.pp(level.share_change_pts, lang),
        delta_color="off",
        help=tr("kpi.level_share_help", year=year(compare), base=year(base)),
    )

chosen = (filters, like, base, compare, lang)  # what the charts depend on, besides the data version
dumbbell = cache.figure(
    ("dumbbell", *chosen),
    lambda: charts.category_dumbbell(shown["categories"], summary, lang, plots.cutoffs(compare)),
)
link.open_category(plots.plot(dumbbell, key="dumbbell"))
st.caption(tr("overview.click"))
st.dataframe(**tables.category_change(shown["categories"], base, compare))
plots.plot(cache.figure(("levels", *chosen), lambda: charts.level_shares(levels, lang)))
st.caption(tr("overview.note"))

briefs.offer(data, base, compare, filters, like, lang)
