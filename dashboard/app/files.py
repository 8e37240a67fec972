"""What leaves or enters the app as a file: a table downloaded from Explore, a spreadsheet uploaded
on the Import page. Each goes through the data layer's door (dashboard/data/actions.py), which checks
the person's right and records it before it acts."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from dashboard.app import cache, signin
from dashboard.app.language import escape, tr
from dashboard.data import actions, delta, importer
from dashboard.errors import DataError
from dashboard.views import sections


def downloads_offered(data) -> bool:
    """Whether a page offers its downloads; when not, it says why: the person's role has no exports,
    or the audit trail cannot be written (an unrecorded export does not happen: said here, not by a
    dead button)."""
    if not data.access.may("export"):
        st.caption(tr("access.no_export"))
        return False
    if not signin.recordable():
        st.error(tr("explore.audit_broken"), icon=":material/lock:")
        return False
    return True


# Above this many rows an XLSX takes seconds to write (about 2 s at 672,000 rows): it is made with a
# progress bar first, then downloaded. CSV and Parquet take about a second at that size.
MADE_FIRST_ROWS = 50_000


def export_bytes(
    data, level: str, filters: sections.Filters, suffix: str, about: dict, reading: dict, progress=None
) -> bytes:
    """Every row of a table as a file, for a download: allowed by the person's role (the views
    refuse it otherwise) and written to the audit trail before a byte leaves, as `pmqa export` does.
    DuckDB writes the file to a temporary folder from the kept file, on a connection of its own that
    is closed after, so the server holds the file's bytes, never the table, and none of the memory
    the writing took; an XLSX tells `progress` the rows written so far.
    Takes the page's data: Streamlit runs a deferred download outside the session, where no one is
    signed in."""
    import functools

    from dashboard.outputs import export

    if suffix != ".xlsx":  # DuckDB's COPY, as `pmqa export` writes it: refused or recorded there
        return export.copied_bytes(
            functools.partial(sections.copied, data, level, filters, via="app", format=suffix), suffix, about
        )
    with sections.rows(data, level, filters, via="app", format=suffix) as rows:  # refused or recorded there
        # written to a file by DuckDB, as `pmqa export` writes; only an XLSX reads in words
        return export.to_bytes(rows, suffix, about, reading, progress)


def export_button(col, data, table: tuple, suffix: str, rows: int, file_name: str, mime: str) -> None:
    """A download of every row of `table` (level, filters, about, reading) in one format. A small file
    is written when the button is clicked. A large XLSX is made first, on the page, with a progress
    bar of the rows written (a deferred download runs in a thread of its own, where Streamlit draws
    nothing), then offered; one made file is kept per session, for the view it was made for."""
    level, filters, about, reading = table
    label = tr("explore.download", fmt=suffix[1:].upper())
    if suffix != ".xlsx" or rows <= MADE_FIRST_ROWS:
        content = lambda: export_bytes(data, level, filters, suffix, about, reading)  # noqa: E731 (on click)
        col.download_button(label, content, file_name, mime, on_click="ignore", width="stretch")
        return
    _made_first(col, data, table, suffix, rows, file_name, mime, label)


def _made_first(col, data, table: tuple, suffix: str, rows: int, file_name: str, mime: str, label: str) -> None:
    """A large XLSX: refused up front past a sheet's rows; else made with a progress bar, kept with the
    view it was made for (its rows, language and about sheet), then offered."""
    from dashboard.outputs.workbook import XLSX_MAX_ROWS

    if rows > XLSX_MAX_ROWS:  # said before any row is written, not after a million
        col.button(label, width="stretch", disabled=True, help=tr("explore.xlsx_too_long", rows=f"{XLSX_MAX_ROWS:,}"))
        return
    level, filters, about, reading = table
    view = (data.key, level, filters, about, reading, suffix, file_name)  # about and reading: its words
    made = st.session_state.get("made_export")
    if made is not None and made[0] == view:
        col.download_button(label, made[1], file_name, mime, on_click="ignore", width="stretch", type="primary")
        return
    if col.button(tr("explore.make", fmt=suffix[1:].upper()), width="stretch", help=tr("explore.make_help")):
        st.session_state.pop("made_export", None)  # the last file made goes before the next is written
        bar = st.progress(0.0, text=tr("explore.writing", written="0", rows=f"{rows:,}"))

        def written(count: int) -> None:
            bar.progress(min(count / rows, 1.0), text=tr("explore.writing", written=f"{count:,}", rows=f"{rows:,}"))

        try:
            content = export_bytes(data, level, filters, suffix, about, reading, written)
        except DataError as exc:  # the data changed under the page, the audit trail failed: said, not a traceback
            bar.empty()
            st.error(escape(str(exc)), icon=":material/error:")
            return
        st.session_state["made_export"] = (view, content)
        st.rerun()


def below_bytes(data, year: int, criterion: str, threshold: int, base, filters, suffix: str, about: dict) -> bytes:
    """The agencies below a criterion as a file, through the same door as `export_bytes`."""
    from dashboard.outputs import export

    table = sections.below_table(data, year, criterion, threshold, base, filters, via="app", format=suffix)
    return export.to_bytes(table, suffix, about)


@contextlib.contextmanager
def uploaded(upload) -> Iterator[Path]:
    """An uploaded file on disk while it is read, under a name of ours (never the user's as a path)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / ("upload" + Path(upload.name).suffix.lower())
        path.write_bytes(upload.getvalue())
        yield path


def sheet_names(path: Path) -> list[str]:
    return importer.sheet_names(path)


def check(path: Path, year: int | None, sheet: str | None, name: str):
    """The upload read and checked with `pmqa import`'s rules (importer.prepare), nothing written."""
    return importer.prepare([path], cache.data_dir(), year, sheet, [name])


def write(prepared, replace: bool, name: str) -> tuple[list[str], int]:
    """Commit a checked upload to the store, as the signed-in person: what was done, and the version."""
    lines = actions.import_prepared(prepared, cache.data_dir(), replace, cache.current().access, "app", [name])
    return lines, delta.version_of(cache.data_dir())
