"""The versioned store under stress: imports killed at many points, imports started together, and
random sequences of import, replace, refused import and restore checked against a model."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.data import db, delta, importer, validation
from tests.conftest import OPERATOR, ROOT, cli, folder_checksum, store_rows, write_tiny_store
from tests.test_import import LONG_HEADER


def results_csv(path: Path, year: int, agencies: int, score: float = 5) -> Path:
    """A long-layout file: `agencies` agencies of one year, criteria 1.1 and 7.1, every score `score`."""
    rows = [
        [year, f"K{i:05d}", f"หน่วยงาน {i}", "department", "กระทรวงทดสอบ", cat, crit, score, 10]
        for i in range(agencies)
        for cat, crit in ((1, "1.1"), (7, "7.1"))
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([LONG_HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def unreferenced_files(store_dir: Path) -> set[Path]:
    """Files in the store that no version's log refers to: what a failed write could leave behind."""
    referenced = set()
    for entry in sorted((store_dir / "_delta_log").glob("*.json")):
        for line in entry.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                referenced.add((store_dir / action["add"]["path"]).resolve())
    on_disk = {p.resolve() for p in store_dir.rglob("*") if p.is_file() and "_delta_log" not in p.parts}
    return on_disk - referenced


def import_process(source: Path, store_dir: Path, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(source), "--data", str(store_dir), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def files_in(folder: Path) -> set[str]:
    """Every file below a folder, tolerating files and folders that vanish while it looks."""
    return {str(Path(top) / name) for top, _, names in os.walk(folder) for name in names}


def stop_when(proc: subprocess.Popen, sig: int, moment) -> None:
    """Send `sig` at the first moment `moment()` is true, polling as fast as the machine allows."""
    while proc.poll() is None:
        if moment():
            proc.send_signal(sig)
            break
    proc.wait(timeout=60)
    proc.stdout.close(), proc.stderr.close()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_import_stopped_at_any_point_leaves_the_store_as_before_or_as_after(tmp_path, sig):
    store_dir = write_tiny_store(tmp_path / "store")
    source = results_csv(tmp_path / "big.csv", 2566, 20000)
    before = store_rows(store_dir)
    start = time.monotonic()
    assert import_process(source, tmp_path / "timing").wait(timeout=120) == 0
    whole = time.monotonic() - start
    after = sorted(before + store_rows(tmp_path / "timing"), key=repr)

    def after_seconds(seconds):
        return lambda folder, known: (lambda deadline: lambda: time.monotonic() > deadline)(time.monotonic() + seconds)

    def new_file(part):
        return lambda folder, known: lambda: any(part in f for f in files_in(folder) - known)

    # the write itself (a data file appears, then a log entry), then start-up, reading, checking, ...
    moments = [new_file(".parquet"), new_file("_delta_log"), *(after_seconds(whole * i / 6) for i in range(6))]
    outcomes = []
    for i, moment in enumerate(moments):  # each on a fresh copy of the store
        shutil.copytree(store_dir, tmp_path / f"copy{i}")
        known = files_in(tmp_path / f"copy{i}")
        stop_when(import_process(source, tmp_path / f"copy{i}"), sig, moment(tmp_path / f"copy{i}", known))
        rows = store_rows(tmp_path / f"copy{i}")
        assert rows in (before, after)  # all of the import or none of it
        outcomes.append("after" if rows == after else "before")
        if sig == signal.SIGINT:  # Ctrl-C: the import cleans up after itself at once
            assert not unreferenced_files(tmp_path / f"copy{i}")
    assert "before" in outcomes
    # the next write removes whatever a killed import left, and then holds exactly the rows imported
    for i in range(2):
        later = cli("import", results_csv(tmp_path / "next.csv", 2567, 2), "--data", tmp_path / f"copy{i}")
        assert later.returncode == 0, later.stderr
        assert not unreferenced_files(tmp_path / f"copy{i}")
        assert not list((tmp_path / f"copy{i}" / "_delta_log").glob("*.tmp"))
        assert validation.validate(tmp_path / f"copy{i}").ok


def test_two_imports_of_the_same_year_started_together_never_both_succeed(tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    a = results_csv(tmp_path / "a.csv", 2566, 400, score=4)
    b = results_csv(tmp_path / "b.csv", 2566, 400, score=6)
    for replace in ((), ("--replace",)):
        procs = [import_process(a, store_dir, *replace), import_process(b, store_dir, *replace)]
        codes = [p.wait(timeout=120) for p in procs]
        errors = [p.stderr.read() for p in procs]
        if not replace:
            assert sorted(codes) == [0, 1], errors  # one commits, the other is refused
            assert any(("already in the store" in e or "the store changed" in e) for e in errors), errors
        assert all("Traceback" not in e for e in errors)
    rows = [r for r in store_rows(store_dir) if r[0] == 2566]
    assert len(rows) == 800  # 400 agencies x 2 criteria, never doubled
    assert len({r[9] for r in rows}) == 1  # all from one file: never a mix of the two
    assert validation.validate(store_dir).ok


def test_imports_of_different_years_started_together_both_land(tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    procs = [import_process(results_csv(tmp_path / f"{y}.csv", y, 300), store_dir) for y in (2566, 2567)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0], [p.stderr.read() for p in procs]
    assert db.Store(store_dir, OPERATOR).years() == [2564, 2565, 2566, 2567]
    assert [h["version"] for h in delta.history(store_dir)] == [2, 1, 0]


def test_a_refused_import_leaves_the_store_byte_for_byte(tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    before = folder_checksum(store_dir)
    again = cli("import", results_csv(tmp_path / "x.csv", 2565, 2), "--data", store_dir)  # 2565 is there
    assert again.returncode == 1 and "already in the store" in again.stderr
    assert folder_checksum(store_dir) == before
    restore = cli("restore", "--data", store_dir, "--version", 4)
    assert restore.returncode == 1 and "no version 4; the store has versions 0–0" in restore.stderr
    assert folder_checksum(store_dir) == before
    new = tmp_path / "new"
    bad = cli("import", tmp_path / "missing.csv", "--data", new)
    assert bad.returncode == 1 and not new.exists()  # a refused first import makes no folder


def test_a_store_reads_like_the_folder_it_was_made_from(tiny, tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    made = db.Store(store_dir, OPERATOR)
    assert made.is_store and made.version == 0
    for name in ("pct_by_agency_category_year", "overall_stats_by_year", "data_quality_by_year"):
        assert made.query(name).equals(tiny.query(name)), name


# --- random sequences against a model --------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule  # noqa: E402


class StoreMachine(RuleBasedStateMachine):
    """The model: for each version, year -> rows; the store must always read as the latest, and every
    earlier version as it was. The store may be copied as `cp -r` does and used by a relative path,
    or removed and made again at the same path."""

    def __init__(self):
        super().__init__()
        import tempfile

        self.tmp = Path(tempfile.mkdtemp())
        self.cwd = os.getcwd()
        os.chdir(self.tmp)  # where a relative store path points
        self.store_dir = self.tmp / "store"
        self.versions: list[dict[int, int]] = []  # per version: year -> agencies
        self.files = 0
        self.copies = 0

    def _file(self, year: int, agencies: int) -> Path:
        self.files += 1
        return results_csv(self.tmp / f"f{self.files}.csv", year, agencies)

    def _import(self, years: dict[int, int], replace: bool) -> tuple[bool, str]:
        sources = [self._file(y, n) for y, n in years.items()]
        prepared = importer.prepare(sources, self.store_dir)
        assert prepared.ok
        try:
            importer.write(prepared, self.store_dir, replace)
        except Exception as exc:  # noqa: BLE001 - asserted below to be a DataError with a message
            assert isinstance(exc, importer.DataError) and str(exc)
            return False, str(exc)
        return True, ""

    @rule(years=st.dictionaries(st.sampled_from([2564, 2565, 2566]), st.integers(1, 3), min_size=1, max_size=2))
    def import_years(self, years):
        current = self.versions[-1] if self.versions else {}
        ok, message = self._import(years, replace=False)
        assert ok == (not set(years) & set(current)), message
        if ok:
            self.versions.append(current | years)

    @rule(years=st.dictionaries(st.sampled_from([2564, 2565, 2566]), st.integers(1, 3), min_size=1, max_size=2))
    def replace_years(self, years):
        current = self.versions[-1] if self.versions else {}
        ok, message = self._import(years, replace=True)
        assert ok, message
        self.versions.append(current | years)

    @rule()
    def refused_import(self):
        before = folder_checksum(self.store_dir) if self.store_dir.exists() else None
        bad = self.tmp / "bad.csv"
        bad.write_text(",".join(LONG_HEADER) + "\n2566,K1,x,department,g,1,1.1,11,10\n", encoding="utf-8")
        assert not importer.prepare([bad], self.store_dir).ok  # a score above its maximum
        after = folder_checksum(self.store_dir) if self.store_dir.exists() else None
        assert before == after

    @rule(back=st.integers(1, 4))
    def restore(self, back):
        if len(self.versions) <= back:
            return
        target = len(self.versions) - 1 - back
        delta.restore(self.store_dir, target)
        self.versions.append(self.versions[target])

    @rule()
    def copy_the_store(self):
        """`cp -r store copy`: the copy's files are all newer than its commits; go on with the copy, by
        a relative path."""
        if not self.versions:
            return
        self.copies += 1
        shutil.copytree(self.store_dir, self.tmp / f"copy{self.copies}", copy_function=shutil.copyfile)
        self.store_dir = Path(f"copy{self.copies}")

    @rule(years=st.dictionaries(st.sampled_from([2564, 2565, 2566]), st.integers(4, 5), min_size=1, max_size=2))
    def make_the_store_again(self, years):
        """Remove the store and import other rows (4 or 5 agencies, never 1–3) at the same path."""
        if self.store_dir.exists():
            shutil.rmtree(self.store_dir)
        ok, message = self._import(years, replace=False)
        assert ok, message
        self.versions = [years]

    @invariant()
    def every_version_matches_the_model(self):
        for version, expected in enumerate(self.versions[:-1]):
            rows = store_rows(self.store_dir, version)
            assert {y: len({r[1] for r in rows if r[0] == y}) for y in {r[0] for r in rows}} == expected, version
            assert len(rows) == 2 * sum(expected.values()), version

    @invariant()
    def store_matches_the_model(self):
        if not self.versions:
            assert not self.store_dir.exists()
            return
        rows = store_rows(self.store_dir)
        got: dict[int, set] = {}
        for r in rows:
            got.setdefault(r[0], set()).add(r[1])
        assert {y: len(codes) for y, codes in got.items()} == self.versions[-1]
        assert len(rows) == 2 * sum(self.versions[-1].values())  # two criteria each, never doubled
        assert [h["version"] for h in delta.history(self.store_dir)][0] == len(self.versions) - 1
        assert validation.validate(self.store_dir).ok
        # What a reader is shown comes through the cache: a store copied or made again at the same path
        # must never answer with the numbers kept for another.
        shown = db.Store(self.store_dir, OPERATOR).records("fiscal_years")
        assert {r["fiscal_year"]: r["agencies"] for r in shown} == self.versions[-1]

    def teardown(self):
        os.chdir(self.cwd)
        shutil.rmtree(self.tmp, ignore_errors=True)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=12, stateful_step_count=8, deadline=None)


def test_a_store_made_from_the_sample_says_so_and_never_mixes_with_real_results(tmp_path):
    sample_store = tmp_path / "sample_store"
    made = cli("import", *sorted(db.SAMPLE_DIR.glob("*.parquet")), "--data", sample_store)
    assert made.returncode == 0, made.stderr
    assert db.Store(sample_store, OPERATOR).synthetic
    summary = cli("summary", "--base", 2564, "--compare", 2565, "--data", sample_store)
    assert summary.stdout.startswith("SYNTHETIC SAMPLE DATA")
    real = cli("import", results_csv(tmp_path / "real.csv", 2566, 2), "--data", sample_store)
    assert real.returncode == 1 and "does not hold real results" in real.stderr
    real_store = write_tiny_store(tmp_path / "real_store")
    assert not db.Store(real_store, OPERATOR).synthetic
    sample_into_real = cli("import", db.SAMPLE_DIR / "pmqa_scores_2561.parquet", "--data", real_store)
    assert sample_into_real.returncode == 1 and "does not hold the synthetic sample" in sample_into_real.stderr


def test_the_store_keeps_its_whole_history(tmp_path):
    from deltalake import DeltaTable

    store_dir = write_tiny_store(tmp_path / "store")
    # delta-rs would otherwise delete log entries older than 30 days at a checkpoint, ending time travel
    assert DeltaTable(str(store_dir)).metadata().configuration == {"delta.enableExpiredLogCleanup": "false"}


def test_a_first_import_killed_before_its_commit_is_named_and_mended_by_the_next(tmp_path):
    store_dir = tmp_path / "store"
    proc = import_process(results_csv(tmp_path / "first.csv", 2566, 20000), store_dir)
    stop_when(proc, signal.SIGKILL, lambda: any(f.endswith(".parquet") for f in files_in(store_dir)))
    if (store_dir / "_delta_log").is_dir() and not list((store_dir / "_delta_log").glob("*.json")):
        result = cli("summary", "--base", 2566, "--compare", 2566, "--data", store_dir)
        assert result.returncode == 1 and "the store has no version yet" in result.stderr
    again = cli("import", results_csv(tmp_path / "second.csv", 2567, 3), "--data", store_dir)
    assert again.returncode == 0, again.stderr
    assert db.Store(store_dir, OPERATOR).years() in (
        [2567],
        [2566, 2567],
    )  # the killed import landed whole, or not at all
    assert not unreferenced_files(store_dir)


def test_files_a_person_put_in_the_store_folder_are_never_deleted(tmp_path):
    store_dir = write_tiny_store(tmp_path / "store")
    mine = store_dir / "notes" / "my_copy.parquet"
    mine.parent.mkdir()
    mine.write_bytes(b"mine")
    assert cli("import", results_csv(tmp_path / "x.csv", 2566, 2), "--data", store_dir).returncode == 0
    assert mine.read_bytes() == b"mine"
