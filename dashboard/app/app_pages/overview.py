"""Overview, for executives: one year against another, in numbers, one chart and a few sentences."""

import streamlit as st

from dashboard.app import ui
from dashboard.errors import DataError
from dashboard.outputs import brief, charts, pack
from dashboard.views import formatting as fmt
from dashboard.views import narrative

lang = ui.lang()
base, compare = ui.pair()
st.title(ui.tr("overview.title"))
like = st.toggle(ui.tr("like_for_like"), key="like", help=ui.tr("like_for_like.help"))
filters = ui.filters()

if base is None or base == compare:
    st.info(ui.tr("empty.one_year" if len(ui.store().years()) < 2 else "empty.same_year"), icon=":material/info:")
    ui.stop()

summary = ui.summary(base, compare, like, filters)
if summary["agencies"]["compare"] == 0 and summary["agencies"]["base"] == 0:
    ui.nothing_to_show(None)
    ui.stop()

ui.comparability(base, compare)
st.markdown(f"**{narrative.summary_text(summary, lang)}**")

overall, agencies = summary["overall"], summary["agencies"]
cols = st.columns(3)
cols[0].metric(
    ui.tr("kpi.agencies", year=ui.year(compare)),
    fmt.count(agencies["compare"]),
    delta=fmt.count_change(agencies["compare"] - agencies["base"]),
    delta_color="off",
)
cols[1].metric(
    ui.tr("kpi.mean_pct", year=ui.year(compare)),
    fmt.pct(overall["compare_mean_pct"]),
    delta=fmt.pp(overall["delta_pts"], lang),
)
cols[2].metric(
    ui.tr("kpi.mean_points", year=ui.year(compare)),
    fmt.score(overall["compare_mean_points"], overall["compare_max_points"]),
    delta=fmt.score_change(overall["points_change"], lang),
)

levels = ui.query("level_share_by_year", ui.filters(years=(base, compare)), like_for_like=like)
now = levels[levels.fiscal_year == compare]
for col, level in zip(st.columns(len(now)), now.itertuples(), strict=True):
    label = getattr(level, f"label_{lang}") if level.level_rank else ui.tr("level.below")
    col.metric(
        ui.tr("kpi.level_share", level=label),
        fmt.pct(level.share_pct),
        delta=fmt.pp(level.share_change_pts, lang),
        delta_color="off",
    )

cats = ui.query("category_mean_pct_by_year_pair", filters, base_year=base, compare_year=compare, like_for_like=like)
shown = (filters, like, base, compare, lang)  # what the charts depend on, besides the data version
dumbbell = ui.figure(("dumbbell", *shown), lambda: charts.category_dumbbell(cats, summary, lang, ui.cutoffs(compare)))
ui.open_category(ui.plot(dumbbell, key="dumbbell"))
st.caption(ui.tr("overview.click"))
ui.plot(ui.figure(("levels", *shown), lambda: charts.level_shares(levels, lang)))
st.caption(ui.tr("overview.note"))

with st.expander(ui.tr("brief.button"), icon=":material/picture_as_pdf:"):
    fmt_choice = st.segmented_control(ui.tr("brief.format"), list(pack.FORMATS), key="brief_fmt", default=".pdf")
    chosen = brief.Selection(base, compare, filters, like, lang)
    if st.button(ui.tr("brief.make"), key="brief_make", icon=":material/description:") and fmt_choice:
        bar = st.progress(0.0)
        try:
            made = pack.to_bytes(ui.store(), chosen, fmt_choice, lambda done, text: bar.progress(done, text))
            st.session_state["_brief"] = (chosen, fmt_choice, made)
        except DataError as exc:
            st.error(ui.tr("brief.failed", error=exc))
    kept = st.session_state.get("_brief")
    if kept and kept[:2] == (chosen, fmt_choice):  # only the brief of what is on screen
        st.download_button(
            ui.tr("brief.download", fmt=fmt_choice[1:].upper()),
            data=kept[2],
            file_name=f"pmqa_brief_{base}_{compare}_{lang}{'_synthetic' if ui.store().synthetic else ''}{fmt_choice}",
            mime=pack.MIME[fmt_choice],
            key="brief_download",
            on_click="ignore",
        )
