"""The bundled sample: what the generator makes, marked synthetic, and shaped as the issue asks."""

from __future__ import annotations

import pyarrow.parquet as pq

from dashboard.data import contract, db, sample, validation
from tests.conftest import cli


def test_committed_sample_is_what_the_generator_makes(tmp_path):
    result = cli("sample", "--out", tmp_path, "--seed", 2565)
    assert result.returncode == 0, result.stderr
    for year in sample.YEARS:
        name = f"pmqa_scores_{year}.parquet"
        assert pq.read_table(tmp_path / name).equals(pq.read_table(db.SAMPLE_DIR / name)), name
    assert (tmp_path / "scoring_scheme.json").read_text() == (db.SAMPLE_DIR / "scoring_scheme.json").read_text()


def test_another_seed_gives_other_scores(tmp_path):
    sample.write(tmp_path, seed=7)
    assert not pq.read_table(tmp_path / "pmqa_scores_2565.parquet").equals(
        pq.read_table(db.SAMPLE_DIR / "pmqa_scores_2565.parquet")
    )


def test_sample_is_valid_and_marked_synthetic():
    report = validation.validate(db.SAMPLE_DIR)
    assert report.ok and report.synthetic


def test_sample_has_the_agencies_the_issue_describes(sample):
    agencies = sample.query("agency_level_by_year", db.Filters(years=(2565,)))
    counts = agencies.agency_type.value_counts().to_dict()
    assert 140 <= counts["department"] <= 160 and counts["province"] == 76
    assert 25 <= counts["public_organization"] <= 35
    assert agencies.agency_group_th.nunique() == 20 + 18


def test_sample_has_joiners_leavers_a_rename_and_unassessed_criteria(sample):
    years = sample.query("fiscal_years")
    assert years.fiscal_year.tolist() == [2561, 2562, 2563, 2564, 2565]
    crit = sample.query("score_by_agency_criterion_year", db.Filters())
    present = crit.groupby("agency_code").fiscal_year.agg(["min", "max"])
    assert (present["min"] > 2561).any() and (present["max"] < 2565).any()
    assert crit.score.isna().sum() > 0
    raw = pq.read_table(db.SAMPLE_DIR / "pmqa_scores_2563.parquet").to_pandas()
    latest = crit[crit.agency_code == "D010"].agency_name_th.iloc[0]
    assert raw[raw.agency_code == "D010"].agency_name_th.iloc[0] != latest


def test_sample_is_small():
    size = sum(p.stat().st_size for p in contract.find_parquet_files(db.SAMPLE_DIR))
    assert size < 3_000_000
