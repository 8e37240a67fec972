"""Shared fixtures: a tiny hand-written data folder whose numbers the tests work out by hand.

The tiny folder (two years, four agencies, criteria 1.1 and 1.2 of ten points, 7.1 of twenty):

    2564  A1 department  ministry M  1.1=5  1.2=7     7.1=10    (named "กรมเก่า" this year)
          A2 department  ministry M  1.1=8  1.2=null  7.1=4     (leaves after 2564)
          P1 province    cluster C   1.1=10 1.2=10    7.1=15
    2565  A1 department  ministry M  1.1=6  1.2=8     7.1=12    (renamed "กรมใหม่")
          P1 province    cluster C   1.1=9  1.2=9     7.1=null
          N1 public org  ministry M  1.1=4  1.2=4     7.1=8     (joins; a hostile name)

The 2564 file stores years as int16 and the 2565 file as int64: files may differ in physical types.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.data import access, db

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '=HYPERLINK("http://example.invalid","click")'
OPERATOR = access.operator()  # the command line's person: every agency, every action
MINISTRY, CLUSTER = "กระทรวงทดสอบ", "กลุ่มจังหวัดทดสอบ"


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """The tests keep their cache databases and audit log to themselves (subprocesses inherit the
    variables)."""
    os.environ["PMQA_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["PMQA_AUDIT_DIR"] = str(tmp_path_factory.mktemp("audit"))  # and their audit trail


def row(year, code, criterion, score, max_score, name=None, type_="department", group=MINISTRY, **over):
    r = {
        "fiscal_year": year,
        "agency_code": code,
        "agency_name_th": name or f"หน่วยงาน {code}",
        "agency_name_en": f"Agency {code}",
        "agency_type": type_,
        "agency_group_th": group,
        "agency_group_en": None,
        "category": int(criterion.split(".")[0]),
        "criterion": criterion,
        "score": score,
        "max_score": max_score,
    }
    return r | over


def agency_rows(year, code, s11, s12, s71, **kw):
    return [
        row(year, code, "1.1", s11, 10.0, **kw),
        row(year, code, "1.2", s12, 10.0, **kw),
        row(year, code, "7.1", s71, 20.0, **kw),
    ]


def tiny_rows() -> dict[int, list[dict]]:
    province = dict(type_="province", group=CLUSTER)
    return {
        2564: agency_rows(2564, "A1", 5, 7, 10, name="กรมเก่า")
        + agency_rows(2564, "A2", 8, None, 4)
        + agency_rows(2564, "P1", 10, 10, 15, **province),
        2565: agency_rows(2565, "A1", 6, 8, 12, name="กรมใหม่")
        + agency_rows(2565, "P1", 9, 9, None, **province)
        + agency_rows(2565, "N1", 4, 4, 8, name=HOSTILE, type_="public_organization"),
    }


SCHEMA = {
    "fiscal_year": pa.int64(),
    "agency_code": pa.string(),
    "agency_name_th": pa.string(),
    "agency_name_en": pa.string(),
    "agency_type": pa.string(),
    "agency_group_th": pa.string(),
    "agency_group_en": pa.string(),
    "category": pa.int64(),
    "criterion": pa.string(),
    "score": pa.float64(),
    "max_score": pa.float64(),
}


def write_rows(path: Path, rows: list[dict], **types) -> Path:
    """Write rows as Parquet with the contract's columns; `types` overrides a column's Arrow type."""
    fields = [(name, types.get(name, t)) for name, t in SCHEMA.items() if name in rows[0]]
    table = pa.Table.from_pylist(rows, schema=pa.schema(fields))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def write_tiny(folder: Path) -> Path:
    rows = tiny_rows()
    write_rows(folder / "2564" / "scores.parquet", rows[2564], fiscal_year=pa.int16())
    write_rows(folder / "export_2565.parquet", rows[2565])
    return folder


def write_tiny_store(store_dir: Path) -> Path:
    """The tiny data as a versioned store: version 0 holds 2564 and 2565, imported in one commit."""
    from dashboard.data import importer

    files = write_tiny(store_dir.parent / f"{store_dir.name}_exports")
    prepared = importer.prepare(sorted(files.rglob("*.parquet")), store_dir)
    assert prepared.ok, [str(p) for p in prepared.problems]
    importer.write(prepared, store_dir)
    return store_dir


def store_rows(store_dir: Path, version: int | None = None) -> list[tuple]:
    """Every row a store version holds, sorted: equal lists mean the same content."""
    from deltalake import DeltaTable

    table = DeltaTable(str(store_dir), version=version).to_pyarrow_table()
    columns = list(SCHEMA)
    return sorted((tuple(r[c] for c in columns) for r in table.to_pylist()), key=repr)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    return write_tiny(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny(tiny_dir) -> db.Store:
    return db.Store(tiny_dir, OPERATOR)


@pytest.fixture(scope="session")
def sample() -> db.Store:
    return db.Store(db.SAMPLE_DIR, OPERATOR)


def cli(*args, data: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m dashboard ARGS` as a user would, in a separate process."""
    env = os.environ.copy()
    env.pop("PMQA_DATA", None)
    if data is not None:
        env["PMQA_DATA"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


def folder_checksum(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under a folder: equal before and after means nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
