"""The audit trail: sign-ins, exports, briefs, imports and restores, with who, when and what selection.

One JSON object per line, appended to `audit.jsonl` in the folder the admin chooses (`pmqa run
--audit-dir DIR`, or $PMQA_AUDIT_DIR), else the user's state folder ($XDG_STATE_HOME/pmqa, else
~/.local/state/pmqa). Each line is written with one append under a lock, so lines from the app's
threads and from command-line processes never interleave. An action whose line cannot be written
does not happen: an unrecorded export is what an audit trail exists to prevent.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from dashboard.data.access import Access
from dashboard.data.contract import printable_json, unicode_name
from dashboard.errors import DataError

FILE = "audit.jsonl"


def folder() -> Path:
    explicit = os.environ.get("PMQA_AUDIT_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "pmqa"


def _plain(value):
    """A selection as JSON: dataclasses (Filters) as their fields, paths and sets as text and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return unicode_name(value)  # a file name's bytes that are not UTF-8 cannot be written as they are
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def record(event: str, person: Access, via: str, **details) -> None:
    """Append one line: the time (UTC), the event, who (and their role and scope; for a signed-in
    person the ID token's subject and issuer, which an e-mail alone does not trace), from where
    (app or command line) and the details (the selection, the file, the version)."""
    account = {"sub": person.subject, "iss": person.issuer} if person.subject or person.issuer else {}
    line = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "event": event,
        "who": person.who,
        **account,
        "role": person.role,
        "scope": _plain(person.scope),
        "via": via,
        **_plain(details),
    }
    # Thai stays readable; controls are written as escapes (a terminal reading the log obeys them).
    _append((printable_json(json.dumps(line, ensure_ascii=False)) + "\n").encode("utf-8"))


def check() -> None:
    """Refuse now, as `record` would, when the audit log cannot be written: for an action that
    cannot say so later (a download runs outside the page that offers it)."""
    _append(b"")


def _append(data: bytes) -> None:
    target = folder()
    try:
        target.mkdir(parents=True, exist_ok=True)
        fd = os.open(target / FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        raise DataError(f"cannot write the audit log in {target} ({exc.strerror}); nothing was done") from None


def read(path: Path | None = None) -> list[dict]:
    """Every line of the audit log, oldest first (empty when there is none)."""
    path = path or folder() / FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
