"""Every named query in queries/: its columns by name, on the sample and on the tiny folder, and one
number (or row) a user would check, worked out by hand from the tiny folder (see tests/conftest.py):

    2564  A1  1.1=5  1.2=7     7.1=10      A2  1.1=8  1.2=null  7.1=4      P1  1.1=10  1.2=10  7.1=15
    2565  A1  1.1=6  1.2=8     7.1=12      P1  1.1=9  1.2=9     7.1=null   N1  1.1=4   1.2=4   7.1=8

Criteria 1.1 and 1.2 are out of 10, 7.1 out of 20. Totals (a null score leaves both sums):
    2564  A1 22/40 = 55 %   A2 12/30 = 40 %   P1 35/40 = 87.5 %   mean 182.5 / 3 = 60.83 %, 23 points
    2565  A1 26/40 = 65 %   P1 18/20 = 90 %   N1 16/40 = 40 %     mean 195 / 3 = 65 %, 20 points
Category 1: 2564 A1 12/20 = 60, A2 8/10 = 80, P1 20/20 = 100; 2565 A1 70, P1 90, N1 40.
Category 7: 2564 A1 10/20 = 50, A2 4/20 = 20, P1 15/20 = 75; 2565 A1 60, N1 40 (P1 not assessed: no row).
The bundled scheme's cut-offs: basic 50, advance 65, significance 80.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.data import db
from dashboard.views import i18n
from tests.conftest import OPERATOR, SCHEMA, tiny_rows

NAMED = sorted(p.relative_to(db.QUERIES_DIR).with_suffix("").as_posix() for p in db.QUERIES_DIR.glob("*.sql"))
DEFAULTS = db.Filters().params() | {
    "base_year": 2564,
    "compare_year": 2565,
    "like_for_like": False,
    "threshold": 50,
    "year": 2565,
    "agency_code": "P1",
    "top": 10,
    "saturated_share": 50,
    "redundant_r": 0.9,
    "hard_share": 30,
    "discrimination_cut": 0.3,
    "criterion": "1.1",
    # a proposal (issue 18): keep 1.1, halve 7.1's maximum to 10, drop 1.2, add 7.7 out of 10 fed by
    # the indicator "digital" (A1 100, N1 50, P1 none), lower basic to 40
    "criteria": [
        {"criterion": "1.1", "category": 1, "max_score": None, "source": None},
        {"criterion": "7.1", "category": 7, "max_score": 10.0, "source": None},
        {"criterion": "7.7", "category": 7, "max_score": 10.0, "source": "digital"},
    ],
    "cutoffs": [
        {"level": "basic", "level_rank": 1, "min_pct": 40.0},
        {"level": "advance", "level_rank": 2, "min_pct": 65.0},
        {"level": "significance", "level_rank": 3, "min_pct": 80.0},
    ],
    "indicator_agencies": ["A1", "N1"],
    "indicator_names": ["digital", "digital"],
    "indicator_values": [100.0, 50.0],
}

AGENCY = ["agency_code", "agency_name_th", "agency_name_en", "agency_type", "agency_group_th"]
COLUMNS = {
    "agencies_below_criterion": [*AGENCY, "agency_group_en", "score", "max_score", "pct", "base_pct", "total_pct"],
    "category_alpha_by_year": ["category", "alpha", "agencies", "criteria"],
    "criterion_item_stats_by_year": ["criterion", "category", "assessed", "mean_pct", "below_share"]
    + ["ceiling_share", "discrimination", "redundant", "flag", "base_mean_pct", "base_below_share", "delta_pts"]
    + ["partners"],
    "redundant_pairs_by_year": ["a", "b", "r"],
    "agency_changes_by_year": ["fiscal_year", "agency_code", "change", "before", "after"],
    "agency_count_by_type_year": ["fiscal_year", "agency_type", "agencies", "joined", "left_since"],
    "agency_level_by_year": ["fiscal_year", *AGENCY, "score", "max_score", "pct", "level", "level_rank"]
    + ["level_label_th", "level_label_en"],
    "agency_list": [*AGENCY, "agency_group_en", "latest_year", "first_year", "search_label", "label_th", "label_en"],
    "category_mean_under_proposal": ["category", "current_mean_pct", "proposed_mean_pct", "delta_pts"]
    + ["current_agencies", "proposed_agencies"],
    "category_mean_pct_by_year_pair": ["category", "base_mean_pct", "compare_mean_pct", "delta_pts"]
    + ["base_agencies", "compare_agencies", "strength_rank", "weakness_rank"],
    "category_rank_by_year": ["fiscal_year", "category", "mean_pct", "agencies", "rank_in_year"],
    "change_decomposition_by_year_pair": ["all_agencies_pts", "like_for_like_pts", "agencies_joined"]
    + ["agencies_left", "composition_pts"],
    "criterion_changes_between_years": ["category", "criterion", "base_max_score", "compare_max_score", "change"],
    "criterion_gaps_by_year": ["fiscal_year", "criterion", "agencies_not_assessed", "agencies_assessed"],
    "criterion_max_by_year": ["category", "criterion", "max_score"],
    "criterion_names": ["criterion", "criterion_name_th", "criterion_name_en"],
    "criterion_stats_by_year": ["fiscal_year", "category", "criterion", "mean_pct", "q1_pct", "median_pct", "q3_pct"]
    + ["agencies_assessed", "agencies_not_assessed", "share_below_pct"],
    "data_quality_by_year": ["fiscal_year", "agencies", "criteria", "criterion_rows", "rows_not_assessed"]
    + ["agencies_with_gaps", "agencies_joined", "agencies_left"],
    "fiscal_years": ["fiscal_year", "agencies", "criterion_rows"],
    "group_list": ["agency_group_th", "agency_group_en", "agency_types", "agencies"],
    "indicator_stats_under_proposal": ["indicator", "agencies", "mean", "min", "q1", "median", "q3", "max"]
    + ["corr_category_7", "corr_total", "discrimination"],
    "level_counts_under_proposal": ["level", "level_rank", "current", "proposed"],
    "level_changes_under_proposal": [*AGENCY, "current_pct", "current_level", "current_rank", "proposed_pct"]
    + ["proposed_level", "proposed_rank"],
    "level_share_by_year": ["fiscal_year", "level", "level_rank", "label_th", "label_en", "agencies", "share_pct"]
    + ["share_change_pts"],
    "movers_by_category": ["direction", "mover_rank", *AGENCY, "category", "base_pct", "compare_pct", "delta_pts"],
    "overall_mean_pct_by_year_pair": ["base_mean_pct", "compare_mean_pct", "delta_pts", "base_mean_points"]
    + ["compare_mean_points", "points_change", "base_agencies", "compare_agencies", "agencies_change"]
    + ["base_max_points", "compare_max_points"],
    "overall_stats_by_year": ["fiscal_year", "agencies", "mean_pct", "mean_points", "like_for_like_mean_pct"]
    + ["like_for_like_agencies"],
    "pct_by_agency_category_year": ["fiscal_year", *AGENCY, "agency_group_en", "category", "score", "max_score", "pct"],
    "pct_change_by_agency_category": [*AGENCY, "category", "base_pct", "compare_pct", "delta_pts"],
    "pct_stats_by_category_year": ["fiscal_year", "category", "mean_pct", "q1_pct", "median_pct", "q3_pct"]
    + ["min_pct", "max_pct", "agencies", "like_for_like_mean_pct", "like_for_like_agencies", "rank_in_year"],
    "peer_pct_by_category": ["peer_set", "category", "q1_pct", "median_pct", "q3_pct", "agencies", "agency_pct"],
    "rank_by_agency_year": ["fiscal_year", "agency_code", "pct", "score", "position", "ranked_agencies"]
    + ["percentile", "pct_change_pts", "positions_gained", "percentile_change"],
    "score_by_agency_criterion_year": ["fiscal_year", *AGENCY, "agency_group_en", "category", "criterion", "score"]
    + ["max_score", "pct"],
}


def rows(store: db.Store, name: str, **params) -> list[dict]:
    return store.records(name, **(DEFAULTS | params))


def pick(found: list[dict], keys: list[str]) -> list[tuple]:
    return [tuple(r[k] for k in keys) for r in found]


def test_every_named_query_has_its_columns_and_a_hand_worked_test_here():
    assert "category_mean_pct_by_year_pair" in NAMED
    unlisted = sorted(set(NAMED) - COLUMNS.keys())
    assert unlisted == [], "list each query's columns in COLUMNS above"
    assert sorted(COLUMNS.keys() - set(NAMED)) == [], "a listed query has no file in queries/"
    untested = [n for n in NAMED if not any(test.startswith(f"test_{n}_") for test in globals())]
    assert untested == [], "give each query a test_<name>_... with a value worked out by hand from the tiny folder"


@pytest.mark.parametrize("name", NAMED)
@pytest.mark.parametrize("store", ["sample", "tiny"])
def test_named_query_gives_its_columns(name, store, request):
    df = request.getfixturevalue(store).query(name, **DEFAULTS)
    assert list(df.columns) == COLUMNS[name]


def test_agency_changes_by_year_names_the_rename(tiny):
    # A1 was "กรมเก่า" in 2564 and "กรมใหม่" in 2565; nobody changed type or group
    assert pick(rows(tiny, "agency_changes_by_year"), COLUMNS["agency_changes_by_year"]) == [
        (2565, "A1", "name", "กรมเก่า", "กรมใหม่")
    ]


def test_agency_count_by_type_year_counts_who_left(tiny):
    # departments: A1 and A2 in 2564, only A1 in 2565: one present, none joined, A2 left
    found = {(r["fiscal_year"], r["agency_type"]): r for r in rows(tiny, "agency_count_by_type_year")}
    assert pick([found[2565, "department"]], ["agencies", "joined", "left_since"]) == [(1, 0, 1)]
    assert found[2564, "department"]["joined"] is None  # the first year has no year before


def test_agency_level_by_year_follows_the_cut_offs(tiny):
    found = {(r["fiscal_year"], r["agency_code"]): r for r in rows(tiny, "agency_level_by_year")}
    # A1 2564: 22/40 = 55 %, at least basic's 50, below advance's 65
    assert (found[2564, "A1"]["pct"], found[2564, "A1"]["level"]) == (pytest.approx(55), "basic")
    assert found[2564, "A2"]["level"] is None  # 12/30 = 40 %, below every cut-off


def test_agency_list_labels_the_latest_name(tiny):
    found = {r["agency_code"]: r for r in rows(tiny, "agency_list")}
    assert sorted(found) == ["A1", "A2", "N1", "P1"]
    assert pick([found["A1"]], ["label_th", "label_en", "first_year", "latest_year"]) == [
        ("A1 · กรมใหม่", "A1 · Agency A1", 2564, 2565)
    ]


def test_category_mean_pct_by_year_pair_means_and_ranks(tiny):
    found = {r["category"]: r for r in rows(tiny, "category_mean_pct_by_year_pair")}
    assert sorted(found) == [1, 2, 3, 4, 5, 6, 7]
    # category 1: (60 + 80 + 100) / 3 = 80 in 2564, (70 + 90 + 40) / 3 = 66.67 in 2565
    assert pick([found[1]], ["base_mean_pct", "compare_mean_pct", "delta_pts"]) == [
        pytest.approx((80, 200 / 3, 200 / 3 - 80))
    ]
    # category 7's 2565 mean (60 + 40) / 2 = 50 is below category 1's: the weakest of the two with data
    assert (found[7]["compare_agencies"], found[7]["weakness_rank"], found[1]["strength_rank"]) == (2, 1, 1)
    assert found[4]["strength_rank"] is None  # no data, no rank


def test_category_rank_by_year_ranks_within_the_year(tiny):
    found = {(r["fiscal_year"], r["category"]): r for r in rows(tiny, "category_rank_by_year")}
    # 2564: category 7's mean (50 + 20 + 75) / 3 = 48.33 is below category 1's 80
    assert pick([found[2564, 7]], ["mean_pct", "agencies", "rank_in_year"]) == [(pytest.approx(145 / 3), 3, 2)]


def test_change_decomposition_by_year_pair_splits_the_change(tiny):
    [found] = rows(tiny, "change_decomposition_by_year_pair")
    # all: 65 - 60.83 = 4.17; A1 and P1 in both years: (65 + 90) / 2 - (55 + 87.5) / 2 = 77.5 - 71.25 = 6.25
    assert pick([found], ["all_agencies_pts", "like_for_like_pts", "composition_pts"]) == [
        pytest.approx((65 - 182.5 / 3, 6.25, 65 - 182.5 / 3 - 6.25))
    ]
    assert (found["agencies_joined"], found["agencies_left"]) == (1, 1)  # N1 joined, A2 left


def test_criterion_changes_between_years_lists_every_criterion_of_a_year_without_data(tiny):
    assert rows(tiny, "criterion_changes_between_years") == []  # 2564 and 2565: the same three criteria
    # against a year the data does not hold, every criterion of 2564 is gone, each with its maximum
    assert pick(
        rows(tiny, "criterion_changes_between_years", compare_year=2566), COLUMNS["criterion_changes_between_years"]
    ) == [
        (1, "1.1", 10.0, None, "removed"),
        (1, "1.2", 10.0, None, "removed"),
        (7, "7.1", 20.0, None, "removed"),
    ]


def test_criterion_gaps_by_year_names_each_unassessed_criterion(tiny):
    # A2 was not assessed on 1.2 in 2564, P1 on 7.1 in 2565; two others were each time
    assert pick(rows(tiny, "criterion_gaps_by_year"), COLUMNS["criterion_gaps_by_year"]) == [
        (2564, "1.2", 1, 2),
        (2565, "7.1", 1, 2),
    ]


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> db.Store:
    """The tiny folder with the optional criterion-name columns: 1.1 named in 2564 only, 7.1 named
    differently in each year, 1.2 never."""
    names = {
        (2564, "1.1"): ("การนำองค์การ", "Organisational leadership"),
        (2564, "7.1"): ("ผลลัพธ์เดิม", "Former results"),
        (2565, "7.1"): ("ผลลัพธ์หลัก", "Key results"),
    }
    schema = pa.schema([*SCHEMA.items(), ("criterion_name_th", pa.string()), ("criterion_name_en", pa.string())])
    folder = tmp_path_factory.mktemp("named")
    for year, year_rows in tiny_rows().items():
        for r in year_rows:
            r["criterion_name_th"], r["criterion_name_en"] = names.get((year, r["criterion"]), (None, None))
        pq.write_table(pa.Table.from_pylist(year_rows, schema=schema), folder / f"{year}.parquet")
    return db.Store(folder, OPERATOR)


def test_criterion_names_are_the_latest_year_that_names_each(named, tiny):
    assert rows(tiny, "criterion_names") == []  # the tiny folder names no criterion
    assert pick(rows(named, "criterion_names"), COLUMNS["criterion_names"]) == [
        ("1.1", "การนำองค์การ", "Organisational leadership"),
        ("7.1", "ผลลัพธ์หลัก", "Key results"),
    ]


def test_criterion_stats_by_year_share_below_counts_only_the_assessed(tiny):
    found = {(r["fiscal_year"], r["criterion"]): r for r in rows(tiny, "criterion_stats_by_year")}
    # 7.1 in 2565: A1 12/20 = 60 %, N1 8/20 = 40 % (below 50), P1 not assessed: 1 of 2 below
    assert pick(
        [found[2565, "7.1"]], ["mean_pct", "agencies_assessed", "agencies_not_assessed", "share_below_pct"]
    ) == [(pytest.approx(50), 2, 1, pytest.approx(50))]
    # 1.1 in 2564: 50, 80, 100 %: the median 80, quartiles halfway between neighbours, 65 and 90
    assert pick([found[2564, "1.1"]], ["q1_pct", "median_pct", "q3_pct"]) == [pytest.approx((65, 80, 90))]


def test_data_quality_by_year_counts_gaps_joiners_and_leavers(tiny):
    found = {r["fiscal_year"]: r for r in rows(tiny, "data_quality_by_year")}
    # 2565: A1, P1, N1 on 3 criteria = 9 rows, P1's 7.1 not assessed; N1 joined, A2 left
    assert pick([found[2565]], COLUMNS["data_quality_by_year"]) == [(2565, 3, 3, 9, 1, 1, 1, 1)]
    assert (found[2564]["agencies_joined"], found[2564]["agencies_left"]) == (None, None)  # no year before


def test_fiscal_years_count_agencies_and_rows(tiny):
    # three agencies in each year, three criterion rows each
    assert pick(rows(tiny, "fiscal_years"), COLUMNS["fiscal_years"]) == [(2564, 3, 9), (2565, 3, 9)]


def test_group_list_counts_agencies_by_their_latest_group(tiny):
    # the ministry holds the departments A1, A2 and the public organisation N1; the cluster P1
    assert pick(rows(tiny, "group_list"), ["agency_group_th", "agency_types", "agencies"]) == [
        ("กระทรวงทดสอบ", "department,public_organization", 3),
        ("กลุ่มจังหวัดทดสอบ", "province", 1),
    ]


def test_level_share_by_year_shares_and_their_change(tiny):
    found = {(r["fiscal_year"], r["level"]): r for r in rows(tiny, "level_share_by_year")}
    # 2564: A2 40 % (none), A1 55 % (basic), P1 87.5 % (significance); 2565: N1 40 % (none),
    # A1 exactly 65 % (advance), P1 90 % (significance). Each level holds one of three or none.
    assert len(found) == 8  # the three levels and "none", in each year
    assert (found[2565, "advance"]["agencies"], found[2565, "advance"]["share_pct"]) == (1, pytest.approx(100 / 3))
    assert found[2565, "basic"]["share_change_pts"] == pytest.approx(-100 / 3)  # 33.3 % to 0 %


def test_movers_by_category_keeps_real_rises_and_falls(tiny):
    # category 1: A1 60 -> 70 (+10), P1 100 -> 90 (-10); category 7: A1 50 -> 60 (+10), P1 has no 2565 value
    assert pick(
        rows(tiny, "movers_by_category"), ["category", "direction", "mover_rank", "agency_code", "delta_pts"]
    ) == [
        (1, "rise", 1, "A1", pytest.approx(10)),
        (1, "fall", 1, "P1", pytest.approx(-10)),
        (7, "rise", 1, "A1", pytest.approx(10)),
    ]


def test_overall_mean_pct_by_year_pair_means_points_and_agencies(tiny):
    [found] = rows(tiny, "overall_mean_pct_by_year_pair")
    assert (found["base_mean_pct"], found["compare_mean_pct"]) == pytest.approx((182.5 / 3, 65))
    # points: (22 + 12 + 35) / 3 = 23, (26 + 18 + 16) / 3 = 20, out of 10 + 10 + 20 = 40
    assert pick([found], ["base_mean_points", "compare_mean_points", "points_change", "compare_max_points"]) == [
        pytest.approx((23, 20, -3, 40))
    ]
    assert (found["base_agencies"], found["compare_agencies"], found["agencies_change"]) == (3, 3, 0)


def test_overall_stats_by_year_like_for_like(tiny):
    found = {r["fiscal_year"]: r for r in rows(tiny, "overall_stats_by_year")}
    # 2565: all three (65 + 90 + 40) / 3 = 65; A1 and P1, present both years: (65 + 90) / 2 = 77.5
    assert pick([found[2565]], COLUMNS["overall_stats_by_year"]) == [
        (2565, 3, pytest.approx(65), pytest.approx(20), pytest.approx(77.5), 2)
    ]


def test_pct_by_agency_category_year_leaves_out_an_unassessed_category(tiny):
    found = {(r["fiscal_year"], r["agency_code"], r["category"]): r for r in rows(tiny, "pct_by_agency_category_year")}
    assert len(found) == 11  # 3 agencies x 2 categories in 2564; 2565 the same but P1's category 7
    assert (2565, "P1", 7) not in found
    # A2 in 2564, category 1: 1.2 not assessed, so 8 of 10 (not of 20)
    assert pick([found[2564, "A2", 1]], ["score", "max_score", "pct"]) == [(8, 10, pytest.approx(80))]


def test_pct_change_by_agency_category_both_years_only(tiny):
    # A1: category 1 60 -> 70, category 7 50 -> 60; P1: category 1 100 -> 90 (its 7 has no 2565 value)
    assert pick(rows(tiny, "pct_change_by_agency_category"), ["agency_code", "category", "delta_pts"]) == [
        ("A1", 1, pytest.approx(10)),
        ("P1", 1, pytest.approx(-10)),
        ("A1", 7, pytest.approx(10)),
    ]


def test_pct_stats_by_category_year_spread_and_like_for_like(tiny):
    found = {(r["fiscal_year"], r["category"]): r for r in rows(tiny, "pct_stats_by_category_year")}
    # category 7 in 2565: A1 60, N1 40; only A1 has category 7 in both years
    keys = ["mean_pct", "min_pct", "max_pct", "agencies", "like_for_like_mean_pct", "like_for_like_agencies"]
    assert pick([found[2565, 7]], keys) == [(pytest.approx(50), 40, 60, 2, pytest.approx(60), 1)]


def test_peer_pct_by_category_against_every_agency(tiny):
    found = {(r["category"], r["peer_set"]): r for r in rows(tiny, "peer_pct_by_category")}
    # P1 in 2565 is alone in its cluster and type; category 7 has no value of P1's, so no P1 peer set
    assert sorted(found) == [(1, "all"), (1, "group"), (1, "type"), (7, "all")]
    # category 1, all: 40, 70, 90: the median 70, quartiles halfway, 55 and 80; P1's own 90
    assert pick([found[1, "all"]], ["q1_pct", "median_pct", "q3_pct", "agencies", "agency_pct"]) == [
        (pytest.approx(55), pytest.approx(70), pytest.approx(80), 3, pytest.approx(90))
    ]


def test_rank_by_agency_year_first_both_years(tiny):
    # P1: 87.5 % of three in 2564 and 90 % of three in 2565, the highest both times
    keys = ["fiscal_year", "position", "ranked_agencies", "percentile", "pct_change_pts", "positions_gained"]
    assert pick(rows(tiny, "rank_by_agency_year"), keys) == [
        (2564, 1, 3, pytest.approx(100), None, None),
        (2565, 1, 3, pytest.approx(100), pytest.approx(2.5), 0),
    ]


def test_score_by_agency_criterion_year_keeps_unassessed_rows_without_pct(tiny):
    found = {
        (r["fiscal_year"], r["agency_code"], r["criterion"]): r for r in rows(tiny, "score_by_agency_criterion_year")
    }
    assert len(found) == 18  # 3 agencies x 3 criteria x 2 years
    assert (found[2564, "A2", "1.2"]["score"], found[2564, "A2", "1.2"]["pct"]) == (None, None)
    assert found[2564, "A1", "7.1"]["pct"] == pytest.approx(50)  # 10 of 20


def test_every_sql_file_names_its_purpose_in_a_comment():
    for path in db.QUERIES_DIR.rglob("*.sql"):
        assert path.read_text(encoding="utf-8").startswith("--"), path


def test_catalogs_have_the_same_keys():
    assert i18n.catalog("th").keys() == i18n.catalog("en").keys()


def test_catalogs_give_a_text_for_every_key():
    for lang in i18n.LANGUAGES:
        doc = json.loads((i18n._DIR / f"{lang}.json").read_text(encoding="utf-8"))
        assert [key for key, text in doc.items() if type(text) is not str or not text.strip()] == [], lang
    assert (i18n.category_name(7, "en"), i18n.year_label(2565, "en")) == ("Results", "2565 (2022)")  # 2565 - 543


def test_agencies_below_criterion_lists_who_is_below(tiny):
    # 1.1 in 2565: A1 60 %, P1 90 %, N1 40 %: only N1 is below 50; it joined in 2565 (no base),
    # its total 16/40 = 40 %
    assert pick(rows(tiny, "agencies_below_criterion"), ["agency_code", "score", "pct", "base_pct", "total_pct"]) == [
        ("N1", 4, pytest.approx(40), None, pytest.approx(40))
    ]


def test_category_alpha_by_year_over_agencies_assessed_on_all(tiny):
    found = {r["category"]: r for r in rows(tiny, "category_alpha_by_year")}
    # category 1 in 2565, 1.1 and 1.2: A1 60, 80; P1 90, 90; N1 40, 40. Variances 633.3 and 700,
    # of the sums 140, 180, 80: 2533.3; alpha = 2 × (1 − 1333.3 / 2533.3) = 18/19
    assert pick([found[1]], ["alpha", "agencies", "criteria"]) == [(pytest.approx(18 / 19), 3, 2)]
    # category 7 has one criterion: no alpha; A1 and N1 were assessed on it
    assert pick([found[7]], ["alpha", "agencies", "criteria"]) == [(None, 2, 1)]


def test_criterion_item_stats_by_year_flags_and_base(tiny):
    found = {r["criterion"]: r for r in rows(tiny, "criterion_item_stats_by_year")}
    # 1.1: 60, 90, 40 % in 2565 (mean 63.33, N1 below 50: 1 of 3), 50, 80, 100 % in 2564 (76.67);
    # three agencies are too few for a correlation, so a third below makes it "unclear", not "hard"
    assert pick([found["1.1"]], ["assessed", "mean_pct", "below_share", "ceiling_share", "discrimination"]) == [
        (3, pytest.approx(190 / 3), pytest.approx(100 / 3), 0, None)
    ]
    assert pick([found["1.1"]], ["flag", "base_mean_pct", "delta_pts"]) == [
        ("unclear", pytest.approx(230 / 3), pytest.approx(-40 / 3))
    ]
    assert found["7.1"]["assessed"] == 2  # P1 was not assessed on 7.1 in 2565


def test_redundant_pairs_by_year_needs_ten_agencies(tiny):
    # 1.1 and 1.2 in 2565 (60/80, 90/90, 40/40) correlate at r ≈ 0.96, but among three agencies only
    assert rows(tiny, "redundant_pairs_by_year") == []


# --- the revision scenario (issue 18), with the proposal in DEFAULTS --------------------------------
# Proposed 2565: A1 6 + 12 × 10/20 + 100 % × 10 = 22/30 = 73.3 % (advance, as now at 65 %);
# P1 9/10 = 90 % (7.1 not assessed, no value: significance, as now); N1 4 + 4 + 5 = 13/30 = 43.3 %
# (basic at the proposed 40; below now at 40 %).


def test_level_counts_under_proposal_moves_n1_to_basic(tiny):
    found = pick(rows(tiny, "level_counts_under_proposal"), ["level", "current", "proposed"])
    assert found == [("below", 1, 0), ("basic", 0, 1), ("advance", 1, 1), ("significance", 1, 1)]


def test_level_changes_under_proposal_lists_only_the_mover(tiny):
    found = rows(tiny, "level_changes_under_proposal")
    assert pick(found, ["agency_code", "current_level", "proposed_level"]) == [("N1", "below", "basic")]
    assert (found[0]["current_pct"], found[0]["proposed_pct"]) == (pytest.approx(40), pytest.approx(1300 / 30))


def test_category_mean_under_proposal_drops_and_feeds(tiny):
    found = {r["category"]: r for r in rows(tiny, "category_mean_under_proposal")}
    # category 1 without 1.2: A1 60, P1 90, N1 40 (now 70, 90, 40)
    assert found[1]["current_mean_pct"] == pytest.approx(200 / 3)
    assert found[1]["proposed_mean_pct"] == pytest.approx(190 / 3)
    # category 7: now A1 60, N1 40; proposed A1 (6 + 10)/20 = 80, N1 (4 + 5)/20 = 45; P1 has none
    assert (found[7]["current_mean_pct"], found[7]["proposed_mean_pct"]) == (pytest.approx(50), pytest.approx(62.5))
    assert (found[7]["current_agencies"], found[7]["proposed_agencies"]) == (2, 2)


def test_indicator_stats_under_proposal_counts_the_values(tiny):
    (found,) = rows(tiny, "indicator_stats_under_proposal")
    assert pick([found], ["indicator", "agencies", "min", "max"]) == [("digital", 2, 50, 100)]
    assert found["mean"] == pytest.approx(75)
    assert found["corr_total"] is None  # two agencies: no correlation


def test_criterion_max_by_year_is_the_years_scheme(tiny):
    # 2565: 1.1 and 1.2 out of 10, 7.1 out of 20 (P1 not assessed on it, A1 and N1 are)
    assert pick(rows(tiny, "criterion_max_by_year"), ["criterion", "max_score"]) == [
        ("1.1", 10),
        ("1.2", 10),
        ("7.1", 20),
    ]
