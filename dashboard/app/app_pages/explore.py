"""Explore and export, for analysts: filter, look at the table, download exactly what is shown."""

import streamlit as st

from dashboard.app import agencies, cache, files, link, notices, sidebar, tables
from dashboard.app.language import category, code, labels, tr, year
from dashboard.outputs import export
from dashboard.views import sections
from dashboard.views.formatting import MISSING  # an empty cell, never "None"

SHOWN_ROWS = 1_000
st.title(tr("explore.title"))
data = cache.current()
base, compare = sidebar.pair()

# A viewer reads agencies' category percentages; criterion-level rows are for analysts.
levels = [v for v in sections.EXPORT_QUERIES if v == "agency" or data.access.may("rows")]
link.start("level", levels, levels[0])
left, middle, right = st.columns(3)
level = left.radio(
    tr("explore.level"),
    levels,
    horizontal=True,
    key="level",
    format_func=labels(sections.EXPORT_QUERIES, lambda v: tr(f"level.{v}")),
)
st.session_state.setdefault("years", [compare] if compare else [])
years = middle.multiselect(
    tr("explore.years"),
    data.years(),
    key="years",
    format_func=labels(data.years(), year),
    placeholder=tr("filter.all"),
)
categories = right.multiselect(
    tr("explore.categories"),
    list(range(1, 8)),
    key="cats",
    format_func=labels(range(1, 8), category),
    placeholder=tr("filter.all"),
)
chosen = agencies.pick_many(sidebar.filters())
filters = sidebar.filters(years=tuple(years), categories=tuple(categories), agencies=tuple(chosen))

shown, rows, agency_count = cache.section(sections.window, level, SHOWN_ROWS, filters)
if notices.nothing_to_show(shown):
    link.stop()
st.caption(tr("explore.rows", rows=f"{rows:,}", agencies=f"{agency_count:,}"))
if rows > SHOWN_ROWS:  # a person reads a window; the downloads below hold every row
    st.caption(tr("explore.window", shown=f"{SHOWN_ROWS:,}", rows=f"{rows:,}"))
st.dataframe(tables.readable(shown), hide_index=True, column_config=tables.columns(), placeholder=MISSING, height=480)

if not files.downloads_offered(data):
    link.stop()
about = export.describe(filters, level, data.version_label, data.synthetic)
reading = cache.section(sections.reading, level, filters, code())  # the XLSX in the reader's language
stem = export.file_stem(filters, level, data.synthetic)
cols = st.columns(len(export.FORMATS))
for col, suffix in zip(cols, export.FORMATS, strict=True):  # every row, not the window shown
    files.export_button(col, data, (level, filters, about, reading), suffix, rows, stem + suffix, export.MIME[suffix])
