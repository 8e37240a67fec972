"""Explore and export, for analysts: filter, look at the table, download exactly what is shown."""

import streamlit as st

from dashboard import export, metrics, ui

SHOWN_ROWS = 1_000
st.title(ui.tr("explore.title"))
store = ui.store()
base, compare = ui.pair()
agencies = ui.query("agency_list", ui.filters())
names = {r.agency_code: ui.agency_name(r) for r in agencies.itertuples()}

left, middle, right = st.columns(3)
level = left.radio(
    ui.tr("explore.level"),
    list(metrics.EXPORT_QUERIES),
    horizontal=True,
    key="level",
    format_func=ui.labels(metrics.EXPORT_QUERIES, lambda v: ui.tr(f"level.{v}")),
    bind="query-params",
)
years = middle.multiselect(
    ui.tr("explore.years"),
    store.years(),
    default=[compare] if compare else None,
    key="years",
    format_func=ui.labels(store.years(), ui.year),
    placeholder=ui.tr("filter.all"),
    bind="query-params",
)
categories = right.multiselect(
    ui.tr("explore.categories"),
    list(range(1, 8)),
    key="cats",
    format_func=ui.labels(range(1, 8), ui.category),
    placeholder=ui.tr("filter.all"),
    bind="query-params",
)
chosen = st.multiselect(
    ui.tr("explore.agencies"), list(names), key="agencies", format_func=names.get, placeholder=ui.tr("filter.all")
)
filters = ui.filters(years=tuple(years), categories=tuple(categories), agencies=tuple(chosen))

table = ui.query(metrics.EXPORT_QUERIES[level], filters)
if ui.nothing_to_show(table):
    st.stop()
st.caption(ui.tr("explore.rows", rows=f"{len(table):,}", agencies=table.agency_code.nunique()))
if len(table) > SHOWN_ROWS:  # a person reads a window; the downloads below hold every row
    st.caption(ui.tr("explore.window", shown=f"{SHOWN_ROWS:,}", rows=f"{len(table):,}"))
st.dataframe(table.head(SHOWN_ROWS), hide_index=True, column_config=ui.columns(), height=480)

about = export.describe(filters, level, store.data_dir, store.synthetic)
stem = export.file_stem(filters, level, store.synthetic)
cols = st.columns(len(export.FORMATS))
for col, fmt in zip(cols, export.FORMATS, strict=True):
    col.download_button(
        ui.tr("explore.download", fmt=fmt[1:].upper()),
        data=lambda f=fmt: export.to_bytes(table, f, about),
        file_name=stem + fmt,
        mime=export.MIME[fmt],
        on_click="ignore",
        width="stretch",
    )
