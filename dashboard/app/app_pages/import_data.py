"""Import: upload a CSV or XLSX, see every problem or a preview; write only when the app allows it."""

import os
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.app import ui
from dashboard.data import actions, importer
from dashboard.data import store as delta
from dashboard.errors import DataError

st.title(ui.tr("import.title"))
allowed = os.environ.get("PMQA_ALLOW_IMPORT") == "1" and ui.store().access.may("import")
if not allowed:
    st.info(ui.tr("import.disabled"), icon=":material/lock:")
elif not ui.store().is_store:
    allowed = False
    st.info(ui.tr("import.not_store"), icon=":material/lock:")

upload = st.file_uploader(ui.tr("import.upload"), type=["csv", "xlsx"])
year = st.number_input(
    ui.tr("import.year"), min_value=2400, max_value=2800, value=None, step=1, help=ui.tr("import.year_help")
)
if upload is None:
    ui.stop()

with tempfile.TemporaryDirectory() as scratch:
    path = Path(scratch) / ("upload" + Path(upload.name).suffix.lower())  # never the user's name as a path
    path.write_bytes(upload.getvalue())
    sheets = importer.sheet_names(path)
    sheet = st.selectbox(
        ui.tr("import.sheet"),
        [None, *sheets],
        format_func=lambda s: s or ui.tr("import.all_sheets"),
        disabled=not sheets,
    )
    try:
        with st.spinner(ui.tr("import.checking")):
            prepared = importer.prepare([path], ui.data_dir(), int(year) if year else None, sheet, [upload.name])
    except DataError as exc:  # a file past the import's limits is refused here, before it is read
        st.error(ui.escape(str(exc)))  # the file's own name and headers in it: never Markdown
        ui.stop()

if not prepared.ok:
    st.error(ui.tr("import.problems", n=prepared.total_problems))
    st.dataframe(prepared.problems_frame(), hide_index=True)
    ui.stop()

if prepared.notices:
    st.warning("\n".join([ui.tr("import.notices"), *(f"- {ui.escape(n)}" for n in prepared.notices)]))
done = prepared.summary()
st.success(
    ui.tr("import.valid", years=", ".join(map(str, done["years"])), agencies=done["agencies"], rows=f"{done['rows']:,}")
)
st.dataframe(prepared.table.slice(0, 200).to_pandas(), hide_index=True, column_config=ui.columns())
replace = st.checkbox(ui.tr("import.replace"), disabled=not allowed)
if st.button(ui.tr("import.write"), disabled=not allowed, type="primary"):
    try:
        lines = actions.import_prepared(prepared, ui.data_dir(), replace, ui.store().access, "app", [upload.name])
    except DataError as exc:
        st.error(str(exc))
        ui.stop()
    for line in lines:
        st.write(line)
    st.success(ui.tr("import.written", folder=ui.data_dir().name, version=delta.version_of(ui.data_dir())))
