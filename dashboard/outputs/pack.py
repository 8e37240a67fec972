"""Make the meeting pack: a brief for a selection, written as PDF, PowerPoint or Excel, with progress
for a person waiting. The command line and the Overview page both call `make`."""

from __future__ import annotations

from pathlib import Path

from dashboard.data import actions
from dashboard.data.db import Store
from dashboard.data.files import atomic_write
from dashboard.errors import DataError
from dashboard.outputs import brief, brief_pdf, brief_pptx, brief_xlsx, images
from dashboard.views.i18n import t

FORMATS = {".pdf": brief_pdf.render, ".pptx": brief_pptx.render, ".xlsx": brief_xlsx.render}
MIME = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_target(path: Path) -> str:
    """The format a file name asks for, or a clear refusal (before any work is done)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DataError(f"{path}: a brief is .pdf, .pptx or .xlsx, not {suffix or 'a file without an extension'}")
    if not Path(path).parent.is_dir():
        raise DataError(f"{path}: folder {Path(path).parent} does not exist")
    return suffix


def to_bytes(
    store: Store,
    selection: brief.Selection,
    fmt: str,
    progress: brief.Progress | None = None,
    via: str = "app",
    scenarios: tuple[brief.Scenario, ...] = (),
) -> bytes:
    """The brief's file, as bytes (what a download button serves), of what the store's person may
    see, with any scenarios it carries; recorded in the audit trail first."""
    details = {"scenarios": [s.audit() for s in scenarios]} if scenarios else {}
    actions.permit("brief", store.access, via, selection=selection, format=fmt, data=store.version_label, **details)
    step = progress or (lambda fraction, text: None)
    if fmt != ".xlsx":
        images.warm_up()  # the browser starts while the numbers are worked out
    content = brief.build(store, selection, step, scenarios)
    pictures = {}
    if fmt != ".xlsx" and content.figures:  # Excel gets tables, not pictures
        step(0.5, t("brief.step.images", selection.lang))
        if fmt == ".pdf":
            brief_pdf.warm_up()  # WeasyPrint is imported while this thread waits for the charts
        pictures, why = images.draw(content.figures)
        if why:  # the brief is still made: its tables hold every number the charts would show
            content.warnings.append(t("brief.no_images", selection.lang, why=why))
            step(0.85, t("brief.no_images", selection.lang, why=why))
    step(0.85, t("brief.step.write", selection.lang))
    data = FORMATS[fmt](content, pictures)
    step(1.0, t("brief.step.done", selection.lang))
    return data


def make(
    store: Store,
    selection: brief.Selection,
    path: Path,
    progress: brief.Progress | None = None,
    scenarios: tuple[brief.Scenario, ...] = (),
) -> None:
    """Write the brief to path, all or nothing."""
    fmt = check_target(path)
    data = to_bytes(store, selection, fmt, progress, via="cli", scenarios=scenarios)
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
