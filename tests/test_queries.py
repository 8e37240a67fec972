"""Each named query against the tiny fixture, with the expected numbers worked out by hand."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.data import db, sql, validation
from dashboard.views import sections
from tests.conftest import HOSTILE, OPERATOR, SCHEMA, folder_checksum, row, tiny_rows, write_rows, write_tiny

approx = pytest.approx
MACRO = re.compile(r"create\s+(?:or\s+replace\s+)?macro\s+(\w+)", re.IGNORECASE)


def by_category(summary: dict) -> dict[int, dict]:
    return {c["category"]: c for c in summary["categories"]}


def test_summary_all_agencies(tiny):
    s = sections.summary(tiny, 2564, 2565)
    cats = by_category(s)
    # category 1: 2564 A1 12/20=60, A2 8/10=80 (1.2 not assessed), P1 100; 2565 A1 70, P1 90, N1 40
    assert cats[1]["base_mean_pct"] == approx((60 + 80 + 100) / 3)
    assert cats[1]["compare_mean_pct"] == approx((70 + 90 + 40) / 3)
    assert cats[1]["delta_pts"] == approx((70 + 90 + 40) / 3 - 80)
    # category 7: 2564 A1 50, A2 20, P1 75; 2565 A1 60, N1 40 (P1 not assessed: left out, not zero)
    assert cats[7]["base_mean_pct"] == approx((50 + 20 + 75) / 3)
    assert cats[7]["compare_mean_pct"] == approx(50.0)
    assert (cats[7]["base_agencies"], cats[7]["compare_agencies"]) == (3, 2)
    # totals: 2564 A1 22/40, A2 12/30, P1 35/40; 2565 A1 26/40, P1 18/20, N1 16/40
    assert s["overall"]["base_mean_pct"] == approx((55 + 40 + 87.5) / 3)
    assert s["overall"]["compare_mean_pct"] == approx((65 + 90 + 40) / 3)
    assert s["agencies"] == {"base": 3, "compare": 3}


def test_summary_categories_without_data_are_null_not_zero(tiny):
    cats = by_category(sections.summary(tiny, 2564, 2565))
    assert len(cats) == 7
    assert cats[3] == {
        "category": 3,
        "base_mean_pct": None,
        "compare_mean_pct": None,
        "delta_pts": None,
        "base_agencies": 0,
        "compare_agencies": 0,
    }


def test_strongest_and_weakest_only_rank_categories_with_data(tiny):
    s = sections.summary(tiny, 2564, 2565)
    assert s["strongest"] == [1, 7]  # only two categories have data in the tiny folder
    assert s["weakest"] == 7


def test_like_for_like_keeps_agencies_present_in_both_years(tiny):
    s = sections.summary(tiny, 2564, 2565, like_for_like=True)
    cats = by_category(s)
    # category 1: A1 and P1 in both years: (60+100)/2 -> (70+90)/2
    assert (cats[1]["base_mean_pct"], cats[1]["compare_mean_pct"]) == (approx(80.0), approx(80.0))
    # category 7: only A1 has it in both (P1 not assessed in 2565)
    assert (cats[7]["base_mean_pct"], cats[7]["delta_pts"]) == (approx(50.0), approx(10.0))
    assert s["overall"] == {
        "base_mean_pct": approx(71.25),
        "compare_mean_pct": approx(77.5),
        "delta_pts": approx(6.25),
        "base_mean_points": approx((22 + 35) / 2),  # A1 and P1's totals
        "compare_mean_points": approx((26 + 18) / 2),
        "points_change": approx(-6.5),
        "base_max_points": 40.0,
        "compare_max_points": 40.0,
    }
    assert s["agencies"] == {"base": 2, "compare": 2}


def test_agency_type_filter(tiny):
    s = sections.summary(tiny, 2564, 2565, filters=db.Filters(agency_types=("department",)))
    assert by_category(s)[1]["base_mean_pct"] == approx(70.0)  # A1 60, A2 80
    assert s["overall"]["compare_mean_pct"] == approx(65.0)  # A1 only
    assert s["agencies"] == {"base": 2, "compare": 1}


def test_group_filter_matches_nothing_gives_empty_not_error(tiny):
    s = sections.summary(tiny, 2564, 2565, filters=db.Filters(groups=("no such ministry",)))
    assert s["agencies"] == {"base": 0, "compare": 0}
    assert s["overall"]["delta_pts"] is None and s["strongest"] == [] and s["weakest"] is None


def test_unknown_year_is_refused_with_the_years_held(tiny):
    with pytest.raises(db.DataError, match=r"2570.*2564, 2565"):
        sections.summary(tiny, 2564, 2570)


def test_agency_table_uses_latest_name_and_leaves_out_unassessed(tiny):
    df = sections.table(tiny, "agency", via="test")
    assert len(df) == 11  # 2564: 3 agencies x 2 categories; 2565: A1 2, P1 1 (no 7), N1 2
    a1 = df[df.agency_code == "A1"]
    assert set(a1.agency_name_th) == {"กรมใหม่"}
    a2_cat1 = df[(df.agency_code == "A2") & (df.category == 1)].iloc[0]
    assert (a2_cat1.score, a2_cat1.max_score, a2_cat1.pct) == (8.0, 10.0, approx(80.0))
    assert HOSTILE in set(df.agency_name_th)


def test_criterion_table_filters(tiny):
    df = sections.table(tiny, "criterion", db.Filters(years=(2565,), categories=(7,)), via="test")
    assert list(df.agency_code) == ["A1", "N1", "P1"]
    assert list(df.pct.round(6).fillna(-1)) == [60.0, 40.0, -1]


def test_fiscal_years(tiny):
    years = tiny.query("fiscal_years")
    assert years.to_dict("list") == {"fiscal_year": [2564, 2565], "agencies": [3, 3], "criterion_rows": [9, 9]}


def test_status_levels_follow_the_scheme(tiny):
    # bundled illustrative scheme: basic 50, advance 65, significance 80
    levels = tiny.query("agency_level_by_year", db.Filters(years=(2565,)))
    got = dict(zip(levels.agency_code, levels.level.fillna("none"), strict=True))
    assert got == {"A1": "advance", "P1": "significance", "N1": "none"}  # 65, 90, 40


def test_store_is_closed_to_the_file_system(tiny, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(Exception, match="(?i)disabled|permission"):
        tiny._con.execute("select * from read_csv($p)", {"p": str(secret)})


def records(df, *columns):
    return [tuple(None if pd.isna(v) else v for v in row) for row in df[list(columns)].itertuples(index=False)]


def test_category_stats_by_year(tiny):
    stats = tiny.query("pct_stats_by_category_year", db.Filters())
    cat1_2564 = stats[(stats.fiscal_year == 2564) & (stats.category == 1)].iloc[0]
    # agencies at 60, 80, 100
    assert (cat1_2564.mean_pct, cat1_2564.q1_pct, cat1_2564.median_pct, cat1_2564.q3_pct) == (80, 70, 80, 90)
    assert (cat1_2564.min_pct, cat1_2564.max_pct, cat1_2564.agencies) == (60, 100, 3)
    # like-for-like: A1 and P1 have category 1 in both years
    assert stats[stats.category == 1].like_for_like_mean_pct.tolist() == [approx(80.0), approx(80.0)]
    ranks = stats[stats.fiscal_year == 2565].set_index("category").rank_in_year.to_dict()
    assert ranks == {1: 1, 7: 2}


def test_overall_stats_by_year(tiny):
    got = tiny.query("overall_stats_by_year", db.Filters())
    assert got.agencies.tolist() == [3, 3]
    assert got.mean_pct.tolist() == [approx((55 + 40 + 87.5) / 3), approx(65.0)]
    assert got.mean_points.tolist() == [approx((22 + 12 + 35) / 3), approx((26 + 18 + 16) / 3)]
    assert got.like_for_like_mean_pct.tolist() == [approx(71.25), approx(77.5)]  # A1 and P1


def test_agencies_joining_and_leaving(tiny):
    got = tiny.query("agency_count_by_type_year", db.Filters())
    assert records(got, "fiscal_year", "agency_type", "agencies", "joined", "left_since") == [
        (2564, "department", 2, None, None),
        (2564, "province", 1, None, None),
        (2565, "department", 1, 0, 1),  # A2 left
        (2565, "province", 1, 0, 0),
        (2565, "public_organization", 1, 1, 0),  # N1 joined
    ]


def test_criterion_stats_share_below_threshold(tiny):
    got = tiny.query("criterion_stats_by_year", db.Filters(years=(2565,)), threshold=65).set_index("criterion")
    # 1.1 in 2565: A1 6/10, P1 9/10, N1 4/10 -> 60, 90, 40; two of three below 65
    assert got.loc["1.1", "mean_pct"] == approx((60 + 90 + 40) / 3)
    assert got.loc["1.1", "share_below_pct"] == approx(200 / 3)
    # 7.1: A1 60, N1 40, P1 not assessed
    assert (got.loc["7.1", "agencies_assessed"], got.loc["7.1", "agencies_not_assessed"]) == (2, 1)
    assert got.loc["7.1", "share_below_pct"] == approx(100.0)


def test_peers_of_an_agency(tiny):
    got = tiny.query("peer_pct_by_category", year=2565, agency_code="A1")
    cat1 = got[got.category == 1].set_index("peer_set")
    assert cat1.median_pct.to_dict() == {"all": approx(70.0), "group": approx(55.0), "type": approx(70.0)}
    assert cat1.agencies.to_dict() == {"all": 3, "group": 2, "type": 1}  # ministry M: A1 and N1
    assert cat1.agency_pct.tolist() == [approx(70.0)] * 3


def test_rank_of_an_agency(tiny):
    got = tiny.query("rank_by_agency_year", db.Filters(), agency_code="A1")
    # 2564 totals: P1 87.5, A1 55, A2 40; 2565: P1 90, A1 65, N1 40
    assert records(got, "fiscal_year", "position", "ranked_agencies") == [(2564, 2, 3), (2565, 2, 3)]
    assert got.percentile.tolist() == [approx(50.0), approx(50.0)]


def test_movers(tiny):
    got = tiny.query("pct_change_by_agency_category", db.Filters(), base_year=2564, compare_year=2565)
    assert sorted(records(got, "agency_code", "category", "delta_pts")) == [
        ("A1", 1, approx(10.0)),
        ("A1", 7, approx(10.0)),
        ("P1", 1, approx(-10.0)),
    ]


def test_change_decomposition(tiny):
    got = tiny.query("change_decomposition_by_year_pair", db.Filters(), base_year=2564, compare_year=2565).iloc[0]
    # all: 65 - (55 + 40 + 87.5) / 3; like-for-like (A1, P1): 77.5 - 71.25
    assert got.all_agencies_pts == approx(65 - 182.5 / 3)
    assert got.like_for_like_pts == approx(6.25)
    assert got.composition_pts == approx(65 - 182.5 / 3 - 6.25)
    assert (got.agencies_joined, got.agencies_left) == (1, 1)  # N1 joined, A2 left


def test_changes_beside_the_pair_and_the_rank(tiny):
    pair = dict(base_year=2564, compare_year=2565, like_for_like=False)
    overall = tiny.query("overall_mean_pct_by_year_pair", db.Filters(), **pair).iloc[0]
    assert (overall.agencies_change, overall.points_change) == (0, approx(20 - 23))  # points 23 -> 20
    rank = tiny.query("rank_by_agency_year", db.Filters(), agency_code="A1").iloc[-1]
    assert (rank.pct_change_pts, rank.positions_gained, rank.percentile_change) == (approx(10.0), 0, approx(0.0))


def test_data_is_validated_once_and_kept_outside_it(tmp_path, monkeypatch):
    from dashboard.data import cache

    monkeypatch.setenv("PMQA_CACHE", str(tmp_path / "cache"))
    folder = write_tiny(tmp_path / "data")
    before = folder_checksum(folder)
    first = db.Store(folder, OPERATOR)
    kept = list((tmp_path / "cache").glob("*.duckdb"))
    assert len(kept) == 1 and folder_checksum(folder) == before  # the data folder is never written
    calls = []
    monkeypatch.setattr(validation, "validate", lambda *a, **k: calls.append(a))
    again = db.Store(folder, OPERATOR)  # unchanged: no validation, the kept aggregates
    assert calls == [] and again.query("pct_by_agency_category_year").equals(first.query("pct_by_agency_category_year"))
    del first, again  # (DuckDB keeps a file open while any connection to it lives)
    gc.collect()
    kept[0].write_bytes(b"damaged")  # a damaged cache is only a copy: made again, from validated data
    monkeypatch.undo()
    monkeypatch.setenv("PMQA_CACHE", str(tmp_path / "cache"))
    assert db.Store(folder, OPERATOR).years() == [2564, 2565]
    rows = tiny_rows()[2565]
    rows[0] = rows[0] | {"score": -1.0}  # the data changes: it is validated again, and refused
    write_rows(folder / "export_2565.parquet", rows)
    with pytest.raises(db.DataError, match="score -1.0 is negative"):
        db.Store(folder, OPERATOR)
    assert cache.folder() == tmp_path / "cache"


def test_the_kept_files_key_holds_the_code_that_writes_it():
    """A kept file is made by SQL files and by Python: the build (db), its SQL's loader (sql), the rules
    (validation) and the scheme's levels with their ranks (scheme). A change to any of them must build
    anew, so each is part of the cache key; scheme.py was not while the ranks were made there."""
    from dashboard.data import scheme

    code = set(db._code())
    assert {Path(m.__file__) for m in (db, sql, validation, scheme)} <= code
    assert set(sql.kept_tables()) | set(sql.macros()) | set(sql.staging()) <= code


def test_no_row_is_copied_into_memory(tiny):
    from dashboard.data import cache

    databases = tiny._con.execute(
        "select path, readonly from duckdb_databases() where not internal and database_name <> 'temp'"
    ).fetchall()
    assert len(databases) == 1  # the kept file alone: no in-memory database holds a row
    path, readonly = databases[0]
    assert Path(path).parent == cache.folder() and readonly


def test_movers_keep_only_real_rises_and_falls(tiny):
    # by hand (conftest): category 1 A1 60 -> 70 (+10), P1 100 -> 90 (-10); A2 left, N1 joined.
    # category 7: A1 50 -> 60 (+10); P1 75 -> not assessed, so not a mover
    got = tiny.query("movers_by_category", db.Filters(), base_year=2564, compare_year=2565, top=10)
    rows = [(r.category, r.direction, r.mover_rank, r.agency_code, round(r.delta_pts, 6)) for r in got.itertuples()]
    assert rows == [(1, "rise", 1, "A1", 10.0), (1, "fall", 1, "P1", -10.0), (7, "rise", 1, "A1", 10.0)]
    top1 = tiny.query("movers_by_category", db.Filters(categories=(1,)), base_year=2564, compare_year=2565, top=1)
    assert len(top1) == 2  # one each way


def test_category_ranks_agree_with_the_full_stats(tiny):
    light = tiny.query("category_rank_by_year")
    full = tiny.query("pct_stats_by_category_year")[light.columns]
    pd.testing.assert_frame_equal(light, full, check_dtype=False)
    # by hand (conftest): 2565 category 1 mean (70 + 90 + 40) / 3 = 66.67, category 7 (60 + 40) / 2 = 50
    got = light[light.fiscal_year == 2565].set_index("category")
    assert round(got.loc[1, "mean_pct"], 2) == 66.67 and got.loc[1, "rank_in_year"] == 1
    assert got.loc[7, "mean_pct"] == 50.0 and got.loc[7, "rank_in_year"] == 2


# --- the SQL layer's layout (queries/) -----------------------------------------------------------


def test_kept_tables_and_macros_are_the_files_named_after_them(tiny):
    """A kept table or a macro is found by its file name, and the build makes exactly what the
    folders hold: no list in Python to keep in step."""
    kept_files = {p.stem for p in sql.kept_tables()}
    assert kept_files == {
        "agencies",
        "agency_category",
        "agency_year",
        "criterion_pair_sums",
        "criterion_score",
        "criterion_year",
        "year_stats",
    }
    for path in sql.macros():
        assert MACRO.findall(path.read_text(encoding="utf-8")) == [path.stem], path
    with tiny._cursor() as cursor:
        tables = {r[0] for r in cursor.execute("select table_name from duckdb_tables()").fetchall()}
        made = cursor.execute("select distinct function_name from duckdb_functions() where not internal")
        macros = {r[0] for r in made.fetchall()}
    results = {f"kept_{name}" for name in sql.kept_results()}
    assert "kept_fiscal_years" in results and "kept_movers_by_category" not in results  # marked `-- kept:`
    assert tables == kept_files | results | {"scheme_levels", "source_meta"}
    assert macros == {p.stem for p in sql.macros()}
    assert {"score_pct", "category_rank", "agency_category_pair", "in_filter"} <= macros


def test_a_file_is_built_after_the_files_it_names(tmp_path):
    # totals reads sums, sums reads rows; rows names totals only in a comment, which does not count
    (tmp_path / "a_totals.sql").write_text("-- over sums\nselect sum(x) from b_sums\n")
    (tmp_path / "b_sums.sql").write_text("-- per key\nselect k, sum(x) from c_rows group by k\n")
    (tmp_path / "c_rows.sql").write_text("-- read before a_totals\nselect 1 as k, 2 as x\n")
    order = sql.in_dependency_order(sorted(tmp_path.glob("*.sql")))
    assert [p.stem for p in order] == ["c_rows", "b_sums", "a_totals"]


def test_each_metric_is_written_once():
    """The percentage of a maximum and the categories' rank rule each live in one macro."""
    written = {"pct": [], "rank": []}
    for path in sorted(db.QUERIES_DIR.rglob("*.sql")):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        if re.search(r"100(\.0)?\s*\*\s*(sum\()?\s*(\w+\.)?score\b", text):
            written["pct"].append(path.name)
        if re.search(r"order by mean_pct desc", text):
            written["rank"].append(path.name)
    assert written == {"pct": ["score_pct.sql"], "rank": ["category_rank.sql"]}


