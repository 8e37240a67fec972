"""The store under an operator's faults: a plain copy keeps its history, a damaged log is named, delta-rs's
failures read as one plain line, an interrupted write says whether it landed, and two first imports
never silently replace each other."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from dashboard.data import delta, importer, validation
from dashboard.errors import DataError
from tests.conftest import ROOT, cli, folder_checksum, store_rows, write_tiny_store
from tests.test_store import import_process, results_csv, unreferenced_files

ANSI = re.compile(r"\x1b\[")


def per_year(rows: list[tuple]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    return counts


def one_clear_line(result: subprocess.CompletedProcess) -> str:
    """A refusal as the user sees it: exit 1 and one line on stderr, never a traceback, a Rust
    panic or a colour code."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert not ANSI.search(result.stderr) and "panicked" not in result.stderr, result.stderr
    return lines[0]


# --- 1: a copy made with `cp -r` -----------------------------------------------------------------


def test_a_plain_copy_of_a_store_keeps_every_version_through_import_and_restore(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # run from another folder, still this checkout's code
    write_tiny_store(tmp_path / "store")  # version 0: 2564 and 2565, 3 agencies x 3 criteria each
    # cp -r: every file of the copy is newer than every commit its log records
    assert subprocess.run(["cp", "-r", "store", "copy"], cwd=tmp_path).returncode == 0
    results_csv(tmp_path / "y2566.csv", 2566, 1)  # 1 agency x criteria 1.1 and 7.1

    imported = cli("import", "y2566.csv", "--data", "copy", cwd=tmp_path)  # a relative --data
    assert imported.returncode == 0, imported.stderr
    restored = cli("restore", "--data", "copy", "--version", "0", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr

    copy = tmp_path / "copy"
    assert per_year(store_rows(copy, 0)) == {2564: 9, 2565: 9}
    assert per_year(store_rows(copy, 1)) == {2564: 9, 2565: 9, 2566: 2}
    assert per_year(store_rows(copy)) == {2564: 9, 2565: 9}  # version 2: version 0 again
    assert store_rows(copy, 0) == store_rows(tmp_path / "store", 0)
    assert validation.validate(copy, 1).ok and validation.validate(copy).ok


def test_a_log_that_no_longer_reaches_version_0_keeps_every_data_file(tmp_path):
    """Without the first commits nobody can tell which data files they named: none is deleted."""
    store_dir = write_tiny_store(tmp_path / "store")
    old = sorted(store_dir.glob("fiscal_year=2565/*.parquet"))  # named by version 0 only, after:
    assert cli("import", results_csv(tmp_path / "a.csv", 2565, 1), "--replace", "--data", store_dir).returncode == 0
    # version 1 on its own, as after another tool's log clean-up: a checkpoint of it, then no version 0
    from deltalake import DeltaTable

    DeltaTable(str(store_dir)).create_checkpoint()
    (store_dir / "_delta_log" / "00000000000000000000.json").unlink()
    again = cli("import", results_csv(tmp_path / "b.csv", 2567, 1), "--data", store_dir)
    assert again.returncode == 0, again.stderr
    assert len(old) == 1 and old[0].exists()


# --- 3: a damaged commit file ---------------------------------------------------------------------


def two_versions(tmp_path: Path) -> Path:
    store_dir = write_tiny_store(tmp_path / "store")
    assert cli("import", results_csv(tmp_path / "a.csv", 2566, 3), "--data", store_dir).returncode == 0
    return store_dir


def damage(store_dir: Path, how: str) -> Path:
    latest = store_dir / "_delta_log" / "00000000000000000001.json"
    text = latest.read_bytes()
    if how == "empty":
        latest.write_bytes(b"")
    elif how == "cut mid-line":
        latest.write_bytes(text[: len(text) // 2])
    else:  # cut at a line's end: every line left is whole JSON, but its add action is gone
        lines = text.splitlines(keepends=True)
        latest.write_bytes(b"".join(line for line in lines if b'"add"' not in line).rstrip(b"\n"))
    return latest


@pytest.mark.parametrize(
    ("how", "commands"),
    [
        ("empty", ["summary", "export", "history", "import", "restore", "validate"]),
        ("cut mid-line", ["summary", "history", "import"]),
        ("cut at a line's end", ["export", "restore"]),
    ],
)
def test_a_damaged_latest_commit_is_refused_naming_the_file(tmp_path, how, commands):
    store_dir = two_versions(tmp_path)
    latest = damage(store_dir, how)
    before = folder_checksum(store_dir)
    runs = {
        "summary": ("summary", "--base", 2564, "--compare", 2565, "--data", store_dir),
        "export": ("export", "--out", tmp_path / "out.csv", "--data", store_dir),
        "history": ("history", "--data", store_dir),
        "import": ("import", results_csv(tmp_path / "b.csv", 2567, 1), "--data", store_dir),
        "restore": ("restore", "--data", store_dir, "--version", 0),
        "validate": ("validate", store_dir),
    }
    for command in commands:
        line = one_clear_line(cli(*runs[command]))
        assert str(latest) in line and "version 1 of the store is damaged" in line, (command, line)
        assert folder_checksum(store_dir) == before, command
    assert not (tmp_path / "out.csv").exists()


# --- 19: what delta-rs says, said plainly -------------------------------------------------------


@pytest.fixture
def backtraces_on(monkeypatch):
    """As on a developer's machine: Rust would print a backtrace with a panic."""
    monkeypatch.setenv("RUST_BACKTRACE", "1")


def test_a_write_that_makes_delta_rs_panic_is_one_plain_line(tmp_path, backtraces_on):
    store_dir = write_tiny_store(tmp_path / "store")
    (store_dir / "fiscal_year=2566").write_text("not a folder")  # where the new year's folder must go
    before = folder_checksum(store_dir)
    line = one_clear_line(cli("import", results_csv(tmp_path / "a.csv", 2566, 2), "--data", store_dir))
    assert str(store_dir) in line and "Not a directory" in line and "nothing was written" in line
    assert folder_checksum(store_dir) == before


def test_a_restore_that_delta_rs_cannot_read_is_one_plain_line(tmp_path, backtraces_on):
    store_dir = write_tiny_store(tmp_path / "store")
    replaced = results_csv(tmp_path / "a.csv", 2565, 2)
    assert cli("import", replaced, "--data", store_dir, "--replace").returncode == 0
    shutil.rmtree(store_dir / "fiscal_year=2565")  # version 0's 2565 file is gone, a file in its place
    (store_dir / "fiscal_year=2565").write_text("not a folder")
    before = folder_checksum(store_dir)
    line = one_clear_line(cli("restore", "--data", store_dir, "--version", 0))
    assert line.startswith(f"error: {store_dir}: could not restore version 0 (")
    assert "Not a directory" in line and "nothing was written" in line
    assert folder_checksum(store_dir) == before


def test_a_panic_in_delta_rs_itself_is_one_plain_line(tmp_path, backtraces_on):
    store_dir = write_tiny_store(tmp_path / "store")
    assert cli("import", results_csv(tmp_path / "a.csv", 2566, 1), "--data", store_dir).returncode == 0
    assert cli("restore", "--data", store_dir, "--version", 0).returncode == 0
    # version 0's protocol asks for writer features (as a newer writer would), while version 2's does not
    first = store_dir / "_delta_log" / "00000000000000000000.json"
    first.write_text(first.read_text().replace('"minWriterVersion":2}', '"minWriterVersion":7,"writerFeatures":["x"]}'))
    before = folder_checksum(store_dir)
    line = one_clear_line(cli("restore", "--data", store_dir, "--version", 0))
    assert line.startswith(f"error: {store_dir}: could not restore version 0 (") and "nothing was written" in line
    assert folder_checksum(store_dir) == before


def test_an_unknown_writer_feature_is_named_not_blamed_on_another_writer(tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    assert cli("import", results_csv(tmp_path / "a.csv", 2566, 1), "--data", store_dir).returncode == 0
    first = store_dir / "_delta_log" / "00000000000000000000.json"
    lines = first.read_text().splitlines()
    protocol = {"protocol": {"minReaderVersion": 1, "minWriterVersion": 7, "writerFeatures": ["futureFeature"]}}
    first.write_text("\n".join(json.dumps(protocol) if '"protocol"' in ln else ln for ln in lines))
    before = folder_checksum(store_dir)
    for args in (
        ("import", results_csv(tmp_path / "b.csv", 2566, 1), "--replace", "--data", store_dir),
        ("restore", "--data", store_dir, "--version", 0),
    ):
        line = one_clear_line(cli(*args))
        assert "writer features this tool cannot write: futureFeature" in line, line
        assert "another writer" not in line and "nothing was written" in line
    assert folder_checksum(store_dir) == before
    assert per_year(store_rows(store_dir)) == {2564: 9, 2565: 9, 2566: 2}  # readers still read it


def test_ctrl_c_after_the_commit_says_the_import_landed(tmp_path):
    """SIGINT the moment the new year's data appears: the commit is then (nearly always) made before
    Python sees the interrupt. Whatever the moment, the message must match what the store holds."""
    store_dir = write_tiny_store(tmp_path / "store")
    source = results_csv(tmp_path / "big.csv", 2566, 2000)
    said_landed = 0
    for attempt in range(8):
        copy = shutil.copytree(store_dir, tmp_path / f"copy{attempt}")
        proc = import_process(source, copy)
        while proc.poll() is None:
            if (copy / "fiscal_year=2566").exists():
                proc.send_signal(signal.SIGINT)
                break
        proc.wait(timeout=60)
        stderr = proc.stderr.read()
        proc.stdout.close(), proc.stderr.close()
        if proc.returncode != 130:  # the signal came after the command had finished
            continue
        landed = 2566 in per_year(store_rows(copy))
        assert not unreferenced_files(copy)
        if landed:
            assert "the change had landed: it is version 1 of the store" in stderr, stderr
            said_landed += 1
        else:
            assert "nothing was left half-written" in stderr and "landed:" not in stderr, stderr
        if said_landed == 2:
            break
    assert said_landed >= 1


def test_a_regular_file_given_as_data_is_called_a_file(tmp_path):
    data = results_csv(tmp_path / "scores.csv", 2566, 1)
    before = data.read_bytes()
    runs = [
        ("import", results_csv(tmp_path / "b.csv", 2566, 1), "--data", data),
        ("restore", "--data", data, "--version", 0),
        ("summary", "--base", 2566, "--compare", 2566, "--data", data, "--version", 0),
        ("history", "--data", data),
    ]
    for args in runs:
        line = one_clear_line(cli(*args))
        assert f"{data.name} is a file, not a store" in line and "folder of exports" not in line, line
    checked = cli("validate", data)
    assert checked.returncode == 1 and f"{data}: a file, not a store or a folder of exports" in checked.stdout
    assert "no such folder" not in checked.stdout
    assert data.read_bytes() == before


# --- 20: two first imports ------------------------------------------------------------------------


def test_two_first_imports_prepared_together_never_replace_each_other(tmp_path):
    new = tmp_path / "new"
    a = importer.prepare([results_csv(tmp_path / "a.csv", 2566, 3, score=4)], new)
    b = importer.prepare([results_csv(tmp_path / "b.csv", 2566, 2, score=6)], new)
    c = importer.prepare([results_csv(tmp_path / "c.csv", 2567, 1)], new)
    assert a.ok and b.ok and c.ok and not new.exists()
    importer.write(a, new)
    with pytest.raises(DataError, match="the store changed while this import was being prepared"):
        importer.write(b, new, replace=True)  # b was checked against no store: a's rows were never seen
    assert [r[9] for r in store_rows(new)] == [4.0] * 6  # a's 3 agencies x 2 criteria, all 4 points
    assert [h["version"] for h in delta.history(new)] == [0]
    importer.write(c, new)  # another year: nothing of it was there to be replaced, so it lands
    assert per_year(store_rows(new)) == {2566: 6, 2567: 2}
