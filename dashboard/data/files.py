"""Writing files so that a reader never sees half of one and a failed write leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from dashboard.errors import DataError


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file beside `path`, then rename it into place.

    The temporary name starts with a dot and ends in .tmp, so the data-folder scan (which skips
    hidden files and reads only *.parquet) never picks up a file that is still being written.
    """
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder; give the name of a file to write")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; an export is for sharing
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def output_path(text: str, force: bool = False) -> Path:
    """The file a command was asked to write, refused before any work when it names a folder, lies in
    a folder that does not exist, or would replace a file without `force` (--force)."""
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise DataError(
            f"{text} is a folder; give the name of a file to write (for example {path / 'out'}{path.suffix})"
        )
    if not path.parent.is_dir():
        raise DataError(f"{text}: folder {path.parent} does not exist")
    if path.exists() and not force:
        raise DataError(f"{text} already exists; add --force to replace it")
    return path
