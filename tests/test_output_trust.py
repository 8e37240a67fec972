"""What the command line writes: never over a file it was not told to replace, never into a folder
named as a file, and a brief even when the browser that draws its charts is missing, dies or hangs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import plotly.graph_objects as go
import pypdf
import pytest

from dashboard.outputs import images
from tests.conftest import ROOT, cli


def run(*args, env: dict | None = None, timeout: float = 150) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ | (env or {}),
        cwd=ROOT,
        timeout=timeout,
    )


def brief_args(out) -> list:
    return ["brief", "--base", 2564, "--compare", 2565, "--lang", "en", "--out", out]


@pytest.mark.parametrize("name", ["t.csv", "t.parquet", "b.xlsx"])
def test_an_existing_file_is_kept_unless_force_says_replace_it(tiny_dir, tmp_path, name):
    out = tmp_path / name
    out.write_bytes(b"the analyst's own file")
    command = brief_args(out) if name == "b.xlsx" else ["export", "--out", out]
    refused = cli(*command, data=tiny_dir)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"error: {out} already exists; add --force to replace it"
    assert out.read_bytes() == b"the analyst's own file"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left either
    forced = cli(*command, "--force", data=tiny_dir)
    assert forced.returncode == 0, forced.stderr
    assert out.read_bytes() != b"the analyst's own file" and out.stat().st_size > 100


@pytest.mark.parametrize("command", ["export", "brief"])
def test_an_out_path_that_is_a_folder_is_named_as_a_folder(tiny_dir, tmp_path, command):
    existing = tmp_path / "d.csv" if command == "export" else tmp_path / "d.pdf"
    existing.mkdir()
    slash = f"{tmp_path / 'new'}{existing.suffix}/"  # a trailing slash asks for a folder
    for out in (existing, slash):
        argv = ["export", "--out", out] if command == "export" else brief_args(out)
        done = cli(*argv, data=tiny_dir)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.strip() == f"error: {out} is a folder; give the name of a file to write " + (
            f"(for example {str(out).rstrip('/')}/out{existing.suffix})"
        )
        assert ".tmp" not in done.stderr  # the temporary file's name is never the message
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing.name]  # nothing written
    assert list(existing.iterdir()) == []


@pytest.fixture
def broken_browser(tmp_path):
    """Browsers that fail as a real one can: missing, dying at start, hanging at start."""
    dies = tmp_path / "dies-at-start"
    dies.write_text("#!/bin/sh\nexit 1\n")
    hangs = tmp_path / "hangs-at-start-pmqa-test"
    hangs.write_text("#!/bin/sh\nexec sleep 600\n")
    for script in (dies, hangs):
        script.chmod(0o755)
    return {"missing": tmp_path / "no-such-browser", "dies": dies, "hangs": hangs}


@pytest.mark.parametrize("how", ["missing", "dies"])
def test_a_brief_is_still_made_without_a_browser_and_says_why(tiny_dir, tmp_path, broken_browser, how):
    out = tmp_path / "brief.pdf"
    done = run(*brief_args(out), "--data", tiny_dir, env={"BROWSER_PATH": str(broken_browser[how])})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "The charts could not be drawn" in done.stderr
    pdf = pypdf.PdfReader(out)
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "The charts could not be drawn" in text
    assert "the tables below hold the same numbers" in " ".join(text.split())
    assert not any(page.images for page in pdf.pages)  # no chart pictures, and the tables are there
    assert "Category" in text


def test_a_browser_that_hangs_is_given_up_and_stopped(monkeypatch, broken_browser):
    monkeypatch.setenv("BROWSER_PATH", str(broken_browser["hangs"]))
    result = {}
    worker = threading.Thread(target=lambda: result.update(answer=images.draw({"a": go.Figure()}, timeout=3)))
    worker.start()
    worker.join(60)  # far past the deadline: kaleido's own helpers would still be waiting
    assert not worker.is_alive()
    assert result["answer"] == ({}, "the browser did not answer within 3 s")
    still = subprocess.run(["pgrep", "-f", "hangs-at-start-pmqa-test"], capture_output=True, text=True)
    assert still.stdout == "", "the hung browser was left running"


@pytest.mark.browser  # starts chromium
def test_a_working_browser_draws_every_figure_as_png():
    pictures, why = images.draw({"a": go.Figure(go.Bar(x=[1, 2], y=[3, 4])), "b": go.Figure()})
    assert why is None
    assert sorted(pictures) == ["a", "b"] and all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pictures.values())


def test_a_pdf_library_that_cannot_load_gives_one_line_and_no_file(tiny_dir, tmp_path):
    """WeasyPrint needs Pango from the system; without it its import fails with an OSError. The brief
    imports it in the background while the charts are drawn, so that failure must not print a thread's
    traceback: the one line comes from where the PDF is written. A missing browser keeps it quick."""
    fake = tmp_path / "fake"
    fake.mkdir()
    # The import fails slowly, so the brief reaches the PDF while the background import is still under
    # way (no browser: the charts fail at once). Python then hands the waiting thread the failed module.
    failing = "import time\ntime.sleep(1.5)\nraise OSError(\"cannot load library 'libpango-1.0-0'\")\n"
    (fake / "weasyprint.py").write_text(failing)
    out = tmp_path / "brief.pdf"
    env = {"PYTHONPATH": str(fake), "BROWSER_PATH": str(tmp_path / "no-such-browser")}
    done = run(*brief_args(out), "--data", tiny_dir, env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Exception in thread" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "error: cannot load library 'libpango-1.0-0'"
    assert not out.exists() and list(tmp_path.glob("*.tmp*")) == []
