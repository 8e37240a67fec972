"""The one door for what a person does beyond reading a page: check their role allows it, record it in
the audit trail, then act. The app and the command line both come through here, so each action has
one place where its right is checked and its audit line written.

- export and brief: the views' `sections.table` and the outputs' `pack.to_bytes` call `permit`
  (the rows and the brief are built there);
- import, restore and history: the functions below, around the store's own.

A query's role check (criterion-level rows) is the Store's own, on every query (db.Store).
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data import audit, delta
from dashboard.data.access import Access

# What each action needs of the person's role (access.ACTIONS), and whether it is recorded: what
# leaves the data (exports, briefs) or changes it (imports, restores) is; reading the history is not.
NEEDS = {"export": "export", "brief": "see", "import": "import", "restore": "import", "history": "history"}
RECORDED = frozenset({"export", "brief", "import", "restore"})


def permit(action: str, person: Access, via: str, **details) -> None:
    """Refuse an action the person's role does not allow (AccessDenied); record one that it does,
    before it runs (an action whose line cannot be written does not happen)."""
    person.require(NEEDS[action])
    if action in RECORDED:
        audit.record(action, person, via, **details)


def import_prepared(prepared, location: Path, replace: bool, person: Access, via: str, files: list[str]) -> list[str]:
    """Commit a checked import (importer.prepare) to the store; what was done, line by line."""
    from dashboard.data import importer

    permit("import", person, via, files=files, years=prepared.summary()["years"], replace=replace)
    return importer.write(prepared, location, replace)


def restore(location: Path, version: int, person: Access, via: str) -> int:
    """Make an earlier version current again, as a new version; its number."""
    location = Path(location)
    if delta.is_store(location):  # anything else is refused by the store, with the reason, unrecorded
        permit("restore", person, via, store=location.resolve().name, version=version)
    return delta.restore(location, version)


def history(location: Path, person: Access) -> list[dict]:
    """The store's versions, newest first."""
    permit("history", person, "")
    return delta.history(location)
