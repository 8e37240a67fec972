"""Every file in queries/ runs, on the sample and on the tiny folder; every catalog has every key."""

from __future__ import annotations

import json

import pytest

from dashboard.data import db
from dashboard.views import i18n

NAMED = sorted(p.relative_to(db.QUERIES_DIR).with_suffix("").as_posix() for p in db.QUERIES_DIR.glob("*.sql"))
DEFAULTS = db.Filters().params() | {
    "base_year": 2564,
    "compare_year": 2565,
    "like_for_like": False,
    "threshold": 50,
    "year": 2565,
    "agency_code": "P1",
    "top": 10,
}


def test_queries_are_found():
    assert "category_mean_pct_by_year_pair" in NAMED


@pytest.mark.parametrize("name", NAMED)
@pytest.mark.parametrize("store", ["sample", "tiny"])
def test_named_query_runs(name, store, request):
    df = request.getfixturevalue(store).query(name, **DEFAULTS)
    assert len(df.columns) > 0


def test_every_sql_file_names_its_purpose_in_a_comment():
    for path in db.QUERIES_DIR.rglob("*.sql"):
        assert path.read_text(encoding="utf-8").startswith("--"), path


def test_catalogs_have_the_same_keys():
    assert i18n.catalog("th").keys() == i18n.catalog("en").keys()


def test_catalogs_are_valid_json_objects():
    for lang in i18n.LANGUAGES:
        assert isinstance(json.loads((i18n._DIR / f"{lang}.json").read_text(encoding="utf-8")), dict)
