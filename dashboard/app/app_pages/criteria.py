"""Criteria workbench, for the working group: which criteria agencies cannot meet, which they seem not
to understand, which no longer separate strong agencies from weak ones; and, for a criterion, the
agencies below the threshold (for a role that may read criterion-level rows)."""

import functools
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.app import cache, files, language, link, notices, plots, sidebar, tables
from dashboard.app.language import category, escape, labels, tr, year
from dashboard.app.threshold import threshold_slider
from dashboard.outputs import charts, export
from dashboard.views import formatting as fmt
from dashboard.views import sections

MIN_AGENCIES = 10  # the workbench's correlations need this many agencies (criterion_item_stats_by_year.sql)
# The numbers before the reason, a long sentence a reader opens when the numbers raise a question.
COLUMNS = ["criterion", "criterion_name", "flag", "below_share", "mean_pct", "discrimination", "ceiling_share"]
COLUMNS += ["delta_pts", "base_mean_pct", "assessed", "category", "reason"]
WITH_BASE = ("delta_pts", "base_mean_pct")

lang = language.code()
base, compare = sidebar.pair()
base = base if base != compare else None  # one year: no change to show
st.title(tr("criteria.title"))
filters = sidebar.filters()
data = cache.current()

threshold = threshold_slider("criteria.threshold_help")
work = cache.section(sections.workbench, compare, base, threshold, filters, lang)
cuts = work["cuts"]
st.caption(tr("criteria.cuts", threshold=threshold, **cuts))
crit = pd.DataFrame(work["criteria"])
if notices.nothing_to_show(crit):
    link.stop()

most = int(crit["assessed"].max())
if most < MIN_AGENCIES:  # no criterion can have a discrimination: the chart would be empty
    st.info(tr("criteria.too_few", n=MIN_AGENCIES, agencies=most), icon=":material/info:")

CATS = list(range(0, 8))  # 0: every category
link.start("crit_cat", CATS, 0)
left, right = st.columns(2)
cat = left.selectbox(
    tr("criteria.category"),
    CATS,
    key="crit_cat",
    format_func=labels(CATS, lambda c: category(c) if c else tr("filter.all")),
)
flags = right.multiselect(
    tr("criteria.flags"),
    sections.FLAGS,
    key="crit_flags",
    format_func=labels(sections.FLAGS, lambda f: tr(f"criteria.flag.{f}")),
    placeholder=tr("filter.all"),
)
shown = crit[crit["category"] == cat] if cat else crit
shown = shown[shown["flag"].isin(flags)] if flags else shown
if notices.nothing_to_show(shown, "criteria.none_match"):
    link.stop()

if most >= MIN_AGENCIES:
    chosen = (filters, compare, base, threshold, cat, tuple(flags), lang)
    fig = cache.figure(
        ("criteria_map", *chosen), lambda: charts.criteria_map(shown, lang, threshold, cuts["discrimination_cut"])
    )
    plots.plot(fig, key="crit_map", on_select=functools.partial(link.choose, "crit_map", "criterion"))
    undrawn = int(shown["discrimination"].isna().sum())
    st.caption(tr("criteria.map_note") + (" " + tr("criteria.undrawn", n=undrawn) if undrawn else ""))

table = shown.rename(columns={"name": "criterion_name"}).assign(
    flag=shown["flag"].map(lambda f: tr(f"criteria.flag.{f}"))
)
st.dataframe(  # a click on a row opens its agencies below
    table[[c for c in COLUMNS if base is not None or c not in WITH_BASE]],
    hide_index=True,
    column_config=tables.columns(),
    key="crit_table",
    on_select=functools.partial(link.choose, "crit_table", "criterion", shown["criterion"].tolist()),
    selection_mode="single-row",
)
st.caption(tr("criteria.click"))

st.subheader(tr("criteria.alpha_title", year=year(compare)))
alphas = work["categories"]
for col, a in zip(st.columns(max(len(alphas), 1)), alphas, strict=False):
    col.metric(
        tr("category.short", n=a["category"]),
        fmt.MISSING if a["alpha"] is None else f"{a['alpha']:.2f}",
        help=tr("criteria.alpha_help", agencies=a["agencies"]),
    )

picked = st.session_state.get("criterion")
if picked is not None and picked not in set(crit["criterion"]):
    st.warning(tr("criteria.not_found", code=escape(picked), year=year(compare)), icon=":material/link_off:")
    del st.session_state["criterion"]
    picked = None
if picked is None:
    link.stop()

name = escape(crit.loc[crit["criterion"] == picked, "name"].iloc[0])  # the data's own names are text, not markup
heading = tr("criteria.below_title", criterion=escape(picked), name=name, threshold=threshold, year=year(compare))
st.header(heading, anchor="below")
if not data.access.may("rows"):  # criterion-level rows of agencies are for analysts
    st.caption(tr("criteria.no_rows"))
    link.stop()
below = pd.DataFrame(
    cache.section(sections.agencies_below, compare, picked, threshold, base, filters)["agencies"],
    columns=sections.BELOW_COLUMNS,
)
if notices.nothing_to_show(below, "criteria.none_below", threshold=threshold):
    link.stop()
names = cache.shared(sections.agency_labels, filters, f"agency_name_{lang}")
groups = sidebar.group_names()
below = below.assign(
    agency_name=below["agency_code"].map(names).fillna(below["agency_name"]),
    agency_group=below["agency_group"].map(groups).fillna(below["agency_group"]),
)
st.dataframe(
    tables.readable(below),
    hide_index=True,
    column_config=tables.columns(),
)

if not files.downloads_offered(data):
    link.stop()
level = f"below-{picked}-{threshold}pct"
about = export.describe(replace(filters, years=(compare,)), level, data.version_label, data.synthetic)
stem = export.file_stem(replace(filters, years=(compare,)), level, data.synthetic)
for col, suffix in zip(st.columns(2), (".csv", ".xlsx"), strict=True):
    col.download_button(
        tr("explore.download", fmt=suffix[1:].upper()),
        data=lambda f=suffix: files.below_bytes(data, compare, picked, threshold, base, filters, f, about),
        file_name=stem + suffix,
        mime=export.MIME[suffix],
        on_click="ignore",
        width="stretch",
        key=f"below{suffix}",
    )
