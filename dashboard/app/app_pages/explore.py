"""Explore and export, for analysts: filter, look at the table, download exactly what is shown."""

import streamlit as st

from dashboard.app import signin, ui
from dashboard.outputs import export
from dashboard.views import sections

SHOWN_ROWS = 1_000
st.title(ui.tr("explore.title"))
store = ui.store()
base, compare = ui.pair()
names = ui.agency_labels(ui.filters())

# A viewer reads agencies' category percentages; criterion-level rows are for analysts.
levels = [v for v in sections.EXPORT_QUERIES if v == "agency" or store.access.may("rows")]
ui.start("level", levels, levels[0])
left, middle, right = st.columns(3)
level = left.radio(
    ui.tr("explore.level"),
    levels,
    horizontal=True,
    key="level",
    format_func=ui.labels(sections.EXPORT_QUERIES, lambda v: ui.tr(f"level.{v}")),
)
st.session_state.setdefault("years", [compare] if compare else [])
years = middle.multiselect(
    ui.tr("explore.years"),
    store.years(),
    key="years",
    format_func=ui.labels(store.years(), ui.year),
    placeholder=ui.tr("filter.all"),
)
categories = right.multiselect(
    ui.tr("explore.categories"),
    list(range(1, 8)),
    key="cats",
    format_func=ui.labels(range(1, 8), ui.category),
    placeholder=ui.tr("filter.all"),
)
chosen = st.multiselect(
    ui.tr("explore.agencies"),
    ui.agency_options(ui.filters(), st.session_state.get("agencies") or [], "agencies"),
    key="agencies",
    format_func=names.get,
    placeholder=ui.tr("filter.all"),
)
filters = ui.filters(years=tuple(years), categories=tuple(categories), agencies=tuple(chosen))

shown, rows, agency_count = ui.window(sections.EXPORT_QUERIES[level], SHOWN_ROWS, filters)
if ui.nothing_to_show(shown):
    ui.stop()
st.caption(ui.tr("explore.rows", rows=f"{rows:,}", agencies=agency_count))
if rows > SHOWN_ROWS:  # a person reads a window; the downloads below hold every row
    st.caption(ui.tr("explore.window", shown=f"{SHOWN_ROWS:,}", rows=f"{rows:,}"))
st.dataframe(ui.readable(shown), hide_index=True, column_config=ui.columns(), height=480)

if not store.access.may("export"):
    st.caption(ui.tr("access.no_export"))
    ui.stop()
if not signin.recordable():  # an unrecorded export does not happen: say so here, not by a dead button
    st.error(ui.tr("explore.audit_broken"), icon=":material/lock:")
    ui.stop()
about = export.describe(filters, level, store.version_label, store.synthetic)
stem = export.file_stem(filters, level, store.synthetic)
cols = st.columns(len(export.FORMATS))
for col, fmt in zip(cols, export.FORMATS, strict=True):
    col.download_button(
        ui.tr("explore.download", fmt=fmt[1:].upper()),
        data=lambda f=fmt: ui.export_bytes(store, level, filters, f, about),  # every row, on click
        file_name=stem + fmt,
        mime=export.MIME[fmt],
        on_click="ignore",
        width="stretch",
    )