def test_a_scope_counts_its_own_agencies_with_the_kept_definitions(tmp_path):
    """A scoped cursor's year_stats and criterion_year are the kept files' own selects over the
    scope's rows: its own counts, the criteria's structure (maximum, names) as every reader has it."""
    from dashboard.data.access import Access, Scope

    other = {"agency_type": "province", "agency_group_th": "กลุ่ม"}
    rows = [
        row(2564, "X", "1.1", 5.0, 10.0),
        row(2564, "X", "1.2", None, 10.0, criterion_name_th="ชื่อ 1.2", criterion_name_en="Name 1.2"),
        row(2564, "Y", "1.1", 7.0, 10.0, **other),  # Y has no row for 1.2
        row(2565, "X", "1.1", 8.0, 10.0),
        row(2565, "X", "1.2", 9.0, 10.0),
    ]
    schema = pa.schema([*SCHEMA.items(), ("criterion_name_th", pa.string()), ("criterion_name_en", pa.string())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "scores.parquet")
    whole = db.Store(tmp_path, OPERATOR)
    y = whole.scoped(Access("y@example.org", "analyst", Scope(agencies=("Y",))))

    def criterion_year(store: db.Store) -> list[tuple]:
        with store._cursor() as cursor:
            q = "select fiscal_year, criterion, max_score, agencies_assessed, agencies_not_assessed from criterion_year"
            return cursor.execute(f"{q} order by all").fetchall()

    # every agency: X and Y on 1.1 in 2564, X alone (not assessed) on 1.2; X alone in 2565
    assert criterion_year(whole) == [
        (2564, "1.1", 10.0, 2, 0),
        (2564, "1.2", 10.0, 0, 1),
        (2565, "1.1", 10.0, 1, 0),
        (2565, "1.2", 10.0, 1, 0),
    ]
    # Y: 2564 only, its one row; 1.2 is still a criterion of 2564 (10 points), with none of Y's rows
    assert criterion_year(y) == [(2564, "1.1", 10.0, 1, 0), (2564, "1.2", 10.0, 0, 0)]
    assert [tuple(r.values()) for r in y.records("fiscal_years")] == [(2564, 1, 1)]
    assert y.records("criterion_gaps_by_year") == []  # X's unassessed 1.2 is not Y's gap
    assert [r["criteria"] for r in y.records("data_quality_by_year")] == [2]
    assert y.records("criterion_names") == [
        {"criterion": "1.2", "criterion_name_th": "ชื่อ 1.2", "criterion_name_en": "Name 1.2"}
    ]
